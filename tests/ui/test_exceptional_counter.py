"""The dispensation supplémentaire exceptionnelle at the real counter (sandbox service, real workflow,
bundled catalogue): an ordonnance whose renewals were all delivered shows its lines done; the
"Dispensation exceptionnelle" action asks how the prescriber is informed, then hands over one month
of the chronic line, which is recorded, sent and printed with the mention; a line that is no chronic
treatment is refused with the French reason."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from app.domain.delivery import AdjustmentKind, DispenseStatus
from app.eprescription import EPrescriptionClient
from app.printing.content import line_text
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from app.storage.ordonnancier import Protection, verify_chain
from app.storage.ordonnancier_read import iter_entries
from app.workflow.ops import Confirm, IssueBill, Override
from tests.ui.stack import DOLIPRANE_8, TAHOR_28, counter_stack
from tests.workflow.conftest import med_request


def _idle(qtbot, screen) -> None:
    qtbot.waitUntil(lambda: not screen.runner.busy and not screen.ops.busy, timeout=10000)


def _deliver(counter, number: str) -> None:
    """One dispensation through the workflow, every warning passed (they are not this test's subject)."""
    d = counter.start(number)
    for state in d.lines:
        if state.status is not DispenseStatus.CANCELLED:
            d = counter.apply(d, Confirm(state.line_id)).dispensing
    for finding in counter.findings(d):
        d = counter.apply(d, Override(finding.line_id or "", finding.rule, "renouvellement anticipé")).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert counter.record(d).transmitted


def test_the_counter_dispenses_an_expired_chronic_line_exceptionally(qtbot, tmp_path, catalogue_url):
    with counter_stack(qtbot, tmp_path, catalogue_url) as stack:
        screen, page, stage = stack.screen, stack.screen.dispensing_page, stack.stage
        with EPrescriptionClient(stage.base_url, stage.admin.prescriber_token()) as prescriber:
            bundle = complete_bundle({"resourceType": "Bundle", "type": "collection", "entry": [
                {"resource": med_request("l1", TAHOR_28, "TAHOR 20 mg, comprimé", days=28, renewals=2)},
                {"resource": med_request("l2", DOLIPRANE_8, "DOLIPRANE 1000 mg, comprimé", days=4, per_day=2,
                                              renewals=2)}]},
                prescriber_rpps=DEMO_PRESCRIBER_RPPS)
            number = str(prescriber.submit_prescription(bundle)[0])
        for _ in range(3):  # the first dispensation and both renewals (early: the warnings are passed)
            _deliver(screen.counter, number)

        with qtbot.waitSignal(screen.shown, timeout=10000):
            screen.open_number(number)
        _idle(qtbot, screen)
        tahor, doliprane = stack.line_id(0), stack.line_id(1)
        assert all(s.status is DispenseStatus.CANCELLED for s in screen.dispensing.lines)
        assert page.exceptional_button.isVisible()
        opened: list = []

        def fill(dialog):
            opened.append(dialog)

            def later():
                dialog.ok_button.click()  # no means chosen: refused, the dialog says why
                opened.append(dialog.error_label.text())
                dialog.informed_combo.setCurrentIndex(dialog.informed_combo.findData("messagerie_securisee"))
                dialog.ok_button.click()
            QTimer.singleShot(0, later)
        screen.adjustment_dialog_opened.connect(fill)

        # DOLIPRANE for four days, twice renewed, is no chronic treatment: refused, in French, nothing changes
        page.select_line(doliprane)
        page.exceptional_button.click()
        _idle(qtbot, screen)
        assert "pas un traitement chronique" in page.error_label.text()
        assert screen.dispensing.line(doliprane).status is DispenseStatus.CANCELLED

        # TAHOR, three months of a chronic treatment: one month, the prescriber informed
        page.select_line(tahor)
        page.exceptional_button.click()
        _idle(qtbot, screen)
        assert "moyen" in opened[-1]  # the refusal without a means
        state = screen.dispensing.line(tahor)
        assert state.status is not DispenseStatus.CANCELLED and state.quantity == 1
        (adjustment,) = state.adjustments
        assert adjustment.kind is AdjustmentKind.EXCEPTIONAL and adjustment.reason_code == "continuite_traitement"
        assert adjustment.informed_means == "Messagerie sécurisée de santé" and adjustment.informed_on is not None
        shown = [page.findings_list.item(i).text() for i in range(page.findings_list.count())]
        assert any("exceptionnelle n° 1 sur 3" in text for text in shown)

        counter, d = screen.counter, screen.dispensing
        d = counter.apply(d, Confirm(tahor)).dispensing
        for finding in counter.findings(d):
            d = counter.apply(d, Override(finding.line_id or "", finding.rule, "renouvellement anticipé")).dispensing
        d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
        recorded = counter.record(d)
        (line,) = recorded.delivery.lines
        mentions = line_text(line).mentions
        assert "Dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP) : 1 boîte(s), 1 mois" in mentions
        assert any(m.startswith("Prescripteur informé : Messagerie sécurisée de santé le ") for m in mentions)
        stored = [r for r in stage.pharmacy_client.deliveries(number) if r.line_id == tahor]
        assert [a.kind for r in stored for a in r.adjustments] == [AdjustmentKind.EXCEPTIONAL]
        # the ordonnancier registers TAHOR (liste I) with the mention, sealed with the entry
        with stack.services.session_factory() as session:
            entries = [e for e in iter_entries(session) if e.ordonnance_number == number and e.line_id == tahor]
            assert verify_chain(session, protection=Protection.from_settings(stage.settings)).ok
        assert [e.mention for e in entries][-1].startswith("Dispensation supplémentaire exceptionnelle")
        assert all(not e.mention for e in entries[:-1])  # the three dispensations of the ordonnance
