"""Parts the counter's small dialogs share: the red error line, the OK / Cancel buttons kept as
named handles (``ok_button``, ``cancel_button``) for tests, and the question that loses work unless
answered Yes. Texts come translated from the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPushButton, QWidget


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog, ok_text: str, cancel_text: str) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The button box wired to ``dialog``'s accept and reject, with its two buttons."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(cancel_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok, cancel


def yes_no(parent: QWidget, name: str, title: str, text: str, yes_text: str, no_text: str) -> QMessageBox:
    """A question whose No is the default and the answer to Échap (Yes loses or moves work): shown by the
    caller (``exec() == QMessageBox.StandardButton.Yes``), after announcing it to tests."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName(name)
    box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.button(QMessageBox.StandardButton.No).setText(no_text)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box
