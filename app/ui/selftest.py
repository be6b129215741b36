"""The window part of ``comptoir --self-test`` (app/cli/selftest.py): the real main window, opened on
the given settings exactly as ``comptoir`` opens it, until its screens are built (the start-up has
migrated the database and imported the catalogue on the database worker), then taken down in order.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QTimer

from app.config import Settings
from app.ui.main import application, close_down, open_window, release_application
from app.ui.tasks import TaskRunner


@dataclass
class WindowResult:
    shown_s: float | None = None  # from the call to the window painted (None: never painted)
    ready_s: float = 0.0  # from the call to the screens built
    tabs: list[str] = field(default_factory=list)
    error: str | None = None  # French, as the window would show it


def open_main_window(settings: Settings, timeout_s: float,
                     on_shown: Callable[[float, bool], None] | None = None) -> WindowResult:
    """Open, wait for the screens (at most ``timeout_s``), close. ``on_shown(seconds, visible)`` is
    called on the GUI thread the moment the window is painted."""
    started = time.perf_counter()
    result = WindowResult()
    app = application(settings.ui.language)
    runner = TaskRunner(app)
    window, startup = open_window(settings, runner)
    painted = weakref.ref(window)  # the handlers must not keep the window alive past close_down

    def shown() -> None:
        result.shown_s = time.perf_counter() - started
        visible = painted().isVisible()
        if on_shown is not None:
            on_shown(result.shown_s, visible)
        if not visible:
            result.error = "fenêtre non affichée"
            app.quit()

    def ready(_services) -> None:  # connected after the window's own handler: the screens are built
        result.ready_s = time.perf_counter() - started
        app.quit()

    def failed(message: str) -> None:
        result.error = message
        app.quit()

    def too_long() -> None:
        result.error = f"écrans non prêts après {timeout_s:.0f} s"
        app.quit()

    QTimer.singleShot(0, shown)
    startup.ready.connect(ready)
    startup.failed.connect(failed)
    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.timeout.connect(too_long)
    timer.start(int(timeout_s * 1000))
    app.exec()
    timer.stop()
    result.tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    if result.error is None and not result.tabs:
        result.error = "aucun écran construit"
    close_down(window, runner)
    del window, runner, startup
    release_application()
    return result
