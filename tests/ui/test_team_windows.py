"""Two windows on one database, as two workstations of a pharmacy: the counter sends the ordonnance to
preparation, the preparer prepares it, the pharmacist validates it (a step of its own, with its
comment), the counter bills and records it; the audit trail then lists every step by user."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QCoreApplication, QTimer

from app.domain.audit import AuditAction
from app.domain.preparation import PrepState, Urgency
from app.domain.team import Role
from app.storage import audit
from app.storage.ordonnancier_keying import Protection
from app.storage.users import Team
from app.ui.main import application
from app.ui.main_window import MainWindow
from app.ui.printing import PrintTarget
from app.ui.staging import staged_counter
from app.ui.tasks import TaskRunner
from app.wiring import build_services
from tests.team.conftest import TITULAIRE_RPPS, light_hasher


def _window(qtbot, settings, runner):
    window = MainWindow(settings, runner)
    qtbot.addWidget(window)
    window.show()
    return window


def _sign_in(qtbot, window, user_id: int, pin: str) -> None:
    """Answer the PIN dialog the window shows (at start, or on Ctrl+U)."""
    def fill(dialog):
        def later():
            qtbot.waitUntil(lambda: dialog.user_combo.count() > 0, timeout=10000)
            dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(user_id))
            dialog.code_edit.setText(pin)
            dialog.sign_in_button.click()
        QTimer.singleShot(0, later)
    window.team.sign_in_opened.connect(fill)


@pytest.fixture
def pharmacy(qtbot, tmp_path, catalogue_url):
    application("fr")
    with staged_counter(tmp_path / "stage", db_url=catalogue_url) as stage:
        counter_settings = stage.settings
        counter_settings.workstation.name = "COMPTOIR-1"
        counter_settings.workstation.idle_lock_minutes = 0
        prep_settings = copy.deepcopy(counter_settings)
        prep_settings.workstation.name = "PREPA-1"
        prep_settings.workstation.mode = "preparation"
        counter_services, prep_services = build_services(counter_settings), build_services(prep_settings)
        team = Team(counter_services.session_factory, Protection.from_settings(counter_settings), hasher=light_hasher())
        boss = team.create_first_titulaire("Marie Curie", TITULAIRE_RPPS, "2580")
        prep = team.add_user(team.login(boss.id, "2580"), "Jean Prép", Role.PREPARATEUR, None, "4826")
        runner = TaskRunner()
        yield stage, (counter_services, prep_services), runner, {"titulaire": boss, "preparateur": prep}
        runner.wait_idle()
        for services in (counter_services, prep_services):
            services.close()


def test_counter_preparer_pharmacist_counter_and_the_audit_trail(qtbot, pharmacy):
    stage, (counter_services, prep_services), runner, people = pharmacy
    boss, prep = people["titulaire"], people["preparateur"]
    counter_window = _window(qtbot, counter_services.settings, runner)
    prep_window = _window(qtbot, prep_services.settings, runner)
    counter_window.attach(counter_services)  # each asks who works there once the database answers
    _sign_in(qtbot, counter_window, boss.id, "2580")
    prep_window.attach(prep_services)
    _sign_in(qtbot, prep_window, prep.id, "4826")
    qtbot.waitUntil(lambda: counter_window.team.session.actor is not None
                    and prep_window.team.session.actor is not None, timeout=20000)
    assert prep_window.counter is None  # the preparer's workstation opens on the queue
    assert "Jean Prép" in prep_window.team.user_label.text()

    # the counter scans the ordonnance and sends it to preparation (Ctrl+E)
    screen = counter_window.counter
    screen.print_target = PrintTarget(output_file=stage.workdir / "printed.pdf")
    with qtbot.waitSignal(screen.shown, timeout=15000):
        screen.open_number(stage.number)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    counter_window.team.send_to_preparation(Urgency.NORMAL)
    queue = prep_window.team.preparation
    qtbot.waitUntil(lambda: len(queue.entries) == 1, timeout=10000)  # the live event reached the other window
    assert queue.entries[0].sent_by.name == "Marie Curie" and queue.entries[0].workstation == "COMPTOIR-1"

    # the preparer takes it, prepares each line, marks it ready
    queue.select(queue.entries[0].id)
    queue.take_button.click()
    qtbot.waitUntil(lambda: queue.opened is not None, timeout=10000)
    for row in range(queue.lines_table.rowCount() - 1):
        queue.lines_table.selectRow(row)
        queue.confirm_button.click()
        qtbot.waitUntil(lambda: not runner.busy, timeout=10000)

    def out_of_stock(dialog):  # the last line not delivered, the prescriber agreeing by phone
        def later():
            dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("rupture_stock"))
            dialog.agreement_combo.setCurrentIndex(1)
            dialog.comment_edit.setPlainText("Grossiste en rupture")
            dialog.ok_button.click()
        QTimer.singleShot(0, later)
    queue.changes.adjustment_dialog_opened.connect(out_of_stock)
    qtbot.waitUntil(lambda: queue.changes.reasons != [], timeout=10000)
    queue.lines_table.selectRow(queue.lines_table.rowCount() - 1)
    queue.decline_button.click()
    qtbot.waitUntil(lambda: not runner.busy and queue.opened.dispensing.lines[-1].status.value == "declined",
                    timeout=10000)
    queue.ready_button.click()
    qtbot.waitUntil(lambda: queue.entries and queue.entries[0].state is PrepState.TO_VALIDATE, timeout=10000)
    assert queue.error_label.text() == ""

    # the pharmacist signs in at the preparer's workstation and validates, with a comment
    prep_window.team.sign_in_opened.disconnect()
    _sign_in(qtbot, prep_window, boss.id, "2580")
    prep_window.team.ask_sign_in()
    qtbot.waitUntil(lambda: prep_window.team.session.actor.user_id == boss.id, timeout=20000)
    prep_window.team.sign_in_opened.disconnect()

    def validate(dialog):
        def later():
            assert dialog.entry.prepared_by.name == "Jean Prép"
            assert any("accord du prescripteur" in p for p in dialog.entry.points)  # the preparer's adjustment
            dialog.comment_edit.setPlainText("Posologies vérifiées")
            dialog.validate_button.click()
        QTimer.singleShot(0, later)
    queue.validation_opened.connect(validate)
    queue.select(queue.entries[0].id)
    queue.validate_button.click()
    qtbot.waitUntil(lambda: queue.entries and queue.entries[0].state is PrepState.VALIDATED, timeout=10000)

    # the counter is told, takes it back, bills and records it
    counter_queue = counter_window.team.preparation
    qtbot.waitUntil(lambda: any(e.state is PrepState.VALIDATED for e in counter_queue.entries), timeout=10000)
    qtbot.waitUntil(lambda: "Préparation prête" in counter_window.statusBar().currentMessage(), timeout=10000)
    counter_queue.select(counter_queue.entries[0].id)
    with qtbot.waitSignal(screen.shown, timeout=15000):
        counter_queue.resume_button.click()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    screen.dispensing_page.bill_requested.emit(True)  # as the « Facturer » key does
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.billing, timeout=15000)
    screen.billing.print_check.setChecked(False)
    with qtbot.waitSignal(screen.finished, timeout=30000):
        screen.billing.record_button.click()
    delivery = screen.recorded.delivery
    assert delivery.prepared_by.name == "Jean Prép" and delivery.validated_by.name == "Marie Curie"
    assert delivery.handed_over_by.name == "Marie Curie" and delivery.validation_comment == "Posologies vérifiées"
    QCoreApplication.processEvents()
    runner.wait_idle()
    qtbot.waitUntil(lambda: screen.last_pdf is not None, timeout=20000)
    runner.wait_idle()

    with counter_services.session_factory() as session:
        trail = [(e.action, e.user_name, e.workstation) for e in audit.entries(session)
                 if e.object_ref == stage.number]
    assert trail[0] == (AuditAction.PREPARATION_SENT, "Marie Curie", "COMPTOIR-1")
    steps = [(action, who) for action, who, _where in trail]
    assert (AuditAction.PREPARATION_TAKEN, "Jean Prép") in steps
    assert (AuditAction.PREPARATION_READY, "Jean Prép") in steps
    assert (AuditAction.ADJUSTMENT, "Jean Prép") in steps
    assert (AuditAction.VALIDATION, "Marie Curie") in steps
    assert (AuditAction.BILL, "Marie Curie") in steps
    assert steps[-2:] == [(AuditAction.RECORD, "Marie Curie"), (AuditAction.PRINT, "Marie Curie")]
    assert {where for action, _who, where in trail if action == AuditAction.PREPARATION_READY} == {"PREPA-1"}
    for window in (counter_window, prep_window):
        window.close()


def test_the_demo_opens_a_preparer_workstation_beside_the_counter():
    from app.config import Settings
    from app.ui.main import workstation_settings

    settings = Settings()
    settings.workstation.name = "COMPTOIR-1"
    counter, preparer = workstation_settings(settings, 2)
    assert counter is settings and counter.workstation.mode == "counter"
    assert preparer.workstation.mode == "preparation" and preparer.workstation_name == "COMPTOIR-1-preparation"
    assert preparer.db_url == counter.db_url


def test_a_second_counter_opening_the_same_ordonnance_is_told_who_has_it(qtbot, pharmacy):
    stage, (counter_services, _prep_services), runner, people = pharmacy
    other_settings = copy.deepcopy(counter_services.settings)
    other_settings.workstation.name = "COMPTOIR-2"
    other_services = build_services(other_settings)
    first, second = (_window(qtbot, s.settings, runner) for s in (counter_services, other_services))
    try:
        for window in (first, second):
            window.attach(counter_services if window is first else other_services)
            _sign_in(qtbot, window, people["titulaire"].id, "2580")
        qtbot.waitUntil(lambda: first.team.session.actor is not None and second.team.session.actor is not None,
                        timeout=20000)
        with qtbot.waitSignal(first.counter.shown, timeout=15000):
            first.counter.open_number(stage.number)
        qtbot.waitUntil(lambda: first.team.claims.held == stage.number, timeout=10000)
        with qtbot.waitSignal(second.team.claims.refused, timeout=15000) as refused:
            second.counter.open_number(stage.number)
        assert "ouverte sur le poste « COMPTOIR-1 »" in refused.args[0] and "consultation seule" in refused.args[0]
        assert not second.counter.pages.currentWidget().isEnabled() and second.team.claims.held is None
        first.counter.back_to_waiting()  # the first gives it back: the second may open it now
        qtbot.waitUntil(lambda: first.team.claims.held is None and not runner.busy, timeout=10000)
        second.counter.back_to_waiting()
        assert second.counter.pages.currentWidget().isEnabled()
        with qtbot.waitSignal(second.counter.shown, timeout=15000):
            second.counter.open_number(stage.number)
        qtbot.waitUntil(lambda: second.team.claims.held == stage.number, timeout=10000)
    finally:
        runner.wait_idle()
        for window in (first, second):
            window.close()
        runner.wait_idle()
        other_services.close()
