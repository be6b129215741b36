"""Before Qt starts on a Linux desktop: are the X11 libraries its xcb plugin needs installed?

Without them Qt aborts from C++ with an English message about "platform plugins" that tells a
pharmacy nothing; this check names the Debian/Ubuntu packages instead, in French.
"""

from __future__ import annotations

import os
import sys

# Libraries PySide6's xcb platform plugin loads that desktop installs may lack, with their packages.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
}


def uses_xcb(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    requested = env.get("QT_QPA_PLATFORM", "")
    if requested:
        return requested.split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_xcb_packages(find=None) -> list[str]:
    if find is None:
        import ctypes.util  # only where the window opens on X11

        find = ctypes.util.find_library
    return [package for library, package in XCB_LIBRARIES.items() if find(library) is None]


def has_display(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """False on Linux when no graphical session is reachable (SSH, a service) and no platform is forced."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return True
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def check_display() -> str | None:
    """A French message when the window cannot open on this machine, else None."""
    if not has_display():
        return ("Aucun affichage graphique : lancez Comptoir depuis une session de bureau "
                "(ni DISPLAY ni WAYLAND_DISPLAY ne sont définies).")
    if not uses_xcb():
        return None
    missing = missing_xcb_packages()
    if not missing:
        return None
    return ("Impossible d'ouvrir la fenêtre : bibliothèques X11 manquantes pour Qt. "
            f"Installez-les avec : sudo apt-get install {' '.join(missing)}")
