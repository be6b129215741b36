"""The overlap ban across ordonnances (art. R.5132-33 CSP) through the real sandbox and the real counter:
a second ordonnance of the same patient for the same stupéfiant, while the boxes of the first still
last, is blocked unless the prescriber wrote the overlap; another patient is not concerned."""

from __future__ import annotations

import pytest

from app.workflow.ops import Confirm, IssueBill, RulesNotMet, SetBearer
from tests.workflow.conftest import ACTISKENAN_10, med_request

OTHER_PATIENT = {"resourceType": "Patient", "id": "p1", "name": [{"family": "DURAND", "given": ["Marie"]}],
                 "gender": "female", "birthDate": "1990-01-01"}  # a namesake, born another day, no NIR


def _actiskenan(env, *, note: str | None = None, patient: dict | None = None) -> str:
    box = env.catalogue.presentations_of_cis(ACTISKENAN_10)[0]  # morphine, a stupéfiant
    mr = med_request("m", box.cip13, "ACTISKENAN 10 mg gélule", per_day=2, days=14, unit="gélule")
    if note:
        mr["note"] = [{"text": note}]
    return env.prescribe(mr, *([patient] if patient else []))


def _deliver(env, number: str):
    counter = env.counter
    d = counter.start(number)
    (state,) = d.lines
    d = counter.apply(d, Confirm(state.line_id)).dispensing
    d = counter.apply(d, SetBearer(None)).dispensing  # the patient takes them
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    counter.record(d)
    return d


def _overlaps(env, number: str):
    d = env.counter.start(number)
    (state,) = d.lines
    d = env.counter.apply(d, Confirm(state.line_id)).dispensing
    d = env.counter.apply(d, SetBearer(None)).dispensing
    return d, [f for f in env.counter.findings(d) if f.code == "OVERLAP"]


def test_second_ordonnance_of_the_same_stupefiant_is_blocked(env):
    first = _actiskenan(env)
    _deliver(env, first)
    second = _actiskenan(env)
    d, (overlap,) = _overlaps(env, second)
    history = env.counter.history(d.prescription)
    assert history.deliveries == 0 and history.line_deliveries == {}  # nothing yet of this ordonnance
    (earlier,) = history.earlier  # the first ordonnance's delivery, its substance named
    assert earlier.ordonnance == first and any("MORPHINE" in s.upper() for s in earlier.substances)
    assert overlap.blocking and f"l'ordonnance {first}" in overlap.message and "mention expresse" in overlap.message
    with pytest.raises(RulesNotMet, match="Chevauchement interdit"):
        env.counter.apply(d, IssueBill(tiers_payant=True))


def test_each_line_counts_its_own_deliveries(env):
    first = _deliver(env, _actiskenan(env))
    history = env.counter.history(first.prescription)
    assert history.deliveries == 1 and history.line_deliveries == {first.lines[0].line_id: 1}
    assert history.earlier[0].covered_until is not None


def test_the_prescriber_s_mention_lifts_the_ban_and_a_denial_does_not(env):
    _deliver(env, _actiskenan(env))
    assert _overlaps(env, _actiskenan(env, note="Chevauchement autorisé avec l'ordonnance précédente"))[1] == []
    assert len(_overlaps(env, _actiskenan(env, note="Chevauchement interdit"))[1]) == 1


def test_another_patient_of_the_same_name_is_not_concerned(env):
    _deliver(env, _actiskenan(env))
    assert _overlaps(env, _actiskenan(env, patient=OTHER_PATIENT))[1] == []
