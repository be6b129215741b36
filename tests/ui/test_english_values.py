"""Issue 14 point 7, what the English UI renders from recorded values while the records stay French: a
line's adjustments (reason and legal basis by code, the means of agreement through its table, what
changed from the line), the history's mentions of a recorded line, the workflow's notices and refusals
by their code, the outbox's reasons around the service's own answer. Each also in French, unchanged."""

from __future__ import annotations

import ast
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

import app.domain
import app.workflow
from app.domain.delivery import (
    Adjustment,
    AdjustmentKind,
    DeliveredItem,
    DispenseStatus,
    LineDelivery,
    Substitution,
)
from app.domain.dispense_line import LineState
from app.domain.dispensing import DispensingError, quantity_detail, read_quantity_detail
from app.domain.notices import Notice
from app.domain.prescription import NonSubstitutionReason
from app.domain.records import Means, OutboxItem, SendStatus
from app.ui import notices
from app.ui.counter.lines_model import LineRow, product_tooltip, status_text, substitution_text
from app.ui.delivery_text import line_mentions, remember_means
from app.ui.outbox_view import last_error_text
from app.ui.tasks import error_message
from app.workflow.outbox import given_up_message, read_send_error, refused_message
from app.workflow.starting import PrescriptionUnusable
from tests.ui.english import french_left
from tests.ui.fakes import DOLIPRANE

MEANS = [Means("telephone", "Téléphone", "Telephone"), Means("messagerie", "Messagerie sécurisée", "Secure messaging")]
AGREED = Adjustment("rupture_stock", "Rupture de stock", agreement_means="Téléphone", agreement_date=date(2026, 11, 20),
                    kind=AdjustmentKind.QUANTITY, detail=quantity_detail(3, 2), agreement_time=time(9, 30))
DECLINED = Adjustment("refus_patient", "Refus du patient", kind=AdjustmentKind.NOT_DELIVERED, comment="déjà chez lui")


@pytest.fixture(autouse=True)
def means():
    remember_means(MEANS)
    yield
    remember_means([])


class _Line:
    medication = type("M", (), {"text": "DOLIPRANE 1000 mg, comprimé"})()
    posology_text = "1 comprimé 3 fois par jour"


def _row(**state) -> LineRow:
    return LineRow(line=_Line(), state=LineState("l1", product=DOLIPRANE, **state))


# --- point 2: a line's adjustments --------------------------------------------------------------

def test_a_quantity_adjustment_reads_in_english_from_the_line(english):
    row = _row(quantity=3, default_quantity=2, adjustments=[AGREED])
    assert product_tooltip(row) == "Out of stock (agreed by Telephone on 20/11/2026) — 3 box(es) instead of 2"
    declined = _row(status=DispenseStatus.DECLINED, adjustments=[DECLINED],
                    decline_reason="Refus du patient — déjà chez lui")
    assert status_text(declined) == "✖ not dispensed (Patient refused — déjà chez lui)"


def test_a_quantity_adjustment_in_french_is_what_the_core_recorded():
    row = _row(quantity=3, default_quantity=2, adjustments=[AGREED])
    assert product_tooltip(row) == "Rupture de stock (accord Téléphone le 20/11/2026) — 3 boîte(s) au lieu de 2"


def test_the_quantity_detail_reads_back_its_values():
    assert [read_quantity_detail(quantity_detail(q, p)) for q, p in ((3, 2), (1, None), (12, 10))] == [
        (3, 2), (1, None), (12, 10)]
    assert read_quantity_detail("DOLIPRANE — boîte de 8 au lieu de « X »") is None


def test_the_substitution_column_names_the_prescribers_justification(english):
    line = type("L", (), {"substitution_allowed": False, "non_substitution_reason": NonSubstitutionReason.EFG})()
    assert substitution_text(line) == "Non-substitutable (EFG: child under 6, no generic in a suitable form)"


# --- point 3: the history's mentions of a recorded line ----------------------------------------------

def _recorded() -> list[LineDelivery]:
    item = DeliveredItem("3400935955838", "DOLIPRANE 1000 mg, comprimé — boîte de 8", 3, register_class="liste I")
    return [
        LineDelivery("L1", "DOLIPRANE 1000 mg, comprimé", "1 comprimé 3 fois par jour", DispenseStatus.COMPLETED,
                     items=(item,), adjustments=(AGREED,), remaining_quantity=Decimal(1), renewal_index=1,
                     ordonnancier_numbers=(12,), substitution=Substitution("G", "OS", "DOLIPRANE 1000 mg"),
                     overrides=("quantity_above_need : traitement de fond",)),
        LineDelivery("L2", "TRAMADOL 50 mg, gélule", "1 gélule si douleur", DispenseStatus.DECLINED,
                     adjustments=(DECLINED,), decline_reason="Refus du patient — déjà chez lui"),
    ]


def test_a_recorded_lines_mentions_read_in_english(english):
    adjusted, declined = (line_mentions(line, ("imprimé",)) for line in _recorded())
    assert adjusted == [
        "CIP13 3400935955838 — Qty: 3 boxes", "Partial dispensing",
        "Substitution: DOLIPRANE 1000 mg, comprimé — boîte de 8 dispensed for DOLIPRANE 1000 mg (generic, out of stock)",
        "Adjustment: Out of stock", "Quantity dispensed: 3 box(es) instead of 2",
        "Prescriber's agreement: Telephone on 20/11/2026 at 09:30", "Controlled-substance register no. 12",
        "Renewal no. 1", "Left to dispense: 1 box", "Warning overridden: QUANTITY_ABOVE_NEED (traitement de fond)"]
    assert declined == ["Not dispensed — reason: Patient refused — déjà chez lui", "Adjustment: Patient refused — "
                        "déjà chez lui", "Without the prescriber's agreement"]
    data = {"DOLIPRANE 1000 mg, comprimé — boîte de 8", "DOLIPRANE 1000 mg", "traitement de fond", "déjà chez lui"}
    assert french_left([("x", text) for text in adjusted + declined], data) == []


def test_in_french_the_history_shows_the_printed_mentions():
    from app.printing.content import line_text

    for line in _recorded():
        printed = line_text(line).mentions
        assert line_mentions(line, printed) == list(printed)


# --- point 4: the workflow's notices and refusals -----------------------------------------------------

def _coded_in_workflow() -> dict[str, set[str]]:
    """Every code the workflow (and the domain) gives a refusal (``code=``) or a notice (``Notice(text,
    code, …)``), with the names of the values it carries, read from their source."""
    found: dict[str, set[str]] = {}
    paths = [*Path(app.workflow.__file__).parent.glob("*.py"), *Path(app.domain.__file__).parent.glob("*.py")]
    for path in (p for p in paths if p.name != "notices.py"):  # (the Notice type itself)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "Finding":
                continue  # a rule's finding: its code is a finding code (tests/ui/test_finding_templates.py)
            names = {k.arg for k in node.keywords if k.arg not in ("code", "detail")}
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if isinstance(node.func, ast.Name) and node.func.id == "Notice":
                code = node.args[1]
            if code is not None:
                assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}: a code is written out"
                found[code.value] = names
    return found


def test_every_code_the_workflow_gives_is_rendered_with_its_values(english):
    coded = _coded_in_workflow()
    assert {"rx_expired_since", "line_inactive", "offline_claim", "send_refused", "nobody_signed_in",
            "register_no_patient_address"} <= set(coded)
    for code, names in coded.items():
        values = {name: f"<{name}>" for name in names}
        text = notices.coded_text(code, values, "FRANÇAIS")
        assert text != "FRANÇAIS", f"{code}: no English text"
        shown_as_words = {"state", "reason"}  # codes the UI says in words (a preparation's state, MTE/EFG/CIF)
        assert all(f"<{name}>" in text for name in names - shown_as_words), (code, text)
        assert french_left([(code, text)], set(values.values())) == [], (code, text)


def test_a_notice_and_a_refusal_in_the_ui_language(english):
    notice = Notice("« TAHOR » : validité dépassée (01/11/2026).", "line_expired", medication="TAHOR", date="01/11/2026")
    assert notices.notice_text(notice) == "“TAHOR”: validity exceeded (01/11/2026)."
    assert notices.notice_text("Texte libre") == "Texte libre"  # no code: shown as given
    mte = Notice("« LEVOTHYROX » : Non substituable (MTE : …).", "non_substitutable", medication="LEVOTHYROX",
                 reason="MTE")
    assert notices.notice_text(mte) == "“LEVOTHYROX”: Non-substitutable (MTE: narrow therapeutic margin medicine)."
    exc = PrescriptionUnusable("Ordonnance expirée depuis le 01/11/2026.", code="rx_expired_since", date="01/11/2026")
    assert error_message(exc) == "Prescription expired since 01/11/2026."
    assert error_message(DispensingError("Quantité : 99 boîtes au plus par ligne.")) == (
        "Quantity: 99 boxes at most per line.")  # no code: its template, marked N_ in the domain
    assert error_message(DispensingError("Un refus que le catalogue ignore.")) == (
        "Un refus que le catalogue ignore.")  # neither: its French text


def test_in_french_notices_and_refusals_are_the_workflows_text():
    notice = Notice("« TAHOR » : validité dépassée (01/11/2026).", "line_expired", medication="TAHOR", date="01/11/2026")
    assert notices.notice_text(notice) == str(notice)
    exc = PrescriptionUnusable("Ordonnance expirée depuis le 01/11/2026.", code="rx_expired_since", date="01/11/2026")
    assert error_message(exc) == str(exc)


# --- point 5: the outbox's reasons around the service's answer -----------------------------------------

def _item(error: str) -> OutboxItem:
    from app.printing.specimen import specimen_delivery

    return OutboxItem(specimen_delivery(1), SendStatus.FAILED, 1, error)


def test_the_outbox_reasons_read_back_and_render_in_english(english):
    answer = "entrée 3 : quantité supérieure à ce qui reste à délivrer"
    assert read_send_error(str(refused_message(answer))).values == {"answer": answer}
    assert read_send_error(str(given_up_message(20, answer))).values == {"attempts": "20", "answer": answer}
    assert last_error_text(_item(str(refused_message(answer)))) == f"Sending refused by the service: {answer}"
    assert last_error_text(_item(str(given_up_message(20, answer)))) == (
        f"Sending given up after 20 attempts (last answer: {answer}). Check the service, then send the dispensing again.")
    assert last_error_text(_item("HTTP 503")) == "HTTP 503"  # the service's own answer, as it is


def test_in_french_the_outbox_shows_what_it_stored():
    stored = str(refused_message("réponse"))
    assert stored == "Transmission refusée par le service : réponse"
    assert last_error_text(_item(stored)) == stored


def test_a_rule_finding_said_as_a_notice_renders_from_its_template(english):
    from app.domain.findings import Finding, Severity
    from app.domain.notices import line_finding

    finding = Finding("expired_ordonnance", Severity.BLOCKING, "Ordonnance expirée (le 01/11/2026) : …", "L.5125-23-1",
                      "L1", code="ORDONNANCE_EXPIRED", variant="eligible",
                      values=(("date", "01/11/2026"), ("boxes", "1"), ("months", "1")))
    notice = line_finding("TAHOR 20 mg", finding)
    assert str(notice).startswith("« TAHOR 20 mg » : Ordonnance expirée")
    text = notices.notice_text(notice)
    assert text.startswith("“TAHOR 20 mg”: Prescription expired (on 01/11/2026)") and "1 box(es)" in text


def test_the_dispensings_own_refusals_read_in_english_at_the_counter(english):
    """The domain's refusals marked N_ (app/domain/dispensing.py) come back from the workflow's real
    objects in the UI's language, as the command line says them."""
    from app.domain.dispensing import Dispensing
    from tests.ui.fakes import prescription

    rx = prescription()
    d = Dispensing.begin("D", rx, rx.authored_on)
    with pytest.raises(DispensingError) as caught:
        d.set_quantity(rx.lines[0].line_id, 0)
    assert error_message(caught.value) == "Quantity: at least one box (otherwise, mark the line as not dispensed)."
    with pytest.raises(DispensingError) as caught:
        d.override(rx.lines[0].line_id, "OVERLAP", "  ")
    assert error_message(caught.value) == "Give the reason for overriding this warning."


def test_a_refusal_with_values_renders_its_template_and_its_marked_value(english):
    from app.domain.delivery import DispenseStatus
    from app.domain.dispensing import Dispensing
    from tests.ui.fakes import prescription

    rx = prescription()
    d = Dispensing.begin("D", rx, rx.authored_on)
    d.line(rx.lines[0].line_id).status = DispenseStatus.CANCELLED
    with pytest.raises(DispensingError) as caught:
        d.set_quantity(rx.lines[0].line_id, 2)
    assert str(caught.value) == "Ligne annulée : plus de modification possible."  # the record's French
    assert error_message(caught.value) == "Line cancelled: no more changes possible."


def test_nothing_left_to_dispense_is_refused_with_its_code_and_reasons(english):
    """Every line done or set aside (expired), none to continue exceptionally: refused, the head by its
    code and the rules' reasons after it; lines the prescriber only stopped open with their notices."""
    from app.domain.dispensing import Dispensing
    from app.workflow.starting import PrescriptionUnusable, refuse_if_nothing_left
    from tests.ui.fakes import prescription

    rx = prescription()
    d = Dispensing.begin("D", rx, rx.authored_on)
    d.mark_done("L1")
    d.set_aside("L2", "« IBUPROFENE » : validité dépassée (01/11/2026).")
    with pytest.raises(PrescriptionUnusable) as caught:
        refuse_if_nothing_left(d, ["« DOLIPRANE » : pas un traitement chronique."], expired_any=True)
    assert str(caught.value).startswith("Ordonnance expirée : rien ne peut être délivré. « DOLIPRANE »")
    assert error_message(caught.value) == ("Prescription expired: nothing can be dispensed. "
                                           "« DOLIPRANE » : pas un traitement chronique.")
    d.mark_done("L2")
    with pytest.raises(PrescriptionUnusable) as caught:
        refuse_if_nothing_left(d, [], expired_any=False)
    assert caught.value.code == "rx_delivered"
    stopped = Dispensing.begin("D", rx, rx.authored_on)
    for line_id in ("L1", "L2"):
        stopped.set_aside(line_id, "ligne arrêtée")
    refuse_if_nothing_left(stopped, [], expired_any=False)  # opens, with its notices
