"""Issue 14 point 5: the marks that let a state read without colour (✔ ✖ ⚠ ◷ …) must draw, not fall
back to an empty box. Seen at 1280×800 under Xvfb: ⏳ and ⛔ (emoji-only glyphs) drew as boxes on a
Debian desktop with its default fonts; the marks are now taken from the symbols DejaVu carries (the
Linux default; Windows' Segoe UI Symbol has them too)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

ROOT = Path(__file__).resolve().parents[2]
# Arrows, technical, geometric, miscellaneous symbols, dingbats, emoji: the ranges a mark comes from.
MARK = re.compile("[\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\U0001f000-\U0001faff]")


def marks_in_sources() -> set[str]:
    found: set[str] = set()
    for folder in ("app/ui", "app/cli"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(MARK.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_mark_the_ui_and_the_terminal_show_has_a_glyph_in_an_installed_font(qapp):
    marks = marks_in_sources()
    assert {"✔", "✖", "⚠", "◷"} <= marks  # the detector sees the marks in use
    fonts = [QRawFont.fromFont(QFont(family)) for family in QFontDatabase.families()]
    missing = sorted(m for m in marks if not any(f.isValid() and f.supportsCharacter(m) for f in fonts))
    assert missing == [], f"no installed font draws {missing}: take a mark DejaVu carries"
