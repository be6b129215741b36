"""Translation of the strings outside a widget class (helper functions, table columns).

Why a helper: ``self.tr()`` only exists on QObjects; these functions use the global context, which
``lupdate`` extracts when run with ``-tr-function-alias tr+=_t`` (see :mod:`app.ui.translations`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale


def _t(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``tr`` outside a QObject; ``n`` fills a ``%n`` plural form."""
    return QCoreApplication.translate("", text, disambiguation, n)


def shown_label(row: Any) -> str:
    """A row of a reference table (a reason, a means of agreement) in the UI's language.

    The tables hold a French ``label`` (what the records keep) and an English ``label_en``; the
    language is the one the translators set (``QLocale`` default, see :mod:`app.ui.translations`).
    """
    if QLocale().language() == QLocale.Language.English and getattr(row, "label_en", ""):
        return row.label_en
    return row.label


def status_label(status) -> str:
    """A line's state (``DispenseStatus``) in the UI's language; the core's French labels
    (``STATUS_LABELS``) stay for the records."""
    from app.domain.delivery import DispenseStatus as S

    return {
        S.PREPARATION: _t("à préparer"), S.IN_PROGRESS: _t("en cours"), S.ON_HOLD: _t("en attente"),
        S.COMPLETED: _t("délivrée"), S.DECLINED: _t("non délivrée"), S.STOPPED: _t("arrêtée"),
        S.CANCELLED: _t("annulée"),
    }[status]


def role_label(role) -> str:
    """A member's role (``Role``) in the UI's language."""
    from app.domain.team import Role

    return {
        Role.TITULAIRE: _t("pharmacien titulaire"), Role.ADJOINT: _t("pharmacien adjoint"),
        Role.PREPARATEUR: _t("préparateur"), Role.ETUDIANT: _t("étudiant en pharmacie"),
    }[role]
