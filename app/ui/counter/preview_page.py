"""The prescription just read, while its lines are prepared: the head and what is prescribed.

Why a page of its own: reading and claiming the ordonnance takes a few tens of milliseconds, proposing
products and quantities (catalogue, rules, the first save) a few tens more. The pharmacist sees the
prescription at once, read-only; the dispensing page takes over, with the same layout, once the lines
are ready (the dispensing page always shows a dispensing that can be acted on).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.domain.dispensing import Dispensing
from app.domain.prescription import Prescription
from app.ui.catalogue_view import make_table
from app.ui.counter.lines_model import fit_columns, make_lines_model, rows_of
from app.ui.counter.prescription_panel import PrescriptionPanel


class PreviewPage(QWidget):
    """Named handles: ``panel``, ``lines_view``/``lines_model``, ``status_label``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = PrescriptionPanel()
        self.lines_model = make_lines_model()
        self.lines_view = make_table(self.lines_model, "preview_lines")
        self.lines_view.setWordWrap(True)
        fit_columns(self.lines_view)
        self.status_label = QLabel(self.tr("Préparation des lignes… vous pouvez déjà scanner les boîtes."))
        self.status_label.setObjectName("preview_status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.lines_view, 1)
        layout.addWidget(self.status_label)

    def show_prescription(self, prescription: Prescription) -> None:
        """The prescription as read: every line "à préparer", nothing proposed yet."""
        shown = Dispensing.begin("", prescription, datetime.now())
        self.panel.show_dispensing(shown, [], date.today())
        self.lines_model.set_rows(rows_of(shown))
