"""F1: the list of every key of every screen, read from the screens' key maps (:mod:`app.ui.keys`).

Why a module of its own: the window notes its keys before its first paint; this dialog, its table
and buttons are built only when F1 is pressed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class KeyMapDialog(QDialog):
    """F1: every key of every screen. Named handle: ``table``."""

    def __init__(self, entries: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keymap_dialog")
        self.setWindowTitle(self.tr("Raccourcis clavier (F1)"))
        self.table = QTableWidget(len(entries), 3)
        self.table.setObjectName("keymap_table")
        self.table.setHorizontalHeaderLabels([self.tr("Écran"), self.tr("Touche"), self.tr("Action")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(entries):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(close)
        self.resize(720, 520)
