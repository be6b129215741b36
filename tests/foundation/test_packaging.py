"""Everything the app reads at run time ships in the wheel: a frozen or installed app finds its
catalogue, demo prescriptions, translations and database migrations through the package."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _package_data() -> dict[str, list[str]]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]


def _covered(package_dir: Path, relative: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) and pattern.count("/") == relative.count("/")
               for pattern in patterns)


def _data_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
            and not (p.suffix == ".py" and (p.parent / "__init__.py").exists())]


def test_resources_ship_in_the_wheel():
    data = _package_data()
    patterns = data["app.resources"] + data["*"]
    missing = [str(p.relative_to(ROOT)) for p in _data_files(ROOT / "resources")
               if not _covered(ROOT / "resources", str(p.relative_to(ROOT / "resources")), patterns)]
    assert not missing, missing


def test_migrations_ship_in_the_wheel():
    data = _package_data()
    storage = ROOT / "app" / "storage"
    files = [p for p in (storage / "migrations").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert any(p.name.startswith("0001") for p in files)
    missing = [str(p.relative_to(storage)) for p in files
               if not _covered(storage, str(p.relative_to(storage)), data["app.storage"])]
    assert not missing, missing
