"""Translation of the strings outside a widget class (helper functions, table columns).

Why a helper: ``self.tr()`` only exists on QObjects; these functions use the global context, which
``lupdate`` extracts when run with ``-tr-function-alias tr+=_t`` (see :mod:`app.ui.translations`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)
