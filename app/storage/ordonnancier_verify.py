"""Verifying the ordonnancier against every record that witnessed it (``comptoir ordonnancier verify``).

Each check says, in French, the first thing wrong: the entry's number and date when there is one,
and what is wrong. In order of reading (the register's own tables first):

1. the tables are all there and still protected by their triggers, each with its original definition
   and, on PostgreSQL, ENABLE ALWAYS (:mod:`app.storage.append_only`; a dropped table, e.g. the
   checkpoints, is named as such rather than failing as an unreadable database);
2. the switch to the key (migration 0007) is there, sealed with the key this workstation holds
   (without it the check stops: :class:`~app.storage.keyed_chain.RegisterKeyMissing`);
3. the chain: numbering, links, seals (SHA-256 before the switch, HMAC with the key after it), and
   every witness of the head: checkpoints, the switch (a sealed register had at least one keyed
   entry, so an emptied one shows), the closings in the database and in this workstation's anchor
   file, the rows of the CSV exports given;
4. the anchor file against the database: every closing this workstation made is in its file (a file
   deleted or restored from an older copy shows), no line altered, and no line of an earlier
   register under the same database (a register reset shows);
5. the delivery archive and the outbox (:mod:`app.storage.ordonnancier_crosscheck`).
"""

from __future__ import annotations

import csv
import heapq
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.domain.errors import ComptoirError
from app.domain.ordonnancier import (
    Closing,
    Finding,
    KeyingStart,
    VerifyResult,
    Witness,
    fr_day,
    same,
    verify_entries,
)
from app.i18n import _t  # the notes are said to whoever verifies, in their language
from app.storage.append_only import trigger_problems
from app.storage.base import Base
from app.storage.ordonnancier_anchors import AnchorFile, register_of
from app.storage.ordonnancier_crosscheck import archive_findings, outbox_findings
from app.storage.ordonnancier_keying import Protection, missing_key, swapped_key
from app.storage.ordonnancier_read import (
    CHECKPOINT,
    database_name,
    iter_checkpoints,
    iter_closings,
    iter_entries,
    read_keying,
)

TABLES = {
    "ordonnancier_entry": "des écritures",
    "ordonnancier_checkpoint": "des points de contrôle",
    "ordonnancier_keying": "du point de départ de la clé",
    "ordonnancier_closing": "des clôtures journalières",
}
def _present_tables(session: Session) -> set[str]:
    inspector = inspect(session.connection())
    return {name for name in TABLES if inspector.has_table(name)}


def _columns(name: str) -> set[str]:
    table = CHECKPOINT if name == "ordonnancier_checkpoint" else Base.metadata.tables[name]
    return {c.name for c in table.columns}


def _structure(session: Session, present: set[str]) -> list[Finding]:
    """What is wrong with the register's tables; ``present`` loses the tables that cannot be read."""
    findings = [Finding(None, f"la table {TABLES[name]} ({name}) a été supprimée de la base", root=True)
                for name in TABLES if name not in present]
    inspector = inspect(session.connection())
    for name in sorted(present):
        gone = sorted(_columns(name) - {c["name"] for c in inspector.get_columns(name)})
        if gone:
            present.discard(name)
            findings.append(Finding(None, f"la table {TABLES[name]} ({name}) a été modifiée : colonne(s) "
                                          f"{', '.join(gone)} supprimée(s)", root=True))
    gone = trigger_problems(session, present)
    if gone:
        findings.append(Finding(None, "la protection de la base contre la modification du registre a été "
                                      f"retirée (déclencheur(s) {', '.join(gone)})"))
    return findings


def _start_findings(start: KeyingStart | None, key: bytes | None, keying_table: bool) -> list[Finding]:
    if not keying_table:
        return []
    if start is None:
        return [Finding(None, "le point de départ de la clé (table ordonnancier_keying, migration 0007) a été "
                              "effacé : on ne sait plus quelles écritures doivent porter le sceau de la clé",
                        root=True)]
    if key is not None and not same(start.compute_mac(key), start.mac):
        return [Finding(None, "le point de départ de la clé a été modifié (son sceau ne correspond plus)",
                        root=True)]
    return []


def _start_witness(start: KeyingStart | None) -> list[Witness]:
    """A sealed switch was sealed by a write: the register had at least one entry after it."""
    if start is None:
        return []
    if start.sealed:
        when = start.sealed_at.date() if start.sealed_at else None
        return [Witness(start.legacy_last + 1, None, f"passage à la clé du {fr_day(when)}", when)]
    return [Witness(start.legacy_last, None, "passage à la clé")] if start.legacy_last else []


def _closing_witnesses(closings: list[Closing], key: bytes | None, register: str | None,
                       source: str) -> tuple[list[Witness], list[Finding]]:
    witnesses, findings = [], []
    for c in closings:
        if key is None or c.register != register or not same(c.compute_mac(key), c.mac):
            findings.append(Finding(c.number, f"la clôture du {fr_day(c.day)} ({source}) a été modifiée ou "
                                              "ajoutée sans la clé", c.day))
            continue
        witnesses.append(Witness(c.number, c.head, f"clôture du {fr_day(c.day)}, {source}", c.day))
    return witnesses, findings


def _anchor_checks(anchors: AnchorFile, database: str, start: KeyingStart | None, key: bytes | None,
                   closings: list[Closing], workstation: str) -> tuple[list[Witness], list[Finding], list[str]]:
    """Witnesses from this workstation's anchor file, and what is wrong between it and the database."""
    reading = anchors.read()
    name = str(anchors.path)
    findings = [Finding(None, f"le fichier d'ancrage {name} a été modifié : ligne {n} illisible")
                for n in reading.unreadable[:1]]
    notes = [f"dernière ligne du fichier d'ancrage {name} incomplète (écriture interrompue), ignorée"] \
        if reading.torn_tail else []
    register = start.key_id if start is not None else None
    ours = [line for line in reading.lines if register and register_of(line.record) == register]
    foreign = [line for line in reading.lines if line.database == database
               and register_of(line.record) != register]
    for line in foreign:
        record = line.record
        number, on = (record.number, record.day) if isinstance(record, Closing) else (record.legacy_last + 1, None)
        findings.append(Finding(number, f"le registre de cette base a été réinitialisé : le fichier d'ancrage "
                                        f"{name} (ligne {line.line_no}) y montre une autre clé"
                                        + (f" et la clôture du {fr_day(on)}" if on else ""), on))
        break
    closings_in_file = [line.record for line in ours if isinstance(line.record, Closing)]
    witnesses, bad = _closing_witnesses(closings_in_file, key, register, f"fichier d'ancrage {name}")
    findings += bad
    for line in ours:
        if isinstance(line.record, KeyingStart) and start is not None and not (
                same(line.record.mac, start.mac) and line.record.legacy_last == start.legacy_last):
            findings.append(Finding(None, f"le point de départ de la clé ne correspond plus à celui inscrit dans "
                                          f"le fichier d'ancrage {name} (ligne {line.line_no})"))
    in_file = {line.record.mac for line in ours}
    lost = [c for c in closings if c.workstation == workstation and c.register == register and c.mac not in in_file]
    lacks = f"le fichier d'ancrage {name} " + ("ne contient plus" if reading.exists else
                                                 "a disparu ; il devait contenir")
    gone = "fichier supprimé ou restauré d'une copie plus ancienne"
    if start is not None and start.sealed and start.workstation == workstation and start.mac not in in_file:
        findings.append(Finding(start.legacy_last + 1, f"{lacks} le passage à la clé fait par ce poste : {gone}",
                                start.sealed_at.date() if start.sealed_at else None))
    elif lost:
        first = min(lost, key=lambda c: c.number)
        findings.append(Finding(first.number, f"{lacks} la clôture du {fr_day(first.day)} faite par ce poste "
                                              f"({len(lost)} clôture(s) manquante(s)) : {gone}", first.day))
    notes.append(_t("{count} clôture(s) du fichier d'ancrage {file}").format(count=len(closings_in_file), file=name)
                 if reading.exists else
                 _t("fichier d'ancrage {file} absent (ce poste n'a encore rien clôturé)").format(file=name))
    return witnesses, findings, notes


def export_witnesses(path: Path) -> list[Witness]:
    """Every row of a CSV export (``comptoir ordonnancier export --csv``): number, seal, date."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter=";"))
        out = []
        for row in rows:
            number, seal = row.get("numero"), row.get("empreinte")
            if not number or not seal:
                raise ValueError("colonne numero ou empreinte vide")
            on = date.fromisoformat(row["date_delivrance"]) if row.get("date_delivrance") else None
            out.append(Witness(int(number), seal.strip(), f"export {path.name}", on))
        return out
    except (OSError, ValueError, UnicodeDecodeError, csv.Error) as exc:
        raise ComptoirError(f"Export de l'ordonnancier illisible : {path} ({exc})") from exc


def verify_register(session: Session, protection: Protection, exports: Sequence[Path] = ()) -> VerifyResult:
    present = _present_tables(session)
    structure = _structure(session, present)
    if "ordonnancier_entry" not in present:
        return VerifyResult(False, 0).with_findings(structure)
    start = read_keying(session) if "ordonnancier_keying" in present else None
    key = None
    if start is not None and start.sealed:
        key = protection.keys.load(start.key_id or "")
        if key is None:
            swapped = swapped_key(session, protection, start)
            if swapped is None:
                raise missing_key(start)
            return VerifyResult(False, 0).with_findings([*structure, Finding(None, swapped, root=True)])
    findings = structure + _start_findings(start, key, "ordonnancier_keying" in present)
    notes: list[str] = []
    closings = list(iter_closings(session)) if "ordonnancier_closing" in present else []
    witnesses, bad = _closing_witnesses(closings, key, start.key_id if start else None, "base")
    findings += bad
    anchored, bad, more = _anchor_checks(protection.anchors, database_name(session), start, key, closings,
                                         protection.workstation)
    witnesses += anchored + _start_witness(start)
    findings += bad
    notes += [_t("{count} clôture(s) journalière(s) dans la base").format(count=len(closings)), *more]
    for path in exports:
        rows = export_witnesses(path)
        witnesses += rows
        notes.append(_t("{count} écriture(s) de l'export {file}").format(count=len(rows), file=path.name))
    checkpoints = iter_checkpoints(session) if "ordonnancier_checkpoint" in present else iter(())
    merged = heapq.merge(checkpoints, sorted(witnesses, key=lambda w: w.number), key=lambda w: w.number)
    result = verify_entries(iter_entries(session), merged, key=key, start=start)
    archived, count = archive_findings(session)
    notes.append(_t("{count} délivrance(s) archivée(s)").format(count=count))
    sent, count = outbox_findings(session)
    if count is not None:
        notes.append(_t("{count} délivrance(s) de la file d'envoi").format(count=count))
    return result.with_findings([*findings, *archived, *sent], notes)
