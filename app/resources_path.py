"""Where the files Comptoir ships are found: the one way every module reaches them.

The data (BDPM catalogue, demo prescriptions, translations) lives in the top-level ``resources/``
folder of the source tree. The build installs that folder as the package ``app.resources`` (setup.py
maps it; the PyInstaller spec collects it at ``app/resources`` inside the frozen app), and Alembic's
``migrations/`` folder ships inside ``app.storage``. So:

- installed from a wheel, editable, or frozen: ``importlib.resources.files("app.resources")``;
- a checkout run without any install (``PYTHONPATH=.``): ``app.resources`` does not exist, and the
  ``resources/`` folder beside ``app/`` is used.

Never the working directory. APIs that need a real file-system path (Qt's translator, Alembic's
script location) get one through :func:`resource_path` / :func:`package_path`, which go through
``importlib.resources.as_file``: the file itself whenever the package is on disk (every supported
layout), else a copy extracted for the life of the process.

Standard library only: any layer may import this module.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from app.domain.errors import ComptoirError

RESOURCES_PACKAGE = "app.resources"
# The source tree's folder, beside the ``app`` package (a checkout without install).
CHECKOUT_RESOURCES = Path(__file__).resolve().parent.parent / "resources"

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


class ResourcesMissing(ComptoirError):
    """The shipped data files cannot be found: a broken installation."""


@functools.cache
def resources() -> Traversable:
    """The root of the shipped data (the ``resources/`` folder of the source tree)."""
    try:
        installed = importlib.util.find_spec(RESOURCES_PACKAGE) is not None
    except ImportError:
        installed = False
    if installed:
        return files(RESOURCES_PACKAGE)
    if (CHECKOUT_RESOURCES / "__init__.py").is_file():
        return CHECKOUT_RESOURCES
    raise ResourcesMissing("Fichiers de Comptoir introuvables (catalogue, traductions) : réinstallez l'application",
                           detail=f"no package {RESOURCES_PACKAGE} and no {CHECKOUT_RESOURCES}")


def resource(*parts: str) -> Traversable:
    """A shipped file or folder, e.g. ``resource("demo", "demo-1-amoxicilline.json")``."""
    return resources().joinpath(*parts)


def _real_path(item: Traversable) -> Path:
    return _extracted.enter_context(as_file(item))


def resource_path(*parts: str) -> Path:
    """A real path to a shipped file or folder, for APIs that need one (it stays valid until exit)."""
    return _real_path(resource(*parts))


def package_path(package: str, *parts: str) -> Path:
    """A real path to data shipped inside a Python package, e.g. ``package_path("app.storage", "migrations")``."""
    return _real_path(files(package).joinpath(*parts))
