"""Signing in at a shared workstation: the PIN dialog (or a badge read by the scanner), the quick
switch of user, and the lock after a time without activity.

Why this shape: the Argon2 check takes a fraction of a second on purpose and the account's count of
wrong PINs lives in the database, so the dialog only collects the user and the code and the check
runs on the database worker (``team.login`` / ``team.login_badge``); the dialog shows the French
refusal and stays open. A badge is read by a scanner acting as a keyboard into the same field: a code
that is not a PIN (not 4 to 12 digits) is read as a badge. :class:`TeamSession` keeps who is signed
in (replaced on the GUI thread, never changed in place) and hands it to the counter's use cases.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.team import PIN_MAX, PIN_MIN, Actor
from app.ui.i18n import role_label
from app.ui.tasks import DB, TaskRunner

ERROR_STYLE = "color: #b00020;"


def is_pin(code: str) -> bool:
    return code.isascii() and code.isdigit() and PIN_MIN <= len(code) <= PIN_MAX


class SignInDialog(QDialog):
    """Who works here now. Named handles: ``user_combo``, ``code_edit``, ``sign_in_button``,
    ``error_label``. ``signed_in`` carries the :class:`Actor` once the database accepted the code."""

    signed_in = Signal(object)

    def __init__(self, team: Any, runner: TaskRunner, parent: QWidget | None = None, *,
                 locked_by: Actor | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self.runner = runner
        self.setWindowTitle(self.tr("Connexion"))
        self.setModal(True)
        intro = QLabel(self.tr("Session verrouillée : reconnectez-vous ou changez d'utilisateur.") if locked_by
                       else self.tr("Choisissez votre nom, puis tapez votre PIN ou scannez votre badge."))
        intro.setWordWrap(True)
        self.user_combo = QComboBox()
        self.user_combo.setObjectName("user_combo")
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.code_edit.setPlaceholderText(self.tr("PIN ou badge"))
        self.error_label = QLabel()
        self.error_label.setObjectName("sign_in_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.sign_in_button = QPushButton(self.tr("Se connecter"))
        self.sign_in_button.setObjectName("sign_in_button")
        self.sign_in_button.setDefault(True)
        cancel = QPushButton(self.tr("Annuler"))
        form = QFormLayout()
        form.addRow(self.tr("Utilisateur"), self.user_combo)
        form.addRow(self.tr("Code"), self.code_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.sign_in_button.clicked.connect(lambda: self.submit())
        self.code_edit.returnPressed.connect(lambda: self.submit())
        cancel.clicked.connect(self.reject)
        self._preferred = locked_by.user_id if locked_by else None
        self.runner.run(lambda: self.team.users(), on_success=self._show_users,
                        on_failure=lambda m, _e: self.error_label.setText(m), kind=DB, owner=self)

    def _show_users(self, users: list) -> None:
        self.user_combo.clear()
        for user in users:
            self.user_combo.addItem(f"{user.display_name} ({role_label(user.role)})", user.id)
            if user.id == self._preferred:
                self.user_combo.setCurrentIndex(self.user_combo.count() - 1)
        if not users:
            self.error_label.setText(self.tr("Aucun utilisateur : créez le pharmacien titulaire "
                                             "(comptoir server init)."))
        self.code_edit.setFocus()

    def take_scan(self, result: Any) -> bool:
        """A code read by the scanner while the dialog is open: a badge (always taken: no scan is meant
        for the screens behind a sign-in)."""
        code = (getattr(result, "text", "") or "").strip()
        if code and self.sign_in_button.isEnabled():
            self.code_edit.setText(code)
            self.submit(badge=True)
        return True

    def submit(self, badge: bool = False) -> None:
        code = self.code_edit.text().strip()
        self.code_edit.clear()
        if not code:
            self.error_label.setText(self.tr("Tapez votre PIN ou scannez votre badge."))
            return
        user_id = self.user_combo.currentData()
        if is_pin(code) and not badge:
            if user_id is None:
                self.error_label.setText(self.tr("Choisissez votre nom dans la liste."))
                return
            work = lambda: self.team.login(int(user_id), code)  # noqa: E731
        else:
            work = lambda: self.team.login_badge(code)  # noqa: E731
        self.sign_in_button.setEnabled(False)
        self.error_label.setText(self.tr("Vérification…"))
        self.runner.run(work, on_success=self._accepted, on_failure=self._refused, kind=DB, owner=self)

    def _accepted(self, actor: Actor) -> None:
        self.sign_in_button.setEnabled(True)
        self.error_label.setText("")
        self.signed_in.emit(actor)
        self.accept()

    def _refused(self, message: str, _exc: BaseException) -> None:
        self.sign_in_button.setEnabled(True)
        self.error_label.setText(message)
        self.code_edit.setFocus()


class TeamSession(QObject):
    """Who is signed in at this window, and the lock after ``idle_minutes`` without a key, a click or
    a scan (0: never). ``changed`` carries the new :class:`Actor` (None: locked, or signed out);
    ``targets``: objects with an ``actor`` attribute that acts for the signed-in user (the counter's
    use cases), set on each change."""

    changed = Signal(object)

    def __init__(self, team: Any, runner: TaskRunner, *, idle_minutes: int = 0, targets: tuple = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self.runner = runner
        self.targets = targets
        self.actor: Actor | None = None
        self.last_actor: Actor | None = None
        self.idle_minutes = max(int(idle_minutes or 0), 0)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        self._filtering = False

    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        if actor is not None:
            self.last_actor = actor
        for target in self.targets:
            target.actor = actor
        if actor is not None and self.idle_minutes:
            self._watch()
            self.idle_timer.start(self.idle_minutes * 60_000)
        self.changed.emit(actor)

    def _watch(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True

    def stop(self) -> None:
        self.idle_timer.stop()
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self.actor is not None and event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.idle_timer.start(self.idle_minutes * 60_000)
        return False

    def lock(self) -> None:
        """Nobody acts here until someone signs in again; the lock is traced."""
        actor = self.actor
        if actor is None:
            return
        self.set_actor(None)
        self.runner.run(lambda: self.team.lock_session(actor, self.idle_minutes or None), kind=DB)

    def sign_out(self) -> None:
        actor = self.actor
        if actor is None:
            return
        self.set_actor(None)
        self.runner.run(lambda: self.team.logout(actor), kind=DB)

    def dialog(self, parent: QWidget | None = None) -> SignInDialog:
        """The sign-in dialog (open it with ``open()``); a success makes its user the session's."""
        dialog = SignInDialog(self.team, self.runner, parent, locked_by=self.last_actor if self.actor is None else None)
        dialog.signed_in.connect(self.set_actor)
        return dialog
