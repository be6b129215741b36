"""The first window imports only what it shows; the heavy stacks load after its first paint (issue 14).

Structural, not timed: a fresh interpreter opens the window through the real entry (``comptoir``, no
arguments), and the modules loaded — and the Qt types PySide has built — when it has been painted, before
the services start, are checked. The time itself is
benchmarks/counter.py's ("time to first window", a ratio against a bare PySide6 window).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.config import Settings
from app.ui.first_paint import real_entry_script
from app.ui.main import application, open_window
from app.ui.tasks import TaskRunner

ROOT = Path(__file__).resolve().parents[2]

# What the first screen ("ouverture de la base de données…") does not need.
HEAVY = (
    "cv2", "numpy", "zxingcpp", "pyzbar", "reportlab", "sqlalchemy", "alembic", "psycopg", "httpx",
    "keyring", "biip", "PySide6.QtPrintSupport", "PySide6.QtMultimedia", "app.storage", "app.catalogue",
    "app.printing", "app.scanning", "app.eprescription", "app.workflow", "app.ui.counter",
    "app.ui.catalogue_view", "app.ui.history_view", "app.ui.team", "app.ui.printing", "app.ui.scanner",
)
# Lighter, and deferred too (issue 14, the first window against a bare PySide6 one): the composition root
# and the self-test load when used; the log rotates without logging.handlers (socket, pickle, queue);
# an error report's modules and the dialogs load when needed.
DEFERRED = (
    "app.wiring", "app.cli.selftest", "app.ui.error_dialog", "app.ui.key_map_dialog", "logging.handlers",
    "socket", "pickle", "platform", "importlib.resources", "app.resources_path",
)
# Qt types PySide builds on first use: none the first paint does not show. ``Qt``, the namespace, builds
# ~90 enums at once; the status bar comes with the first background work, the dialogs when opened.
UNBUILT_TYPES = ("QtCore.Qt", "QtWidgets.QStatusBar", "QtWidgets.QProgressDialog", "QtWidgets.QDialog",
                 "QtWidgets.QTableWidget", "QtWidgets.QPlainTextEdit")

# Run through the real entry (app.ui.first_paint); prints what was loaded and built, then exits.
PROBE = """
def at_first_paint(window):
    import json, os, sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6 import QtCore, QtWidgets

    class Painted(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                modules = {"QtCore": QtCore, "QtWidgets": QtWidgets}
                built = [name for name in UNBUILT
                         if name.split(".")[1] in modules[name.split(".")[0]].__dict__]
                print(json.dumps({"modules": sorted(sys.modules), "built": built}), flush=True)
                os._exit(0)
            return False

    window.installEventFilter(Painted(window))
""".replace("UNBUILT", repr(UNBUILT_TYPES))


def at_first_paint(tmp_path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMPTOIR_DATA_DIR=str(tmp_path / "data"),
               COMPTOIR_CONFIG_DIR=str(tmp_path / "config"), COMPTOIR_LOG_DIR=str(tmp_path / "log"),
               COMPTOIR_DB_URL=f"sqlite:///{tmp_path / 'first.sqlite3'}")
    done = subprocess.run([sys.executable, "-c", real_entry_script(PROBE)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_the_first_paint_loads_no_heavy_stack(tmp_path):
    painted = at_first_paint(tmp_path)
    modules = painted["modules"]
    assert "PySide6.QtWidgets" in modules and "app.ui.main_window" in modules  # the probe saw the window
    assert "app.config" in modules and "app.ui.error_reporter" in modules  # through the real entry
    assert loaded(modules, HEAVY) == []


def test_the_first_paint_defers_what_it_does_not_show(tmp_path):
    painted = at_first_paint(tmp_path)
    assert loaded(painted["modules"], DEFERRED) == []
    assert painted["built"] == []


def test_what_the_first_paint_deferred_still_comes(qtbot, tmp_path):
    """The busy bar once the runner works, the progress dialog at the first catalogue progress, F1's
    dialog and an error's dialog (test_error_dialog.py) when asked for."""
    from PySide6.QtWidgets import QProgressDialog

    from app.ui.main import CatalogueProgress
    from app.ui.main_window import MainWindow

    application()
    runner = TaskRunner()
    window = MainWindow(Settings(), runner)
    qtbot.addWidget(window)
    assert window.busy_bar is None and window.findChild(QProgressDialog) is None
    runner.busy_changed.emit(True)
    assert window.busy_bar is not None and window.busy_bar.isVisibleTo(window)
    runner.busy_changed.emit(False)
    assert not window.busy_bar.isVisibleTo(window)
    progress = CatalogueProgress(window)
    progress.close()  # nothing to close yet: no dialog was built
    progress.update(3, 10, "Import des présentations…")
    assert isinstance(progress.dialog, QProgressDialog) and progress.dialog.labelText() == "Import des présentations…"
    progress.close()
    window.show_keys()
    assert window.keymap_dialog is not None and window.keymap_dialog.table.rowCount() >= 5


def test_the_services_open_after_the_first_paint(qtbot, tmp_path):
    settings = Settings()
    settings.database.url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    application()
    runner = TaskRunner()
    window, _startup = open_window(settings, runner)
    qtbot.addWidget(window)
    assert not runner.busy and window.services is None  # nothing started before the event loop paints
    qtbot.waitUntil(lambda: window.services is not None, timeout=60000)
    runner.wait_idle()
    window.close()
