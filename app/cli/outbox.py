"""``comptoir outbox``: the recorded deliveries not yet acknowledged by the e-prescription service.

Why from the command line too: the counter retries on its own while it runs, but a pharmacist (or
whoever looks after the pharmacy's computers) must be able to see what is waiting, push it now after
an outage, and queue again a delivery the service refused once the cause is fixed.
"""

from __future__ import annotations

import argparse

from app.config import settings_from_args
from app.domain.records import OutboxItem, SendStatus
from app.i18n import _t


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help=_t("délivrances en attente de transmission au service"))
    parser.add_argument("--send", action="store_true", help=_t("transmettre maintenant toutes les délivrances en attente"))
    parser.add_argument("--retry", metavar="ID",
                        help=_t("remettre en file une délivrance mise de côté (refusée, ou après trop de tentatives)"))
    parser.set_defaults(handler=run)


def waiting_line(item: OutboxItem) -> str:
    """One delivery not yet transmitted: number as printed, patient, since when, state, last error, id."""
    d = item.delivery
    since = (_t("depuis le {when}").format(when=f"{item.since:%d/%m/%Y %H:%M}") if item.since
             else _t("date inconnue"))
    state = (_t("mise de côté") if item.status is SendStatus.FAILED
             else _t("en attente (%n tentatives)", "", item.attempts) if item.attempts > 1
             else _t("en attente (%n tentative)", "", item.attempts))
    error = " — " + _t("dernière erreur : {error}").format(error=item.last_error) if item.last_error else ""
    return f"  {d.number.grouped()} — {d.patient.display_name} — {since} — {state}{error} — id {d.delivery_id}"


def run(args: argparse.Namespace) -> int:
    from app.storage.db import open_database
    from app.wiring import make_outbox

    settings = settings_from_args(args)
    engine, factory = open_database(settings.db_url, must_exist=True)
    try:
        if args.retry:
            if not make_outbox(factory, None).requeue(args.retry):
                print(_t("Aucune délivrance mise de côté n'a l'identifiant {id}.").format(id=args.retry))
                return 1
            print(_t("Délivrance {id} remise en file.").format(id=args.retry))
        if args.send:
            from app.eprescription import EPrescriptionClient

            with EPrescriptionClient.from_settings(settings) as client:
                report = make_outbox(factory, client).send_pending(everything=True)
            print(_t("Transmises : {count}").format(count=report.sent))
        outbox = make_outbox(factory, None)
        report = outbox.report()
        print(_t("En attente : {count}").format(count=report.pending))
        if report.failed:
            print(_t("Mises de côté : {count}").format(count=report.failed))
        for item in outbox.waiting():
            print(waiting_line(item))
        return 0
    finally:
        engine.dispose()
