"""The dispensing table: one row per prescription line, what was prescribed next to what is handed over.

Why a module: the columns (and their hovers: the quantity's explanation, the refusal reasons) are the
heart of the screen and are tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale

from app.domain.catalogue import Condition
from app.domain.delivery import Adjustment, DispenseStatus
from app.domain.dispensing import Dispensing, LineState
from app.domain.prescription import PrescriptionLine
from app.domain.substitution import ChangeKind, non_substitution_text
from app.ui import formatting
from app.ui.i18n import _t, box_count, duration_text, status_label
from app.ui.models import Column, ListTableModel

STATUS_COLOURS = {
    DispenseStatus.COMPLETED: "#d9f2d9",
    DispenseStatus.IN_PROGRESS: "#fff4cc",
    DispenseStatus.ON_HOLD: "#eeeeee",
    DispenseStatus.DECLINED: "#fde2e2",
    DispenseStatus.STOPPED: "#fde2e2",
    DispenseStatus.CANCELLED: "#fde2e2",
}



@dataclass
class LineRow:
    """A line as prescribed and its state at the counter (both live objects of the Dispensing)."""

    line: PrescriptionLine
    state: LineState


def rows_of(dispensing: Dispensing) -> list[LineRow]:
    return [LineRow(dispensing.prescribed(s.line_id), s) for s in dispensing.lines]


_BOX_UNITS = {"boite", "boites", "boîte", "boîtes", "box", "boxes", "{boite}", "{boîte}", "{box}"}


def prescribed_quantity(line: PrescriptionLine) -> str:
    """The quantity as prescribed, its unit agreed with the number: "2 boîtes", not "2 boîte" as the
    prescription may write it (a box unit in the UI's language; another unit kept as written)."""
    q = line.quantity
    if not q:
        return "—"
    unit = q.unit.strip()
    shown = formatting.number(q.value)
    if unit.lower() in _BOX_UNITS or q.code in ("{box}", "{boite}"):
        return _t("%1 boîte").replace("%1", shown) if q.value <= 1 else _t("%1 boîtes").replace("%1", shown)
    if q.value > 1 and unit.isalpha() and unit.islower() and unit[-1] not in "sx":  # not "mL", "UI"
        unit += "s"  # French: "2 sachet" → "2 sachets"
    return f"{shown} {unit}".strip()


def remaining_text(line: PrescriptionLine) -> str:
    parts = []
    if line.remaining_quantity is not None:
        parts.append(_t("%1 boîte(s)").replace("%1", formatting.number(line.remaining_quantity)))
    if line.remaining_renewals is not None:
        parts.append(_t("%1 renouv.").replace("%1", str(line.remaining_renewals)))
    return ", ".join(parts) or "—"


# A mark before each state, so that the state reads without its colour (greyscale print, colour blindness).
STATUS_MARKS = {
    DispenseStatus.PREPARATION: "○", DispenseStatus.IN_PROGRESS: "◐", DispenseStatus.ON_HOLD: "⏸",
    DispenseStatus.COMPLETED: "✔", DispenseStatus.DECLINED: "✖", DispenseStatus.STOPPED: "✖",
    DispenseStatus.CANCELLED: "✖",
}


def list_badges(flags) -> str:
    """The regulatory list of what is handed over, as text badges: [Liste I], [Liste II], [Stupéfiant]
    (a product both stupéfiant and listed shows the stricter one first)."""
    badges = {
        Condition.STUPEFIANT: _t("[Stupéfiant]"), Condition.ASSIMILE_STUPEFIANT: _t("[Assimilé stupéfiant]"),
        Condition.LISTE_I: _t("[Liste I]"), Condition.LISTE_II: _t("[Liste II]"),
    }
    return " ".join(text for flag, text in badges.items() if flag in flags)


def product_text(row: LineRow) -> str:
    state = row.state
    if state.product is None:
        return _t("à choisir")
    text = state.product.name
    if state.change is ChangeKind.GENERIC:
        text = _t("Générique : %1").replace("%1", text)
    elif state.change is ChangeKind.ADJUSTMENT:
        text = _t("Adapté : %1").replace("%1", text)
    badges = list_badges(state.product.flags)
    return f"{text} {badges}" if badges else text


def product_tooltip(row: LineRow) -> str | None:
    state = row.state
    if state.adjustments:
        return "\n".join(_adjustment_tip(adj) for adj in state.adjustments)
    return f"{state.product.cip13} — {state.product.label}" if state.product else None


def _adjustment_tip(adj: Adjustment) -> str:
    """One adjustment of the line: its reason, what changed, the agreement or the legal basis."""
    if adj.informed_means:  # the exceptional dispensing (L.5125-23-1): the prescriber informed, not agreeing
        agreed = (_t("prescripteur informé : %1 le %2").replace("%1", adj.informed_means)
                  .replace("%2", formatting.day(adj.informed_on)))
    elif adj.agreed:
        agreed = (_t("accord %1 le %2").replace("%1", adj.agreement_means or "")
                  .replace("%2", formatting.day(adj.agreement_date)))
    elif adj.legal_basis:
        agreed = adj.legal_basis
    else:
        agreed = _t("sans accord")
    return " — ".join(part for part in (f"{adj.reason_label} ({agreed})", adj.detail, adj.comment) if part)


def quantity_tooltip(row: LineRow) -> str | None:
    """How the boxes were counted: the core's French explanation, or in English what it computed
    (the explanation itself is built in French by app.domain.quantities)."""
    estimate = row.state.estimate
    if estimate is None:
        return None
    if QLocale().language() != QLocale.Language.English:
        return estimate.explanation or estimate.reason
    if estimate.boxes is None:
        return _t("Quantité non calculée : choisissez le nombre de boîtes.")
    parts = [_t("Calculé : %1").replace("%1", box_count(estimate.boxes))]
    if estimate.units_needed is not None:
        parts.append(_t("%1 unité(s) nécessaire(s)").replace("%1", formatting.number(estimate.units_needed)))
    if estimate.days is not None:
        parts.append(_t("%1 jour(s) de traitement").replace("%1", formatting.number(estimate.days)))
    return " — ".join(parts)


def boxes_text(row: LineRow) -> str:
    return f"{len(row.state.boxes)} / {row.state.quantity}" if row.state.product else "—"


def boxes_tooltip(row: LineRow) -> str | None:
    lines = []
    for box in row.state.boxes:
        parts = [box.cip13]
        if box.lot:
            parts.append(_t("lot %1").replace("%1", box.lot))
        if box.expiry:
            parts.append(_t("exp. %1").replace("%1", box.expiry.strftime("%m/%Y")))
        if box.serial:
            parts.append(_t("n° %1").replace("%1", box.serial))
        lines.append(" ".join(parts))
    return "\n".join(lines) or None


def posology_text(row: LineRow) -> str:
    """The posology handed over: the prescribed one, or the adapted one marked as such."""
    if row.state.posology:
        return _t("Adaptée : %1").replace("%1", row.state.posology)
    return row.line.posology_text


def status_text(row: LineRow) -> str:
    if row.state.delivered_before:
        return f"{STATUS_MARKS[DispenseStatus.COMPLETED]} " + _t("déjà délivrée")
    text = f"{STATUS_MARKS[row.state.status]} {status_label(row.state.status)}"
    if row.state.decline_reason:
        text += f" ({row.state.decline_reason})"
    return text


def status_colour(row: LineRow) -> str | None:
    if row.state.delivered_before:
        return STATUS_COLOURS[DispenseStatus.COMPLETED]
    return STATUS_COLOURS.get(row.state.status)


def make_lines_model() -> ListTableModel[LineRow]:
    return ListTableModel([
        Column(_t("Prescrit"), lambda r: r.line.medication.text, background=status_colour),
        Column(_t("Posologie"), posology_text),
        Column(_t("Durée"), lambda r: duration_text(r.line.duration) if r.line.duration else "—"),
        Column(_t("Qté prescrite"), lambda r: prescribed_quantity(r.line)),
        Column(_t("Renouv."), lambda r: str(r.line.renewals)),
        Column(_t("Reste"), lambda r: remaining_text(r.line)),
        Column(_t("Substitution"), lambda r: non_substitution_text(r.line) or _t("autorisée")),
        Column(_t("Délivré"), product_text, tooltip=product_tooltip),
        Column(_t("Boîtes"), lambda r: str(r.state.quantity) if r.state.product else "—",
               tooltip=quantity_tooltip, align_right=True),
        Column(_t("Scannées"), boxes_text, tooltip=boxes_tooltip, align_right=True),
        Column(_t("État"), status_text, background=status_colour),
    ])


READ_COLUMNS = (0, 1, 7)  # prescribed, posology, handed over: what the pharmacist reads gets the room


def fit_columns(view) -> None:
    """Lay the lines table out for 1280 pixels and up without a horizontal scrollbar: the columns
    read (prescribed product, posology, product handed over) share the width and wrap; the short
    ones (duration, quantities, state) are as wide as their text."""
    from PySide6.QtWidgets import QHeaderView

    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(view.model().columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in READ_COLUMNS
                                    else QHeaderView.ResizeMode.ResizeToContents)
