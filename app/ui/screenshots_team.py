"""``python -m app.ui.screenshots_team DIR``: the team's screens for the README, offscreen, on the real
stack: a counter and a preparer window on one database (as ``comptoir demo --workstations 2``), the
preparation queue with an ordonnance being prepared, and the pharmaceutical validation.

Everything runs in a temporary folder (its own database, sandbox and keys); nothing touches the
user's data. The team is created through the composition root's services, as the app does.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.ui.screenshots import SIZE, _save  # noqa: E402 - the platform is chosen before Qt loads


def _answer_sign_in(window, user_id: int, pin: str) -> None:
    from PySide6.QtCore import QTimer

    def fill(dialog) -> None:
        def later() -> None:
            dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(user_id))
            dialog.code_edit.setText(pin)
            dialog.sign_in_button.click()
        QTimer.singleShot(200, later)

    window.team.sign_in_opened.connect(fill)


def take(directory: Path) -> list[Path]:
    """Drive a counter and a preparer window through a preparation; save the queue and the validation."""
    from PySide6.QtCore import QTimer

    from app.domain.preparation import PrepState, Urgency
    from app.domain.team import Role
    from app.ui.main import application, close_down, open_window
    from app.ui.staging import staged_counter, wait_until
    from app.ui.tasks import TaskRunner
    from app.wiring import build_services

    directory.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="comptoir-shots-") as tmp:
        os.environ["COMPTOIR_DATA_DIR"] = tmp
        os.environ["COMPTOIR_CONFIG_DIR"] = str(Path(tmp) / "config")
        with staged_counter(Path(tmp) / "stage") as stage:
            settings = stage.settings
            settings.workstation.name, settings.workstation.idle_lock_minutes = "COMPTOIR-1", 0
            setup = build_services(settings)
            team = setup.team
            boss = team.create_first_titulaire("Marie Curie", settings.pharmacy.pharmacist_rpps, "2580")
            prep = team.add_user(team.login(boss.id, "2580"), "Jean Martin", Role.PREPARATEUR, None, "4826")
            setup.close()
            prep_settings = copy.deepcopy(settings)
            prep_settings.workstation.name, prep_settings.workstation.mode = "PREPARATION", "preparation"
            runner = TaskRunner(application(settings.ui.language))  # owned by the app: outlives each close_down
            counter_window, _s1 = open_window(settings, runner)
            prep_window, _s2 = open_window(prep_settings, runner)
            for window in (counter_window, prep_window):
                window.showNormal()
                window.resize(*SIZE)
            wait_until(lambda: counter_window.team is not None and prep_window.team is not None, 120)
            _answer_sign_in(counter_window, boss.id, "2580")
            _answer_sign_in(prep_window, prep.id, "4826")
            wait_until(lambda: counter_window.team.session.actor is not None
                       and prep_window.team.session.actor is not None, 60)

            counter = counter_window.counter
            counter.open_number(stage.number)
            wait_until(lambda: counter.dispensing is not None and not runner.busy)
            counter_window.team.send_to_preparation(Urgency.URGENT)
            queue = prep_window.team.preparation
            wait_until(lambda: len(queue.entries) == 1 and not runner.busy)
            queue.select(queue.entries[0].id)
            queue.take_button.click()
            wait_until(lambda: queue.opened is not None and not runner.busy)
            for row in range(2):
                queue.lines_table.selectRow(row)
                queue.confirm_button.click()
                wait_until(lambda: not runner.busy)
            shots.append(_save(prep_window, directory, "8-preparation-queue"))

            queue.lines_table.selectRow(2)
            queue.confirm_button.click()
            wait_until(lambda: not runner.busy)
            queue.ready_button.click()
            wait_until(lambda: queue.entries and queue.entries[0].state is PrepState.TO_VALIDATE and not runner.busy)
            prep_window.team.sign_in_opened.disconnect()
            _answer_sign_in(prep_window, boss.id, "2580")
            prep_window.team.ask_sign_in()
            wait_until(lambda: prep_window.team.session.actor is not None
                       and prep_window.team.session.actor.user_id == boss.id and not runner.busy, 60)

            def snap(dialog) -> None:
                def later() -> None:
                    dialog.comment_edit.setPlainText("Posologies et interactions vérifiées ; patient prévenu du "
                                                     "générique.")
                    dialog.resize(720, 520)
                    shots.append(_save(dialog, directory, "9-validation"))
                    dialog.validate_button.click()
                QTimer.singleShot(100, later)

            queue.validation_opened.connect(snap)
            queue.select(queue.entries[0].id)
            queue.validate_button.click()
            wait_until(lambda: queue.entries and queue.entries[0].state is PrepState.VALIDATED and not runner.busy)
            for window in (counter_window, prep_window):
                close_down(window, runner)
    return shots


if __name__ == "__main__":
    from app.ui.screenshots import main

    raise SystemExit(main(shoot=take))
