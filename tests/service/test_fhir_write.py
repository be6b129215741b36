"""Domain → FHIR for prescriptions: every HAS example goes FHIR → domain → FHIR → domain unchanged,
the written Bundle validates as FHIR (fhir.resources R4B), and the sandbox stores and serves it back
as the same lines."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle

from app.domain.identifiers import Nir, OrdonnanceNumber, Rpps
from app.domain.prescription import (
    Coding,
    Dosage,
    Duration,
    Ingredient,
    LineStatus,
    MedicationKind,
    MedicationRef,
    NonSubstitutionReason,
    Patient,
    Prescriber,
    Prescription,
    PrescriptionLine,
    Quantity,
    Timing,
)
from app.eprescription import systems
from app.eprescription.fhir_read import prescription_from_bundle
from app.eprescription.fhir_write import UnwritableLine, prescription_to_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from tests.service.conftest import example_names, loadable

NUMBER = OrdonnanceNumber.issue("ABCDEFGHJKMNPQRSTVW")
WRITTEN = datetime.now(UTC).replace(hour=9, minute=30, second=0, microsecond=0)
VALID_UNTIL = WRITTEN.date() + timedelta(days=90)
TABLET = {"unit": "comprimé", "system": systems.EDQM, "code": "15054000"}


def _source(name: str) -> Prescription:
    """An example as a prescriber's software would send it, read with the number ``NUMBER``."""
    bundle = loadable(name)
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "MedicationRequest":
            entry["resource"]["groupIdentifier"] = {"system": systems.NUMBER_SYSTEM, "value": NUMBER}
    return prescription_from_bundle(bundle, NUMBER)


def _through_json(bundle: dict) -> dict:
    """What the other side reads: the Bundle as JSON text (Decimals must have become numbers)."""
    return json.loads(json.dumps(bundle, ensure_ascii=False))


def _served(line: PrescriptionLine) -> PrescriptionLine:
    """A line without what the service assigns or counts (its id, what remains to deliver, until when
    it may be dispensed now: the prescriber's validity period or less, see app.sandbox.intake)."""
    return dataclasses.replace(line, line_id="", remaining_quantity=None, remaining_renewals=None,
                               validity_end=None)


@pytest.mark.parametrize("name", example_names())
def test_example_round_trip_and_validates(name):
    source = _source(name)
    written = prescription_to_bundle(source)
    Bundle.model_validate(written)
    assert prescription_from_bundle(_through_json(written), NUMBER) == source


@pytest.mark.parametrize("name", example_names())
def test_written_bundle_is_stored_and_served_as_the_same_lines(name, prescriber_client, pharmacy_client):
    source = _source(name)
    number, ack = prescriber_client.submit_prescription(prescription_to_bundle(source))
    Bundle.model_validate(ack)
    fetched = pharmacy_client.fetch(number)
    assert [_served(line) for line in fetched.lines] == [_served(line) for line in source.lines]
    for served, written in zip(fetched.lines, source.lines, strict=True):
        assert served.validity_end is not None
        assert written.validity_end is None or served.validity_end <= written.validity_end
    assert (fetched.patient, fetched.prescriber, fetched.authored_on) == \
        (source.patient, source.prescriber, source.authored_on)
    # what the counter fetched, written again (e.g. to forward it): the same but for the server's count
    again = prescription_from_bundle(_through_json(prescription_to_bundle(fetched)), number)
    assert again == dataclasses.replace(fetched, lines=tuple(
        dataclasses.replace(line, remaining_quantity=None, remaining_renewals=None) for line in fetched.lines))


def _full_prescription() -> Prescription:
    """Every element the writer knows, set at once."""
    cip = "3400934306815"
    mg = Quantity(Decimal("2.5"), "mg", systems.UCUM, "mg")
    dosages = (
        Dosage(sequence=1, dose_low=Quantity(Decimal(1), **TABLET), dose_high=Quantity(Decimal(2), **TABLET),
               timing=Timing(frequency=2, frequency_max=3, period=Decimal(1), period_max=Decimal(2), period_unit="d",
                             when=("MORN", "EVE"), bounds_duration=Duration(Decimal(10), "d")),
               route="Voie orale", site="Bras gauche", additional_instructions=("au milieu du repas",),
               max_dose_per_period=(Quantity(Decimal(6), **TABLET), Quantity(Decimal(1), "jour", systems.UCUM, "d")),
               max_dose_per_administration=Quantity(Decimal(2), **TABLET)),
        Dosage(sequence=2, dose=mg, rate=Quantity(Decimal("0.5"), "mg/h"), as_needed=True,
               timing=Timing(time_of_day=("08:00:00", "20:00:00"), day_of_week=("mon", "thu"), count=12)),
        Dosage(sequence=3, text="selon douleur", as_needed=True, as_needed_text="si douleur"),
    )
    tahor = PrescriptionLine(
        line_id="L-1", medication=MedicationRef(MedicationKind.CIP13, "TAHOR 20 mg cp", cip,
                                                (Coding(systems.CIP13, cip, "TAHOR 20 mg cp"),)),
        posology_text="1 à 2 comprimés matin et soir", dosages=dosages, duration=Duration(Decimal(3), "mo"),
        quantity=Quantity(Decimal(3), "boîte"), renewals=2, substitution_allowed=False,
        non_substitution_reason=NonSubstitutionReason.MTE, notes=("Traitement de fond", "Contrôle à 3 mois"),
        validity_end=VALID_UNTIL,
        extensions=('{"url":"https://example.org/fhir/ext/local","valueString":"gardé"}',
                    json.dumps({"url": systems.PATIENT_OBJECTION, "valueBoolean": True}, separators=(",", ":"))))
    compound = MedicationRef(MedicationKind.COMPOUND, "G5 500 mL + NaCl 2 g", None, (), "solution pour perfusion", (
        Ingredient("GLUCOSE", Coding(systems.SUBSTANCE_SMS, "100000078171", "glucose"),
                   Quantity(Decimal(500), "mL", systems.UCUM, "mL")),
        Ingredient("SODIUM CHLORURE", Coding(systems.SUBSTANCE_SMS, "100000092115"),
                   Quantity(Decimal(2), "g"), Quantity(Decimal(500), "mL")),
        Ingredient("eau", None, None, None, is_active=False)))
    perf = PrescriptionLine(line_id="L-2", medication=compound, posology_text="1 poche sur 12 heures",
                            substitution_allowed=True, status=LineStatus.ACTIVE)
    dc = PrescriptionLine(line_id="L-3", medication=MedicationRef(
        MedicationKind.SUBSTANCE, "énoxaparine sodique", "100000090152",
        (Coding(systems.SUBSTANCE_SMS, "100000090152", "énoxaparine sodique"),), "Solution injectable",
        (Ingredient("énoxaparine sodique", Coding(systems.SUBSTANCE_SMS, "100000090152"),
                    Quantity(Decimal(4000), "UI"), Quantity(Decimal("0.4"), "mL", systems.UCUM, "mL")),)),
        posology_text="4000 UI toutes les 12 heures", non_substitution_reason=NonSubstitutionReason.EFG,
        substitution_allowed=False)
    text_only = PrescriptionLine(line_id="L-4", medication=MedicationRef(MedicationKind.TEXT, "préparation magistrale"),
                                 posology_text="appliquer le soir")
    return Prescription(
        number=NUMBER, authored_on=WRITTEN,
        patient=Patient("DURAND", "Marie Anne", date(1956, 4, 12), Nir.parse("256047511234526"), "female"),
        prescriber=Prescriber("MARTIN", "Claire", Rpps.parse(DEMO_PRESCRIBER_RPPS), "Médecine générale",
                              "3 rue des Lilas, 75011 Paris", "01 40 00 00 00"),
        lines=(tahor, perf, dc, text_only))


def test_every_element_round_trips():
    source = _full_prescription()
    written = prescription_to_bundle(source, number_system="urn:example:numbers")
    Bundle.model_validate(written)
    assert prescription_from_bundle(_through_json(written), NUMBER, number_system="urn:example:numbers") == source
    requests = [e["resource"] for e in written["entry"] if e["resource"]["resourceType"] == "MedicationRequest"]
    first = requests[0]
    assert first["groupIdentifier"] == {"system": "urn:example:numbers", "value": NUMBER}
    assert first["substitution"]["allowedBoolean"] is False
    assert first["substitution"]["reason"]["coding"][0] == {
        "system": systems.NON_SUBSTITUTION_REASON, "code": "MTE", "display": NonSubstitutionReason.MTE.label}
    assert first["dispenseRequest"] == {
        "validityPeriod": {"end": VALID_UNTIL.isoformat()}, "numberOfRepeatsAllowed": 2,
        "quantity": {"value": 3, "unit": "boîte"},
        "expectedSupplyDuration": {"value": 3, "unit": "mois", "system": systems.UCUM, "code": "mo"}}
    assert first["dosageInstruction"][0]["doseAndRate"] == [{"doseRange": {
        "low": {"value": 1, **TABLET}, "high": {"value": 2, **TABLET}}}]
    assert first["dosageInstruction"][1]["doseAndRate"][0]["rateQuantity"] == {"value": 0.5, "unit": "mg/h"}
    assert [e["url"] for e in first["extension"]] == [
        systems.RENDERED_DOSAGE, "https://example.org/fhir/ext/local", systems.PATIENT_OBJECTION]
    meds = {e["resource"]["id"]: e["resource"] for e in written["entry"] if e["resource"]["resourceType"] == "Medication"}
    assert requests[1]["medicationReference"] == {"reference": "Medication/med-2"}
    assert [i["itemReference"]["reference"] for i in meds["med-2"]["ingredient"]] == [
        "Medication/med-2-1", "Medication/med-2-2", "Medication/med-2-3"]
    assert meds["med-2-1"]["amount"]["numerator"]["value"] == 500
    assert requests[3]["medicationCodeableConcept"] == {"text": "préparation magistrale"}


def test_a_code_without_its_coding_is_written_with_one():
    line = dataclasses.replace(_full_prescription().lines[0],
                               medication=MedicationRef(MedicationKind.UCD, "DAFALGAN CODEINE", "9001234"))
    written = prescription_to_bundle(dataclasses.replace(_full_prescription(), lines=(line,)))
    mr = written["entry"][-1]["resource"]
    assert mr["medicationCodeableConcept"]["coding"] == [{"system": systems.UCD, "code": "9001234"}]
    read = prescription_from_bundle(_through_json(written), NUMBER).lines[0].medication
    assert (read.kind, read.code, read.text) == (MedicationKind.UCD, "9001234", "DAFALGAN CODEINE")


def test_full_prescription_through_the_sandbox(prescriber_client, pharmacy_client):
    source = _full_prescription()
    number, _ = prescriber_client.submit_prescription(prescription_to_bundle(source))
    fetched = pharmacy_client.fetch(number)
    assert [_served(line) for line in fetched.lines] == [_served(line) for line in source.lines]
    assert [line.remaining_renewals for line in fetched.lines] == [2, 0, 0, 0]


def test_a_posted_remaining_count_is_not_believed(prescriber_client, pharmacy_client):
    bundle = prescription_to_bundle(_full_prescription())
    mr = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    mr["extension"].insert(0, {"url": systems.REMAINING, "extension": [{"url": "renewals", "valueInteger": 99}]})
    number, _ = prescriber_client.submit_prescription(bundle)
    assert pharmacy_client.fetch(number).lines[0].remaining_renewals == 2


def test_an_unreadable_kept_extension_is_refused_in_french():
    line = dataclasses.replace(_full_prescription().lines[3], extensions=("{pas du json",))
    with pytest.raises(UnwritableLine, match="Ligne L-4 : extension FHIR illisible"):
        prescription_to_bundle(dataclasses.replace(_full_prescription(), lines=(line,)))


def test_a_naive_authoring_time_is_written_with_the_local_offset():
    naive = datetime(2026, 3, 14, 9, 30)
    source = dataclasses.replace(_full_prescription(), authored_on=naive)
    written = prescription_to_bundle(source)
    Bundle.model_validate(written)  # FHIR refuses a dateTime with a time but no zone
    request = next(e["resource"] for e in written["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    assert datetime.fromisoformat(request["authoredOn"]) == naive.astimezone()


def test_the_paper_ordonnance_words_box_quantities_in_french():
    from app.printing.prescription_form import line_texts

    tahor = _full_prescription().lines[0]  # 3 boîte
    assert "Quantité : 3 boîtes" in line_texts(tahor)[1]
    one = dataclasses.replace(tahor, quantity=Quantity(Decimal(1), "boîte"))
    assert "Quantité : 1 boîte" in line_texts(one)[1]
