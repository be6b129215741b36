"""Translation without Qt: the command line's words, read from the UI's own catalogue.

Why not Qt's translator: the command line (and the core) must not import PySide6, and ``comptoir
decode`` must not pay for it. Why the same catalogue: translators keep one file,
``resources/translations/comptoir_<language>.ts``, which Qt's ``lupdate`` fills from the UI's ``tr()``
calls and from every ``_t("...")`` of the modules :func:`app.ui.translations.translated_sources`
lists (``-tr-function-alias tr+=_t``); ``lupdate`` puts such calls in the global context ``""``,
inside a class too, and so does :func:`_t` here.

French is the source language: French (or a missing catalogue, or a string not translated yet) is
the text given. A ``.ts`` message marked ``unfinished`` is not used, as ``lrelease`` leaves it out.
``%n`` is the count of a plural (``_t("%n fichier(s)", "", count)``, English forms by Qt's English
rule: one, other); other values go in ``{name}`` fields filled by ``str.format`` after translation
(never an f-string inside ``_t``: ``lupdate`` would extract the braces' text, never found at run time).

The language is set once per process by the command line (:func:`set_language`), possibly as a
function called on the first string translated (reading the settings only when a word needs it).
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "comptoir"
LANGUAGES = ("fr", "en")
SOURCE_LANGUAGE = "fr"

_language: str | Callable[[], str] = SOURCE_LANGUAGE

# (context, source, disambiguation) -> the translation's forms (one, or a plural's forms)
Messages = dict[tuple[str, str, str], tuple[str, ...]]


def set_language(language: str | Callable[[], str] | None) -> None:
    """The language of what is translated from now on: ``"fr"``, ``"en"``, or a function giving it,
    called on the first translation (anything else: French)."""
    global _language
    _language = language or SOURCE_LANGUAGE


def language() -> str:
    """The language in use (the function given to :func:`set_language` is called once)."""
    global _language
    if callable(_language):
        try:
            _language = _language() or SOURCE_LANGUAGE
        except Exception as exc:  # noqa: BLE001 - no language is worth a crash: French then
            log.info("language not known (%s): French", exc)
            _language = SOURCE_LANGUAGE
    return _language if _language in LANGUAGES else SOURCE_LANGUAGE


@contextlib.contextmanager
def using(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block (a report written in a language of its own)."""
    global _language
    before = _language
    _language = language
    try:
        yield
    finally:
        _language = before


def catalogue_file(language: str) -> Path | None:
    """The ``.ts`` of ``language`` shipped with the app; None when it is not there."""
    from app.resources_path import resource_path

    try:
        path = resource_path("translations") / f"{DOMAIN}_{language}.ts"
    except Exception as exc:  # noqa: BLE001 - resources missing: the command still answers, in French
        log.info("no translations folder (%s)", exc)
        return None
    return path if path.is_file() else None


def read_catalogue(path: Path | None) -> Messages:
    """The finished translations of a Qt Linguist ``.ts`` file; none when it is missing or unreadable."""
    if path is None:
        return {}
    import xml.etree.ElementTree as ET  # only when a command speaks another language than French

    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        log.info("translations not read from %s: %s", path, exc)
        return {}
    messages: Messages = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            forms = tuple(f.text or "" for f in translation.iter("numerusform")) or (translation.text or "",)
            if not all(forms):
                continue
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            messages[key] = forms
    return messages


@functools.cache
def messages(language: str) -> Messages:
    """``language``'s catalogue, read once per process."""
    return read_catalogue(catalogue_file(language))


def plural_form(language: str, n: int) -> int:
    """Which of a message's plural forms ``n`` takes (Qt's rules for the languages shipped)."""
    if language == "fr":
        return 0 if n in (0, 1) else 1
    return 0 if n == 1 else 1


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` (French) in the language in use, as ``QCoreApplication.translate`` does."""
    lang = language()
    result = text
    if lang != SOURCE_LANGUAGE:
        forms = messages(lang).get((context, text, disambiguation or ""))
        if forms:
            result = forms[min(plural_form(lang, n), len(forms) - 1)] if n >= 0 else forms[0]
    return result.replace("%n", str(n)) if n >= 0 else result


def _t(text: str, disambiguation: str | None = None, n: int = -1, /) -> str:
    """``tr`` of the global context; ``n`` (positional, as ``lupdate`` reads it) fills ``%n``."""
    return translate("", text, disambiguation, n)


@functools.cache
def _finding_templates(language: str) -> dict[str, str]:
    from app.resources_path import resource_path

    try:
        path = resource_path("translations", f"findings_{language}.json")
    except Exception:  # noqa: BLE001 - resources missing: the French message then
        return {}
    import json

    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def finding_in(language: str, finding) -> str:
    """A rule's finding (``app.domain.rules.Finding``) in ``language``: its template (by stable code
    and variant, ``resources/translations/findings_<language>.json``) filled with the values it
    carries; its French message in French, or when no template fits."""
    if language == SOURCE_LANGUAGE:
        return finding.message
    template = _finding_templates(language).get(f"{finding.code}/{finding.variant}" if finding.variant
                                                else finding.code)
    if template is None:
        return finding.message
    try:
        return template.format(**dict(finding.values))
    except (KeyError, IndexError, ValueError):
        return finding.message


def error_text(error: BaseException) -> str:
    """A refusal in the language in use: the translation of its French template (``N_``, see
    :mod:`app.domain.errors`) filled with its values, a marked value translated too; its French
    message when the catalogue has no translation of it (or in French)."""
    message = str(error)
    template = getattr(error, "template", None)
    if not template or language() == SOURCE_LANGUAGE:
        return message
    from app.domain.errors import Marked

    translated = translate("", template)
    if translated == template:
        return message
    values = {name: translate("", value) if isinstance(value, Marked) else value
              for name, value in getattr(error, "values", {}).items()}
    try:
        return translated.format(**values) if values else translated
    except (KeyError, IndexError, ValueError):
        return message
