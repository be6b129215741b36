"""The catalogue search screen: type as you go, by CIP13 / CIP7 / CIS or by name.

Why this shape: the widget only turns keystrokes into ``Catalogue.find`` calls on the database worker
(latest wins, so a slow query never overwrites a newer one) and shows the answer; the catalogue
package does the searching. Selecting a presentation shows its generic group.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalogue import GenericGroup, GenericGroupMember, GenericRole, Presentation
from app.ui import formatting
from app.ui.keys import note_key
from app.ui.models import Column, ListTableModel
from app.ui.tasks import DB, TaskRunner

SEARCH_LIMIT = 100
TYPING_PAUSE_MS = 120


def conditions_text(presentation: Presentation) -> str:
    return ", ".join(sorted(flag.value for flag in presentation.flags))


def pack_text(presentation: Presentation) -> str:
    return presentation.label


def make_table(model: ListTableModel, name: str) -> QTableView:
    """A read-only, row-selecting table view (shared by every list on the counter screens)."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setMaximumSectionSize(380)  # long labels wrap instead of pushing columns away
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    return view


class CatalogueSearch(QWidget):
    """Search field + results + generic group of the selected presentation.

    Named handles for tests: ``query_edit``, ``results_view``, ``results_model``, ``group_label``,
    ``group_model``, ``status_label``. ``presentation_chosen(Presentation)`` fires on Enter/double-click.
    """

    presentation_chosen = Signal(object)

    def __init__(self, catalogue: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._runner = runner
        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("catalogue_query")
        self.query_edit.setPlaceholderText(self.tr("Nom, CIP13, CIP7 ou CIS…"))
        self.query_edit.setClearButtonEnabled(True)
        self.status_label = QLabel()
        self.results_model: ListTableModel[Presentation] = ListTableModel(
            [
                Column(self.tr("Nom"), lambda p: p.name, sort_key=lambda p: p.name.casefold()),
                Column(self.tr("Conditionnement"), pack_text, tooltip=lambda p: p.cip13),
                Column(self.tr("CIP13"), lambda p: p.cip13),
                Column(self.tr("Prix"), lambda p: formatting.money(p.price), align_right=True,
                       sort_key=lambda p: p.price),
                Column(self.tr("Taux"), lambda p: formatting.rate(p.rate), align_right=True,
                       sort_key=lambda p: p.rate),
                Column(self.tr("Conditions"), conditions_text, sort_key=lambda p: conditions_text(p) or None),
            ]
        )
        self.results_view = make_table(self.results_model, "catalogue_results")
        # what is read gets the room: the name and pack stretch, codes and numbers as wide as they are,
        # the conditions (often empty) last and bounded
        header = self.results_view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Interactive)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(5, 140)
        self.results_view.setSortingEnabled(True)
        self.results_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # search order
        self.group_label = QLabel(self.tr("Sélectionnez une présentation pour voir son groupe générique."))
        self.group_label.setWordWrap(True)
        self.group_model: ListTableModel[GenericGroupMember] = ListTableModel(
            [
                Column(self.tr("Rôle"), self._role_text),
                Column(self.tr("Spécialité"), lambda m: m.name),
                Column(self.tr("CIS"), lambda m: m.cis),
            ]
        )
        self.group_view = make_table(self.group_model, "catalogue_group")

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.group_label)
        lower_layout.addWidget(self.group_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.results_view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.search_now)
        self.query_edit.textChanged.connect(lambda _text: self._timer.start())
        self.query_edit.returnPressed.connect(self._on_return)
        self.results_view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.results_view.doubleClicked.connect(lambda index: self._choose(index.row()))
        self.key_map_title = self.tr("Catalogue")
        note_key(self, "Return", self.tr("Délivrer ce produit pour la ligne choisie au comptoir"))

    def _role_text(self, member: GenericGroupMember) -> str:
        return {
            GenericRole.PRINCEPS: self.tr("Princeps"),
            GenericRole.GENERIC: self.tr("Générique"),
            GenericRole.COMPLEMENTARY: self.tr("Complémentarité posologique"),
            GenericRole.SUBSTITUTABLE: self.tr("Substituable"),
        }.get(member.role, "")

    # --- searching ----------------------------------------------------------------------------
    def search_now(self) -> None:
        """Search for the field's text at once (the typing pause calls it too)."""
        self._timer.stop()
        query = self.query_edit.text().strip()
        if len(query) < 2:
            self.results_model.set_rows([])
            self.status_label.setText("")
            return
        self.status_label.setText(self.tr("Recherche…"))
        self._runner.run(
            lambda: self._catalogue.find(query, SEARCH_LIMIT),
            on_success=self._show_results,
            on_failure=lambda message, _exc: self.status_label.setText(message),
            kind=DB, owner=self,
            latest="catalogue-find",
        )

    def _show_results(self, results: list[Presentation]) -> None:
        self.results_model.set_rows(results)
        header = self.results_view.horizontalHeader()
        if header.sortIndicatorSection() >= 0:  # the order the pharmacist chose stays
            self.results_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if not results:
            self.status_label.setText(self.tr("Aucune présentation trouvée."))
        else:
            self.status_label.setText(self.tr("%n présentation(s)", "", len(results)))
            self.results_view.selectRow(0)

    def _on_return(self) -> None:
        if self._timer.isActive():
            self.search_now()
        elif self.results_model.rowCount():
            self._choose(max(self.results_view.currentIndex().row(), 0))

    def _choose(self, row: int) -> None:
        if 0 <= row < self.results_model.rowCount():
            self.presentation_chosen.emit(self.results_model.row(row))

    # --- the generic group of the selection ------------------------------------------------------
    def _on_current_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        presentation = self.results_model.row(current.row())
        self._runner.run(
            lambda: self._catalogue.generic_group(presentation.cip13),
            on_success=lambda group: self._show_group(presentation, group),
            on_failure=lambda message, _exc: self.group_label.setText(message),
            kind=DB, owner=self,
            latest="catalogue-group",
        )

    def _show_group(self, presentation: Presentation, group: GenericGroup | None) -> None:
        if group is None:
            self.group_label.setText(
                self.tr("%1 n'appartient à aucun groupe générique.").replace("%1", presentation.name)
            )
            self.group_model.set_rows([])
            return
        self.group_label.setText(self.tr("Groupe générique : %1").replace("%1", group.label))
        self.group_model.set_rows(sorted(group.members, key=lambda m: (m.role.value, m.sort_order, m.name)))
