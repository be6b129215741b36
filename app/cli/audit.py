"""``comptoir audit [--from --to --user --action] [--json]`` and ``comptoir audit verify``: who did
what, where and when (the audit trail, :mod:`app.storage.audit`). Both sign a pharmacist in first
once the pharmacy has users, and are traced (:mod:`app.cli.register_access`)."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.ordonnancier import parse_date
from app.cli.register_access import add_as_option, register_access
from app.config import settings_from_args
from app.domain.audit import AuditAction, AuditEntry
from app.domain.team import Permission
from app.i18n import _t


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help=_t("journal d'audit : qui a fait quoi, où et quand (verify : l'intégrité)"))
    parser.add_argument("--from", dest="start", type=parse_date, metavar="DATE", help=_t("premier jour"))
    parser.add_argument("--to", dest="end", type=parse_date, metavar="DATE", help=_t("dernier jour"))
    parser.add_argument("--user", type=int, metavar="ID", help=_t("un utilisateur (comptoir users list)"))
    parser.add_argument("--action", choices=[a.value for a in AuditAction], metavar="ACTION",
                        help=_t("une action : {actions}").format(actions=", ".join(a.value for a in AuditAction)))
    parser.add_argument("--json", action="store_true", help=_t("sortie JSON (une entrée par ligne)"))
    add_as_option(parser)
    parser.set_defaults(handler=run_list)
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION")
    verify = actions.add_parser("verify", help=_t("vérifier le journal (numérotation, liens, sceaux) : nomme "
                                                  "la première rupture"))
    add_as_option(verify)
    verify.set_defaults(handler=run_verify)


def _line(entry: AuditEntry) -> str:
    who = f"{entry.user_name} ({entry.user_id})" if entry.user_id is not None else "—"
    parts = [entry.local_time().strftime("%d/%m/%Y %H:%M:%S"), f"n° {entry.seq}", entry.workstation, who,
             entry.label]
    if entry.object_ref:
        parts.append(_t("objet {ref}").format(ref=entry.object_ref))
    if entry.details != "{}":
        parts.append(entry.details)
    return "  ".join(parts)


def _json(entry: AuditEntry) -> str:
    return json.dumps({"seq": entry.seq, "at": entry.local_time().isoformat(), "action": entry.action,
                       "label": entry.label, "user_id": entry.user_id, "user_name": entry.user_name,
                       "workstation": entry.workstation, "object": entry.object_ref, "details": entry.details_dict,
                       "seal": entry.hash}, ensure_ascii=False)


def run_list(args: argparse.Namespace) -> int:
    from app.storage.audit import AuditQuery, entries

    query = AuditQuery(args.start, args.end, args.user, args.action)
    count = 0
    settings = settings_from_args(args)
    period = {"from": args.start.isoformat() if args.start else "", "to": args.end.isoformat() if args.end else "",
              "user": args.user, "action": args.action or ""}
    with register_access(args, settings, Permission.EXPORT_REGISTERS, AuditAction.AUDIT_READ,
                         details=period) as command:
        for entry in entries(command.session, query):
            print(_json(entry) if args.json else _line(entry))
            count += 1
    if not count and not args.json:
        print(_t("Aucune entrée."), file=sys.stderr)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from app.storage.audit import verify
    from app.storage.ordonnancier_keying import Protection

    settings = settings_from_args(args)
    protection = Protection.from_settings(settings)
    with register_access(args, settings, Permission.EXPORT_REGISTERS, AuditAction.AUDIT_VERIFY) as command:
        result = verify(command.session, protection)
    if result.ok:
        print(result.message(protection.zone))
        return 0
    print(result.message(protection.zone), file=sys.stderr)
    for finding in result.findings[1:]:
        print("  - " + _t("aussi : {reason}").format(reason=finding.reason), file=sys.stderr)
    return 1
