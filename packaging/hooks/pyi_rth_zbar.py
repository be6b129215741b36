"""Runtime hook: pyzbar finds libzbar with ``ctypes.util.find_library("zbar")``, which searches the
system only; in the frozen app it must find the copy shipped in the app's folder first."""


def _use_bundled_zbar() -> None:
    import ctypes.util
    import os
    import sys

    bundled = os.path.join(sys._MEIPASS, "libzbar.so.0")
    if not os.path.exists(bundled):
        return
    system_find = ctypes.util.find_library

    def find_library(name: str):
        return bundled if name == "zbar" else system_find(name)

    ctypes.util.find_library = find_library


_use_bundled_zbar()
