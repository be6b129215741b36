"""What the counter sends with its default clock is stored by the service as valid FHIR R4."""

from __future__ import annotations

import httpx
from fhir.resources.R4B.bundle import Bundle

from app.wiring import make_counter
from app.workflow.ops import Confirm, IssueBill
from tests.workflow.conftest import DOLIPRANE_1000, PHARMACIST_RPPS, PHARMACY_FINESS, med_request


def test_a_delivery_recorded_with_the_default_clock_is_valid_fhir(env):
    counter = make_counter(env.settings, env.factory, env.catalogue, env.client)  # the real app's clock
    box = env.catalogue.presentations_of_cis(DOLIPRANE_1000)[0]
    number = env.prescribe(med_request("p", box.cip13, "DOLIPRANE 1000 mg", per_day=1, days=8))
    d = counter.start(number)
    (line_id,) = [s.line_id for s in d.lines]
    d = counter.apply(d, Confirm(line_id)).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=False)).dispensing
    counter.record(d)
    token = env.admin.pharmacy_token(PHARMACY_FINESS, PHARMACIST_RPPS)
    answer = httpx.get(f"{env.base_url}/MedicationDispense", params={"group-identifier": number},
                       headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    stored = Bundle.model_validate(answer.json())
    (entry,) = stored.entry
    assert entry.resource.whenHandedOver.tzinfo is not None
