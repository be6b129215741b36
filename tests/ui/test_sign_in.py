"""Signing in at a shared workstation: the PIN dialog (refusals shown, the dialog stays), a badge read
into the same field, the quick switch, the lock after inactivity (traced)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.domain.audit import AuditAction
from app.domain.team import Role
from app.storage import audit
from app.storage.db import open_database
from app.storage.users import Team
from app.ui.tasks import TaskRunner
from app.ui.team.sign_in import SignInDialog, TeamSession, is_pin
from tests.ordonnancier.protect import workstation
from tests.team.conftest import TITULAIRE_RPPS, light_hasher


class Target:
    actor = None


@pytest.fixture
def team(tmp_path, sqlite_url):
    engine, factory = open_database(sqlite_url)
    team = Team(factory, workstation(tmp_path, "COMPTOIR-1"), hasher=light_hasher())
    boss = team.create_first_titulaire("Marie Curie", TITULAIRE_RPPS, "2580")
    prep = team.add_user(team.login(boss.id, "2580"), "Jean Prép", Role.PREPARATEUR, None, "4826")
    team.set_badge(team.login(boss.id, "2580"), prep.id, "BADGE-0042")
    yield team, boss, prep
    engine.dispose()


def _dialog(qtbot, team, runner):
    dialog = SignInDialog(team, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.user_combo.count() == 2, timeout=10000)
    return dialog


def test_a_pin_or_a_badge(qtbot, team):
    team, boss, prep = team
    runner = TaskRunner()
    assert is_pin("2580") and not is_pin("BADGE-0042") and not is_pin("12")
    dialog = _dialog(qtbot, team, runner)
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(boss.id))
    dialog.code_edit.setText("1111")
    dialog.submit()
    qtbot.waitUntil(lambda: "PIN incorrect" in dialog.error_label.text(), timeout=10000)
    assert dialog.code_edit.text() == ""  # never left in the field
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signed:
        dialog.code_edit.setText("BADGE-0042")  # a badge scanned into the same field, whoever is chosen
        dialog.submit()
    assert signed.args[0].user_id == prep.id
    runner.wait_idle()


def test_the_session_locks_when_idle_and_the_lock_is_traced(qtbot, team):
    team, boss, _prep = team
    runner = TaskRunner()
    target = Target()
    session = TeamSession(team, runner, idle_minutes=5, targets=(target,))
    actor = team.login(boss.id, "2580")
    session.set_actor(actor)
    assert target.actor == actor and session.idle_timer.isActive() and session.idle_timer.interval() == 300_000
    session.idle_timer.stop()
    QApplication.sendEvent(QApplication.instance(), QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                                              Qt.KeyboardModifier.NoModifier))
    assert session.idle_timer.isActive()  # a key pressed: the countdown starts again
    with qtbot.waitSignal(session.changed, timeout=5000) as changed:
        session.idle_timer.timeout.emit()  # the countdown ran out
    assert changed.args == [None] and target.actor is None and session.last_actor == actor
    runner.wait_idle()
    with team.factory() as s:
        assert [e.action for e in audit.entries(s)][-1] == AuditAction.SESSION_LOCKED
    dialog = session.dialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.user_combo.count() == 2, timeout=10000)
    assert dialog.user_combo.currentData() == boss.id  # the locked user is offered first
    session.stop()
    runner.wait_idle()


def test_a_badge_read_by_the_scanner_signs_in_and_reaches_nothing_else(qtbot, team):
    from app.scanning.classify import classify
    from app.ui.scanner import ScannerBridge

    team, _boss, prep = team
    runner = TaskRunner()
    bridge = ScannerBridge()
    opened = []
    bridge.ordonnance_scanned.connect(opened.append)
    dialog = _dialog(qtbot, team, runner)
    bridge.intercept = dialog.take_scan
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signed:
        bridge.handle_result(classify("BADGE-0042"))  # read as an ordonnance number by the classifier
    assert signed.args[0].user_id == prep.id and opened == []
    bridge.intercept = None
    bridge.handle_result(classify("BADGE-0042"))
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=5000)  # without the dialog, the counter gets it
    runner.wait_idle()
