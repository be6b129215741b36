"""The workflow's notices and refusals in the UI's language, rendered from their code and values.

Why: the workflow says what happened in French (the command line and the logs show it as it is) and
names it with a code and values (:class:`app.domain.notices.Notice` for a dispensing's notices,
``ComptoirError.code``/``values`` for a refusal). In French the UI shows the French text unchanged; in
English each known code is rendered through ``_t``; an unknown one keeps its French text.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from app.ui.i18n import _t


def _texts() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Code → (the text, with %1, %2 … for the values named after it)."""
    return {
        # a dispensing's notices (app.workflow.starting, propose, counter)
        "line_inactive": (_t("« %1 » : ligne %2 sur le service, non délivrable."), ("medication", "status")),
        "line_expired": (_t("« %1 » : validité dépassée (%2)."), ("medication", "date")),
        "not_found": (_t("« %1 » : introuvable dans la base des médicaments, recherchez le produit."),
                      ("medication",)),
        "price_unknown": (_t("Ligne %1 : prix inconnu du catalogue, hors de la facture (le prix de vente est saisi "
                             "au comptoir)."), ("position",)),
        "offline_claim": (_t("Service indisponible : la réservation de l'ordonnance sera refaite à l'envoi."), ()),
        # the outbox (app.workflow.outbox): a delivery not sent, the service's answer kept as it is
        "outbox_not_configured": (_t("Service d'ordonnance numérique non configuré : rien ne peut être transmis."), ()),
        "send_deferred": (_t("Service indisponible : la délivrance est enregistrée et sera transmise "
                             "automatiquement."), ()),
        "send_refused": (_t("Transmission refusée par le service : %1"), ("answer",)),
        "send_given_up": (_t("Transmission abandonnée après %1 tentatives (dernière réponse : %2). Vérifiez le "
                             "service, puis renvoyez la délivrance."), ("attempts", "answer")),
        # what the register lacks, said at recording (app.domain.ordonnancier.missing_register_items)
        "register_no_prescriber_address": (_t("Ordonnancier : l'adresse du prescripteur manque (art. R.5132-10 CSP), "
                                              "complétez-la sur l'ordonnance."), ()),
        "register_no_patient_address": (_t("Ordonnancier : l'adresse du patient manque (art. R.5132-10 CSP), "
                                           "demandez-la au patient."), ()),
        # refusals (exceptions of the workflow)
        "rx_cancelled": (_t("Ordonnance annulée par le prescripteur : rien ne peut être délivré."), ()),
        "rx_expired": (_t("Ordonnance expirée : rien ne peut être délivré."), ()),
        "rx_delivered": (_t("Ordonnance déjà entièrement délivrée."), ()),
        "rx_expired_since": (_t("Ordonnance expirée depuis le %1."), ("date",)),
        "service_not_configured": (_t("Service d'ordonnance numérique non configuré : renseignez son adresse et son "
                                      "jeton dans les réglages."), ()),
        "nobody_signed_in": (_t("Personne n'est connecté à ce poste : connectez-vous (Ctrl+U) pour agir."), ()),
        "already_finished": (_t("Cette délivrance est déjà terminée."), ()),
        "in_preparation": (_t("Ordonnance en préparation (%1) : reprenez-la au comptoir quand elle sera prête."),
                           ("state",)),
        "in_preparation_by": (_t("Ordonnance en préparation (%1 par %2) : reprenez-la au comptoir quand elle sera "
                                 "prête."), ("state", "name")),
        "billed_no_abandon": (_t("La facture est établie : enregistrez la délivrance plutôt que de l'abandonner."),
                              ()),
        "bill_first": (_t("Facturez avant d'enregistrer la délivrance."), ()),
        "no_prescribed_speciality": (_t("Aucune spécialité prescrite parmi les produits proposés pour cette ligne."),
                                     ()),
        "prep_billed": (_t("Délivrance déjà facturée : enregistrez-la au comptoir."), ()),
        "prep_unknown": (_t("Délivrance inconnue de la base : scannez l'ordonnance de nouveau."), ()),
        "prep_delivered": (_t("Préparation déjà délivrée"), ()),
    }


def _shown_value(name: str, value: str) -> str:
    """A value that is itself a code, in words: a preparation's state."""
    if name == "state":
        states = {"waiting": _t("en attente"), "preparing": _t("en préparation"), "to_validate": _t("à valider"),
                  "validated": _t("prête"), "done": _t("délivrée"), "cancelled": _t("annulée")}
        return states.get(value, value)
    return value


def coded_text(code: str, values: dict[str, str], french: str) -> str:
    """``french`` (the workflow's text) in French; in English the text of ``code`` with ``values``
    (``french`` again for a code this table does not know, or a value missing)."""
    if QLocale().language() != QLocale.Language.English:
        return french
    if code == "rx_unusable_why" and "head" in values:  # the refusal (a known text), then the rules' reasons
        return f"{_t(values['head'])} {values.get('why', '')}".strip()
    if code == "line_finding" and "medication" in values:
        return _line_finding(values, french)
    if code == "non_substitutable" and "medication" in values:
        return _t("« %1 » : %2.").replace("%1", values["medication"]).replace(
            "%2", non_substitution_words(values.get("reason", "")))
    entry = _texts().get(code)
    if entry is None or any(name not in values for name in entry[1]):
        return french
    text, names = entry
    for i, name in reversed(list(enumerate(names, start=1))):  # %10 before %1
        text = text.replace(f"%{i}", _shown_value(name, str(values[name])))
    return text


def _line_finding(values: dict[str, str], french: str) -> str:
    """« medication » : a rule's finding, by its code, variant and values (``findings_en.json``)."""
    from types import SimpleNamespace

    from app.i18n import finding_in

    prefix = "finding_"
    finding = SimpleNamespace(
        code=values.get("finding_code", ""), variant=values.get("finding_variant") or None, parts=(), message="",
        values=tuple((k[len(prefix):], v) for k, v in values.items()
                     if k.startswith(prefix) and k not in ("finding_code", "finding_variant")))
    text = finding_in("en", finding)
    return _t("« %1 » : %2").replace("%1", values["medication"]).replace("%2", text) if text else french


def notice_text(notice: str) -> str:
    """A dispensing's notice (a :class:`~app.domain.notices.Notice`, or plain French text)."""
    return coded_text(getattr(notice, "code", ""), getattr(notice, "values", {}), str(notice))


def error_text(exc: BaseException, french: str) -> str:
    """A refusal in the UI's language: by its code (``ComptoirError.code``, the table above), else by its
    French template marked ``N_`` (app.domain.errors: the catalogue has it, as the command line says
    it) filled with its values; ``french`` otherwise."""
    text = coded_text(getattr(exc, "code", "") or "", getattr(exc, "values", {}) or {}, french)
    if text is not french or QLocale().language() != QLocale.Language.English:
        return text
    template = getattr(exc, "template", None)
    if not template:
        return french
    translated = _t(template)
    if translated == template:
        return french
    from app.domain.errors import Marked

    values = {name: _t(value) if isinstance(value, Marked) else value
              for name, value in (getattr(exc, "values", {}) or {}).items()}
    try:
        return translated.format(**values) if values else translated
    except (KeyError, IndexError, ValueError):
        return french


def non_substitution_words(reason: str) -> str:
    """The prescriber's « non substituable » and its justification (MTE, EFG, CIF or none), as the
    core's :func:`app.domain.substitution.non_substitution_text` says it, in the UI's language."""
    labels = {"MTE": _t("médicament à marge thérapeutique étroite"),
              "EFG": _t("enfant de moins de 6 ans, pas de générique à forme adaptée"),
              "CIF": _t("contre-indication formelle à un excipient")}
    if reason in labels:
        return _t("Non substituable (%1 : %2)").replace("%1", reason).replace("%2", labels[reason])
    return _t("Non substituable sans justification (MTE, EFG ou CIF) : mention sans effet depuis le 1er janvier "
              "2020, substitution possible")
