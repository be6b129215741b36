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


def refusal_text(exc: BaseException, message: str) -> str:
    """A refused scan in the UI's language, rendered by its type with the values it carries
    (:mod:`app.domain.dispense_line`); ``message`` (the core's French) for any other refusal."""
    from app.domain import dispense_line as d

    if isinstance(exc, d.ExpiredBox):
        return _t("Boîte périmée (expiration %1) : ne la délivrez pas.").replace("%1", exc.expiry.strftime("%m/%Y"))
    if isinstance(exc, d.BoxScannedTwice):
        return _t("Boîte déjà scannée (numéro de série %1).").replace("%1", exc.serial)
    if isinstance(exc, d.BoxNotPrescribed):
        return _t("Cette boîte (CIP %1) ne correspond à aucune ligne de l'ordonnance.").replace("%1", exc.cip13)
    if isinstance(exc, d.BoxBeyondQuantity):
        return (_t("Une boîte de trop : %1 prévue(s) pour « %2 », toutes scannées.")
                .replace("%1", box_count(exc.quantity)).replace("%2", exc.medication))
    if isinstance(exc, d.ProductNeedsAdjustment):
        return _t("Ce produit n'est pas celui prescrit : choisissez-le et indiquez le motif.")
    if isinstance(exc, d.ScanAfterBill):
        return _t("La facture est déjà établie : plus de boîte à scanner.")
    return message


def box_count(count) -> str:
    """"1 boîte", "3 boîtes" in the UI's language."""
    return (_t("%1 boîte") if count <= 1 else _t("%1 boîtes")).replace("%1", str(count))


def duration_text(duration) -> str:
    """A prescribed duration ("28 jours", "3 mois") in the UI's language; the core's ``str`` stays French
    for the records and printouts."""
    value = duration.value.normalize()
    many = value > 1
    words = {
        "d": (_t("%1 jour"), _t("%1 jours")), "wk": (_t("%1 semaine"), _t("%1 semaines")),
        "mo": (_t("%1 mois"), _t("%1 mois", "plural")), "a": (_t("%1 an"), _t("%1 ans")),
        "h": (_t("%1 heure"), _t("%1 heures")), "min": (_t("%1 minute"), _t("%1 minutes")),
    }
    pair = words.get(duration.unit)
    if pair is None:
        return str(duration)
    return pair[many].replace("%1", f"{value:f}")


def finding_text(finding) -> str:
    """A rule's finding (``app.domain.rules.Finding``) in the UI's language: in English its template
    (by stable code and variant, ``resources/translations/findings_en.json``) filled with the values
    it carries; its French message otherwise, or when no template fits."""
    from app.i18n import finding_in

    return finding_in("en" if QLocale().language() == QLocale.Language.English else "fr", finding)


def fee_label(code: str, label: str) -> str:
    """A dispensing fee by its code in the UI's language; the tariff's French ``label`` (what the
    bill records) for a code the UI does not know."""
    known = {
        "HD": _t("Honoraire de dispensation au conditionnement"),
        "HG": _t("Honoraire de dispensation au conditionnement trimestriel"),
        "HDR": _t("Honoraire de dispensation pour l'exécution d'une ordonnance de médicaments remboursables"),
        "HDA": _t("Honoraire de dispensation lié à l'âge du patient"),
        "HDE": _t("Honoraire de dispensation particulière (médicaments spécifiques)"),
        "HC": _t("Honoraire de dispensation pour ordonnance complexe"),
    }
    return known.get(code, label)


def problem_text(kind: str, medication: str, state) -> str:
    """One thing keeping the dispensing from being billed (``Dispensing.problem_items``)."""
    if kind == "unfinished":
        return _t("« %1 » : ligne %2.").replace("%1", medication).replace("%2", status_label(state.status))
    if kind == "no_reason":
        return _t("« %1 » : produit changé sans motif d'adaptation.").replace("%1", medication)
    if kind == "no_price":
        return _t("« %1 » : prix inconnu, saisissez-le.").replace("%1", medication)
    return _t("Aucune ligne délivrée.")
