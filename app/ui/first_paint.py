"""The child script that opens the window through the real entry and hands its main window to a probe.

Why here: benchmarks/counter.py times the first window this way and tests/ui/test_first_window.py
checks what it loaded at its first paint; both must start the app exactly as the ``comptoir`` command
does (``app.cli:main``, no arguments: the window), not through a path of their own. The probe is an
import hook: it wraps ``app.ui.main.open_window`` when the app itself imports that module, so nothing
is imported earlier or in another order than in a real start.
"""

from __future__ import annotations

import textwrap

_WATCH_AND_START = """
import sys

class WatchWindow:
    def find_spec(self, name, path=None, target=None):
        if name != "app.ui.main":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            opened = module.open_window

            def open_window(*args, **kwargs):
                window, startup = opened(*args, **kwargs)
                at_first_paint(window)
                return window, startup

            module.open_window = open_window

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, WatchWindow())
from app.cli import main
sys.argv[:] = ["comptoir"]
sys.exit(main())
"""


def real_entry_script(probe: str) -> str:
    """A script for ``python -c``: ``probe`` (Python source defining ``at_first_paint(window)``, called
    with the main window as ``open_window`` returns it — shown, not yet painted; the probe imports
    nothing at its top level), then the app started as the ``comptoir`` command starts it."""
    return textwrap.dedent(probe) + _WATCH_AND_START
