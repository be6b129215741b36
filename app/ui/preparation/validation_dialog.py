"""The pharmaceutical validation: what was prepared, the points the pharmacist must look at, his
comment, and his decision (validate, or send back to the preparer with what to change).

Why a dialog of its own: the validation is a step of its own with its comment (CSP L. 4241-1, the
"contrôle effectif"; R. 4235-48), never a checkbox on the preparer's screen. The dialog decides
nothing: the screen runs the use case with the outcome and the comment.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dispensing import Dispensing
from app.domain.preparation import PreparationEntry
from app.ui.i18n import status_label


class ValidationDialog(QDialog):
    """Named handles: ``lines_list``, ``points_list``, ``comment_edit``, ``validate_button``,
    ``send_back_button``, ``error_label``; ``outcome`` is ``"validate"`` or ``"send_back"`` once chosen."""

    def __init__(self, entry: PreparationEntry, d: Dispensing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.outcome: str | None = None
        self.setWindowTitle(self.tr("Validation pharmaceutique"))
        self.resize(720, 520)
        who = entry.prepared_by.name if entry.prepared_by else "—"
        title = QLabel(self.tr("Ordonnance %1 — %2, préparée par %3").replace("%1", d.prescription.number.grouped())
                       .replace("%2", d.prescription.patient.display_name).replace("%3", who))
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 13pt;")
        self.lines_list = QListWidget()
        self.lines_list.setObjectName("validation_lines")
        self.lines_list.setWordWrap(True)
        for state in d.lines:
            product = state.product.name if state.product else self.tr("aucun produit")
            self.lines_list.addItem(self.tr("%1 → %2 × %3 (%4)").replace("%1", d.prescribed(state.line_id).medication.text)
                                    .replace("%2", str(state.quantity)).replace("%3", product)
                                    .replace("%4", status_label(state.status)))
        self.points_list = QListWidget()
        self.points_list.setObjectName("validation_points")
        for point in entry.points:
            self.points_list.addItem(point)
        if not entry.points:
            self.points_list.addItem(self.tr("Aucun point particulier : contrôle de l'ordonnance et de la préparation."))
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("validation_comment")
        self.comment_edit.setPlaceholderText(self.tr("Commentaire de validation (obligatoire pour renvoyer en "
                                                     "préparation)"))
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.validate_button = QPushButton(self.tr("Valider"))
        self.validate_button.setObjectName("validate_button")
        self.send_back_button = QPushButton(self.tr("Renvoyer en préparation"))
        self.send_back_button.setObjectName("send_back_button")
        cancel = QPushButton(self.tr("Annuler"))
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.send_back_button)
        buttons.addWidget(self.validate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(QLabel(self.tr("Lignes préparées")))
        layout.addWidget(self.lines_list)
        layout.addWidget(QLabel(self.tr("Points à contrôler")))
        layout.addWidget(self.points_list)
        layout.addWidget(self.comment_edit)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.validate_button.clicked.connect(lambda: self._choose("validate"))
        self.send_back_button.clicked.connect(lambda: self._choose("send_back"))
        cancel.clicked.connect(self.reject)

    def comment(self) -> str:
        return self.comment_edit.toPlainText().strip()

    def _choose(self, outcome: str) -> None:
        if outcome == "send_back" and not self.comment():
            self.error_label.setText(self.tr("Indiquez au préparateur ce qui est à reprendre."))
            return
        self.outcome = outcome
        self.accept()
