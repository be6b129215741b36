"""FHIR ↔ domain mapping without a server: posology in words, medications, deliveries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle

from app.config import load_settings
from app.domain.delivery import (
    Adjustment,
    DeliveredItem,
    Delivery,
    DispenseStatus,
    LineDelivery,
    PharmacyIdentity,
    Substitution,
)
from app.domain.errors import InvalidIdentifier, ServiceUnavailable
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import MedicationKind, Patient, Prescriber
from app.eprescription import systems
from app.eprescription.client import EPrescriptionClient
from app.eprescription.dispense import dispense_record, transaction_bundle
from app.eprescription.dosage import dosage
from app.eprescription.medication import medication_ref
from app.eprescription.posology import dosage_words, posology_words

TABLET = {"unit": "comprimé", "system": systems.EDQM, "code": "15054000"}


@pytest.mark.parametrize(("fhir", "words"), [
    ({"doseAndRate": [{"doseRange": {"low": {"value": 1, **TABLET}, "high": {"value": 2, **TABLET}}}],
      "timing": {"repeat": {"frequency": 1, "period": 12, "periodUnit": "h",
                            "boundsDuration": {"value": 10, "code": "d"}}},
      "maxDosePerPeriod": {"numerator": {"value": 4, **TABLET}, "denominator": {"value": 1, "code": "d"}}},
     "1 à 2 comprimés toutes les 12 heures pendant 10 jours, maximum 4 comprimés par jour"),
    ({"doseAndRate": [{"doseQuantity": {"value": 1, **TABLET}}],
      "timing": {"repeat": {"when": ["MORN", "EVE"], "frequency": 2, "period": 1, "periodUnit": "d"}}},
     "1 comprimé le matin et le soir"),
    ({"doseAndRate": [{"doseQuantity": {"value": 1, **TABLET}}],
      "timing": {"repeat": {"dayOfWeek": ["mon", "thu"], "frequency": 2, "period": 1, "periodUnit": "wk"}}},
     "1 comprimé les lundi et jeudi"),
    ({"doseAndRate": [{"doseQuantity": {"value": 0.5, **TABLET}}], "asNeededBoolean": True,
      "timing": {"repeat": {"frequencyMax": 3, "period": 1, "periodUnit": "d"}}},
     "0,5 comprimé au plus 3 fois par jour, si besoin"),
    ({"text": "selon le schéma joint"}, "selon le schéma joint"),
])
def test_posology_in_words(fhir, words):
    assert dosage_words(dosage(fhir)) == words


def test_sequential_dosages_are_joined_by_then():
    steps = [dosage({"sequence": n, "doseAndRate": [{"doseQuantity": {"value": v, "unit": "mg"}}],
                     "timing": {"repeat": {"boundsDuration": {"value": 2, "code": "d"}}}})
             for n, v in ((1, 6), (2, 4))]
    assert posology_words(tuple(steps)) == "6 mg pendant 2 jours puis 4 mg pendant 2 jours"


@pytest.mark.parametrize(("system", "kind"), [
    (systems.CIP13, MedicationKind.CIP13), (systems.CIS, MedicationKind.CIS), (systems.UCD, MedicationKind.UCD),
    (systems.SUBSTANCE, MedicationKind.SUBSTANCE), ("http://example.org/local", MedicationKind.TEXT),
])
def test_medication_kinds(system, kind):
    mr = {"medicationCodeableConcept": {"coding": [{"system": system, "code": "123", "display": "X 1 mg"}]}}
    ref = medication_ref(mr, lambda _ref: None)
    assert (ref.kind, ref.text) == (kind, "X 1 mg")
    text_only = medication_ref({"medicationCodeableConcept": {"text": "préparation magistrale"}}, lambda r: None)
    assert (text_only.kind, text_only.code) == (MedicationKind.TEXT, None)


def _delivery() -> Delivery:
    pharmacy = PharmacyIdentity("Pharmacie du Comptoir", "1 place de la Mairie", "750000010")
    lines = (
        LineDelivery("N-1", "TAHOR 20 mg", "1 le soir", DispenseStatus.COMPLETED,
                     items=(DeliveredItem("3400934306815", "ATORVASTATINE 20 mg", 1),
                            DeliveredItem("3400949001163", "ATORVASTATINE 20 mg x28", 1)),
                     substitution=Substitution("G", "RR", "TAHOR 20 mg"),
                     adjustment=Adjustment("POSO", "Posologie adaptée", "téléphone", date(2026, 2, 1), "ok"),
                     renewal_index=1),
        LineDelivery("N-2", "DOLIPRANE", "si douleur", DispenseStatus.DECLINED, decline_reason="Déjà en stock"),
    )
    return Delivery("DLV", OrdonnanceNumber("ABCDEFGH12"), datetime(2026, 2, 1, 10, tzinfo=UTC), pharmacy,
                    "Anne", "10000000009", Patient("DURAND", "Marie"), Prescriber("MARTIN"), date(2026, 1, 30),
                    lines)


def test_delivery_to_medication_dispense_and_back():
    bundle = transaction_bundle(_delivery())
    Bundle.model_validate(bundle)
    idents = [e["request"]["ifNoneExist"] for e in bundle["entry"]]
    assert idents == [f"identifier={systems.DISPENSE_ID_SYSTEM}|{v}" for v in ("DLV-N-1", "DLV-N-1-2", "DLV-N-2")]
    first, _, declined = (dispense_record(e["resource"]) for e in bundle["entry"])
    assert (first.cip13, first.quantity, first.renewal_index) == ("3400934306815", Decimal(1), 1)
    assert (first.substitution_type, first.substitution_reason) == ("G", "RR")
    assert (first.adjustment_reason, first.agreement_means) == ("POSO", "téléphone")
    assert (declined.status, declined.decline_reason, declined.quantity) == ("declined", "Déjà en stock", 0)


def test_client_from_settings(monkeypatch):
    monkeypatch.setenv("COMPTOIR_SERVICE_TOKEN", "secret")
    settings = load_settings(env={"COMPTOIR_SERVICE_BASE_URL": "http://127.0.0.1:9/fhir",
                                  "COMPTOIR_SERVICE_TIMEOUT_S": "0.5"})
    client = EPrescriptionClient.from_settings(settings)
    assert client.check_number
    with pytest.raises(InvalidIdentifier):  # a mistyped 20-character number never leaves the counter
        client.fetch("ABCDEFGHJKMNPQRSTVW0")
    client.retries = 0
    with pytest.raises(ServiceUnavailable):  # nothing listens on port 9
        client.fetch(OrdonnanceNumber.issue("ABCDEFGHJKMNPQRSTVW"))
    client.close()


def test_a_dose_of_the_wrong_type_is_refused_not_dropped():
    """A dose that is not a number must not vanish from the posology: the answer is refused, naming it."""
    from app.domain.errors import MalformedResponse

    good = {"doseAndRate": [{"doseQuantity": {"value": 2, **TABLET}}]}
    assert dosage_words(dosage(good)) == "2 comprimés"
    with pytest.raises(MalformedResponse) as caught:
        dosage({"doseAndRate": [{"doseQuantity": {"value": "2", **TABLET}}]})
    assert str(caught.value) == ("Réponse du service illisible : Dosage.doseAndRate[0].doseQuantity.value : "
                                 "nombre attendu")
    with pytest.raises(MalformedResponse, match=r"Dosage.timing.repeat.when : liste attendue"):
        dosage({"timing": {"repeat": {"when": "MORN"}}})


def test_unknown_content_of_the_right_type_still_reads_as_absent():
    words = dosage({"doseAndRate": [{"doseQuantity": {"value": 1, **TABLET}}],
                    "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "fortnight"}}})
    assert words.timing.period_unit is None and dosage_words(words) == "1 comprimé"


def test_a_dispense_of_the_wrong_shape_is_refused_naming_it():
    from app.domain.errors import MalformedResponse

    resource = transaction_bundle(_delivery())["entry"][0]["resource"]
    resource["quantity"] = {"value": [1]}
    with pytest.raises(MalformedResponse, match=r"MedicationDispense.quantity.value : nombre attendu"):
        dispense_record(resource)
