"""pyzbar, the second barcode decoder, drives the native libzbar through ctypes.

Windows: the pyzbar wheel carries libzbar-64.dll and libiconv.dll in its package folder; they are
collected there, where pyzbar looks for them. Linux: the system's libzbar.so.0, where the build
machine has it, goes into the app's folder (with what it links to, found by PyInstaller), and the
runtime hook pyi_rth_zbar.py points pyzbar at it. Where there is none, the app works without the
second decoder (``comptoir --self-test`` says it is absent).
"""

import shutil
import subprocess
import sys

from PyInstaller.utils.hooks import collect_dynamic_libs


def _system_zbar() -> str | None:
    """The path of the system's libzbar.so.0, as the dynamic linker's cache names it."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        cache = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in cache.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.startswith("libzbar.so.0 ") and path:
            return path.strip()
    return None


binaries = collect_dynamic_libs("pyzbar")
if sys.platform.startswith("linux") and (zbar := _system_zbar()):
    binaries.append((zbar, "."))
