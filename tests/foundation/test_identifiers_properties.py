"""Property-based tests (hypothesis) of the number parsers: the ordonnance number (typed at the counter,
read from a QR code, checked by its MOD 37,36 character) and the identifiers it travels with (CIP13,
CIP7, CIS, RPPS, FINESS, NIR).

Any text gives the identifier or the project's own French error (:class:`InvalidIdentifier`), never
another exception; what is accepted is ASCII, canonical (parsing it again gives it back) and of the
right shape; a valid identifier written with spaces, dots or dashes reads as itself. 200 examples
each in the normal run; the long run (:mod:`tests.longrun`) 30,000 texts and 5,000 valid identifiers in CI.
"""

from __future__ import annotations

import re
import string

from hypothesis import strategies as st

from app.domain.errors import ComptoirError, InvalidIdentifier
from app.domain.identifiers import (
    CROCKFORD_ALPHABET,
    Cip7,
    Cip13,
    Cis,
    Finess,
    Nir,
    OrdonnanceNumber,
    Rpps,
    ean_check_digit,
    luhn_valid,
    mod37_36_check_char,
)
from app.scanning.classify import parse_ordonnance
from tests.longrun import quick_and_long

# Characters real input is made of, and those that broke parsers before: Arabic-Indic, fullwidth and
# superscript digits, ligatures and letters that upper() turns into ASCII, every kind of space.
ODD = "٠١٢٣٤٥٦٧٨٩０１９²³¹ﬀﬁßıİſ\u00a0\u2009\u202f\u200b\u3000\t\r\n\x00\x1d\x7f-._/|:é%"
texts = st.one_of(
    st.text(alphabet=string.digits + " .-", max_size=20),
    st.text(alphabet=string.digits + string.ascii_letters + ODD, max_size=45),
    st.text(max_size=45),
    st.sampled_from(["", " ", "3400930000000", "10000000009", "810000000009", "2A0000000", "750000010",
                     "PZX2R071KJX3EZF213AF", "pzx2-r071-kjx3-ezf2-13af"]),
)
PARSERS = {
    "cip13": Cip13.parse, "cip7": Cip7.parse, "cis": Cis.parse, "rpps": Rpps.parse,
    "rpps_no_key": lambda t: Rpps.parse(t, check_key=False), "finess": Finess.parse, "nir": Nir.parse,
    "gtin": Cip13.from_gtin, "number": OrdonnanceNumber.parse,
    "number_checked": lambda t: OrdonnanceNumber.parse(t, check=True),
    "scanned": lambda t: parse_ordonnance(t, check_number=True),
    "typed": lambda t: parse_ordonnance(t, check_number=True, typed=True),
    "typed_unchecked": lambda t: parse_ordonnance(t, check_number=False, typed=True),
}
SHAPES = {
    "cip13": r"3400[0-9]{9}", "cip7": r"[0-9]{7}", "cis": r"[0-9]{8}", "rpps": r"[0-9]{11}",
    "rpps_no_key": r"[0-9]{11}", "finess": r"([0-9]{2}|2A|2B)[0-9]{7}", "nir": r"[12378][0-9]{4}([0-9]{2}|2A|2B)[0-9]{8}",
    "gtin": r"3400[0-9]{9}", "number": r"[A-Z0-9]{8,40}", "number_checked": r"[A-Z0-9]{8,40}",
    "scanned": r"[A-Z0-9]{8,40}", "typed": r"[A-Z0-9]{8,40}", "typed_unchecked": r"[A-Z0-9]{8,40}",
}


def _parses_or_refuses_in_french(text: str) -> None:
    for name, parse in PARSERS.items():
        try:
            value = parse(text)
        except InvalidIdentifier as error:
            assert isinstance(error, ComptoirError) and str(error) and str(error) == error.message
            assert re.search(r"[a-zé]", str(error)), str(error)  # words, not a bare repr
            continue
        assert isinstance(value, str) and value.isascii(), (name, text)
        assert re.fullmatch(SHAPES[name], value), (name, text, value)
        again = parse(value) if name != "gtin" else Cip13.parse(value)
        assert again == value, (name, text, value)
        if name in ("cip13", "gtin"):
            assert ean_check_digit(value[:12]) == value[12]
        if name in ("rpps", "finess"):
            assert luhn_valid(value.replace("2A", "20", 1).replace("2B", "20", 1) if value[:2] in ("2A", "2B")
                              else value)
        if name in ("number_checked", "scanned", "typed") and len(value) == 20:
            assert OrdonnanceNumber(value).check_ok()


test_any_text_parses_or_is_refused_in_french, test_any_text_parses_or_is_refused_in_french_long = quick_and_long(
    texts, cases=30_000, batch=25)(_parses_or_refuses_in_french)


# --- valid identifiers, written as people write them ------------------------------------------------

def _noisy(draw, value: str, separators: str) -> str:
    """``value`` with separators put between its characters and around it."""
    out = []
    for ch in value:
        out.append(draw(st.text(alphabet=separators, max_size=1)))
        out.append(ch)
    out.append(draw(st.text(alphabet=separators, max_size=2)))
    return "".join(out)


@st.composite
def written(draw) -> tuple[str, str, str]:
    """(parser, what a person or a symbol gives, the canonical value)."""
    kind = draw(st.sampled_from(["cip13", "rpps", "finess", "number_checked", "typed"]))
    if kind == "cip13":
        body = "3400" + draw(st.text(alphabet=string.digits, min_size=8, max_size=8))
        value = body + ean_check_digit(body)
        return kind, _noisy(draw, value, " .-"), value
    if kind in ("rpps", "finess"):
        size = 10 if kind == "rpps" else 8
        body = draw(st.text(alphabet=string.digits, min_size=size, max_size=size))
        key = next(d for d in string.digits if luhn_valid(body + d))
        value = body + key
        return kind, _noisy(draw, value, " .-"), value
    body = draw(st.text(alphabet=CROCKFORD_ALPHABET, min_size=19, max_size=19))
    value = body + mod37_36_check_char(body)
    written_as = _noisy(draw, value if kind == "number_checked" else value.lower(), " -" if kind == "typed" else "-")
    return kind, written_as, value


def _reads_as_itself(case: tuple[str, str, str]) -> None:
    kind, text, value = case
    assert PARSERS[kind](text) == value, case
    if kind in ("number_checked", "typed"):  # one character mistyped: the check character catches it
        wrong = value[:5] + ("0" if value[5] != "0" else "1") + value[6:]
        try:
            PARSERS[kind](wrong)
        except InvalidIdentifier as error:
            assert "clé de contrôle" in str(error)
        else:
            raise AssertionError(f"{wrong} (one character off {value}) accepted")


test_valid_identifiers_read_as_themselves, test_valid_identifiers_read_as_themselves_long = quick_and_long(
    written(), cases=5_000, batch=25)(_reads_as_itself)
