"""Property-based tests (hypothesis) of the BDPM row parser: real rows of the five ANSM files, mutated
at random (a cell replaced by hostile text, columns added or lost, bytes that are not text, the other
encoding, CRLF, blank lines, a BOM), read by :func:`app.catalogue.records.parse_file`.

Every line gives a typed record or a rejection naming its file, line and French reason, never an
exception; what is kept is what the database can store (codes in ASCII digits, integers within its
32-bit columns). 200 files of 1 to 4 lines in the normal run; 4,000 files (about 10,000 rows) in CI's
long run (:mod:`tests.longrun`).
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from app.catalogue.records import FILES, CompositionRow, GenericRow, PresentationRow, parse_file
from app.catalogue.report import Rejection
from app.domain.identifiers import Cip13
from tests.conftest import FIXTURES
from tests.longrun import quick_and_long

INT_MAX = 2 ** 31 - 1  # the catalogue's Integer columns (PostgreSQL integer)


def _sample(name: str, count: int = 60) -> list[bytes]:
    """``count`` real rows spread over the 2022-06 file (its own bytes, cp1252 or UTF-8)."""
    lines = (FIXTURES / "bdpm-2022-06" / name).read_bytes().split(b"\n")
    lines = [line for line in lines if line.strip()]
    step = max(len(lines) // count, 1)
    return lines[::step][:count]


ROWS = {name: _sample(name) for name in FILES}
HOSTILE = [
    "", " ", "0", "-1", "99999999999999999999", "2147483648", "1,234,56", "99999999,99", "21474836,48",
    "12,5", "١٢٣٤٥٦٧٨", "３４００９", "²", "65 %", "100%", "101 %", "oui", "non", "Oui", "\x00", "é", "ﬀ",
    "de 99999999999 comprimé(s)", "plaquette(s) de 30 x 99999999 comprimé(s)", "99999999999 gélule(s)",
    "3400930000000", "3400930000001", "60234100", "6023410", "1", "4", "3", "a" * 300,
]


@st.composite
def files(draw) -> tuple[str, bytes]:
    """(file name, content): 1 to 4 real rows of that file, each mutated or not."""
    name = draw(st.sampled_from(sorted(FILES)))
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.sampled_from(ROWS[name]))
        cells = row.rstrip(b"\r").split(b"\t")
        for _ in range(draw(st.integers(0, 3))):
            how = draw(st.sampled_from(["hostile", "text", "drop", "add", "bytes"]))
            cells = cells or [b""]
            at = draw(st.integers(0, max(len(cells) - 1, 0)))
            if how == "hostile":
                cells[at] = draw(st.sampled_from(HOSTILE)).encode(draw(st.sampled_from(["utf-8", "cp1252"])),
                                                                  "replace")
            elif how == "text":
                cells[at] = draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
            elif how == "drop":
                del cells[at]
            elif how == "add":
                cells.insert(at, draw(st.sampled_from([b"", b"x", b"\t"])))
            else:
                cells[at] = draw(st.binary(max_size=6))
        lines.append(b"\t".join(cells) + draw(st.sampled_from([b"\n", b"\r\n", b"\n\n"])))
    bom = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf"]))
    return name, bom + b"".join(lines)


class _Bytes:
    """The file as the reader takes it (anything with ``read_bytes``, as a Traversable)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read_bytes(self) -> bytes:
        return self.data


def _read_or_reject(case: tuple[str, bytes]) -> None:
    name, data = case
    rejected: list[Rejection] = []
    records = parse_file(_Bytes(data), name, rejected)  # type: ignore[arg-type]
    content_lines = sum(1 for line in data.split(b"\n") if line.strip())
    assert len(records) + len(rejected) <= content_lines
    numbers = [n for n, _ in records] + [r.line for r in rejected]
    assert len(set(numbers)) == len(numbers) and all(1 <= n <= data.count(b"\n") + 1 for n in numbers)
    for rejection in rejected:
        assert rejection.file == name and rejection.reason and re.search(r"[a-zé]", rejection.reason)
    for _, record in records:
        for value in record:
            assert not isinstance(value, int) or isinstance(value, bool) or 0 <= value <= INT_MAX, (record, value)
        assert re.fullmatch(r"[0-9]{8}", record.cis), record
        if isinstance(record, PresentationRow):
            assert Cip13.parse(record.cip13) == record.cip13 and re.fullmatch(r"[0-9]{7}", record.cip7)
            assert record.rate is None or 0 <= record.rate <= 100
        elif isinstance(record, GenericRow):
            assert record.role in (0, 1, 2, 4) and record.group_id.isascii()
        elif isinstance(record, CompositionRow):
            assert record.substance


test_a_mutated_bdpm_file_reads_or_rejects_rows, test_a_mutated_bdpm_file_reads_or_rejects_rows_long = \
    quick_and_long(files(), cases=4_000, batch=10)(_read_or_reject)


def test_the_samples_read_unmutated():
    for name, rows in ROWS.items():
        rejected: list[Rejection] = []
        records = parse_file(_Bytes(b"\n".join(rows) + b"\n"), name, rejected)  # type: ignore[arg-type]
        assert len(records) >= 50 and len(rejected) <= 2, (name, rejected[:3])
