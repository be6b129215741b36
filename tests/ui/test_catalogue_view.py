"""The catalogue search screen: type as you go, results table, generic group of the selection."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from app.ui.catalogue_view import CatalogueSearch
from app.ui.tasks import TaskRunner
from tests.ui.fakes import DOLIPRANE, FakeCatalogue


def _screen(qtbot, catalogue):
    runner = TaskRunner()
    screen = CatalogueSearch(catalogue, runner)
    qtbot.addWidget(screen)
    return screen, runner


def test_typing_searches_after_a_pause_and_shows_the_group(qtbot):
    catalogue = FakeCatalogue()
    screen, runner = _screen(qtbot, catalogue)
    qtbot.keyClicks(screen.query_edit, "doli")
    qtbot.waitUntil(lambda: screen.results_model.rowCount() == 1)
    assert catalogue.queries == ["doli"]  # one query for the whole word, not one per key
    model = screen.results_model
    assert model.data(model.index(0, 0)) == "DOLIPRANE 1000 mg, comprimé"
    assert model.data(model.index(0, 3)) == "2,18 €"
    assert model.data(model.index(0, 4)) == "65 %"
    qtbot.waitUntil(lambda: screen.group_model.rowCount() == 2)
    assert "PARACETAMOL 1000 mg" in screen.group_label.text()
    assert screen.group_model.data(screen.group_model.index(0, 0)) == "Princeps"


def test_exact_code_and_no_result(qtbot):
    screen, _ = _screen(qtbot, FakeCatalogue())
    screen.query_edit.setText(DOLIPRANE.cip13)
    screen.search_now()
    qtbot.waitUntil(lambda: screen.results_model.rowCount() == 1)
    screen.query_edit.setText("zzzz")
    screen.search_now()
    qtbot.waitUntil(lambda: screen.status_label.text() == "Aucune présentation trouvée.")
    assert screen.results_model.rowCount() == 0


def test_enter_chooses_the_current_result(qtbot):
    screen, _ = _screen(qtbot, FakeCatalogue())
    screen.query_edit.setText("paracetamol")
    screen.search_now()
    qtbot.waitUntil(lambda: screen.results_model.rowCount() == 1)
    with qtbot.waitSignal(screen.presentation_chosen) as blocker:
        qtbot.keyClick(screen.query_edit, Qt.Key.Key_Return)
    assert blocker.args[0].name.startswith("PARACETAMOL")


def test_a_failing_catalogue_shows_a_french_message(qtbot):
    class Broken(FakeCatalogue):
        def find(self, query, limit=50):
            raise RuntimeError("disk on fire")

    screen, _ = _screen(qtbot, Broken())
    screen.query_edit.setText("doli")
    screen.search_now()
    qtbot.waitUntil(lambda: "inattendue" in screen.status_label.text())


def test_prices_sort_as_numbers_and_the_name_gets_the_room(qtbot, catalogue_url):
    """Issue 14 point 9: a click on « Prix » sorts 2,18 € before 10 € before 100 € (no price last);
    the (often empty) Conditions column is not the widest."""
    from app.catalogue import Catalogue
    from app.storage.db import open_database
    from app.ui.models import SORT_ROLE

    engine, factory = open_database(catalogue_url)
    screen, runner = _screen(qtbot, Catalogue(factory))
    screen.resize(1280, 700)
    screen.show()
    screen.query_edit.setText("paracetamol")
    screen.search_now()
    qtbot.waitUntil(lambda: screen.results_model.rowCount() > 5 and not runner.busy, timeout=10000)
    model = screen.results_model
    header = screen.results_view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(3) + 5, header.height() // 2))
    prices = [model.data(model.index(row, 3), SORT_ROLE) for row in range(model.rowCount())]
    known = [p for p in prices if p is not None]
    assert len(set(known)) > 2 and known == sorted(known)
    assert prices[: len(known)] == known  # those without a price come last
    assert header.sectionSize(5) < header.sectionSize(0)
    runner.wait_idle()
    engine.dispose()


def test_a_label_glued_in_the_bdpm_is_split_on_screen_and_in_the_command_line(catalogue_url, capsys):
    from app.catalogue import Catalogue
    from app.cli import main
    from app.storage.db import open_database

    engine, factory = open_database(catalogue_url)
    (p,) = Catalogue(factory).find("3022961", 5)
    assert p.label.startswith("8 sachets polytéréphtalate (PET)")
    engine.dispose()
    assert main(["catalogue", "find", "3022961", "--db", catalogue_url]) == 0
    out = capsys.readouterr().out
    assert "sachetspoly" not in out and "8 sachet" in out
