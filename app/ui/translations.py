"""The UI's languages: French (the source strings) by default, English from a compiled catalogue.

Why: every string a pharmacist reads goes through ``self.tr()`` / ``QCoreApplication.translate`` with
French source text. French also loads Qt's own French catalogue (standard buttons, dialogs). English
loads ``resources/translations/comptoir_en.qm``, committed next to its ``.ts`` source; if the ``.qm`` is
missing (a checkout where it was deleted) it is compiled at run time with the ``lrelease`` shipped in
PySide6, into the data dir.
"""

from __future__ import annotations

import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.config import data_dir

log = logging.getLogger(__name__)

DOMAIN = "comptoir"
LANGUAGES = ("fr", "en")


def translations_dir() -> Path:
    from app.resources_path import resource_path  # here: French, the default, reads no catalogue of ours

    return resource_path("translations")


def qt_tool(name: str) -> Path:
    """``lrelease`` / ``lupdate`` as shipped inside the PySide6 wheel."""
    return Path(PySide6.__file__).parent / name


def compile_ts(ts: Path, qm: Path) -> Path:
    """Compile ``ts`` into ``qm`` with PySide6's lrelease."""
    import subprocess  # only when a catalogue is compiled, not at each start

    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(qt_tool("lrelease")), "-silent", str(ts), "-qm", str(qm)], check=True,
                   capture_output=True, timeout=60)
    return qm


def catalogue_file(language: str) -> Path | None:
    """The compiled catalogue for ``language``: the shipped ``.qm``, else one compiled now."""
    shipped = translations_dir() / f"{DOMAIN}_{language}.qm"
    if shipped.exists():
        return shipped
    source = translations_dir() / f"{DOMAIN}_{language}.ts"
    if not source.exists():
        return None
    import subprocess

    try:
        return compile_ts(source, data_dir() / "translations" / shipped.name)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not compile %s: %s", source.name, exc)
        return None


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` on ``app``; returns them (keep them alive)."""
    language = language if language in LANGUAGES else "fr"
    from app import i18n  # the core's text said to the pharmacist (catalogue reports …): the same language

    i18n.set_language(language)
    QLocale.setDefault(QLocale(QLocale.Language.French if language == "fr" else QLocale.Language.English,
                               QLocale.Country.France if language == "fr" else QLocale.Country.UnitedKingdom))
    installed: list[QTranslator] = []
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    if language != "fr":  # French is the source language of every string
        path = catalogue_file(language)
        own = QTranslator(app)
        if path is not None and own.load(str(path)):
            app.installTranslator(own)
            installed.append(own)
        else:
            log.warning("no %s catalogue; the interface stays in French", language)
    return installed


# Where translated strings are: the UI (``self.tr``, ``app.ui.i18n._t``) and, through the Qt-free
# :mod:`app.i18n`, the command line; and the core's refusals marked ``N_`` (app.domain.errors), which
# the command line says in its language. ``lupdate`` reads them all into the one catalogue.
TRANSLATED_PACKAGES = ("ui", "cli")
TRANSLATED_MODULES = ("catalogue/report.py", "catalogue/update.py", "storage/ordonnancier_verify.py")  # core text said in the UI's language
ALIASES = "tr+=_t,QT_TR_NOOP+=N_"


def translated_sources() -> list[Path]:
    app_dir = Path(__file__).parent.parent
    found = {p for package in TRANSLATED_PACKAGES for p in (app_dir / package).rglob("*.py")}
    found |= {p for p in app_dir.rglob("*.py") if "N_(" in p.read_text(encoding="utf-8")}
    found |= {app_dir / module for module in TRANSLATED_MODULES}
    return sorted(p for p in [*found, app_dir / "i18n.py"] if "__pycache__" not in p.parts)


def update_catalogue(language: str = "en") -> Path:
    """Refresh ``comptoir_<language>.ts`` from the UI's and the command line's sources (lupdate keeps existing translations),
    then compile the ``.qm`` shipped next to it."""
    import subprocess

    ts = translations_dir() / f"{DOMAIN}_{language}.ts"
    subprocess.run([str(qt_tool("lupdate")), "-silent", "-no-obsolete", "-locations", "none",
                    "-tr-function-alias", ALIASES, *map(str, translated_sources()), "-ts", str(ts)],
                   check=True, capture_output=True, timeout=120)
    return compile_ts(ts, ts.with_suffix(".qm"))


if __name__ == "__main__":  # python -m app.ui.translations: after changing UI or CLI strings
    print(update_catalogue())
