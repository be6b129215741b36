"""Qt item models as thin adapters over plain Python lists (napari's habit).

Why: screens keep their data in ordinary lists of domain objects; a :class:`ListTableModel` only says
how to show each column. Replacing the list resets the view; nothing else lives in the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the value a column sorts by (a number for prices, not text)


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its (translated) title, the text of a row, and optionally a tooltip and a colour."""

    title: str
    text: Callable[[T], str]
    tooltip: Callable[[T], str | None] | None = None
    background: Callable[[T], str | None] | None = None  # a colour name, e.g. "#fde2e2"
    align_right: bool = False
    sort_key: Callable[[T], Any] | None = None  # what the column sorts by (None: its text); None values last


class ListTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = list(rows)

    # --- the list ------------------------------------------------------------------------------
    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> T:
        return self._rows[index]

    def refresh(self) -> None:
        """The rows changed in place: repaint every cell."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1))

    def sort_value(self, row: T, column: int) -> Any:
        col = self._columns[column]
        return col.sort_key(row) if col.sort_key is not None else col.text(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column``'s sort key (a view with sorting enabled calls this); rows
        without a value go last either way. Row indices keep meaning rows of this model."""
        if not 0 <= column < len(self._columns):
            return
        self.layoutAboutToBeChanged.emit()
        keyed = [(self.sort_value(row, column), row) for row in self._rows]
        present = [pair for pair in keyed if pair[0] is not None]
        missing = [row for value, row in keyed if value is None]
        present.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [row for _value, row in present] + missing
        self.layoutChanged.emit()

    # --- Qt's side -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item)
        if role == Qt.ItemDataRole.BackgroundRole and column.background is not None:
            colour = column.background(item)
            return QBrush(QColor(colour)) if colour else None
        if role == SORT_ROLE:
            return self.sort_value(item, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
