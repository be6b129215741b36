"""Builds the desktop installer (PyInstaller, from packaging/).

Not built yet: the packaging issue will add the spec and the hooks. This script says so rather than
pretending to produce an installer.
"""

from __future__ import annotations

import sys


def main() -> int:
    print("build_installer: the installer is not built yet (packaging is a later issue).", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
