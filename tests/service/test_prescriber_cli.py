"""``comptoir prescriber deliveries NUMBER`` against the real sandbox: what was delivered and every
adjustment with its reason; refused in French when the patient objected or another prescriber asks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from app.cli import main
from app.domain.delivery import Adjustment, AdjustmentKind, GenericRefusal
from app.domain.identifiers import OrdonnanceNumber
from app.eprescription import systems
from tests.service.conftest import delivery_for, demo_bundle

PRODUCT = Adjustment("rupture_stock", "Rupture de stock", "Téléphone", date(2026, 1, 5), "Dr joint au cabinet",
                     AdjustmentKind.PRODUCT, "AMOXICILLINE BIOGARAN 1 g au lieu de « CLAMOXYL 1 g »", time(9, 40))
QUANTITY = Adjustment("deja_en_possession", "Déjà en possession du patient", kind=AdjustmentKind.QUANTITY,
                      detail="1 boîte(s) au lieu de 2")


@pytest.fixture
def as_prescriber(sandbox, monkeypatch):
    """The prescriber's token as the command takes it: in the environment, never an argument."""
    monkeypatch.setenv("COMPTOIR_PRESCRIBER_TOKEN", sandbox.admin.prescriber_token())


def _prescribe(prescriber_client, *, objection: bool = False) -> str:
    bundle = demo_bundle("demo-1-amoxicilline.json")
    if objection:
        patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
        patient["extension"] = [{"url": systems.PATIENT_OBJECTION, "valueBoolean": True}]
    return str(prescriber_client.submit_prescription(bundle)[0])


def _deliver(pharmacy_client, number: str) -> None:
    pharmacy_client.claim(number)
    delivery = delivery_for(pharmacy_client.fetch(number), delivery_id=f"D-{number}")
    first = replace(delivery.lines[0], adjustments=(PRODUCT, QUANTITY),
                    generic_refusal=GenericRefusal(False, "Refus du générique par le patient"))
    pharmacy_client.record_delivery(replace(delivery, lines=(first, *delivery.lines[1:])))


def _run(sandbox, number: str) -> int:
    return main(["prescriber", "deliveries", number, "--url", sandbox.base_url])


def test_the_prescriber_sees_what_was_delivered_and_every_adjustment(sandbox, prescriber_client, pharmacy_client,
                                                                     as_prescriber, capsys):
    number = _prescribe(prescriber_client)
    assert _run(sandbox, number) == 0
    out = capsys.readouterr().out
    assert OrdonnanceNumber(number).grouped() in out and "Aucune délivrance enregistrée" in out
    _deliver(pharmacy_client, number)
    assert _run(sandbox, OrdonnanceNumber(number).grouped()) == 0  # typed as printed, in groups
    out = capsys.readouterr().out
    assert "délivrée : CLAMOXYL 1 g" in out and "1 boîte" in out and "pharmacie FINESS 750000010" in out
    assert ("Produit — motif : Rupture de stock — AMOXICILLINE BIOGARAN 1 g au lieu de « CLAMOXYL 1 g » — "
            "accord du prescripteur : Téléphone le 05/01/2026 à 09:40 — Dr joint au cabinet") in out
    assert ("Quantité — motif : Déjà en possession du patient — 1 boîte(s) au lieu de 2 — "
            "sans accord du prescripteur") in out
    assert out.index("Produit — motif") < out.index("Quantité — motif")  # in the order made
    assert "Générique refusé par le patient" in out


def test_refused_when_the_patient_objected(sandbox, prescriber_client, pharmacy_client, as_prescriber, capsys):
    number = _prescribe(prescriber_client, objection=True)
    _deliver(pharmacy_client, number)
    assert _run(sandbox, number) != 0
    captured = capsys.readouterr()
    assert "Le patient s'est opposé à la consultation de ses délivrances" in captured.err
    assert "Rupture de stock" not in captured.out + captured.err


def test_refused_for_another_prescriber_and_for_a_mistyped_number(sandbox, prescriber_client, pharmacy_client,
                                                                 monkeypatch, capsys):
    number = _prescribe(prescriber_client)
    _deliver(pharmacy_client, number)
    monkeypatch.setenv("COMPTOIR_PRESCRIBER_TOKEN", sandbox.admin.prescriber_token("10000000017"))
    assert _run(sandbox, number) != 0
    assert "Seul le prescripteur de l'ordonnance peut en voir les délivrances" in capsys.readouterr().err
    mistyped = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert _run(sandbox, mistyped) == 2
    assert "comptoir:" in capsys.readouterr().err
