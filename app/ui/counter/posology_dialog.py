"""The small dialog where the pharmacist writes another posology for a line.

Why a dialog of its own, before the adjustment dialog: the new posology is text the pharmacist types
(what the patient will read on the box label and what the service records as the dispense's dosage
instruction); the reason, the prescriber's agreement and the comment come next, in the adjustment
dialog, like every other change to what was prescribed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.counter.dialog_parts import error_label, ok_cancel


class PosologyDialog(QDialog):
    """Named handles for tests: ``prescribed_label``, ``posology_edit``, ``ok_button``, ``cancel_button``,
    ``error_label``. ``result_posology`` holds the accepted text."""

    def __init__(self, medication: str, prescribed: str, current: str, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Modifier la posologie"))
        self.setObjectName("posology_dialog")
        self._current = current.strip()
        self.result_posology: str | None = None

        self.medication_label = QLabel(medication)
        self.medication_label.setWordWrap(True)
        self.prescribed_label = QLabel(prescribed or self.tr("(non précisée)"))
        self.prescribed_label.setObjectName("prescribed_posology")
        self.prescribed_label.setWordWrap(True)
        self.posology_edit = QLineEdit(current)
        self.posology_edit.setObjectName("posology_edit")
        self.posology_edit.setMinimumWidth(380)
        self.posology_edit.selectAll()
        self.error_label = error_label("posology_error")

        buttons, self.ok_button, self.cancel_button = ok_cancel(self, self.tr("Suivant…"), self.tr("Annuler"))

        form = QFormLayout()
        form.addRow(self.tr("Prescrite"), self.prescribed_label)
        form.addRow(self.tr("Nouvelle posologie"), self.posology_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.medication_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def posology(self) -> str:
        """The posology typed; raises ValueError with a French message when empty or unchanged."""
        text = " ".join(self.posology_edit.text().split())
        if not text:
            raise ValueError(self.tr("Indiquez la nouvelle posologie."))
        if text == " ".join(self._current.split()):
            raise ValueError(self.tr("La posologie n'a pas changé."))
        return text

    def accept(self) -> None:
        try:
            self.result_posology = self.posology()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
