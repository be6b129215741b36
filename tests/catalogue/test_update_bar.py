"""The window's offer of a catalogue update: shown when the catalogue is over 30 days old, the update
run off the GUI thread from a local HTTP server, confirmed on its report; a failure changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

pytest.importorskip("PySide6.QtWidgets")

from app.catalogue import Catalogue, import_release  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.storage.db import open_database  # noqa: E402
from app.ui.catalogue_update import CatalogueUpdateBar  # noqa: E402
from app.ui.tasks import TaskRunner  # noqa: E402
from tests.catalogue.bdpm_server import BdpmServer, Published  # noqa: E402
from tests.catalogue.conftest import RELEASE_2026, SLICE_CIS, make_slice  # noqa: E402

ANASTROZOLE = "3400949497294"


@pytest.fixture
def slice_db(small_release, sqlite_url):
    engine, factory = open_database(sqlite_url)
    import_release(factory, small_release, release="2022-06")
    yield factory
    engine.dispose()


@pytest.fixture
def served(tmp_path):
    published = Published(make_slice(RELEASE_2026, tmp_path / "served" / "2026-05", SLICE_CIS))
    with BdpmServer(published) as server:
        yield server, published


def _bar(qtbot, factory, base, answers: list[str]):
    runner = TaskRunner()
    settings = load_settings()

    def confirm(text: str) -> bool:
        answers.append(text)
        return True

    bar = CatalogueUpdateBar(factory, settings, runner, source=base, confirm=confirm)
    qtbot.addWidget(bar)
    return bar, runner


def test_an_old_catalogue_is_offered_an_update_that_runs_off_the_gui_thread(qtbot, slice_db, served):
    server, _published = served
    answers: list[str] = []
    bar, runner = _bar(qtbot, slice_db, server.base("2026-05"), answers)
    bar.check_age(today=date(2022, 6, 20))
    runner.wait_idle()
    assert not bar.isVisibleTo(None) and not bar.message_label.text()  # 19 days old: nothing offered

    bar.check_age(today=date(2026, 11, 29))
    qtbot.waitUntil(lambda: bar.message_label.text() != "", timeout=10000)
    assert "BDPM 2022-06" in bar.message_label.text() and "1642 jours" in bar.message_label.text()

    with qtbot.waitSignal(bar.finished, timeout=60000) as done:
        bar.update_button.click()
    assert done.args == [True]
    [report] = answers  # the pharmacist confirmed on the report
    assert "Mise à jour BDPM 2026-05 vérifiée" in report and "Changements de prix" in report
    assert "30,36 € → 24,34 €" in report
    assert bar.message_label.text() == "Catalogue mis à jour : BDPM 2026-05."
    catalogue = Catalogue(slice_db)
    assert catalogue.release() == "2026-05" and catalogue.by_cip13(ANASTROZOLE).price == Decimal("24.34")


def test_a_failed_update_says_why_and_changes_nothing(qtbot, slice_db, served):
    server, published = served
    published.replace = {"CIS_bdpm.txt": b"<html><body>Service indisponible</body></html>"}
    answers: list[str] = []
    bar, _runner = _bar(qtbot, slice_db, server.base("2026-05"), answers)
    with qtbot.waitSignal(bar.finished, timeout=60000) as done:
        bar.update_button.click()
    assert done.args == [False] and answers == []
    assert "page web au lieu du fichier CIS_bdpm.txt" in bar.message_label.text()
    assert bar.update_button.isEnabled() and bar.update_button.text() == "Réessayer"
    assert Catalogue(slice_db).release() == "2022-06"
