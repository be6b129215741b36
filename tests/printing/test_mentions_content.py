"""What the paper says about a delivery billed with its fees: the product as name, dosage, form and pack
size, a partial delivery or the fraction number, the ordonnancier number only where the register takes
the product, every adjustment with its reason, the bill's summary with the fee codes; the file names."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

import pytest

from app.config import PrinterSettings
from app.domain.bearer import Bearer
from app.domain.delivery import Adjustment, AdjustmentKind
from app.printing import render_delivery_notes, render_patient_copy
from app.printing.content import line_text
from app.printing.names import delivery_pdf_name, delivery_pdf_names
from tests.printing.deliveries import delivered, demo_prescription, with_line
from tests.printing.pdfcheck import pdf_text

TRIO = "demo-3-trois-lignes.json"  # DOLIPRANE B/8, TAHOR 20 mg ×28 (liste I), GLUCOPHAGE 850 mg ×30 (liste I)


def _render(fn, *args) -> bytes:
    buffer = BytesIO()
    fn(*args, buffer)
    return buffer.getvalue()


def trio():
    delivery = delivered(demo_prescription(TRIO), numbers={"ligne-1": (7,), "ligne-2": (8,), "ligne-3": (9,)},
                         remaining={"ligne-3": Decimal(2)})
    return with_line(delivery, "ligne-2", adjustment=Adjustment(
        "POSO", "posologie adaptée", "téléphone", date(2022, 6, 15), "1 comprimé le soir"))


@pytest.fixture(scope="module")
def printed() -> dict[str, str]:
    delivery, prescription = trio(), demo_prescription(TRIO)
    return {"mentions": pdf_text(_render(render_delivery_notes, delivery, PrinterSettings())),
            "copy": pdf_text(_render(render_patient_copy, delivery, prescription))}


@pytest.mark.parametrize("kind", ["mentions", "copy"])
def test_products_print_as_name_dosage_form_and_pack_size(printed, kind):
    text = printed[kind]
    for product in ("DOLIPRANE 1000 mg, comprimé — boîte de 8", "TAHOR 20 mg, comprimé pelliculé — boîte de 28",
                    "GLUCOPHAGE 850 mg, comprimé pelliculé — boîte de 30"):
        assert product in text
    assert "plaquette" not in text and "aluminium" not in text


@pytest.mark.parametrize("kind", ["mentions", "copy"])
def test_the_ordonnancier_number_only_where_the_register_takes_the_product(printed, kind):
    text = printed[kind]
    assert "Ordonnancier n° 8" in text and "Ordonnancier n° 9" in text  # liste I
    assert "Ordonnancier n° 7" not in text  # DOLIPRANE is on no list


@pytest.mark.parametrize("kind", ["mentions", "copy"])
def test_partial_delivery_adjustment_and_bill_summary(printed, kind):
    text = printed[kind]
    assert "Délivrance partielle" in text and "Reste à délivrer : 2 boîtes" in text
    assert "Adaptation : posologie adaptée — 1 comprimé le soir" in text
    assert "Accord du prescripteur : téléphone le 15/06/2022" in text
    # 2,09 + 5,67 + 3,66 € (boxes incl. their fee) + HDR 0,51 + HDA 1,58 + HDE 3,57 (metformine)
    assert "Facture n° F00000042" in text and "Total 17,08 €" in text
    assert "Honoraires : HDR 0,51 €, HDA 1,58 €, HDE 3,57 €" in text
    assert "Honoraires à la boîte inclus dans les prix : 3 × HD 1,02 €" in text
    assert "Franchise médicale (pour information) : 1,50 €" in text


def test_the_patient_copy_details_every_line_and_fee_of_the_bill(printed):
    text = printed["copy"]
    assert "HDA — Honoraire de dispensation lié à l'âge du patient" in text
    assert "TAHOR 20 mg, comprimé pelliculé — boîte de 28 (dont honoraire HD 1,02 €)" in text
    assert "Payé à la pharmacie" in text


def test_fraction_number_and_every_adjustment():
    delivery = trio()
    line = dataclasses.replace(delivery.lines[2], fraction=2)
    assert "Fraction n° 2" in line_text(line).mentions and "Délivrance partielle" not in line_text(line).mentions

    many = dataclasses.replace(delivery.lines[1], adjustments=(
        Adjustment("QTE", "quantité adaptée", kind=AdjustmentKind.QUANTITY, detail="1 boîte(s) au lieu de 2"),
        Adjustment("POSO", "posologie adaptée", "messagerie sécurisée", date(2022, 6, 15),
                   kind=AdjustmentKind.POSOLOGY, agreement_time=time(9, 5)),
        Adjustment("RUPT", "rupture de stock", kind=AdjustmentKind.PRODUCT, detail="AUTRE au lieu de « TAHOR »",
                   legal_basis_code="urgence", legal_basis="Urgence, dans l'intérêt du patient")))
    mentions = line_text(many).mentions
    assert "Adaptation : quantité adaptée" in mentions and "Sans accord du prescripteur" in mentions
    assert "Quantité délivrée : 1 boîte(s) au lieu de 2" in mentions
    assert "Adaptation : posologie adaptée" in mentions
    assert "Accord du prescripteur : messagerie sécurisée le 15/06/2022 à 09 h 05" in mentions
    assert "Produit délivré : AUTRE au lieu de « TAHOR »" in mentions
    assert "Sans accord du prescripteur — fondement : Urgence, dans l'intérêt du patient" in mentions


def test_the_bearer_of_a_stupefiant_is_on_the_mentions():
    bearer = Bearer.of("Paul MARTIN", "3 rue des Lilas, 75011 Paris", "Passeport", "12AB34567")
    text = pdf_text(_render(render_delivery_notes, dataclasses.replace(trio(), bearer=bearer), PrinterSettings()))
    assert ("Porteur de l'ordonnance (autre que le patient) : Paul MARTIN, 3 rue des Lilas, 75011 Paris — "
            "Passeport n° 12AB34567") in " ".join(text.split())
    assert "Porteur" not in printed_without_bearer()


def printed_without_bearer() -> str:
    return pdf_text(_render(render_delivery_notes, trio(), PrinterSettings()))


def test_a_record_without_the_new_fields_prints_as_before():
    delivery = trio()
    old = dataclasses.replace(delivery.lines[0], items=tuple(
        dataclasses.replace(i, speciality="", register_class=None) for i in delivery.lines[0].items))
    text = line_text(old)
    assert text.heading == old.items[0].name  # the stored "name — pack label"
    assert "Ordonnancier n° 7" in text.mentions  # the register's class unknown: its number kept


def test_file_names_say_the_number_and_the_day():
    delivery = trio()
    number = str(delivery.number)
    assert delivery_pdf_names(delivery) == (f"{number}-2022-06-15-mentions.pdf",
                                            f"{number}-2022-06-15-copie-patient.pdf")
    taken = {f"{number}-2022-06-15-mentions.pdf"}
    assert delivery_pdf_names(delivery, taken) == (f"{number}-2022-06-15-2-mentions.pdf",
                                                   f"{number}-2022-06-15-2-copie-patient.pdf")
    assert delivery_pdf_name(delivery, "copie-patient") == f"{number}-2022-06-15-copie-patient.pdf"
    later = dataclasses.replace(delivery, handed_over_at=datetime(2022, 7, 1, 9, 0))
    assert delivery_pdf_name(later, "mentions") == f"{number}-2022-07-01-mentions.pdf"
    with pytest.raises(ValueError):
        delivery_pdf_name(delivery, "facture")


def test_the_patient_s_refusal_of_the_generic_is_printed_kept_and_sent():
    from app.domain.delivery import GenericRefusal
    from app.domain.delivery_codec import delivery_from_json, delivery_to_json
    from app.eprescription.dispense import GENERIC_REFUSED, dispenses_of

    refusal = GenericRefusal(False, "Refus du générique par le patient : pas de tiers payant pour cette ligne",
                             reimbursement_base=Decimal("2.15"))
    delivery = with_line(trio(), "ligne-2", generic_refusal=refusal)
    kept = delivery_from_json(delivery_to_json(delivery))  # the archive and the outbox keep it
    assert kept == delivery and kept.lines[1].generic_refusal == refusal and kept.lines[0].generic_refusal is None
    wording = "Refus du générique par le patient (tiers payant suspendu)"
    assert wording in line_text(kept.lines[1]).mentions
    assert not any("Refus du générique" in m for m in line_text(kept.lines[0]).mentions)
    for text in (pdf_text(_render(render_delivery_notes, kept, PrinterSettings())),
                 pdf_text(_render(render_patient_copy, kept, demo_prescription(TRIO)))):
        assert wording in " ".join(text.split())
    (sent,) = dispenses_of(kept, kept.lines[1])
    assert sent["substitution"]["wasSubstituted"] is False
    assert sent["substitution"]["reason"][0]["coding"][0]["code"] == GENERIC_REFUSED
    assert sent["substitution"]["reason"][0]["text"] == wording
    spared = dataclasses.replace(refusal, tiers_payant=True)
    spared_line = with_line(kept, "ligne-2", generic_refusal=spared).lines[1]
    assert "Refus du générique par le patient (tiers payant maintenu)" in line_text(spared_line).mentions
