"""The window of issue 2: it opens at once, the database opens behind it, the catalogue search works."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.config import Settings
from app.ui.main import application, open_window
from app.ui.tasks import TaskRunner


def _open(qtbot, url):
    settings = Settings()
    settings.database.url = url
    runner = TaskRunner()
    window, _startup = open_window(settings, runner)
    qtbot.addWidget(window)
    return window, runner


def test_window_opens_then_searches_the_real_catalogue(qtbot, catalogue_url):
    application("fr")
    window, runner = _open(qtbot, catalogue_url)
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.catalogue_search is not None, timeout=20000)
    search = window.catalogue_search
    search.query_edit.setText("doliprane 1000")
    search.search_now()
    qtbot.waitUntil(lambda: search.results_model.rowCount() > 0, timeout=5000)
    names = [p.name for p in search.results_model.rows]
    assert any(n.startswith("DOLIPRANE 1000 mg") for n in names)
    search.query_edit.setText("3400935955838")
    search.search_now()
    qtbot.waitUntil(lambda: [p.cip13 for p in search.results_model.rows] == ["3400935955838"], timeout=5000)
    # F1: the keyboard map, read from the screens as they are (issue 14)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(search.query_edit, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.keymap_dialog is not None and window.keymap_dialog.isVisible(), timeout=5000)
    table = window.keymap_dialog.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    assert ("F3", "Catalogue") in rows and ("F4", "Historique") in rows
    assert any(key == "Ctrl+M" for key, _action in rows)  # the history's reprint, from the history itself
    window.keymap_dialog.close()
    runner.wait_idle()
    window.close()


def test_first_start_imports_the_catalogue(qtbot, tmp_path):
    settings = Settings()
    settings.database.url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    runner = TaskRunner()
    window, startup = open_window(settings, runner)
    qtbot.addWidget(window)
    steps = []
    startup.progress.connect(lambda done, total, message: steps.append((done, total, message)))
    qtbot.waitUntil(lambda: window.services is not None, timeout=60000)
    assert steps and steps[-1][0] == steps[-1][1]  # the progress dialog was fed up to the end
    assert window.services.catalogue.by_cip13("3400935955838").name == "DOLIPRANE 1000 mg, comprimé"
    runner.wait_idle()
    window.close()


def test_an_unusable_database_is_said_in_french(qtbot, tmp_path):
    window, runner = _open(qtbot, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    qtbot.waitUntil(lambda: window.centralWidget().objectName() == "fatal_label", timeout=20000)
    assert "ne peut pas démarrer" in window.centralWidget().text()
    runner.wait_idle()


def test_unreachable_service_is_said_next_to_the_number(qtbot, catalogue_url, monkeypatch):
    from app.domain.identifiers import OrdonnanceNumber

    monkeypatch.setenv("COMPTOIR_SERVICE_TOKEN", "nobody")
    settings = Settings()
    settings.database.url = catalogue_url
    settings.service.base_url = "http://127.0.0.1:9/fhir"  # nothing listens there
    runner = TaskRunner()
    window, _ = open_window(settings, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.counter is not None, timeout=20000)
    waiting = window.counter.waiting
    number = OrdonnanceNumber.issue("0123456789ABCDEFGHJ")
    window.counter.on_ordonnance_scanned(number)  # scanned: the field was empty
    assert waiting.status_label.text().startswith("Recherche de l'ordonnance")
    # issue 14 point 1: what happened (nothing fetched, nothing delivered), the number kept, a retry
    qtbot.waitUntil(lambda: waiting.retry_button.isVisible(), timeout=30000)
    assert "n'a pas pu être récupérée" in waiting.error_label.text()
    assert "transmise plus tard" not in waiting.error_label.text()
    assert waiting.number_edit.text() == OrdonnanceNumber.parse(number).grouped()
    assert "F5" in waiting.retry_button.text()
    assert window.counter.pages.currentWidget() is waiting
    runner.wait_idle()
    window.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    with qtbot.waitSignal(waiting.retry_requested, timeout=2000) as retried:
        qtbot.keyClick(waiting.number_edit, Qt.Key.Key_F5)
    assert retried.args == [waiting.number_edit.text()]
    assert not waiting.retry_button.isVisible()  # fetching again
    qtbot.waitUntil(lambda: waiting.retry_button.isVisible(), timeout=30000)
    runner.wait_idle()
    window.close()


def test_close_down_takes_every_qt_object_down_before_the_application(qtbot, catalogue_url):
    """What the app and the benchmark do at exit: no filter, window or pool left for the final GC."""
    import shiboken6

    from app.ui.main import close_down

    application("fr")
    window, runner = _open(qtbot, catalogue_url)
    qtbot.waitUntil(lambda: window.counter is not None, timeout=20000)
    wedge = window.counter.scanner.wedge
    close_down(window, runner)
    # deleted now, while the QApplication lives, not by the interpreter's last garbage collection
    assert not shiboken6.isValid(window) and not shiboken6.isValid(runner)
    assert not shiboken6.isValid(wedge)
