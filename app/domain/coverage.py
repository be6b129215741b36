"""Who pays what: the compulsory insurance's (AMO) rate of a line and of a fee, the complementary's
(AMC) share, and the franchise shown to the patient.

All amounts are integer cents, rounded half up once per line (as a feuille de soins rounds each act);
the patient's share is what remains, so the three parts add up to the total by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.fees import FranchiseTable, default_franchise_table
from app.domain.prescription import Coverage

FULL = 100
LOW_RATE = 15  # "service médical rendu faible" (décret n° 2010-6 du 5 janvier 2010)
FRANCHISE_MIN_AGE = 18  # art. L.160-13 III CSS: the franchise is not asked of minors


def years_on(born: date | None, day: date) -> int | None:
    """Full years of age on ``day`` (None when the birth date is unknown)."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def share(cents: int, percent: int) -> int:
    """``percent`` % of ``cents``, rounded half up to the cent (integer arithmetic, exact)."""
    if cents < 0 or not 0 <= percent <= FULL:
        raise ValueError(f"part impossible : {percent} % de {cents} centimes")
    return (cents * percent * 2 + FULL) // (FULL * 2)


def line_rate(product_rate: int | None, coverage: Coverage = Coverage.COMMON) -> int:
    """The AMO rate of one line, in percent.

    - A product the catalogue lists without a rate (non-remboursable) is paid by no one but the
      patient, whatever the coverage.
    - Droit commun: the catalogue's rate (65, 30, 15 or 100 %: art. R.160-5 CSS).
    - A line in relation with the patient's ALD (art. L.160-14 3° CSS, upper zone of the ordonnance
      bizone), a patient under assurance maternité (L.160-9) or a work accident / occupational disease
      (L.431-1): 100 %. Exception kept for the ALD: a medicine of "service médical rendu faible"
      (15 %) stays at 15 % — the décret n° 2010-6 that created that rate excluded it from the ALD
      exemption (as the profession read it in 2010; to check against R.160-8 CSS as in force). We do
      not extend that exception to maternity and AT/MP, whose 100 % covers the tariff whatever it is.
    """
    rate = product_rate or 0
    if not 0 <= rate <= FULL:
        raise ValueError(f"taux de remboursement impossible ({rate} %)")
    if rate == 0 or coverage is Coverage.COMMON:
        return rate
    if coverage is Coverage.ALD and rate == LOW_RATE:
        return rate
    return FULL


def fee_rate(base_rate: int | None, *, exempt: bool, irreplaceable: bool = False) -> int:
    """The AMO rate of a per-ordonnance fee: its table rate (70 %, or 100 % for HC), 100 % when a line
    of the ordonnance is in relation with an ALD, maternity or AT/MP ("honoraires à l'ordonnance …
    remboursés à hauteur de 70 % par l'AMO, voire 100 % quand au moins un médicament est prescrit en
    ALD", Le Quotidien du pharmacien 2018) or when the ordonnance holds a medicine reimbursed at 100 %
    (art. R.160-8 CSS: no participation "pour l'honoraire de dispensation … afférent … à l'ordonnance
    comportant un ou plusieurs de ces médicaments")."""
    rate = FULL if base_rate is None else base_rate
    return FULL if exempt or irreplaceable else rate


@dataclass(frozen=True)
class Shares:
    """One amount split: compulsory insurance, complementary, patient (they add up to ``total``)."""

    total: int
    amo: int
    amc: int
    patient: int


def split(total_cents: int, amo_rate: int, amc_rate: int | None = None, *, amo_base_cents: int | None = None) -> Shares:
    """Split ``total_cents``: the AMO pays ``amo_rate`` % of its base (the total, or a lower
    reimbursement base: the dearest generic when the patient refused the generic, L.162-16-7 CSS);
    the complementary pays ``amc_rate`` % of what remains (its contract, None: no complementary, and
    nothing on a product the AMO does not reimburse); the patient the rest."""
    base = total_cents if amo_base_cents is None else min(amo_base_cents, total_cents)
    amo = share(base, amo_rate)
    remaining = total_cents - amo
    amc = share(remaining, amc_rate) if amc_rate and amo_rate > 0 else 0
    return Shares(total_cents, amo, amc, remaining - amc)


# --- the franchise: information only ---------------------------------------------------------------


@dataclass(frozen=True)
class FranchiseNotice:
    """The franchise médicale on this delivery, shown to the patient: the insurance deducts it later
    from his reimbursements (art. L.160-13 III CSS), it is not collected at the counter and changes
    nothing on the bill. ``exempt`` says why none applies."""

    boxes: int
    cents_per_box: int
    cents: int  # boxes × per box, before the annual cap the insurance applies
    annual_cap_cents: int
    exempt: str | None = None


def franchise_exemption(birth_date: date | None, on: date, coverage: Coverage) -> str | None:
    """Why the franchise does not apply (French), or None: a minor (under 18 on the day) or a patient
    under assurance maternité (art. L.160-13 III CSS). The complémentaire santé solidaire and the AME
    exempt too; the counter does not know them from the ordonnance."""
    age = years_on(birth_date, on)
    if age is not None and age < FRANCHISE_MIN_AGE:
        return "patient de moins de 18 ans"
    if coverage is Coverage.MATERNITY:
        return "assurance maternité"
    return None


def franchise_notice(reimbursed_boxes: int, on: date, *, birth_date: date | None = None,
                     coverage: Coverage = Coverage.COMMON,
                     table: FranchiseTable | None = None) -> FranchiseNotice | None:
    """The franchise on ``reimbursed_boxes`` boxes delivered on ``on``, or None when no rate is in force
    (before 2008) or nothing is reimbursed."""
    rate = (table or default_franchise_table()).rate(on)
    if rate is None or reimbursed_boxes <= 0:
        return None
    exempt = franchise_exemption(birth_date, on, coverage)
    cents = 0 if exempt else reimbursed_boxes * rate.cents_per_box
    return FranchiseNotice(reimbursed_boxes, rate.cents_per_box, cents, rate.annual_cap_cents, exempt)
