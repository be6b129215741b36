"""Recording at the counter: the ordonnancier takes the listed products only, with their class, and the
recording says when an address the register names is missing."""

from __future__ import annotations

from sqlalchemy import select

from app.storage.models.ordonnancier import OrdonnancierRow
from app.workflow.ops import Confirm, IssueBill, Override
from tests.workflow.conftest import CLAMOXYL_1G, DOLIPRANE_1000, med_request


def test_only_the_listed_product_is_registered_and_a_missing_address_is_said(env):
    doliprane = next(p for p in env.catalogue.presentations_of_cis(DOLIPRANE_1000) if p.pack_quantity == 8)
    clamoxyl = env.catalogue.presentations_of_cis(CLAMOXYL_1G)[0]
    patient = {"resourceType": "Patient", "id": "p1", "name": [{"family": "SANSADRESSE", "given": ["Léa"]}],
               "birthDate": "1990-02-03"}
    number = env.prescribe(med_request("doli", doliprane.cip13, "DOLIPRANE 1000 mg cp", days=8),
                           med_request("amox", clamoxyl.cip13, "CLAMOXYL 1 g", per_day=2, days=6), patient)
    d = env.counter.start(number)
    for state in d.lines:
        d = env.counter.apply(d, Confirm(state.line_id)).dispensing
    for finding in env.counter.findings(d):
        d = env.counter.apply(d, Override(finding.line_id, finding.rule, "vu")).dispensing
    d = env.counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    recorded = env.counter.record(d)
    with env.factory() as session:
        rows = session.scalars(select(OrdonnancierRow).where(OrdonnancierRow.delivery_id == d.delivery_id)).all()
    amoxicillin = d.lines[1].product  # CLAMOXYL or a generic of it (generic first), liste I either way
    assert [(r.cip13, r.list_class) for r in rows] == [(amoxicillin.cip13, "liste I")]
    numbered = {line.prescribed.split()[0]: line.ordonnancier_numbers for line in recorded.delivery.lines}
    assert numbered["DOLIPRANE"] == () and len(numbered["CLAMOXYL"]) == 1
    assert len(recorded.warnings) == 1 and "adresse du patient" in recorded.warnings[0]
