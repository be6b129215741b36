"""The full 2022-06 release on SQLite and PostgreSQL: counts, lookups, groups, search, substances."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.catalogue import import_release
from app.domain.catalogue import Condition, GenericRole
from app.domain.errors import InvalidIdentifier
from app.storage.models.catalogue import (
    CatalogueComposition,
    CatalogueCondition,
    CatalogueGenericGroup,
    CatalogueGenericMember,
    CataloguePresentation,
    CatalogueSpeciality,
)
from tests.catalogue.conftest import RELEASE_2022

LEVOTHYROX_75 = "3400930065785"


TABLES = (CatalogueSpeciality, CataloguePresentation, CatalogueComposition, CatalogueCondition,
          CatalogueGenericMember)


def _counts(factory) -> dict[str, int]:
    return {m.__tablename__: _count(factory, m) for m in TABLES}


def _count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_rows_per_file_land_in_the_tables(release_2022):
    report = release_2022.reports[0]
    assert report.first_import and report.release == "2022-06"
    assert report.counts == {"CIS_bdpm.txt": 15676, "CIS_CIP_bdpm.txt": 20747, "CIS_GENER_bdpm.txt": 10009,
                             "CIS_COMPO_bdpm.txt": 32340, "CIS_CPD_bdpm.txt": 24767}
    # 8 presentations of the real file name a CIS that the CIS file does not list
    assert [(r.file, r.reason.startswith("CIS ")) for r in report.rejected] == [("CIS_CIP_bdpm.txt", True)] * 8
    factory = release_2022.factory
    assert _count(factory, CatalogueSpeciality) == 15676
    assert _count(factory, CataloguePresentation) == 20747 - 8
    assert _count(factory, CatalogueComposition) == 32340
    assert _count(factory, CatalogueCondition) == 24767
    assert _count(factory, CatalogueGenericMember) == 10009
    assert _count(factory, CatalogueGenericGroup) == 1487
    assert release_2022.catalogue.release() == "2022-06" and release_2022.catalogue.is_loaded()


def test_reimporting_the_full_release_changes_nothing(release_2022):
    before = _counts(release_2022.factory)
    report = import_release(release_2022.factory, RELEASE_2022)
    assert report.unchanged and report.release == "2022-06"
    assert report.counts == release_2022.reports[0].counts
    assert _counts(release_2022.factory) == before


def test_a_known_cip13_gives_name_price_rate_pack_and_conditions(release_2022):
    box = release_2022.catalogue.by_cip13(LEVOTHYROX_75)
    assert box.name == "LEVOTHYROX 75 microgrammes, comprimé sécable"
    assert (box.price, box.rate, box.pack_quantity, box.pack_unit) == (Decimal("1.55"), 65, 30, "comprimé")
    assert box.flags == {Condition.LISTE_II} and box.active
    assert (box.generic_group_id, box.generic_role) == ("794", GenericRole.PRINCEPS)
    assert release_2022.catalogue.by_cip13("0" + LEVOTHYROX_75) == box  # GTIN-14 from a DataMatrix
    assert release_2022.catalogue.by_cip7("3006578") == box
    with pytest.raises(InvalidIdentifier):
        release_2022.catalogue.by_cip13("3400930065786")


def test_a_price_over_a_thousand_euros_and_a_rate_written_with_a_space(release_2022):
    assert release_2022.catalogue.by_cip13("3400930144213").price == Decimal("4417.08")
    assert release_2022.catalogue.by_cip13("3400930167298").rate == 65


def test_speciality_with_compositions_and_conditions(release_2022):
    stilnox = release_2022.catalogue.speciality("63179285")
    assert stilnox.name.startswith("STILNOX 10 mg") and stilnox.routes == ("orale",)
    assert [(c.substance, c.dosage) for c in stilnox.compositions] == [("TARTRATE DE ZOLPIDEM", "10 mg")]
    assert "liste I" in stilnox.conditions and stilnox.commercialised
    assert stilnox.flags == {Condition.LISTE_I, Condition.SECURE_PRESCRIPTION, Condition.ASSIMILE_STUPEFIANT}
    assert release_2022.catalogue.speciality("69999999") is None


def test_the_generic_group_of_a_known_princeps(release_2022):
    catalogue = release_2022.catalogue
    group = catalogue.generic_group("62080626")
    assert group.group_id == "794" and group.label.startswith("LEVOTHYROXINE SODIQUE 75 microgrammes")
    assert [m.cis for m in group.princeps] == ["62080626"]
    assert "64826590" in {m.cis for m in group.generics}  # THYROFIX 75
    assert catalogue.generic_group(LEVOTHYROX_75) == group
    subs = catalogue.substitutes(LEVOTHYROX_75)
    assert subs and all(p.pack_quantity == 30 and p.generic_group_id == "794" and p.active for p in subs)
    assert LEVOTHYROX_75 not in {p.cip13 for p in subs}


@pytest.mark.parametrize("query", ["doli 1000", "DOLI 1000", "dóli 1000"])
def test_search_by_name_prefixes_ignores_case_and_accents(release_2022, query):
    found = release_2022.catalogue.find(query)
    assert found and all(p.name.startswith("DOLIPRANE") and " 1000 " in p.name for p in found)
    assert found[0].name == "DOLIPRANE 1000 mg, comprimé"


def test_search_matches_every_word_and_ranks_marketed_names_first(release_2022):
    catalogue = release_2022.catalogue
    found = catalogue.find("levoth 75")
    assert found[0].name.startswith("LEVOTHYROX 75")
    assert all("75" in p.name for p in found)
    assert catalogue.find("lévothyrox") == catalogue.find("LEVOTHYROX")
    assert catalogue.find("zzzzqqq") == []
    assert len(catalogue.find("dol", limit=10)) == 10


def test_search_falls_back_to_substances(release_2022):
    found = release_2022.catalogue.find("paracetamol", limit=2000)
    names = {p.name for p in found}
    assert any(n.startswith("PARACETAMOL") for n in names)
    assert any(n.startswith("DOLIPRANE") for n in names)  # by its substance
    # specialities named after the substance first, then those that only contain it
    named = sum("PARACETAMOL" in p.name for p in found)
    assert all("PARACETAMOL" in p.name for p in found[:named])


def test_search_by_codes(release_2022):
    catalogue = release_2022.catalogue
    assert [p.cip13 for p in catalogue.find(LEVOTHYROX_75)] == [LEVOTHYROX_75]
    assert [p.cip13 for p in catalogue.find("3006578")] == [LEVOTHYROX_75]
    assert {p.cis for p in catalogue.find("62080626")} == {"62080626"}
    assert catalogue.find("3400930065792") == []  # valid key, not in the catalogue


def test_by_substance_for_common_name_lines(release_2022):
    found = release_2022.catalogue.by_substance("paracétamol", "1000 mg", "comprimé")
    assert found and all(p.form.startswith("comprimé") for p in found)
    assert any(p.name.startswith("DOLIPRANE 1000 mg, comprimé") for p in found)
    tartrate = release_2022.catalogue.by_substance("tartrate de zolpidem", "10 mg")
    assert any(p.name.startswith("STILNOX 10 mg") for p in tartrate)
