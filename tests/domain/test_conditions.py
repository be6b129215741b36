"""The BDPM conditions (CIS_CPD) read into structured conditions, on the real 2022-06 texts."""

from __future__ import annotations

from collections import Counter

import pytest

from app.domain.catalogue import Condition
from app.domain.conditions import PrescriberKind, ProductConditions, parse_conditions
from tests.domain import bdpm

RIVOTRIL_2 = "68429141"
METHADONE_10_GELULE = "60998856"
METHADONE_SIROP = "67255773"
ACTISKENAN_10 = "64288864"
STILNOX_10 = "63179285"
REFACTO_250 = "60106606"
TAHOR_20 = "69902323"


def test_every_text_of_the_release_is_read():
    """No CIS_CPD text of the shipped release falls outside a family (each is acted on or shown)."""
    unknown: Counter[str] = Counter()
    for texts in bdpm.release().conditions.values():
        unknown.update(parse_conditions(texts).unknown)
    assert unknown == Counter()


def test_rivotril_is_an_assimile_limited_to_twelve_weeks():
    c = bdpm.conditions(RIVOTRIL_2)
    assert c.list_level == "I" and not c.narcotic and c.assimilated and c.secure_prescription
    assert c.max_prescription.days == 84 and c.max_prescription.text == "12 semaines"
    assert c.duration_limit_days() == 84  # its own limit, not the stupéfiants' 28 days
    assert c.overlap_forbidden and c.fraction_days is None
    (initial,) = c.restrictions
    assert initial.kind is PrescriberKind.INITIAL_SPECIALIST and initial.renewal_months == 12
    assert initial.specialties == ("NEUROLOGIE", "PEDIATRIE")


@pytest.mark.parametrize("cis, limit, fraction", [(METHADONE_10_GELULE, 28, 7), (METHADONE_SIROP, 14, 7)])
def test_methadone_is_a_stupefiant_fractioned_by_seven_days(cis, limit, fraction):
    c = bdpm.conditions(cis)
    assert c.narcotic and not c.assimilated and c.list_level is None
    assert c.duration_limit_days() == limit and c.fraction_days == fraction
    (initial,) = [r for r in c.restrictions if r.kind is PrescriberKind.INITIAL_SPECIALIST]
    assert any("CSAPA" in s for s in initial.specialties)  # the CSAPA writes the initial prescription
    assert c.special_monitoring
    assert "délivrance effectuée par une pharmacie de ville" in c.notes


def test_methadone_sirop_initial_prescription_by_hospital_doctors_or_csapa():
    c = bdpm.conditions(METHADONE_SIROP)
    assert [r.kind for r in c.restrictions] == [PrescriberKind.INITIAL_SPECIALIST]
    assert any("médecins hospitaliers" in s for s in c.restrictions[0].specialties)


def test_actiskenan_is_a_classed_stupefiant_of_four_weeks():
    c = bdpm.conditions(ACTISKENAN_10)
    assert c.narcotic and c.duration_limit_days() == 28 and c.max_prescription.months == 1
    assert c.restrictions == () and not c.overlap_forbidden


def test_stilnox_overlap_forbidden_without_being_a_stupefiant():
    c = bdpm.conditions(STILNOX_10)
    assert c.assimilated and c.overlap_forbidden and c.duration_limit_days() == 28


def test_hospital_only_and_pui_products():
    refacto = bdpm.conditions(REFACTO_250)
    assert refacto.hospital_only  # "délivrance réservée aux pharmacies à usage intérieur"
    (pih,) = refacto.restrictions
    assert pih.kind is PrescriberKind.INITIAL_HOSPITAL and pih.renewal_months == 6
    hospital = parse_conditions(["réservé à l'usage HOSPITALIER", "liste I"])
    assert hospital.hospital_only and Condition.HOSPITAL_ONLY in hospital.flags()


def test_a_real_hospital_only_speciality():
    cis = next(cis for cis, texts in bdpm.release().conditions.items()
               if "réservé à l'usage HOSPITALIER" in texts and cis in bdpm.release().by_cis)
    assert bdpm.conditions(cis).hospital_only


def test_emergency_channels_forbid_nothing_at_the_counter():
    """BUCCOLAM is dispensed in town pharmacies although "réservé à l'usage en situation d'urgence"."""
    buccolam = bdpm.conditions(bdpm.find_cis("BUCCOLAM 10 mg"))
    assert not buccolam.hospital_only and buccolam.reserved_use is None
    assert any("situation d'urgence" in n for n in buccolam.notes)


def test_professional_use_is_another_channel():
    c = parse_conditions(["réservé à l'usage professionnel DENTAIRE", "liste II"])
    assert c.reserved_use == "réservé à l'usage professionnel DENTAIRE" and not c.hospital_only


def test_specialties_and_renewals():
    c = parse_conditions(["prescription réservée aux spécialistes et services ONCOLOGIE MEDICALE",
                          "prescription réservée aux spécialistes et services HEMATOLOGIE",
                          "renouvellement de la prescription réservé aux spécialistes en HEPATO/GASTRO-ENTEROLOGIE",
                          "prescription hospitalière", "liste I"])
    kinds = {r.kind: r for r in c.restrictions}
    assert kinds[PrescriberKind.SPECIALIST].specialties == ("ONCOLOGIE MEDICALE", "HEMATOLOGIE")
    assert kinds[PrescriberKind.RENEWAL_SPECIALIST].specialties == ("HEPATO/GASTRO-ENTEROLOGIE",)
    assert PrescriberKind.HOSPITAL in kinds


@pytest.mark.parametrize("text, days, unit, months", [
    ("prescription limitée à 4 semaines", 28, "wk", 1),
    ("prescription limitée à 12 semaines", 84, "wk", 3),
    ("prescription limitée à 6 mois", 180, "mo", 6),
    ("prescription limitée à 7 jours", 7, "d", None),
    ("prescription limitée à 7 jours ou 28 jours", 28, "d", None),
    ("prescription limitée à 3 jours", 3, "d", None),
])
def test_duration_limits(text, days, unit, months):
    limit = parse_conditions([text]).max_prescription
    assert (limit.days, limit.unit, limit.months) == (days, unit, months)


def test_pharmacist_checks_and_information():
    c = parse_conditions(["délivrance après vérification du recueil de l'accord de soins",
                          "ordonnance avec NFL datée dont valeurs dans les limites usuelles",
                          "médicament d'exception", "médicament nécessitant une surveillance particulière pendant "
                          "le traitement"])
    assert len(c.checks) == 2 and c.exception_drug and c.special_monitoring
    assert Condition.EXCEPTION in c.flags()


def test_flags_follow_the_texts():
    assert parse_conditions(["liste I", "prescription en toutes lettres sur ordonnance sécurisée"]).flags() == {
        Condition.LISTE_I, Condition.SECURE_PRESCRIPTION, Condition.ASSIMILE_STUPEFIANT}
    assert Condition.ASSIMILE_STUPEFIANT not in bdpm.conditions(ACTISKENAN_10).flags()
    assert bdpm.conditions(TAHOR_20).flags() == {Condition.LISTE_I}
    assert parse_conditions([]).flags() == frozenset()


def test_conditions_from_flags_alone():
    c = ProductConditions.from_flags({Condition.LISTE_I, Condition.ASSIMILE_STUPEFIANT})
    assert c.list_level == "I" and c.assimilated and not c.narcotic and c.duration_limit_days() is None
    assert ProductConditions.from_flags({Condition.STUPEFIANT}).duration_limit_days() == 28


def test_exception_drug_text_variants():
    """The status may be written in the singular or plural, with a typographic apostrophe, in capitals,
    or as the ordonnance it needs; neither bundled BDPM release has such a CIS_CPD text (checked)."""
    for text in ("médicament d'exception", "médicaments d’exception", "MEDICAMENT D EXCEPTION",
                 "prescription sur ordonnance de médicaments d'exception"):
        assert parse_conditions([text]).exception_drug, text
    assert not parse_conditions(["médicament d'exceptionnelle tolérance"]).exception_drug
    assert not any(parse_conditions(texts).exception_drug for texts in bdpm.release().conditions.values())
