"""The team in the main window: who is signed in (status bar, Ctrl+U to switch), the preparation queue's
tab, sending the counter's dispensing to preparation (Ctrl+E, Ctrl+Shift+E urgent), and the live updates
from the other workstations.

Why a module of its own: the main window stays a frame; this is the one place that ties the team's
pieces to it. Live events arrive on the listener's thread and are handed to the GUI thread by a
queued signal (:class:`LiveBridge`); the screens then reload from the database on its worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton

from app.domain.preparation import PreparationEntry, PrepState, Urgency
from app.domain.team import Actor
from app.ui.i18n import role_label
from app.ui.preparation.screen import PreparationScreen
from app.ui.tasks import DB, TaskRunner
from app.ui.team.sign_in import SignInDialog, TeamSession

PREPARATION = "preparation"


class LiveBridge(QObject):
    """Events of the other workstations (listener thread) → the GUI thread."""

    queue_changed = Signal(object)
    status = Signal(object)


class WindowTeam(QObject):
    """Named handles: ``session``, ``preparation`` (the queue's screen), ``at_counter`` (an ordonnance of
    the queue scanned at the counter), ``user_label``, ``switch_button``, ``bridge``; ``sign_in_opened`` carries each :class:`SignInDialog` shown."""

    sign_in_opened = Signal(object)

    def __init__(self, window: QMainWindow, services: Any, runner: TaskRunner, counter_screen: Any = None) -> None:
        super().__init__(window)
        self.services = services
        self.runner = runner
        self.counter_screen = counter_screen
        self.scanner = getattr(counter_screen, "scanner", None)  # the window's ScannerBridge (badges)
        settings = services.settings
        self.mode = settings.workstation.mode
        self.session = TeamSession(services.team, runner, idle_minutes=settings.workstation.idle_lock_minutes,
                                   targets=tuple(t for t in (services.counter, services.history) if t is not None),
                                   parent=self)
        self.preparation = PreparationScreen(services.desk, services.counter, runner)
        self.preparation.resume_requested.connect(self._resume_at_counter)
        self.preparation.resume_button.setVisible(counter_screen is not None)
        self.preparation.changed.connect(lambda: self.note_ready(self.preparation.entries))
        self.user_label = QLabel(self.tr("Personne n'est connecté"))
        self.user_label.setObjectName("user_label")
        self.switch_button = QPushButton(self.tr("Changer d'utilisateur (Ctrl+U)"))
        self.switch_button.setObjectName("switch_button")
        window.statusBar().addPermanentWidget(self.user_label)
        window.statusBar().addPermanentWidget(self.switch_button)
        self.switch_button.clicked.connect(self.ask_sign_in)
        QShortcut(QKeySequence("Ctrl+U"), window, activated=self.ask_sign_in)
        if counter_screen is not None:
            QShortcut(QKeySequence("Ctrl+E"), window, activated=lambda: self.send_to_preparation(Urgency.NORMAL))
            QShortcut(QKeySequence("Ctrl+Shift+E"), window, activated=lambda: self.send_to_preparation(Urgency.URGENT))
        self.session.changed.connect(self._show_actor)
        self.bridge = LiveBridge(self)
        self.bridge.queue_changed.connect(self._queue_changed)
        self._ready_seen: set[int] = set()
        self._listening_seen = False  # the live updates' listener has said it listens
        self.at_counter = None  # an ordonnance of the queue scanned at the counter: where it stands
        if counter_screen is not None and services.desk is not None:
            from app.ui.team.at_counter import QueueAtCounter

            self.at_counter = QueueAtCounter(counter_screen, services.desk, self.preparation, runner,
                                             lambda: self.session.actor, self)
        self.claims = None
        if counter_screen is not None and services.claims is not None:
            from app.ui.team.claims_watch import ClaimsWatch

            self.claims = ClaimsWatch(services.claims, counter_screen, runner, lambda: self.session.actor, self)
            self.claims.refused.connect(lambda message: self.window.statusBar().showMessage(message, 60000))
        if services.notifier is not None:
            services.notifier.subscribe("queue", self.bridge.queue_changed.emit)
            services.notifier.on_status(self.bridge.status.emit)
            self.bridge.status.connect(self._live_status)
            services.notifier.start()

    @property
    def window(self) -> QMainWindow:
        """The window this belongs to (its Qt parent: no Python reference, which would keep the window's
        wrapper alive after Qt deleted it)."""
        return self.parent()

    def start(self) -> None:
        """Ask who works here (when the pharmacy has a team), load the queue."""
        self.preparation.refresh()
        self.runner.run(self.services.team.has_titulaire, on_success=self._team_known, kind=DB, owner=self)

    def _team_known(self, has_team: bool) -> None:
        """A pharmacy with a team: nobody acts here without signing in; ask who works here."""
        if has_team:
            self.services.counter.require_sign_in = True
            self.ask_sign_in()

    def stop(self) -> None:
        self.session.stop()
        if self.claims is not None:
            self.claims.stop()
        if self.services.notifier is not None:
            self.services.notifier.stop()

    # --- who is signed in --------------------------------------------------------------------------

    def ask_sign_in(self) -> SignInDialog:
        dialog = self.session.dialog(self.window)
        scanner = self.scanner
        if scanner is not None:  # a badge scanned while the dialog is open signs in; nothing else sees it
            scanner.intercept = dialog.take_scan
            dialog.finished.connect(lambda _code: setattr(scanner, "intercept", None)
                                    if scanner.intercept == dialog.take_scan else None)
        self.sign_in_opened.emit(dialog)
        dialog.open()
        return dialog

    def _show_actor(self, actor: Actor | None) -> None:
        self.preparation.set_actor(actor)
        if actor is None:
            self.user_label.setText(self.tr("Session verrouillée"))
            if self.session.last_actor is not None:
                self.ask_sign_in()
            return
        self.user_label.setText(self.tr("Connecté : %1 (%2)").replace("%1", actor.display_name)
                                .replace("%2", role_label(actor.role)))

    # --- the queue ---------------------------------------------------------------------------------

    def send_to_preparation(self, urgency: Urgency) -> None:
        screen = self.counter_screen
        d = screen.dispensing if screen is not None else None
        if d is None:
            self.window.statusBar().showMessage(self.tr("Ouvrez une ordonnance pour l'envoyer en préparation."), 8000)
            return
        actor = self.session.actor
        desk = self.services.desk

        def sent(entry: PreparationEntry) -> None:
            screen.back_to_waiting()  # the claim is given back: the preparer works on it now
            self.window.statusBar().showMessage(self.tr("Ordonnance %1 envoyée en préparation").replace(
                "%1", entry.number), 8000)
            self.preparation.refresh()

        self.runner.run(lambda: desk.send(d, actor, urgency=urgency), on_success=sent,
                        on_failure=lambda m, _e: self.window.statusBar().showMessage(m, 15000), kind=DB, owner=self)

    def _queue_changed(self, _event: Any) -> None:
        self.preparation.refresh()

    def note_ready(self, entries: list[PreparationEntry]) -> None:
        """Tell the counter which preparations became ready since it last looked."""
        ready = [e for e in entries if e.state is PrepState.VALIDATED and e.id not in self._ready_seen]
        self._ready_seen.update(e.id for e in ready)
        if ready and self.counter_screen is not None:
            names = ", ".join(f"{e.number} ({e.patient})" for e in ready)
            self.window.statusBar().showMessage(self.tr("Préparation prête : %1").replace("%1", names), 30000)

    def _resume_at_counter(self, delivery_id: str) -> None:
        if self.counter_screen is None:
            return
        self.counter_screen.waiting.resume_requested.emit(delivery_id)
        tabs = getattr(self.window, "tabs", None)
        if tabs is not None:
            tabs.setCurrentWidget(self.counter_screen)

    def _live_status(self, status: Any) -> None:
        state = getattr(getattr(status, "state", None), "value", "")
        first_listening = state == "listening" and not self._listening_seen
        if first_listening:
            # What changed between the first load and the listener's start (its own thread, a moment
            # later) came as no event: the queue is read again once events are sure to arrive.
            self._listening_seen = True
        if first_listening or getattr(status, "resumed", False):
            self.preparation.refresh()
        message = getattr(status, "message", "")
        if message and getattr(getattr(status, "state", None), "value", "") == "disconnected":
            self.window.statusBar().showMessage(message, 15000)
