"""The layers of docs/architecture.md hold: the core imports no Qt, the domain only the stdlib."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import app

CORE_PACKAGES = ("domain", "storage", "eprescription", "sandbox", "scanning", "printing", "workflow",
                 "catalogue")


def _modules(package: str) -> list[str]:
    pkg = __import__(f"app.{package}", fromlist=["_"])
    return [f"app.{package}"] + [m.name for m in pkgutil.walk_packages(pkg.__path__, f"app.{package}.")]


def _import_with_blocked(modules: list[str], blocked: tuple[str, ...]) -> subprocess.CompletedProcess:
    """Import ``modules`` in a fresh interpreter where ``blocked`` packages cannot be imported."""
    code = textwrap.dedent(
        f"""
        import importlib, importlib.abc, sys
        BLOCKED = {blocked!r}
        class Blocker(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in BLOCKED:
                    raise ImportError('blocked for the architecture test: ' + name)
        sys.meta_path.insert(0, Blocker())
        for name in {modules!r}:
            importlib.import_module(name)
        """
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_core_runs_without_qt():
    modules = [m for p in CORE_PACKAGES for m in _modules(p)] + ["app.config", "app.logs", "app.cli"]
    result = _import_with_blocked(modules, ("PySide6", "shiboken6"))
    assert result.returncode == 0, result.stderr


def test_domain_imports_only_the_standard_library():
    third_party = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "httpx", "cv2", "numpy", "zxingcpp",
                   "pyzbar", "biip", "reportlab", "starlette", "uvicorn", "platformdirs", "keyring")
    result = _import_with_blocked(_modules("domain"), third_party)
    assert result.returncode == 0, result.stderr


def test_every_package_is_listed():
    found = {m.name for m in pkgutil.iter_modules(app.__path__) if m.ispkg}
    assert found - {"ui", "cli"} <= set(CORE_PACKAGES)
