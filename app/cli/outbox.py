"""``comptoir outbox``: the recorded deliveries not yet acknowledged by the e-prescription service.

Why from the command line too: the counter retries on its own while it runs, but a pharmacist (or
whoever looks after the pharmacy's computers) must be able to see what is waiting, push it now after
an outage, and queue again a delivery the service refused once the cause is fixed.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from app.config import settings_from_args


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help="délivrances en attente de transmission au service")
    parser.add_argument("--send", action="store_true", help="transmettre maintenant toutes les délivrances en attente")
    parser.add_argument("--retry", metavar="ID", help="remettre en file une délivrance refusée par le service")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.storage.db import open_database
    from app.workflow.store import CounterStore

    settings = settings_from_args(args)
    engine, factory = open_database(settings.db_url, must_exist=True)
    store = CounterStore(factory)
    try:
        if args.retry:
            if not store.requeue(args.retry, datetime.now()):
                print(f"Aucune délivrance refusée n'a l'identifiant {args.retry}.")
                return 1
            print(f"Délivrance {args.retry} remise en file.")
        if args.send:
            from app.eprescription import EPrescriptionClient
            from app.workflow.outbox import OutboxSender

            with EPrescriptionClient.from_settings(settings) as client:
                report = OutboxSender(store, client, datetime.now).send_due(everything=True)
            print(f"Transmises : {report.sent}")
        print(f"En attente : {store.count('pending')}")
        for delivery_id, number, error in store.failed():
            print(f"Refusée : {delivery_id} (ordonnance {number}) — {error}")
        return 0
    finally:
        engine.dispose()
