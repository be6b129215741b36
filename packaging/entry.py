"""The frozen app's entry point (PyInstaller runs this file): the same ``main`` as ``comptoir``."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
