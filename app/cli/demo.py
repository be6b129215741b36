"""``comptoir demo`` (what ``make run`` calls): start the sandbox service, seed it once with
realistic prescriptions and print their paper ordonnances, then open the counter on it.

The sandbox runs as a child process on 127.0.0.1:8787 (another free port when that one is taken),
with its database in the user data dir. The numbers seeded are remembered in ``demo-seed.json``
next to it, so that the next run reuses them instead of seeding duplicates; a seeded prescription
that has since disappeared, been cancelled or expired is seeded again.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.cli.sandbox import demo_prescriber_rpps, mint, sandbox_db
from app.config import data_dir, settings_from_args
from app.domain.errors import ComptoirError, MalformedResponse
from app.domain.identifiers import Rpps
from app.eprescription.client import EPrescriptionClient
from app.eprescription.fhir_read import prescription_from_bundle
from app.i18n import _t, error_text
from app.printing.prescription_form import write_prescription_form
from app.resources_path import resource
from app.sandbox.loader import complete_bundle

DEFAULT_PORT = 8787


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help=_t("démonstration : service bac à sable, ordonnances d'exemple, comptoir"))
    parser.add_argument("--no-gui", action="store_true", help=_t("préparer le service et les PDF sans ouvrir le comptoir"))
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=_t("port souhaité du service (défaut 8787)"))
    parser.add_argument("--workstations", type=int, choices=(1, 2), default=1,
                        help=_t("2 : un comptoir et un poste de préparation sur la même base (l'équipe)"))
    parser.set_defaults(handler=run)


def free_port(preferred: int) -> int:
    """``preferred`` when nothing listens there, else any free loopback port."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise ComptoirError(_t("Aucun port libre pour le service bac à sable"))


def start_sandbox(db_url: str, port: int, log_file: Path) -> subprocess.Popen:
    """The sandbox as a child process, once it answers ``/metadata``."""
    args = ["sandbox", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url, "--exit-with-parent"]
    command = [sys.executable, *args] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app", *args]
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        # stdin is a pipe we never write to: when this process ends, however it ends, the pipe
        # closes and the sandbox stops (--exit-with-parent); no orphan server is left behind.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/fhir/metadata"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ComptoirError(_t("Le service bac à sable n'a pas démarré (voir {file})").format(file=log_file))
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop_sandbox(process)
    raise ComptoirError(_t("Le service bac à sable ne répond pas (voir {file})").format(file=log_file))


def stop_sandbox(process: subprocess.Popen) -> None:
    if process.stdin is not None:
        process.stdin.close()
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def demo_bundles() -> list[tuple[str, dict]]:
    """The demo prescriptions first (real 2022-06 BDPM CIP13s), then the ANS/HAS examples."""
    root = resource("demo")
    found = []
    for folder in (root, root.joinpath("has-eprescription")):
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".json"):
                found.append((item.name, json.loads(item.read_text(encoding="utf-8"))))
    return found


def _still_usable(db_url: str, numbers: dict[str, str]) -> dict[str, str]:
    """The seeded numbers that still exist in the sandbox, active and within validity."""
    from datetime import UTC, datetime

    from app.sandbox.models import StoredPrescription
    from app.sandbox.store import SandboxStore

    store = SandboxStore(db_url)
    today = datetime.now(UTC).date()
    try:
        with store.read() as session:
            return {name: number for name, number in numbers.items()
                    if (p := session.get(StoredPrescription, number)) is not None
                    and p.status == "active" and p.validity_end >= today}
    finally:
        store.close()


def seed(client: EPrescriptionClient, reader: EPrescriptionClient, db_url: str, state_file: Path, pdf_dir: Path,
         rpps: str | None = None) -> dict[str, str]:
    """Seed what is not seeded yet (as ``client``, a prescriber) and write every PDF missing
    (reading back with ``reader``, a pharmacy, what was seeded before); return {file name: number}."""
    rpps = rpps or demo_prescriber_rpps()
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {}
    seeded = _still_usable(db_url, state.get("seeded", {}))
    for name, bundle in demo_bundles():
        stem = name.removesuffix(".json")
        if name not in seeded:
            number, stored = client.submit_prescription(complete_bundle(bundle, prescriber_rpps=rpps))
            seeded[name] = number
            # Remembered before reading it back: a failure below must not seed it again next time.
            state_file.write_text(json.dumps({"seeded": seeded}, indent=2), encoding="utf-8")
            try:
                prescription = prescription_from_bundle(stored, number)
            except MalformedResponse as exc:
                raise ComptoirError(_t("Ordonnance de démonstration {name} créée ({number}) mais illisible en retour "
                                       "({error})").format(name=stem, number=number, error=error_text(exc)),
                                    detail=exc.detail) from exc
            write_prescription_form(prescription, pdf_dir / f"{stem}.pdf")
        elif not (pdf_dir / f"{stem}.pdf").exists():
            write_prescription_form(reader.fetch(seeded[name]), pdf_dir / f"{stem}.pdf")
    state_file.write_text(json.dumps({"seeded": seeded}, indent=2), encoding="utf-8")
    return seeded


DEMO_TEAM = (("Pharmacien démo", "titulaire", "2580"), ("Préparateur démo", "preparateur", "4826"))


def demo_team(settings) -> list[str]:
    """A titulaire and a préparateur to sign in with, created only in a database without any user (a
    pharmacy's team is never touched); returns what to print: who signs in with which PIN."""
    from app.domain.team import Role
    from app.storage.db import open_database
    from app.storage.ordonnancier_keying import Protection
    from app.storage.users import Team

    engine, factory = open_database(settings.db_url)
    try:
        team = Team(factory, Protection.from_settings(settings))
        if team.users(include_disabled=True):
            return [_t("Équipe : connectez-vous avec les utilisateurs de cette base (comptoir users list).")]
        (boss_name, _, boss_pin), (prep_name, prep_role, prep_pin) = DEMO_TEAM
        boss = team.create_first_titulaire(boss_name, settings.pharmacy.pharmacist_rpps, boss_pin)
        team.add_user(team.login(boss.id, boss_pin), prep_name, Role(prep_role), None, prep_pin)
        return [_t("Équipe de démonstration créée :"),
                "  " + _t("{name} (pharmacien titulaire) : PIN {pin}").format(name=boss_name, pin=boss_pin),
                "  " + _t("{name} (préparateur) : PIN {pin}").format(name=prep_name, pin=prep_pin)]
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    from app.logs import setup_logging

    settings = settings_from_args(args)
    setup_logging()
    db_url = sandbox_db(args)  # the server's default: "comptoir demo" needs the sandbox extra
    pdf_dir = data_dir() / "ordonnances-demo"
    port = free_port(args.port)
    process = start_sandbox(db_url, port, data_dir() / "sandbox.log")
    try:
        base_url = f"http://127.0.0.1:{port}/fhir"
        pharmacy = settings.pharmacy
        pharmacy_token = mint(db_url, "pharmacy", Rpps.parse(pharmacy.pharmacist_rpps), pharmacy.finess,
                              pharmacy.role if pharmacy.role in ("pharmacist", "preparer") else "pharmacist")
        with EPrescriptionClient(base_url, mint(db_url, "prescriber", demo_prescriber_rpps())) as client, \
                EPrescriptionClient(base_url, pharmacy_token) as reader:
            seeded = seed(client, reader, db_url, data_dir() / "demo-seed.json", pdf_dir)
        print(_t("Service bac à sable : {url}").format(url=base_url))
        print(_t("Ordonnances de démonstration (PDF avec QR code) : {folder}").format(folder=pdf_dir))
        for name, number in seeded.items():
            print(f"  {number}  {name.removesuffix('.json')}")
        if args.no_gui:
            return 0
        settings.service.base_url = base_url
        os.environ["COMPTOIR_SERVICE_TOKEN"] = pharmacy_token
        if args.workstations > 1:
            for line in demo_team(settings):
                print(line)
        from app.ui.main import run as run_ui  # Qt is imported only here

        return run_ui(settings, args.workstations)
    finally:
        stop_sandbox(process)
