"""The rules a product's own BDPM conditions impose (:mod:`app.domain.conditions`): hospital-only and
reserved products, restricted prescribers, médicaments d'exception, checks and special monitoring; each
a named rule of :data:`app.domain.rules.RULES`."""

from __future__ import annotations

from app.domain.conditions import PrescriberKind, PrescriberRestriction, plain
from app.domain.findings import Finding, LineCheck, Part, Severity, _f, _part

# --- restricted products ---------------------------------------------------------------------------


def hospital_only(c: LineCheck) -> list[Finding]:
    """Réservé à l'usage hospitalier (Art. R.5121-82 CSP: prescribed, dispensed and administered in
    a health establishment only), or dispensed by hospital pharmacies (pharmacies à usage intérieur,
    art. L.5126-6): never over the counter of a town pharmacy."""
    if not c.product.hospital_only:
        return []
    return [_f("hospital_only", Severity.BLOCKING,
               f"{c.product_label or 'Ce médicament'} est réservé à l'usage hospitalier ou délivré par les "
               "pharmacies à usage intérieur : pas de délivrance en officine.", "R.5121-82", c, "",
               product=c.product_label)]


def reserved_use(c: LineCheck) -> list[Finding]:
    """A product reserved to another channel (professional use of a dentist, vaccination centres,
    military use, dialysis centres): not handed over to a patient on a prescription (AMM conditions,
    Art. R.5121-77 s. CSP; professional orders, R.5132-6)."""
    if not c.product.reserved_use:
        return []
    return [_f("reserved_use", Severity.BLOCKING,
               f"{c.product_label or 'Ce médicament'} : « {c.product.reserved_use} » — pas de délivrance au "
               "patient sur ordonnance.", "R.5121-77", c, "", product=c.product_label, use=c.product.reserved_use)]


_MONTHS_WORD = {12: "annuelle", 6: "semestrielle", 3: "trimestrielle"}


def _restriction_text(r: PrescriberRestriction, specialty: str | None) -> tuple[str, Part] | None:
    """What the pharmacist checks for one restriction: in French, and as a part of the finding (its
    variant and values, for a UI in another language)."""
    names = ", ".join(r.specialties)
    period = f" {_MONTHS_WORD[r.renewal_months]}" if r.renewal_months in _MONTHS_WORD else ""
    within = f" de moins de {r.renewal_months} mois" if r.renewal_months else ""
    months = r.renewal_months or 0
    if r.kind is PrescriberKind.HOSPITAL:
        return ("prescription hospitalière (R.5121-84) : l'ordonnance doit émaner d'un médecin exerçant dans un "
                "établissement de santé"), _part("restricted_prescriber", "hospital")
    if r.kind is PrescriberKind.INITIAL_HOSPITAL:
        return (f"prescription initiale hospitalière{period} (R.5121-87) : présenter aussi la prescription initiale "
                f"d'un établissement de santé{within}"), (_part("restricted_prescriber", "initial_hospital_within",
                                                                  months=months) if months else
                                                            _part("restricted_prescriber", "initial_hospital"))
    if r.kind is PrescriberKind.SPECIALIST:
        if specialty and _matches(specialty, r.specialties):
            return None
        seen = f" (prescripteur : {specialty})" if specialty else ""
        return (f"prescription réservée aux spécialistes en {names} (R.5121-90) : vérifier le prescripteur{seen}",
                _part("restricted_prescriber", "specialist_seen", names=names, specialty=specialty) if specialty
                else _part("restricted_prescriber", "specialist", names=names))
    if r.kind is PrescriberKind.INITIAL_SPECIALIST:
        if specialty and _matches(specialty, r.specialties):
            return None
        who = names or "certains spécialistes"
        return (f"prescription initiale{period} réservée aux {who} (R.5121-91) : si le prescripteur n'en est pas, "
                f"présenter aussi la prescription initiale{within}"), (
                    _part("restricted_prescriber", "initial_specialist_within", who=names, months=months) if months
                    else _part("restricted_prescriber", "initial_specialist", who=names))
    if r.kind is PrescriberKind.RENEWAL_SPECIALIST:
        if specialty and _matches(specialty, r.specialties):
            return None
        return (f"renouvellement de la prescription réservé aux spécialistes en {names} : vérifier le prescripteur",
                _part("restricted_prescriber", "renewal_specialist", names=names))
    return f"{r.text} : vérifier le prescripteur", _part("restricted_prescriber", "other", text=r.text)


def _matches(specialty: str, names: tuple[str, ...]) -> bool:
    mine = plain(specialty)
    return any(plain(n) in mine or mine in plain(n) for n in names if n)


def restricted_prescriber(c: LineCheck) -> list[Finding]:
    """Médicaments à prescription restreinte (Art. R.5121-77 CSP): prescription hospitalière
    (R.5121-84), initiale hospitalière (R.5121-87, renewed by any doctor within its period),
    réservée à certains spécialistes (R.5121-90) or initiale réservée (R.5121-91). The counter cannot
    see the prescriber's practice everywhere: it says what the pharmacist must check, one warning
    listing every condition; a specialty that matches removes its condition."""
    found = [t for t in (_restriction_text(r, c.prescriber_specialty) for r in c.product.restrictions) if t]
    if not found:
        return []
    return [_f("restricted_prescriber", Severity.WARNING,
               "Prescription restreinte — " + " ; ".join(text for text, _ in found) + ".", "R.5121-77", c,
               "", parts=tuple(part for _, part in found))]


def exception_drug(c: LineCheck) -> list[Finding]:
    """Médicament d'exception: reimbursed only when prescribed on the « ordonnance de médicament
    d'exception » (cerfa n° 12708), following its fiche d'information thérapeutique (Art. R.163-2 CSS,
    arrêté du 26 juin 2006; the CSP's R.5121-77 s. classify the product)."""
    if not c.product.exception_drug:
        return []
    return [_f("exception_drug", Severity.WARNING,
               "Médicament d'exception : vérifier l'ordonnance de médicament d'exception (cerfa n° 12708), "
               "sans laquelle il n'est pas remboursé.", "R.163-2 CSS", c, "")]


def dispensing_checks(c: LineCheck) -> list[Finding]:
    """What the AMM asks the pharmacist to verify before handing over (Art. R.5121-77 s. CSP,
    conditions of the AMM as the BDPM publishes them in CIS_CPD: "délivrance après
    vérification du recueil de l'accord de soins", "ordonnance avec NFL datée …", "la délivrance ne
    peut se faire qu'après avoir vérifié la présence de cette mention" …): one warning listing them."""
    if not c.product.checks:
        return []
    return [_f("dispensing_checks", Severity.WARNING,
               "À vérifier avant la délivrance : " + " ; ".join(c.product.checks) + ".", "R.5121-77", c, "",
               parts=tuple(_part("dispensing_checks", "check", text=check) for check in c.product.checks))]


def special_monitoring(c: LineCheck) -> list[Finding]:
    """Médicament nécessitant une surveillance particulière pendant le traitement (Art. R.5121-93
    CSP): the prescriber states the monitoring; the counter reminds it."""
    if not c.product.special_monitoring:
        return []
    return [_f("special_monitoring", Severity.INFO,
               "Médicament nécessitant une surveillance particulière pendant le traitement.", "R.5121-93", c, "")]


# --- substitution ----------------------------------------------------------------------------------
