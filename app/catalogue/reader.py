"""Reading one raw ANSM file into rows of fields, line by line, without trusting its format.

The BDPM files are not uniform (see resources/bdpm/README.md): the encoding differs from file to
file (Windows-1252 or UTF-8, never declared), lines end in CRLF or LF, some files carry one trailing
empty column and a few rows carry a run of extra empty columns. This module absorbs all of that and
reports, with file and line, every row it cannot read, so that one bad row never aborts an import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from app.catalogue.report import Rejection

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileLayout:
    """How many columns a file has, and where a run of spurious empty columns may appear."""

    name: str
    columns: int
    gap_after: int | None = None  # index after which extra empty cells are dropped


def detect_encoding(lines: list[bytes]) -> str:
    """``utf-8`` when the lines with non-ASCII bytes are (nearly all) valid UTF-8, else ``cp1252``.

    Windows-1252 accented text is almost never valid UTF-8 (an "é" byte followed by ASCII is an
    invalid sequence), so the test is reliable; it is done per line so that one corrupted line in a
    UTF-8 file does not flip the whole file to Windows-1252 (the line is rejected instead).
    """
    non_ascii = utf8_ok = 0
    for line in lines:
        if line.isascii():
            continue
        non_ascii += 1
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        utf8_ok += 1
    if non_ascii and utf8_ok * 10 >= non_ascii * 9:
        return "utf-8"
    return "cp1252"


def read_bytes(source: Path | Traversable) -> bytes:
    return source.read_bytes()


def split_lines(data: bytes) -> list[bytes]:
    """Lines without their CRLF/LF ending (a lone final newline yields no extra line)."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _fit_columns(cells: list[str], layout: FileLayout) -> list[str] | None:
    """The row's cells with the trailing empty column and a spurious empty run removed, or None."""
    if len(cells) > layout.columns and cells[-1] == "":
        cells = cells[:-1]
    if len(cells) == layout.columns:
        return cells
    extra = len(cells) - layout.columns
    if extra > 0 and layout.gap_after is not None:
        start = layout.gap_after + 1
        if all(c == "" for c in cells[start:start + extra]):
            return cells[:start] + cells[start + extra:]
    return None


def read_rows(source: Path | Traversable, layout: FileLayout,
              rejected: list[Rejection]) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped cells) of every readable row; the others go to ``rejected``."""
    raw_lines = split_lines(read_bytes(source))
    encoding = detect_encoding(raw_lines)
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            rejected.append(Rejection(layout.name, number,
                                      f"octet illisible en {encoding} (position {exc.start + 1})"))
            continue
        cells = _fit_columns(text.split("\t"), layout)
        if cells is None:
            count = len(text.split("\t"))
            rejected.append(Rejection(layout.name, number,
                                      f"{count} colonnes au lieu de {layout.columns}"))
            continue
        yield number, [c.strip() for c in cells]
