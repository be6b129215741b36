"""The Qt-free catalogue reader (app.i18n): the UI's .ts read without PySide6, French when it is missing,
unfinished messages left out, plurals by Qt's rule; and the command line's strings are ones lupdate
extracts and a translation keeps their fields."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import i18n
from app.i18n import _t, read_catalogue, translate

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <source>Aucune entrée.</source>
        <translation>No entry.</translation>
    </message>
    <message>
        <source>à préparer</source>
        <translation type="unfinished">to prepare</translation>
    </message>
    <message numerus="yes">
        <source>%n fichiers non déposés</source>
        <translation>
            <numerusform>%n file not submitted</numerusform>
            <numerusform>%n files not submitted</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 mois</source>
        <comment>plural</comment>
        <translation>%1 months</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
</context>
</TS>
"""


@pytest.fixture
def english(tmp_path, monkeypatch):
    path = tmp_path / "comptoir_en.ts"
    path.write_text(TS, encoding="utf-8")
    monkeypatch.setattr(i18n, "catalogue_file", lambda language: path)
    i18n.messages.cache_clear()
    i18n.set_language("en")
    yield path
    i18n.messages.cache_clear()


def test_translations_by_context_unfinished_left_out(english):
    assert _t("Aucune entrée.") == "No entry."
    assert _t("à préparer") == "à préparer"  # unfinished: lrelease leaves it out, so do we
    assert _t("Historique") == "Historique" and translate("MainWindow", "Historique") == "History"
    assert _t("%1 mois", "plural") == "%1 months" and _t("%1 mois") == "%1 mois"
    assert _t("pas dans le catalogue") == "pas dans le catalogue"


def test_plural_forms(english):
    assert [_t("%n fichiers non déposés", "", n) for n in (1, 2, 0)] == [
        "1 file not submitted", "2 files not submitted", "0 files not submitted"]
    i18n.set_language("fr")
    assert _t("%n fichiers non déposés", "", 3) == "3 fichiers non déposés"


def test_french_and_missing_or_broken_catalogue(tmp_path, monkeypatch):
    i18n.set_language("fr")
    assert _t("Aucune entrée.") == "Aucune entrée."
    assert read_catalogue(None) == {} and read_catalogue(tmp_path / "absent.ts") == {}
    (tmp_path / "broken.ts").write_text("<TS><context>", encoding="utf-8")
    assert read_catalogue(tmp_path / "broken.ts") == {}
    monkeypatch.setattr(i18n, "catalogue_file", lambda language: None)
    i18n.messages.cache_clear()
    i18n.set_language("en")
    assert _t("Aucune entrée.") == "Aucune entrée."
    i18n.messages.cache_clear()


def test_language_from_a_function_called_once_and_never_fatal():
    calls = []
    i18n.set_language(lambda: calls.append(1) or "en")
    assert i18n.language() == "en" and i18n.language() == "en" and calls == [1]
    i18n.set_language(lambda: 1 / 0)
    assert i18n.language() == "fr"
    i18n.set_language("de")
    assert i18n.language() == "fr"
    with i18n.using("en"):
        assert i18n.language() == "en"
    assert i18n.language() == "fr"


def test_a_core_refusal_in_the_language_in_use(monkeypatch):
    from app.domain.errors import N_, ComptoirError

    catalogue = {("", "Compte de {name} désactivé", ""): ("Account of {name} disabled",),
                 ("", "disque plein", ""): ("disk full",),
                 ("", "Base inaccessible : {url} ({reason})", ""): ("Database out of reach: {url} ({reason})",)}
    monkeypatch.setattr(i18n, "messages", lambda language: catalogue)
    i18n.set_language("en")
    disabled = ComptoirError(N_("Compte de {name} désactivé"), values={"name": "Zoé"})
    assert str(disabled) == "Compte de Zoé désactivé" and type(str(disabled)) is str  # the French is kept
    assert i18n.error_text(disabled) == "Account of Zoé disabled"
    full = ComptoirError(N_("Base inaccessible : {url} ({reason})"), values={"url": "x", "reason": N_("disque plein")})
    assert i18n.error_text(full) == "Database out of reach: x (disk full)"
    assert i18n.error_text(ComptoirError("Pas au catalogue {x}")) == "Pas au catalogue {x}"  # no values, no format
    assert i18n.error_text(ValueError("boom")) == "boom"
    i18n.set_language("fr")
    assert i18n.error_text(disabled) == "Compte de Zoé désactivé"


def test_n_is_positional_as_lupdate_reads_it():
    with pytest.raises(TypeError):
        _t("%n boîte(s)", n=2)


def test_the_shipped_catalogue_is_read_without_qt():
    code = ("import sys\nfrom app import i18n\ni18n.set_language('en')\n"
            "print(i18n._t('Aucune entrée.'), 'PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "No entry. False", out.stderr


def _cli_calls() -> list[tuple[str, ast.Call]]:
    root = Path(i18n.__file__).parent / "cli"
    found = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_t":
                found.append((path.name, node))
    return found


def test_every_cli_string_is_a_literal_lupdate_extracts_and_is_translated():
    """An f-string in ``_t`` is extracted with its braces' text and never found at run time; the same
    for a string not in the catalogue: both would print French in English."""
    messages = i18n.read_catalogue(i18n.catalogue_file("en"))
    sources = {source for (context, source, _comment) in messages if context == ""}
    calls = _cli_calls()
    assert len(calls) > 200
    for name, call in calls:
        first = call.args[0]
        assert isinstance(first, ast.Constant) and isinstance(first.value, str), (name, ast.unparse(call))
        assert first.value in sources, (name, first.value)


def test_translations_keep_their_fields():
    fields = re.compile(r"\{[^{}]*\}|%n|%\d")
    messages = i18n.read_catalogue(i18n.catalogue_file("en"))
    for (context, source, _comment), forms in messages.items():
        for form in forms:
            assert sorted(fields.findall(form)) == sorted(fields.findall(source)), (context, source, form)
