"""The selected line's product and number of boxes: the counter's and the preparer's one way to choose
them.

Why a widget of its own: the counter's dispensing page and the preparer's screen act on the same lines
with the same gestures — a product among the line's proposals (the one prescribed and the members of
its generic group the catalogue offers, as the workflow proposed them), another number of boxes — and
send the same requests, which :class:`~app.ui.counter.line_changes.LineChanges` turns into operations
(asking for the adjustment when the product or the quantity is not the one prescribed).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from app.ui.counter.lines_model import LineRow, quantity_tooltip


class LineBar(QWidget):
    """Named handles: ``product_combo``, ``quantity_spin``, ``quantity_button``; ``row`` (the line shown).
    ``product_requested(line_id, Presentation)``, ``quantity_requested(line_id, int)``: what was asked."""

    product_requested = Signal(str, object)
    quantity_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: LineRow | None = None
        self.product_combo = QComboBox()
        self.product_combo.setObjectName("product_combo")
        self.product_combo.setMinimumWidth(380)
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setObjectName("quantity_spin")
        self.quantity_spin.setRange(1, 99)
        self.quantity_button = QPushButton(self.tr("Changer la quantité"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Produit")))
        layout.addWidget(self.product_combo, 1)
        layout.addWidget(QLabel(self.tr("Boîtes")))
        layout.addWidget(self.quantity_spin)
        layout.addWidget(self.quantity_button)
        self.product_combo.activated.connect(self._on_product_activated)
        self.quantity_button.clicked.connect(self._on_quantity)
        self.quantity_spin.editingFinished.connect(self._on_quantity_edited)

    def show_line(self, row: LineRow | None) -> None:
        """``row``'s proposals with its product chosen, and its number of boxes (None: nothing to act on)."""
        self.row = row
        self.product_combo.blockSignals(True)
        self.product_combo.clear()
        if row is not None:
            for product in row.state.proposals:
                self.product_combo.addItem(f"{product.name} — {product.label}", product)
            if row.state.product is not None:
                index = next((i for i, p in enumerate(row.state.proposals) if p.cip13 == row.state.product.cip13), -1)
                if index < 0:
                    self.product_combo.addItem(f"{row.state.product.name} — {row.state.product.label}",
                                               row.state.product)
                    index = self.product_combo.count() - 1
                self.product_combo.setCurrentIndex(index)
            self.quantity_spin.setValue(max(row.state.quantity, 1))
            if row.state.estimate is not None:
                self.quantity_spin.setToolTip(quantity_tooltip(row))
        self.product_combo.blockSignals(False)
        for widget in (self.product_combo, self.quantity_spin, self.quantity_button):
            widget.setEnabled(row is not None)

    def _on_product_activated(self, index: int) -> None:
        product = self.product_combo.itemData(index)
        if self.row is None or product is None:
            return
        if self.row.state.product is not None and self.row.state.product.cip13 == product.cip13:
            return
        self.product_requested.emit(self.row.state.line_id, product)

    def _on_quantity(self) -> None:
        if self.row is not None and self.quantity_spin.value() != self.row.state.quantity:
            self.quantity_requested.emit(self.row.state.line_id, self.quantity_spin.value())

    def _on_quantity_edited(self) -> None:
        if self.quantity_spin.hasFocus():
            self._on_quantity()
