"""Who is the same patient across ordonnances (the overlap ban looks at his other deliveries)."""

from __future__ import annotations

from datetime import date

from app.domain.identifiers import Nir
from app.domain.prescription import Patient, same_patient

NIR = Nir.parse("256047511234526")
OTHER_NIR = Nir.parse("190017511234511")
BORN = date(1956, 4, 12)


def test_the_nir_decides_when_both_carry_it():
    assert same_patient(Patient("DURAND", "Marie", BORN, NIR), Patient("Durand-Martin", "Marie", None, NIR))
    assert not same_patient(Patient("DURAND", "Marie", BORN, NIR), Patient("DURAND", "Marie", BORN, OTHER_NIR))


def test_else_the_name_and_the_birth_date_both():
    assert same_patient(Patient("Dupré", "Zoé", BORN, NIR), Patient("DUPRE", "zoe", BORN))
    assert not same_patient(Patient("DUPRE", "Zoé", BORN), Patient("DUPRE", "Zoé", date(1990, 1, 1)))
    assert not same_patient(Patient("DUPRE", "Zoé"), Patient("DUPRE", "Zoé"))  # a namesake cannot be ruled out
    assert not same_patient(Patient("DUPRE", "Zoé", BORN), Patient("DUPRE", "Léa", BORN))
