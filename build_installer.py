"""Builds the desktop app and its installers: ``python build_installer.py``.

1. A build environment of its own (``build/installer-venv``): the dependencies held to
   requirements/constraints.txt, PyInstaller (the ``build`` extra), and Comptoir installed from a
   wheel built from a clean copy of the sources — what the app ships is what a wheel holds
   (resources, migrations; not the dev-only modules), never a stale ``build/lib``.
2. PyInstaller with packaging/comptoir.spec: a one-folder app in ``dist/comptoir/`` (the entry shim,
   the hooks collecting the data files and the scanners' native libraries, unused Qt left out).
   ``dist/comptoir/comptoir --version`` must then answer.
3. Linux: ``dist/comptoir_<version>_<arch>.deb`` (the app in /opt/comptoir, ``comptoir`` on the
   PATH, a menu entry and its icon) and ``dist/comptoir-<version>-linux-<arch>.tar.gz`` (the folder);
   Windows: the Inno Setup script packaging/windows/comptoir.iss, when ``iscc`` is installed.

It prints each file it wrote with its size. Options: ``--no-packages`` (the folder only), ``--clean``
(rebuild the environment and PyInstaller's cache). Needs Python >= 3.11 and, for the .deb, dpkg-deb.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGING = ROOT / "packaging"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
BUILD = ROOT / "build"
VENV = BUILD / "installer-venv"
DIST = ROOT / "dist"
APP_DIR = DIST / "comptoir"
WINDOWS = os.name == "nt"
# Windows has two executables (packaging/comptoir.spec): the window, and a console twin for commands.
CLI_EXE = "comptoir-cli.exe" if WINDOWS else "comptoir"
# What goes into the wheel: the rest of the tree (tests, benchmarks, docs) never reaches the app.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "app", "resources")


def say(message: str) -> None:
    print(f"build_installer: {message}", flush=True)


def run(*command: str | Path, **kwargs) -> None:
    subprocess.run([str(c) for c in command], check=True, **kwargs)


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "app" / "__init__.py").read_text(encoding="utf-8"), namespace)  # noqa: S102 - our own file
    return namespace["__version__"]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def build_environment(clean: bool) -> Path:
    """The build venv with the locked dependencies (re-made when the lock or pyproject changes) and
    this checkout's Comptoir installed from a freshly built wheel."""
    stamp = hashlib.sha256(CONSTRAINTS.read_bytes() + (ROOT / "pyproject.toml").read_bytes()
                           + sys.version.encode()).hexdigest()
    stamp_file = VENV / ".comptoir-stamp"
    if clean or not stamp_file.exists() or stamp_file.read_text() != stamp:
        shutil.rmtree(VENV, ignore_errors=True)
        say(f"build environment {VENV.relative_to(ROOT)} (locked dependencies)")
        run(sys.executable, "-m", "venv", VENV)
        python = venv_python()
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, "setuptools")  # builds the wheel
        stamp_file.write_text(stamp)
    python = venv_python()
    with tempfile.TemporaryDirectory(prefix="comptoir-wheel-") as tmp:
        source = Path(tmp) / "src"
        source.mkdir()
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
        for name in SOURCES:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, source / name, ignore=ignore)
            else:
                shutil.copy2(ROOT / name, source / name)
        run(python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", Path(tmp) / "dist",
            source)
        (wheel,) = (Path(tmp) / "dist").glob("comptoir-*.whl")
        run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", wheel)
        # Its dependencies and PyInstaller (the build extra), held to the lock; nothing from the test or
        # sandbox extras, so none of it can slip into the frozen app.
        run(python, "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, f"{wheel}[build]")
    return python


def freeze(python: Path, clean: bool) -> Path:
    say("PyInstaller (one folder)")
    shutil.rmtree(APP_DIR, ignore_errors=True)
    run(python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *(["--clean"] if clean else []),
        "--distpath", DIST, "--workpath", BUILD / "pyinstaller", PACKAGING / "comptoir.spec", cwd=BUILD)
    strip_python_library(APP_DIR)
    answer = subprocess.run([APP_DIR / CLI_EXE, "--version"], capture_output=True, text=True, timeout=120)
    if answer.returncode != 0 or answer.stdout.strip() != f"comptoir {version()}":
        raise SystemExit(f"build_installer: the built app does not answer --version:\n{answer.stdout}{answer.stderr}")
    return APP_DIR


def strip_python_library(app_dir: Path) -> None:
    """Linux: the symbol tables off libpython (a Python built from source keeps them: 17 MB of 23).
    Only that library: the wheels' ones were patched by auditwheel and break when stripped."""
    strip = shutil.which("strip")
    if WINDOWS or strip is None:
        return
    for library in (app_dir / "_internal").glob("libpython3*.so*"):
        if not library.is_symlink():
            run(strip, "--strip-unneeded", library)


def _platform_check():
    """app/ui/platform_check.py on its own (standard library only): the X11 packages Qt needs."""
    spec = importlib.util.spec_from_file_location("platform_check", ROOT / "app" / "ui" / "platform_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def debian_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def make_deb(app_dir: Path) -> Path | None:
    if shutil.which("dpkg-deb") is None:
        say("no dpkg-deb here: .deb skipped (the tarball is made)")
        return None
    arch, ver = debian_arch(), version()
    with tempfile.TemporaryDirectory(prefix="comptoir-deb-") as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(app_dir, root / "opt" / "comptoir", symlinks=True)
        (root / "usr" / "bin").mkdir(parents=True)
        (root / "usr" / "bin" / "comptoir").symlink_to("/opt/comptoir/comptoir")
        for source, target in ((PACKAGING / "linux" / "comptoir.desktop", "usr/share/applications/comptoir.desktop"),
                               (PACKAGING / "icons" / "comptoir.svg", "usr/share/icons/hicolor/scalable/apps/comptoir.svg"),
                               (PACKAGING / "icons" / "comptoir-256.png",
                                "usr/share/icons/hicolor/256x256/apps/comptoir.png")):
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / target)
        size_kb = sum(f.stat().st_size for f in root.rglob("*") if f.is_file() and not f.is_symlink()) // 1024
        depends = ", ".join(["libc6", "libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3",
                             *sorted(_platform_check().XCB_LIBRARIES.values())])
        (root / "DEBIAN").mkdir()
        (root / "DEBIAN" / "control").write_text(textwrap.dedent(f"""\
            Package: comptoir
            Version: {ver}
            Architecture: {arch}
            Maintainer: Comptoir <comptoir@localhost>
            Installed-Size: {size_kb}
            Depends: {depends}
            Section: misc
            Priority: optional
            Homepage: https://localhost/comptoir
            Description: French pharmacy counter around the ordonnance numérique
             Comptoir dispenses e-prescriptions (FHIR R4) line by line against the BDPM
             drug catalogue, records deliveries with the service and in the ordonnancier,
             and prints the ordonnance back annotated. Self-contained (Python, Qt, OpenCV).
            """), encoding="utf-8")
        deb = DIST / f"comptoir_{ver}_{arch}.deb"
        # gzip: a little larger than xz, several times faster to build and to install.
        run("dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", root, deb, stdout=subprocess.DEVNULL)
    return deb


def make_tarball(app_dir: Path) -> Path:
    machine = {"amd64": "x86_64"}.get(platform.machine().lower(), platform.machine().lower())
    tarball = DIST / f"comptoir-{version()}-linux-{machine}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(app_dir, arcname="comptoir")
    return tarball


def make_windows_installer(app_dir: Path) -> Path | None:
    iscc = shutil.which("iscc") or next((str(p) for p in (Path(os.environ.get("PROGRAMFILES(X86)", "")) / "Inno Setup 6",
                                                          Path(os.environ.get("PROGRAMFILES", "")) / "Inno Setup 6")
                                         if (p / "ISCC.exe").exists()), None)
    if iscc is None:
        say("Inno Setup (iscc) not found: install Inno Setup 6 to make the Windows installer "
            "(see packaging/windows/README.md)")
        return None
    if not iscc.lower().endswith(".exe") and Path(iscc, "ISCC.exe").exists():
        iscc = str(Path(iscc, "ISCC.exe"))
    run(iscc, f"/DAppVersion={version()}", f"/DSourceDir={app_dir}", f"/DOutputDir={DIST}",
        PACKAGING / "windows" / "comptoir.iss")
    return next(iter(sorted(DIST.glob(f"comptoir-{version()}-setup*.exe"))), None)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def human(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Comptoir desktop app and its installers.")
    parser.add_argument("--no-packages", action="store_true", help="the app folder only (no .deb, tarball, setup)")
    parser.add_argument("--clean", action="store_true", help="rebuild the build environment and PyInstaller's cache")
    args = parser.parse_args(argv)
    BUILD.mkdir(exist_ok=True)
    DIST.mkdir(exist_ok=True)
    python = build_environment(args.clean)
    app_dir = freeze(python, args.clean)
    written = [(app_dir, folder_size(app_dir))]
    if not args.no_packages:
        if WINDOWS:
            packages = [make_windows_installer(app_dir)]
        elif sys.platform.startswith("linux"):
            packages = [make_deb(app_dir), make_tarball(app_dir)]
        else:
            packages = []
        written += [(p, p.stat().st_size) for p in packages if p is not None]
    say("wrote:")
    for path, size in written:
        print(f"  {human(size):>9}  {path.relative_to(ROOT)}{os.sep if path.is_dir() else ''}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
