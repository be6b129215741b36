"""Reading the ANSM files without a database: encodings, line ends, columns, values, bad rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.catalogue.fields import condition_of, flags_of, parse_pack, parse_price, parse_rate
from app.catalogue.normalise import fold, words
from app.catalogue.reader import detect_encoding, split_lines
from app.catalogue.records import FILES, parse_file
from app.domain.catalogue import Condition
from tests.catalogue.conftest import RELEASE_2022, RELEASE_2026

ROWS_2022 = {"CIS_bdpm.txt": 15676, "CIS_CIP_bdpm.txt": 20747, "CIS_GENER_bdpm.txt": 10009,
             "CIS_COMPO_bdpm.txt": 32340, "CIS_CPD_bdpm.txt": 24767}
ROWS_2026 = {"CIS_bdpm.txt": 15848, "CIS_CIP_bdpm.txt": 20899}


@pytest.mark.parametrize(("folder", "expected"), [(RELEASE_2022, ROWS_2022), (RELEASE_2026, ROWS_2026)])
def test_every_row_of_the_real_files_is_read(folder, expected):
    for name, count in expected.items():
        rejected = []
        rows = parse_file(folder / name, name, rejected)
        assert (name, len(rows), rejected) == (name, count, [])


def test_encodings_differ_per_file_and_are_detected():
    def encoding(path):
        return detect_encoding(split_lines(path.read_bytes()))

    assert encoding(RELEASE_2026 / "CIS_CIP_bdpm.txt") == "utf-8"
    assert encoding(RELEASE_2026 / "CIS_bdpm.txt") == "cp1252"
    assert {encoding(RELEASE_2022 / name) for name in FILES} == {"cp1252"}
    # the same accented label, read from a Windows-1252 and from a UTF-8 file
    for folder in (RELEASE_2022, RELEASE_2026):
        rows = parse_file(folder / "CIS_CIP_bdpm.txt", "CIS_CIP_bdpm.txt", [])
        label = next(r.label for _, r in rows if r.cip13 == "3400936963504")
        assert label.startswith("20 récipient(s) unidose(s) polyéthylène de 2 ml")


def test_line_ends_and_bom():
    assert split_lines(b"a\tb\r\nc\td\r\n") == [b"a\tb", b"c\td"]
    assert split_lines(b"a\nb") == [b"a", b"b"]
    assert split_lines(b"\xef\xbb\xbfa\r\n") == [b"a"]


def test_rows_with_spurious_empty_columns_are_repaired_not_lost():
    rows = dict(parse_file(RELEASE_2022 / "CIS_GENER_bdpm.txt", "CIS_GENER_bdpm.txt", []))
    assert rows[10004].group_id == "1809" and rows[10004].cis == "67215259" and rows[10004].role == 0
    compo = dict(parse_file(RELEASE_2022 / "CIS_COMPO_bdpm.txt", "CIS_COMPO_bdpm.txt", []))
    assert compo[26838].dosage == "4CH à 30CH et 7DH à 60DH" and compo[26838].nature == "SA"


def test_prices_rates_and_codes_of_a_known_presentation():
    rows = {r.cip13: r for _, r in parse_file(RELEASE_2022 / "CIS_CIP_bdpm.txt", "CIS_CIP_bdpm.txt", [])}
    levothyrox = rows["3400930065785"]
    assert (levothyrox.cis, levothyrox.cip7, levothyrox.rate, levothyrox.price_cents) == (
        "62080626", "3006578", 65, 155)
    assert rows["3400930167298"].rate == 65  # written "65 %"
    assert rows["3400930144213"].price_cents == 441708  # "4,417,08"


@pytest.mark.parametrize(("text", "value"), [
    ("33,48", Decimal("33.48")), ("1,234,56", Decimal("1234.56")), ("2,720,10", Decimal("2720.10")),
    ("12", Decimal("12")), ("", None),
])
def test_prices(text, value):
    assert parse_price(text) == value


@pytest.mark.parametrize("text", ["12.30", "1,2,3", "abc", "12,3 €"])
def test_unreadable_prices(text):
    with pytest.raises(ValueError, match="prix illisible"):
        parse_price(text)


def test_rates():
    assert (parse_rate("65%"), parse_rate("65 %"), parse_rate("100 %"), parse_rate("")) == (65, 65, 100, None)
    for bad in ("65", "150%", "x %"):
        with pytest.raises(ValueError):
            parse_rate(bad)


@pytest.mark.parametrize(("label", "pack"), [
    ("plaquette(s) PVC PVDC aluminium de 30 comprimé(s)", (30, "comprimé")),
    ("plaquette(s) thermoformée(s) PVC-aluminium de 8  comprimé(s)", (8, "comprimé")),
    ("3 pilulier(s) polypropylène de 30 comprimé(s)", (90, "comprimé")),
    ("30 plaquette(s) prédécoupées unitaires PVC PVDC aluminium de 1 comprimé(s)", (30, "comprimé")),
    ("plaquettes PVC-Aluminium de 16 comprimés", (16, "comprimé")),
    ("plaquette(s) PVC polyéthylène PVDC aluminium de 30 x 1 comprimés (dose unitaire)", (30, "comprimé")),
    ("20 ampoule(s) polypropylène de 20 ml", (20, "ampoule")),
    ("1 flacon(s) polypropylène de 100 ml", (1, "flacon")),
    ("28 sachet(s)-dose(s) papier polyéthylène aluminium de 8,5 mg", (28, "sachet-dose")),
    ("1 tube(s) aluminium de 45 g", (1, "tube")),
    # the form is the speciality's: 30 of them, unnamed
    ("plaquette(s) PVC PVDC aluminium de 30", (30, None)),
    # real BDPM labels (2022-06 and 2026-05) once read wrongly: blisters counted as units, multipacks,
    # several blisters, a count in brackets, a container named without a count
    ("11 plaquette(s) OPA : polyamide orienté aluminium PVC 8 comprimés", (88, "comprimé")),
    ("56 plaquettes unitaires PVC PVDC aluminium de (14 x 4 x 1) comprimés", (56, "comprimé")),
    ("3 plaquette(s) PVC transparent/Aluminium (3x28 comprimés pelliculés) contenant dans l'ordre : 2 comprimés "
     "jaune foncé, 5 comprimés rouges, 17 comprimés jaune clair, 2 comprimés rouge foncé et 2 comprimés blancs",
     (84, "comprimé")),
    ("3 plaquette(s) OPA : polyamide orienté aluminium de 10 x 1 comprimé", (30, "comprimé")),
    ("3 plaquettes PVC PVDC aluminium de 21 comprimés actifs et 7 comprimés placebo", (84, "comprimé")),
    ("1 plaquette(s) PVC PVDC aluminium de28 comprimés pelliculés (24 comprimés actifs et 4 comprimés placebos)",
     (28, "comprimé")),
    ("3 plaquette(s) PVC PVDC aluminium de 28 comprimé(s)  (21comprimés actifs + 7 comprimés placebo)",
     (84, "comprimé")),
    ("1 plaquette(s) thermoformée(s) aluminium de 3 comprimé(s) - 1 plaquette(s) thermoformée(s) aluminium de "
     "28 comprimé(s)", (31, "comprimé")),
    ("4 plaquettes PVC-Aluminium de 1 comprimé de 10 mg -  4 plaquettes PVC-Aluminium de 1 comprimé de 20 mg - "
     "19 plaquettes PVC-Aluminium de 1 comprimé  de 30 mg. Pack d'initiation de traitement de 27 comprimés",
     (27, "comprimé")),
    ("15 plaquettes  PVC PVDC aluminium de 8 gélules (120 gélules en conditionnements multiples (3 x 40))",
     (120, "gélule")),
    ("28 plaquette(s) thermoformée(s) PVC PVDC aluminium pour délivrance à l'unité", (28, None)),
    ("28 (4 x 7) sachets BoPET : polyéthylène téréphtalate biaxialement orienté polyéthylène aluminium "
     "(conditionnement multiple)", (28, "sachet")),
    ("6 (3 x 2) stylos préremplis en verre de 0,4 mL (multipack)", (6, "stylo")),
    ("30 sachet(s) papier polytéréphtalate (PET) aluminium polyacrylonitrile avec fermeture de sécurité enfant "
     "de 1 patch transdermique", (30, "patch")),
    ("tube(s) aluminium verni de 15 g", (1, "tube")),
    ("poche(s) (ECOFLAC) polyéthylène de 500  ml", (1, "poche")),
])
def test_pack_quantity_and_unit_from_the_label(label, pack):
    assert parse_pack(label) == pack


def test_conditions_map_to_the_domain():
    assert condition_of("liste I") is Condition.LISTE_I
    assert condition_of("liste II") is Condition.LISTE_II
    assert condition_of("stupéfiants") is Condition.STUPEFIANT
    assert condition_of("réservé à l'usage HOSPITALIER") is Condition.HOSPITAL_ONLY
    assert condition_of("prescription hospitalière") is Condition.HOSPITAL_PRESCRIPTION
    assert condition_of("prescription initiale hospitalière annuelle") is Condition.INITIAL_HOSPITAL_PRESCRIPTION
    assert condition_of("prescription réservée aux spécialistes et services CARDIOLOGIE") is Condition.SPECIALIST
    assert condition_of("prescription en toutes lettres sur ordonnance sécurisée") is Condition.SECURE_PRESCRIPTION
    assert condition_of("prescription limitée à 4 semaines") is Condition.OTHER
    zolpidem = flags_of(["liste I", "prescription en toutes lettres sur ordonnance sécurisée"])
    assert zolpidem == {Condition.LISTE_I, Condition.SECURE_PRESCRIPTION, Condition.ASSIMILE_STUPEFIANT}
    morphine = flags_of(["stupéfiants", "prescription en toutes lettres sur ordonnance sécurisée"])
    assert Condition.ASSIMILE_STUPEFIANT not in morphine and Condition.STUPEFIANT in morphine
    assert flags_of([]) == frozenset()


def test_folding_ignores_accents_case_and_punctuation():
    assert fold("LÉVOTHYROX 75 µg, Comprimé") == "levothyrox 75 ug comprime"
    assert words("Amoxicilline/Acide clavulanique") == ["amoxicilline", "acide", "clavulanique"]


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_codes_in_non_ascii_digits_are_rejected_with_their_line(tmp_path):
    """\\d matches Arabic-Indic digits and int() reads them: the CIS, CIP and group codes must not."""
    good = "61266250\tA 313, pommade\tpommade\tcutanée\tAutorisation active\tProcédure nationale" \
           "\tCommercialisée\t12/03/1998\t\t\t PHARMA\tNon"
    bad_cis = good.replace("61266250", "61266250".translate(ARABIC_INDIC), 1)
    one_digit = good.replace("61266250", "6126625" + "٠", 1)
    path = tmp_path / "CIS_bdpm.txt"
    path.write_text("\n".join([good, bad_cis, one_digit]) + "\n", encoding="utf-8")
    rejected = []
    rows = parse_file(path, "CIS_bdpm.txt", rejected)
    assert [(line, row.cis) for line, row in rows] == [(1, "61266250")]
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "code CIS invalide « ٦١٢٦٦٢٥٠ »"), (3, "code CIS invalide « 6126625٠ »")]


def test_generic_group_with_non_ascii_digits_is_rejected(tmp_path):
    path = tmp_path / "CIS_GENER_bdpm.txt"
    path.write_text("1809\tLABEL\t67215259\t0\t1\n" + "١٨٠٩\tLABEL\t67215259\t0\t2\n"
                    + "1809\tLABEL\t67215259\t٠\t3\n", encoding="utf-8")
    rejected = []
    rows = parse_file(path, "CIS_GENER_bdpm.txt", rejected)
    assert [(row.group_id, row.sort_order) for _, row in rows] == [("1809", 1)]
    assert [r.line for r in rejected] == [2, 3]


@pytest.mark.parametrize("text", ["33,48".translate(ARABIC_INDIC), "３３,４８", "1,234,5٦"])
def test_prices_in_non_ascii_digits_are_unreadable(text):
    with pytest.raises(ValueError, match="prix illisible"):
        parse_price(text)


def test_rates_and_pack_counts_in_non_ascii_digits():
    with pytest.raises(ValueError):
        parse_rate("٦٥ %")
    assert parse_pack("plaquette(s) PVC de ٣٠ comprimé(s)") == (None, None)
    assert parse_pack("٣ pilulier(s) polypropylène de 30 comprimé(s)") == (30, "comprimé")
