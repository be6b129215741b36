"""``comptoir --version`` and ``comptoir --self-test``: what an installed (or frozen) app proves about
itself, without network and without touching the user's data.

The self-test runs, offscreen and in a temporary folder, each thing a pharmacy's installation needs
and that packaging could break (a data file or a native library left out, a Qt plugin missing):

1. the main window opens (its line is printed the moment it is painted: benchmarks/installer.py
   times it), and its real start-up (migrations, first import of the bundled catalogue) builds the
   screens;
2. the temporary database is at the latest schema (every Alembic head);
3. the bundled catalogue answers: the box of the DataMatrix below is found by its CIP13;
4. the QR code of an ordonnance, an image shipped with the app, is read (zxing-cpp, OpenCV) and
   classified as the expected number;
5. the GS1 DataMatrix of a box, shipped likewise, gives the expected CIP13, expiry, lot and serial;
6. the second decoder (pyzbar over libzbar) reads the QR code, where libzbar is present (its absence
   is said, not counted as a failure: zxing-cpp is the scanner's decoder);
7. the mentions of a specimen delivery render to a PDF that reads back with the ordonnance number.

One line per check, French (``--lang en`` or the setting ``ui.language``: English, from the same
catalogue as the UI), then a summary; exit 0 only when every check
passed. The two images are made by ``packaging/selftest_images.py`` from the constants below.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import app
from app import i18n
from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.i18n import _t

# What the shipped images hold (packaging/selftest_images.py draws them from these).
QR_IMAGE = ("selftest", "ordonnance-qr.png")
DATAMATRIX_IMAGE = ("selftest", "boite-datamatrix.png")
QR_NUMBER = OrdonnanceNumber.issue("C0MPT01RAVT0TE5T0K1")
BOX = {"cip13": "3400949497294", "expiry": "2031-12-31", "lot": "AUTOTEST1", "serial": "CPT0000000001"}
BOX_NAME_STARTS = "ANASTROZOLE"  # the speciality of BOX's CIP13 in the BDPM

WINDOW_TIMEOUT_S = 300.0  # the first catalogue import takes seconds on a slow machine, never minutes


def _texts() -> dict[str, str]:
    """The report's words in the language in use (``lupdate`` reads each ``_t``)."""
    return {
        "title": _t("Comptoir {version} — autotest"),
        "line": _t("{status:<6} {check} : {detail}"),
        "ok": _t("OK"),
        "failed": _t("ÉCHEC"),
        "absent": _t("ABSENT"),
        "window": _t("Fenêtre principale"),
        "window_ok": _t("affichée en {shown} s"),
        "screens": _t("Écrans du comptoir"),
        "screens_ok": _t("prêts en {ready} s ({tabs})"),
        "database": _t("Base de données temporaire"),
        "database_ok": _t("créée et migrée (révision {revisions})"),
        "database_behind": _t("révision {revisions} au lieu de {heads}"),
        "catalogue": _t("Catalogue"),
        "catalogue_ok": _t("BDPM {release} chargée, {cip13} : {name}"),
        "catalogue_missing": _t("BDPM {release} chargée, mais {cip13} introuvable"),
        "qr": _t("QR code d'ordonnance"),
        "qr_ok": _t("{number} lu (zxing-cpp)"),
        "datamatrix": _t("DataMatrix GS1 d'une boîte"),
        "datamatrix_ok": _t("CIP13 {cip13}, péremption {expiry}, lot {lot}, série {serial}"),
        "read_wrong": _t("lu « {got} » au lieu de « {expected} »"),
        "read_none": _t("aucun code lu dans {image}"),
        "pyzbar": _t("Second décodeur (pyzbar)"),
        "pyzbar_ok": _t("QR code lu ({number})"),
        "pyzbar_absent": _t("libzbar absente : seul zxing-cpp lit les codes"),
        "pdf": _t("PDF des mentions"),
        "pdf_ok": _t("{pages} page {paper}, numéro {number} et pharmacie lus dans le PDF"),
        "pdf_wrong": _t("le PDF ne contient pas « {missing} »"),
        "summary_ok": _t("Autotest réussi : {passed} contrôles sur {total}"),
        "summary_failed": _t("Autotest en échec : {failed} contrôle(s) sur {total}"),
        "unexpected": _t("erreur inattendue : {error}"),
        "window_not_shown": _t("fenêtre non affichée"),
    }


@dataclass
class Outcome:
    ok: bool | None  # None: absent, said but not a failure
    detail: str


class Report:
    """Prints a line per check as it completes (flushed: the installer benchmark reads them live)."""

    def __init__(self, language: str, printer: Callable[[str], None] = print) -> None:
        with i18n.using(language):
            self.text = _texts()
        self.printer = printer
        self.outcomes: list[Outcome] = []

    def t(self, key: str, **values: object) -> str:
        return self.text[key].format(**values)

    def add(self, check: str, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        status = {True: "ok", False: "failed", None: "absent"}[outcome.ok]
        self.printer(self.t("line", status=self.t(status), check=self.t(check), detail=outcome.detail))

    def run(self, check: str, body: Callable[[], Outcome]) -> Outcome | None:
        """Run one check; an error of any kind is that check's failure, never the end of the test."""
        try:
            outcome = body()
        except ComptoirError as exc:
            outcome = Outcome(False, i18n.error_text(exc))
        except Exception as exc:  # noqa: BLE001 - a self-test reports whatever broke
            outcome = Outcome(False, self.t("unexpected", error=f"{type(exc).__name__}: {exc}"))
        self.add(check, outcome)
        return outcome

    def exit_code(self) -> int:
        failed = sum(1 for o in self.outcomes if o.ok is False)
        total = len(self.outcomes)
        if failed:
            self.printer(self.t("summary_failed", failed=failed, total=total))
            return 1
        self.printer(self.t("summary_ok", passed=sum(1 for o in self.outcomes if o.ok), total=total))
        return 0


def _seconds(value: float, language: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "fr" else text


def self_test_settings(folder: Path, language: str):
    """Settings that keep everything in ``folder``: database, PDFs; a service nobody listens to."""
    from app.config import Settings

    settings = Settings()
    settings.database.url = f"sqlite:///{folder / 'autotest.sqlite3'}"
    settings.printer.pdf_dir = str(folder / "pdf")
    settings.service.base_url = "http://127.0.0.1:9/fhir"  # loopback discard port: never the network
    settings.ui.language = language
    return settings


def check_window(report: Report, settings, language: str) -> Outcome:
    """The window's line is added when it is painted; the screens' line is what this returns."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.ui.selftest import open_main_window  # Qt is imported only here

    def shown(seconds: float, visible: bool) -> None:
        report.add("window", Outcome(True, report.t("window_ok", shown=_seconds(seconds, language))) if visible
                   else Outcome(False, report.t("window_not_shown")))

    result = open_main_window(settings, WINDOW_TIMEOUT_S, on_shown=shown)
    if result.shown_s is None:
        report.add("window", Outcome(False, result.error or report.t("window_not_shown")))
    if result.error is not None:
        return Outcome(False, result.error)
    return Outcome(True, report.t("screens_ok", ready=_seconds(result.ready_s, language), tabs=", ".join(result.tabs)))


def check_database(report: Report, url: str) -> Outcome:
    import sqlalchemy as sa
    from alembic.script import ScriptDirectory

    from app.storage.db import alembic_config, open_database

    engine, _factory = open_database(url)  # migrates what the window's start-up did not
    try:
        with engine.connect() as conn:
            revisions = (sorted(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
                         if sa.inspect(conn).has_table("alembic_version") else [])
        heads = sorted(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    finally:
        engine.dispose()
    if revisions != heads:
        return Outcome(False, report.t("database_behind", revisions=", ".join(revisions) or "-", heads=", ".join(heads)))
    return Outcome(True, report.t("database_ok", revisions=", ".join(revisions)))


def check_catalogue(report: Report, url: str) -> Outcome:
    from app.catalogue import BUNDLED_RELEASE, Catalogue, ensure_bundled_catalogue
    from app.storage.db import open_database

    engine, factory = open_database(url)
    try:
        ensure_bundled_catalogue(factory)  # already done by the window's start-up, unless it failed
        catalogue = Catalogue(factory)
        release = catalogue.release() or BUNDLED_RELEASE
        box = catalogue.by_cip13(BOX["cip13"])
    finally:
        engine.dispose()
    if box is None or not box.name.startswith(BOX_NAME_STARTS):
        return Outcome(False, report.t("catalogue_missing", release=release, cip13=BOX["cip13"]))
    return Outcome(True, report.t("catalogue_ok", release=release, cip13=BOX["cip13"], name=box.name))


def _read(image: tuple[str, str], backend: str):
    """The classified symbols the scanner would read in a shipped image."""
    from app.resources_path import resource_path
    from app.scanning.classify import classify
    from app.scanning.decoders import get_decoder
    from app.scanning.files import iter_frames

    decoder = get_decoder(backend)
    return [classify(symbol.text, symbol.aim or symbol.format)
            for _, frame in iter_frames(resource_path(*image)) for symbol in decoder.decode(frame)]


def _compare(report: Report, image: tuple[str, str], got: list, expected: dict[str, str]) -> Outcome | None:
    """None when one symbol was read with ``expected`` fields; else the failure saying what was read."""
    if not got:
        return Outcome(False, report.t("read_none", image="/".join(image)))
    fields = {key: got[0].fields.get(key) for key in expected}
    if len(got) != 1 or fields != expected:
        shown = "; ".join(f"{r.kind.value} {r.fields or r.message}" for r in got)
        return Outcome(False, report.t("read_wrong", got=shown, expected=expected))
    return None


def check_qr(report: Report, backend: str = "zxing") -> Outcome:
    got = _read(QR_IMAGE, backend)
    wrong = _compare(report, QR_IMAGE, got, {"number": str(QR_NUMBER)})
    return wrong or Outcome(True, report.t("qr_ok" if backend == "zxing" else "pyzbar_ok", number=QR_NUMBER.grouped()))


def check_datamatrix(report: Report) -> Outcome:
    got = _read(DATAMATRIX_IMAGE, "zxing")
    return _compare(report, DATAMATRIX_IMAGE, got, BOX) or Outcome(True, report.t("datamatrix_ok", **BOX))


def check_pyzbar(report: Report) -> Outcome:
    from app.scanning.decoders import PyzbarDecoder
    from app.scanning.errors import BackendUnavailable

    try:
        PyzbarDecoder()
    except BackendUnavailable:
        return Outcome(None, report.t("pyzbar_absent"))
    return check_qr(report, "pyzbar")


def check_pdf(report: Report, settings, folder: Path) -> Outcome:
    import pypdfium2 as pdfium

    from app.printing import render_delivery_notes
    from app.printing.specimen import SPECIMEN_NUMBER, specimen_delivery

    delivery = specimen_delivery(3)
    path = folder / "mentions.pdf"
    render_delivery_notes(delivery, settings.printer, path)
    document = pdfium.PdfDocument(str(path))
    try:
        pages = len(document)
        width, height = document[0].get_size()
        text = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(pages))
    finally:
        document.close()
    for expected in (SPECIMEN_NUMBER.grouped(), delivery.pharmacy.name):
        if expected not in text:
            return Outcome(False, report.t("pdf_wrong", missing=expected))
    paper = f"{round(width / 72 * 25.4)} × {round(height / 72 * 25.4)} mm"
    return Outcome(True, report.t("pdf_ok", pages=pages, paper=paper, number=SPECIMEN_NUMBER.grouped()))


def run(args: argparse.Namespace) -> int:
    language = i18n.language()
    report = Report(language, lambda line: print(line, flush=True))
    report.printer(report.t("title", version=app.__version__))
    # No keyring lookup (a headless machine may have none) and no token: the service is never called.
    os.environ["COMPTOIR_SERVICE_TOKEN"] = "autotest"
    with tempfile.TemporaryDirectory(prefix="comptoir-autotest-") as tmp:
        folder = Path(tmp)
        settings = self_test_settings(folder, language)
        report.run("screens", lambda: check_window(report, settings, language))
        report.run("database", lambda: check_database(report, settings.db_url))
        report.run("catalogue", lambda: check_catalogue(report, settings.db_url))
        report.run("qr", lambda: check_qr(report))
        report.run("datamatrix", lambda: check_datamatrix(report))
        report.run("pyzbar", lambda: check_pyzbar(report))
        report.run("pdf", lambda: check_pdf(report, settings, folder))
    return report.exit_code()
