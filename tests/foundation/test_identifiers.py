import pytest

from app.domain.errors import InvalidIdentifier
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
    mod37_36_check_char,
)


def test_cip13_real_code_and_conversions():
    # Real presentation from the 2022-06 BDPM: CIP7 4949729 <-> CIP13 3400949497294.
    assert Cip13.parse("3400949497294") == "3400949497294"
    assert Cip13.parse("3 400 949 497 294") == "3400949497294"
    assert Cip13.from_cip7("4949729") == "3400949497294"
    assert Cip13.from_gtin("03400949497294") == "3400949497294"
    assert Cip13.parse("3400949497294").cip7 == "4949729"
    assert Cip13.parse("3400949497294").gtin14 == "03400949497294"


@pytest.mark.parametrize("bad", ["3400949497295", "340094949729", "1234567890128", "34009494972a4", ""])
def test_cip13_rejects(bad):
    with pytest.raises(InvalidIdentifier) as err:
        Cip13.parse(bad)
    assert "CIP13" in str(err.value)


def test_gtin_with_bad_key_or_indicator():
    with pytest.raises(InvalidIdentifier):
        Cip13.from_gtin("03400949497295")
    body = "1340094949729"
    with pytest.raises(InvalidIdentifier):
        Cip13.from_gtin(body + ean_check_digit(body))


def test_cip7_and_cis_shapes():
    assert Cip7.parse("4949729") == "4949729"
    assert Cis.parse("60002283") == "60002283"
    for bad, cls in (("494972", Cip7), ("4949729X", Cip7), ("6000228", Cis)):
        with pytest.raises(InvalidIdentifier):
            cls.parse(bad)


def test_rpps_luhn_and_national_identifier_prefix():
    assert Rpps.parse("10000000009") == "10000000009"
    assert Rpps.parse("810000000009") == "10000000009"  # "8" + RPPS as in the ANS examples
    with pytest.raises(InvalidIdentifier):
        Rpps.parse("10000000008")
    with pytest.raises(InvalidIdentifier):
        Rpps.parse("1000000000")


def test_finess_luhn_and_corsica():
    assert Finess.parse("750000010") == "750000010"
    with pytest.raises(InvalidIdentifier):
        Finess.parse("750000011")
    # 2A: the key is computed with 20 in place of 2A.
    for last in range(10):
        candidate = f"2A000001{last}"
        try:
            assert Finess.parse(candidate)[:2] == "2A"
            break
        except InvalidIdentifier:
            continue
    else:
        pytest.fail("no Corsican FINESS validated")


def _nir_with_key(body: str) -> str:
    numeric = body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:]
    return body + f"{97 - int(numeric) % 97:02d}"


def test_nir_key_and_corsica_and_masking():
    nir = Nir.parse("1 85 05 78 006 084 91")
    assert nir == "185057800608491"
    assert "••" in nir.masked() and "0608" not in nir.masked()
    corsican = _nir_with_key("185052A006084")
    assert Nir.parse(corsican) == corsican
    with pytest.raises(InvalidIdentifier):
        Nir.parse("185057800608490")
    with pytest.raises(InvalidIdentifier):
        Nir.parse("18505780060849")


def test_ordonnance_number_normalisation_and_pattern():
    assert OrdonnanceNumber.parse(" ab12-cd34 ef56 ") == "AB12CD34EF56"
    for bad in ("ABC", "A" * 41, "ABCD/EFGH", "ÉCOLE123", "ABCD%2FEFGH"):
        with pytest.raises(InvalidIdentifier):
            OrdonnanceNumber.parse(bad)


def test_sandbox_number_check_character_catches_typos():
    body = "0123456789ABCDEFGHJ"
    number = OrdonnanceNumber.issue(body)
    assert len(number) == 20 and number.check_ok()
    assert OrdonnanceNumber.parse(number.grouped().lower(), check=True) == number
    # Every single-character substitution and every adjacent transposition is caught.
    for i in range(20):
        for ch in CROCKFORD_ALPHABET:
            if ch != number[i]:
                typo = number[:i] + ch + number[i + 1:]
                assert not OrdonnanceNumber.parse(typo).check_ok(), typo
    for i in range(19):
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
        if swapped != number:
            assert not OrdonnanceNumber.parse(swapped).check_ok()
    with pytest.raises(InvalidIdentifier):
        OrdonnanceNumber.parse(number[:-1] + ("0" if number[-1] != "0" else "1"), check=True)


def test_mod37_36_known_vector():
    # ISO 7064 MOD 37,36 reference: the check character of "A12425GABC1234002" is "M".
    assert mod37_36_check_char("A12425GABC1234002") == "M"


# Digits that \d and str.isdigit() accept and int() reads, but no French identifier holds.
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULLWIDTH, SUPERSCRIPT])
@pytest.mark.parametrize(("parse", "valid"), [
    (Cip13.parse, "3400949497294"), (Cip13.from_gtin, "03400949497294"), (Cip7.parse, "4949729"),
    (Cis.parse, "60002283"), (Rpps.parse, "10000000009"), (Finess.parse, "750000010"),
    (Nir.parse, "185057800608491"),
])
def test_identifiers_accept_ascii_digits_only(parse, valid, digits):
    assert parse(valid) == valid.removeprefix("0")  # the same code in ASCII digits is valid (GTIN → CIP13)
    for foreign in (valid.translate(digits), valid[:-1] + valid[-1].translate(digits)):
        with pytest.raises(InvalidIdentifier):
            parse(foreign)


def test_check_keys_refuse_non_ascii_digits_instead_of_reading_them():
    from app.domain.identifiers import is_ascii_digits, luhn_valid

    assert luhn_valid("10000000009") and not luhn_valid("10000000009".translate(ARABIC_INDIC))
    assert not luhn_valid("1²") and not luhn_valid("")
    assert ean_check_digit("340094949729") == "4"
    with pytest.raises(InvalidIdentifier):
        ean_check_digit("340094949729".translate(ARABIC_INDIC))
    assert is_ascii_digits("0123456789")
    assert not any(is_ascii_digits(t) for t in ("", "١", "²", "０", "12a", "1 2", "12\n"))


@pytest.mark.parametrize("text", ["ﬀ" * 10, "ıııııııı", "0123456789ABCDEFGH\u0130", "٠١٢٣٤٥٦٧٨٩"])
def test_ordonnance_number_refuses_what_upper_would_turn_into_ascii(text):
    with pytest.raises(InvalidIdentifier):
        OrdonnanceNumber.parse(text)
