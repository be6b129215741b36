"""The reasons of an adjustment per action, the legal bases of a product change, and the rule that a
product outside the generic group needs the prescriber's agreement or one of those bases.

Why data: the reasons and the legal bases change with the texts (a new shortage provision, a new list
of substitutable biosimilars), so they are dated rows in ``resources/adjustments/`` read here; the
code only says which apply on a day and what the law asks of a product change.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from app.domain.delivery import Adjustment, AdjustmentKind
from app.domain.errors import N_, ComptoirError
from app.domain.records import LegalBasis, Reason
from app.resources_path import resource

REASONS_RESOURCE = ("adjustments", "reasons.json")
LEGAL_BASES_RESOURCE = ("adjustments", "legal_bases.json")


class AdjustmentRefused(ComptoirError, ValueError):
    """An adjustment the law does not allow as given; the message says what is missing."""


def _in_force(row: dict[str, Any], on: date) -> bool:
    start, end = row.get("effective_from"), row.get("effective_to")
    return (not start or date.fromisoformat(start) <= on) and (not end or on <= date.fromisoformat(end))


@cache
def _rows(parts: tuple[str, ...], key: str) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(resource(*parts).read_text(encoding="utf-8"))[key])


def reasons_in_force(on: date) -> list[Reason]:
    """Every reason valid on ``on``, in the table's order (each names the actions it applies to)."""
    return [Reason(r["code"], r["label"], r.get("label_en", ""), bool(r.get("requires_comment")),
                   frozenset(AdjustmentKind(k) for k in r.get("kinds", ())))
            for r in _rows(REASONS_RESOURCE, "reasons") if _in_force(r, on)]


def legal_bases_in_force(on: date) -> list[LegalBasis]:
    return [LegalBasis(r["code"], r["label"], r.get("label_en", ""))
            for r in _rows(LEGAL_BASES_RESOURCE, "legal_bases") if _in_force(r, on)]


def reason_by_code(code: str) -> Reason | None:
    """The reason of ``code`` whatever its dates (a recorded adjustment keeps its code: an English UI
    shows its English label, even for a reason no longer offered)."""
    return next((Reason(r["code"], r["label"], r.get("label_en", ""), bool(r.get("requires_comment")))
                 for r in _rows(REASONS_RESOURCE, "reasons") if r["code"] == code), None)


def legal_basis_by_code(code: str) -> LegalBasis | None:
    """The legal basis of ``code`` whatever its dates (see :func:`reason_by_code`)."""
    return next((LegalBasis(r["code"], r["label"], r.get("label_en", ""))
                 for r in _rows(LEGAL_BASES_RESOURCE, "legal_bases") if r["code"] == code), None)


def reasons_for(kind: AdjustmentKind, reasons: list[Reason]) -> list[Reason]:
    """The reasons the dialog of ``kind`` offers, in order."""
    return [r for r in reasons if r.applies_to(kind)]


def check_product_change(adjustment: Adjustment, product_name: str) -> None:
    """Art. L.5125-23 I CSP: "Le pharmacien ne peut délivrer un médicament ou produit autre que celui
    qui a été prescrit … qu'avec l'accord exprès et préalable du prescripteur, sauf en cas d'urgence et
    dans l'intérêt du patient." A product outside the generic substitution (another speciality, or a
    generic on a line the prescriber excluded from substitution) therefore needs the agreement, with
    its means and when it was given (the "préalable" is shown by the time), or a listed legal basis
    (urgency, the ANSM's replacement of a medicine of major therapeutic interest in shortage, a listed
    biosimilar); otherwise it is refused with the reason.

    Choice: the agreement's time is required with its means, since without it nothing shows the
    agreement came before the delivery; a date alone (records of old) is not enough for a new change.
    """
    if adjustment.legal_basis_code:
        return
    if adjustment.agreed and adjustment.agreement_date is not None and adjustment.agreement_time is not None:
        return
    raise AdjustmentRefused(
        N_("{product} n'est pas le médicament prescrit ni un générique substituable : il faut l'accord "
           "exprès et préalable du prescripteur (moyen, date et heure) ou un fondement légal "
           "(urgence, rupture d'un médicament d'intérêt thérapeutique majeur, biosimilaire), "
           "art. L.5125-23 CSP."), values={"product": product_name})
