"""Who takes the medicines, for a product that asks it (stupéfiants and assimilés).

Why a dialog: art. R.5132-35 CSP has the pharmacist record the name and address of a bearer who is
not the patient, and the references of the identity document asked of a bearer he does not know. The
dialog asks whether the patient takes the medicines in person; otherwise the bearer's name, address
and identity document (type and number), checked by :meth:`app.domain.bearer.Bearer.of`. It returns
the :class:`~app.domain.bearer.Bearer` (None: the patient); the workflow keeps it with the delivery.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.bearer import ID_DOCUMENTS, Bearer, InvalidBearer
from app.ui.counter.dialog_parts import error_label, ok_cancel
from app.ui.i18n import shown_label


class BearerDialog(QDialog):
    """Named handles for tests: ``patient_check``, ``name_edit``, ``address_edit``, ``document_combo``,
    ``number_edit``, ``ok_button``, ``cancel_button``, ``error_label``."""

    def __init__(self, products: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Porteur de l'ordonnance"))
        self.setObjectName("bearer_dialog")
        self.result_bearer: Bearer | None = None
        intro = QLabel(self.tr("%1 : stupéfiant ou assimilé. Si le porteur n'est pas le patient, son identité "
                               "est enregistrée (art. R.5132-35 CSP).").replace("%1", ", ".join(products)))
        intro.setWordWrap(True)
        self.patient_check = QCheckBox(self.tr("Le patient vient lui-même"))
        self.patient_check.setObjectName("patient_check")
        self.patient_check.setChecked(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("address_edit")
        self.document_combo = QComboBox()
        self.document_combo.setObjectName("document_combo")
        for document in ID_DOCUMENTS:
            self.document_combo.addItem(shown_label(document), document.label)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("number_edit")
        self.error_label = error_label("bearer_error")
        buttons, self.ok_button, self.cancel_button = ok_cancel(self, self.tr("Valider"), self.tr("Annuler"))

        form = QFormLayout()
        form.addRow(self.tr("Nom et prénom du porteur"), self.name_edit)
        form.addRow(self.tr("Adresse du porteur"), self.address_edit)
        form.addRow(self.tr("Pièce d'identité"), self.document_combo)
        form.addRow(self.tr("Numéro de la pièce"), self.number_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.patient_check)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.patient_check.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        other = not self.patient_check.isChecked()
        for widget in (self.name_edit, self.address_edit, self.document_combo, self.number_edit):
            widget.setEnabled(other)
        if other:
            self.name_edit.setFocus()

    def accept(self) -> None:
        if self.patient_check.isChecked():
            self.result_bearer = None
            super().accept()
            return
        try:
            self.result_bearer = Bearer.of(self.name_edit.text(), self.address_edit.text(),
                                           self.document_combo.currentData(), self.number_edit.text())
        except InvalidBearer as exc:
            self.error_label.setText(self._message(exc))
            return
        super().accept()

    def _message(self, exc: InvalidBearer) -> str:
        """The domain's French message, or its English counterpart in an English UI."""
        if not exc.missing:
            return self.tr("Porteur de l'ordonnance : numéro de pièce d'identité invalide (4 à 30 lettres ou chiffres).")
        return self.tr("Porteur de l'ordonnance : indiquez le nom, l'adresse et la pièce d'identité "
                       "(art. R.5132-35 CSP).")
