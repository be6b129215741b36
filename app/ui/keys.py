"""Keyboard first: every action has a key, shown on its button, and F1 lists them all.

Why: at a busy counter the pharmacist's hands are on the scanner and the keyboard. :func:`bind_key`
gives a button its shortcut (active while the focus is anywhere in ``scope``), writes the key on the
button, and records it in ``scope``'s key map; :func:`note_key` records a key handled some other way
(``keyPressEvent``). The F1 dialog (:mod:`app.ui.key_map_dialog`) reads the key maps of the screens as
they are, so the list can never drift from the keys that work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton


def key_text(sequence: QKeySequence | str) -> str:
    """The key as the pharmacist reads it (``Ctrl+R``, ``F5``), in the UI's language."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def note_key(scope: QWidget, sequence: QKeySequence | str, action: str) -> None:
    """Record in ``scope``'s key map that ``sequence`` does ``action`` there (F1 lists it)."""
    entries = getattr(scope, "key_map", None)
    if entries is None:
        entries = []
        scope.key_map = entries  # type: ignore[attr-defined]
    entries.append((key_text(sequence), action))


def bind_key(button: QAbstractButton, sequence: QKeySequence | str, scope: QWidget, action: str | None = None,
             *, label: bool = True) -> QShortcut:
    """``sequence`` clicks ``button`` (when enabled and shown) while the focus is inside ``scope``;
    the key is appended to the button's text (``label``) and noted for F1."""
    from PySide6.QtCore import Qt  # here: the first window notes its keys before Qt's enums are needed

    key = QKeySequence(sequence)
    shortcut = QShortcut(key, scope)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: button.click() if button.isEnabled() and button.isVisible() else None)
    if label:
        button.setText(f"{button.text()} ({key_text(key)})")
    note_key(scope, key, action or button.text())
    return shortcut


def key_maps(root: QWidget) -> list[tuple[str, str, str]]:
    """(screen, key, action) for ``root`` and every widget under it that has a key map."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        entries = getattr(widget, "key_map", None)
        if entries:
            screen = getattr(widget, "key_map_title", "") or widget.objectName()
            found.extend((screen, key, action) for key, action in entries)
    return found
