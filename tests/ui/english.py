"""Finding French left in the English UI: every visible text of a widget tree, data taken out.

Why here and not in app/: it is the check of issue 14 ("walk every screen in English"), a test tool.

What counts as data (never flagged): every string of the prescription on screen (patient, prescriber,
addresses, medication texts and posologies as the prescriber wrote them), the catalogue's labels of the
products shown (BDPM names, pack labels, laboratories), user names. What is flagged: a word only French
UI text uses (``FRENCH_WORDS``) or a French accented letter, left once the data is removed.

Allowed words: "Comptoir" (the application's name); no domain word is needed: The English catalogue says "e-prescription" for *ordonnance
numérique*, "controlled-substance register" for *ordonnancier*; the acronyms of French practice
(AMO, AMC, CIP13, RPPS, FINESS, HDR, MTE, CSP) are upper case and are not French words to the check.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

# Words of French UI text that are not English words (lower case, accents kept).
FRENCH_WORDS = frozenset(["jour", "jours", "boîte", "boîtes", "boite", "boites", "ligne", "lignes", "délivrance", "délivrer", "délivré", "délivrée", "préparer", "cette", "ce", "cet", "ces", "le", "la", "les", "des", "du", "une", "et", "pour", "avec", "sans", "pas", "sur", "dans", "aucun", "aucune", "être", "est", "sont", "refusée", "refusé", "acceptée", "accepté", "quantité", "posologie", "prescrite", "prescrit", "ordonnance", "ordonnances", "médicament", "médicaments", "produit", "produits", "prix", "facturer", "facture", "enregistrer", "annuler", "valider", "retour", "rechercher", "historique", "préparation", "attente", "oui", "numéro", "transmise", "transmis", "imprimer", "imprimée", "mois", "semaine", "semaines", "heure", "heures"])
ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœ]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text ``root`` and its children show: labels, buttons, titles, tabs,
    headers and cells of item views, combo items, tooltips, placeholders, window titles."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, what: str, text: str | None) -> None:
        if text and text.strip():
            found.append((f"{type(widget).__name__}({widget.objectName()}).{what}", text))

    for widget in [root, *root.findChildren(QWidget)]:
        add(widget, "windowTitle", widget.windowTitle())
        add(widget, "toolTip", widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            add(widget, "text", widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget, "title", widget.title())
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            add(widget, "placeholder", widget.placeholderText())
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget, f"tab{i}", widget.tabText(i))
                add(widget, f"tabToolTip{i}", widget.tabToolTip(i))
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                add(widget, f"item{i}", widget.itemText(i))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column, its count private
                columns = 1
            rows = model.rowCount(QModelIndex())
            for orientation, count in ((Qt.Orientation.Horizontal, columns),
                                       (Qt.Orientation.Vertical, rows)):
                for section in range(count):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.headerData(section, orientation, role)
                        if isinstance(value, str):
                            add(widget, f"header{section}", value)
            for row in range(rows):
                for column in range(columns):
                    index = model.index(row, column)
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(index, role)
                        if isinstance(value, str):
                            add(widget, f"cell{row},{column}", value)
    return found


def data_strings(*objects: object) -> set[str]:
    """Every string held by ``objects`` (dataclasses, sequences, mappings, plain objects), recursively."""
    found: set[str] = set()
    seen: set[int] = set()

    def walk(value: object, depth: int) -> None:
        if depth > 8 or id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, str):
            if value.strip():
                found.add(value.strip())
        elif isinstance(value, enum.Enum | int | float | bool) or value is None:
            return
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name), depth + 1)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item, depth + 1)
        elif hasattr(value, "__dict__"):
            for item in vars(value).values():
                walk(item, depth + 1)

    for obj in objects:
        walk(obj, 0)
    return found


def french_left(texts: Iterable[tuple[str, str]], data: Iterable[str]) -> list[tuple[str, str]]:
    """The texts still French once the data strings are taken out (longest first)."""
    data = sorted({d for d in data if len(d) > 2}, key=len, reverse=True)
    left = []
    for where, text in texts:
        rest = text
        for item in data:
            if item in rest:
                rest = rest.replace(item, " ")
        words = [w.lower() for w in WORD.findall(rest)]
        if ACCENTED.search(rest) or any(w in FRENCH_WORDS for w in words):
            left.append((where, text))
    return left
