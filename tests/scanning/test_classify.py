"""Classification of payloads, including hostile ones."""

from __future__ import annotations

import pytest

from app.scanning import classify as classify_module
from app.scanning.classify import NOT_ORDONNANCE, NOT_RECOGNISED, UNREADABLE, classify, classify_typed
from app.scanning.symbols import ScanKind
from tests.scanning.factory import ORDONNANCES, REAL_CIP13

N = ORDONNANCES[0]


@pytest.mark.parametrize("payload", [
    N, f"https://ordonnance.example/o/{N}", f"https://x.example/fhir/{N}/", f"HTTPS://x.example/p?id={N}",
    f"https://x.example/p?foo=1&id={N.lower()}", f"]Q1{N}",
])
def test_qr_ordonnance_bare_or_uri(payload):
    result = classify(payload, "QRCode")
    assert result.kind is ScanKind.ORDONNANCE
    assert result.fields == {"number": N}


@pytest.mark.parametrize("payload", [
    "hello world", "https://www.example.com/", "WIFI:S:pharma;T:WPA;P:secret;;",
    f"javascript:alert(1)//{N}", f"data:text/html,{N}", f"file:///etc/{N}", f"ftp://x.example/{N}",
    f"https://evil@x.example/{N}", f"https://x.example/%2e%2e%2f{N}", f"https://x.example/{N}%2Fabc",
    f"https://x.example/p?id={N}&id={ORDONNANCES[1]}", f"https://x.example/{N[:-1]}\u0130",
    f"https://x.example/{N}\nGET /admin", N[:-1] + ("0" if N[-1] != "0" else "1"),  # wrong check char
    "\ufb00" * 10, "A" * 100_000, "ABC\x00DEF12345", "",
])
def test_hostile_or_foreign_qr_is_refused_in_french(payload):
    result = classify(payload, "QRCode")
    assert result.kind is ScanKind.UNKNOWN
    assert result.message and len(result.text) <= 200
    if payload.startswith(("hello", "WIFI", "javascript")):
        assert result.message == NOT_ORDONNANCE


def test_binary_payload():
    assert classify(b"\x89PNG\r\n\x1a\n\xff\xfe").kind is ScanKind.UNKNOWN
    assert classify(bytes(range(256)), "QRCode").message == "Code illisible : données binaires"


@pytest.mark.parametrize("cip13", REAL_CIP13)
def test_gs1_with_separators(cip13):
    result = classify(f"]d201{'0' + cip13}17270600" + "10LOT-7\x1d21SER1AL", None)
    assert result.kind is ScanKind.PRODUCT
    assert result.fields["cip13"] == cip13
    assert result.fields["expiry"] == "2027-06-30"  # day 00 = end of month
    assert (result.fields["lot"], result.fields["serial"]) == ("LOT-7", "SER1AL")
    assert not result.fields.get("ambiguous")


def test_gs1_separator_lost_is_restored_by_ai_rules():
    result = classify(f"010{REAL_CIP13[0]}1727123110AB1221XYZ123", "DataMatrix")
    assert result.kind is ScanKind.PRODUCT
    assert (result.fields["lot"], result.fields["serial"]) == ("AB12", "XYZ123")
    assert result.fields["separator_restored"] is True and not result.fields.get("ambiguous")
    # serial first, lot last
    result = classify(f"010{REAL_CIP13[1]}21QWERTY9910BATCH117281130", None)
    assert (result.fields["lot"], result.fields["serial"]) == ("BATCH1", "QWERTY99")


def test_gs1_separator_lost_and_ambiguous_says_so():
    result = classify(f"010{REAL_CIP13[0]}172712312110A1010B", "DataMatrix")
    assert result.kind is ScanKind.PRODUCT
    assert result.fields["ambiguous"] is True
    assert {"lot": "10B", "serial": "10A"} in result.fields["alternatives"]
    assert {"lot": "B", "serial": "10A10"} in result.fields["alternatives"]
    assert "ambigu" in result.message


def test_gs1_hri_and_errors():
    assert classify(f"(01)0{REAL_CIP13[2]}(17)281130(10)A1(21)B2").fields["serial"] == "B2"
    wrong = str((int(REAL_CIP13[2][-1]) + 1) % 10)
    bad_key = classify(f"]d2010{REAL_CIP13[2][:-1]}{wrong}" + "17281130", None)
    assert bad_key.kind is ScanKind.UNKNOWN
    foreign = classify("]d20104012345678901" + "17281130", None)  # a German GTIN, no CIP
    assert foreign.kind is ScanKind.UNKNOWN and "CIP" in foreign.message
    assert classify("]d201034009300001201799999910A", None).kind is ScanKind.UNKNOWN  # bad date


def test_ean13_and_prescribers():
    assert classify(REAL_CIP13[3], "EAN13").fields["cip13"] == REAL_CIP13[3]
    assert classify("4006381333931", "EAN13").kind is ScanKind.UNKNOWN
    assert classify("10000000009", "Code128").fields == {"rpps": "10000000009"}
    assert classify("810000000009", "]C0").fields == {"rpps": "10000000009"}
    assert classify("750000010", "Code128").fields == {"am": "750000010"}
    assert classify("10000000008", "Code128").kind is ScanKind.UNKNOWN  # Luhn key wrong


def test_untyped_payloads_are_told_apart():
    assert classify(REAL_CIP13[4]).kind is ScanKind.PRODUCT
    assert classify("10000000009").kind is ScanKind.PRESCRIBER
    assert classify(N).kind is ScanKind.ORDONNANCE
    assert classify("!!??").kind is ScanKind.UNKNOWN


@pytest.mark.parametrize("typed", [N.lower(), " ".join(N[i:i + 4] for i in range(0, 20, 4)),
                                   f"{N[:5]}-{N[5:10]}-{N[10:]}", f"  {N}  "])
def test_typed_number_always_works(typed):
    assert classify_typed(typed).fields == {"number": N}


def test_typed_number_with_typo_is_caught():
    typo = N[:3] + ("X" if N[3] != "X" else "Y") + N[4:]
    assert classify_typed(typo).kind is ScanKind.UNKNOWN
    assert "clé de contrôle" in classify_typed(typo).message
    assert classify_typed(typo, check_number=False).kind is ScanKind.ORDONNANCE


@pytest.mark.parametrize("payload", [
    "01034009300001201727123110" + "21" * 1000,  # would be lot + serial + 1000 more serials
    "0103400930000120" + "1021" * 50,  # repeated elements
    "]d2010340093000012010A\x1d10B",  # the same AI twice, separators intact
    "(01)" * 500,
])
def test_hostile_gs1_is_refused(payload):
    result = classify(payload, "DataMatrix")
    assert result.kind is ScanKind.UNKNOWN and result.message


@pytest.mark.parametrize("payload", [
    "https://[x]/PZX2R071KJX3EZF213AF", f"https://[x]/{N}", f"http://[::1/{N}", f"https://a]b[c/{N}",
    f"https://[{N}]/{N}", f"https://x.example/{N}?id=[", f"https://[1:2:3]:99999/{N}",
])
@pytest.mark.parametrize("symbology", ["QRCode", None])
def test_malformed_host_is_refused_not_raised(payload, symbology):
    """urlsplit raises ValueError on these: it once killed the camera and serial threads."""
    result = classify(payload, symbology)
    assert result.kind is ScanKind.UNKNOWN
    assert result.message == (NOT_ORDONNANCE if symbology else NOT_RECOGNISED)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(("payload", "symbology"), [
    ("10000000009".translate(ARABIC_INDIC), "Code128"),  # an RPPS with a valid key, in Arabic digits
    ("10000000009".translate(ARABIC_INDIC), None),
    ("750000010".translate(ARABIC_INDIC), "Code128"),  # Assurance Maladie number (Luhn ok)
    ("12345678²", None),  # isdigit() is True, int() raises: this used to escape classify
    (REAL_CIP13[0].translate(ARABIC_INDIC), "EAN13"),
    (REAL_CIP13[0].translate(ARABIC_INDIC), None),
    (REAL_CIP13[0][:-1] + "٤", "EAN13"),
    (f"010{REAL_CIP13[0]}17" + "271231".translate(ARABIC_INDIC) + "10LOT\x1d21SN", "DataMatrix"),
    (f"(01)0{REAL_CIP13[0]}(17)" + "271231".translate(ARABIC_INDIC) + "(10)LOT", None),
    ("01" + ("0" + REAL_CIP13[0]).translate(ARABIC_INDIC) + "17271231", "DataMatrix"),
    ("https://x.example/o/" + N.translate(ARABIC_INDIC), "QRCode"),
])
def test_non_ascii_digits_are_refused(payload, symbology):
    result = classify(payload, symbology)
    assert result.kind is ScanKind.UNKNOWN and result.message and not result.fields


def test_an_unforeseen_failure_is_refused_in_french_and_logged(monkeypatch, caplog):
    def broken(_text):
        raise RuntimeError("a defect in a rule")

    monkeypatch.setattr(classify_module, "_product_ean", broken)
    result = classify(REAL_CIP13[0], "EAN13")
    assert (result.kind, result.text, result.message) == (ScanKind.UNKNOWN, "", UNREADABLE)
    [record] = [r for r in caplog.records if r.name == "app.scanning.classify"]
    assert record.exc_info[0] is RuntimeError and REAL_CIP13[0] not in record.getMessage()
    assert classify(None).kind is ScanKind.UNKNOWN  # not even a string
