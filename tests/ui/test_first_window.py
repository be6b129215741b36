"""The first window imports only what it shows; the heavy stacks load after its first paint (issue 14).

Structural, not timed: a fresh interpreter opens the window as ``comptoir gui`` does, and the modules
loaded when it has been painted — before the services start — are checked. The time itself is
benchmarks/counter.py's ("time to first window", a ratio against a bare PySide6 window).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from app.config import Settings
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

FIRST_PAINT = """
import json, sys
from PySide6.QtCore import QEvent, QObject
from app.config import load_settings
from app.ui.main import application, open_window
from app.ui.tasks import TaskRunner

settings = load_settings()
app = application(settings.ui.language)
runner = TaskRunner(app)
painted = []

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not painted:
            painted.append(sorted(sys.modules))
        return False

spy = Painted()
app.installEventFilter(spy)  # before open_window: sees the window's first paint
window, startup = open_window(settings, runner)
while not painted:
    app.processEvents()
app.removeEventFilter(spy)
print(json.dumps(painted[0]))
"""


def loaded_at_first_paint(tmp_path: Path) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMPTOIR_DATA_DIR=str(tmp_path / "data"),
               COMPTOIR_CONFIG_DIR=str(tmp_path / "config"), COMPTOIR_LOG_DIR=str(tmp_path / "log"),
               COMPTOIR_DB_URL=f"sqlite:///{tmp_path / 'first.sqlite3'}")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(FIRST_PAINT)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_first_paint_loads_no_heavy_stack(tmp_path):
    loaded = loaded_at_first_paint(tmp_path)
    assert "PySide6.QtWidgets" in loaded and "app.ui.main_window" in loaded  # the probe saw the window
    heavy = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []


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
