"""The prescription as the counter sees it: patient, prescriber, lines, posology.

Shaped on the FHIR R4 MedicationRequest as profiled by the ANS ePrescription guide, but free of FHIR:
``app/eprescription`` maps in both directions. Quantities use ``Decimal``; all types are frozen.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from app.domain.identifiers import Nir, OrdonnanceNumber

# UCUM time units used by FHIR timing, in days (a month is counted as 30 days, a year 365).
_UNIT_DAYS = {
    "s": Decimal(1) / 86400,
    "min": Decimal(1) / 1440,
    "h": Decimal(1) / 24,
    "d": Decimal(1),
    "wk": Decimal(7),
    "mo": Decimal(30),
    "a": Decimal(365),
}
# French words sometimes found in `unit` when `code` is missing.
_UNIT_ALIASES = {
    "jour": "d", "jours": "d", "j": "d", "semaine": "wk", "semaines": "wk", "sem": "wk",
    "mois": "mo", "an": "a", "ans": "a", "année": "a", "heure": "h", "heures": "h",
}


def time_unit(code: str | None, unit: str | None = None) -> str | None:
    """Normalise a UCUM time unit (``d``, ``wk`` ...) or a French word to the UCUM code."""
    for candidate in (code, unit):
        if candidate:
            c = candidate.strip().lower()
            if c in _UNIT_DAYS:
                return c
            if c in _UNIT_ALIASES:
                return _UNIT_ALIASES[c]
    return None


@dataclass(frozen=True)
class Duration:
    """A length of time: ``value`` in a UCUM time ``unit`` (``d``, ``wk``, ``mo``, ``a``, ``h``)."""

    value: Decimal
    unit: str

    def days(self) -> Decimal:
        return self.value * _UNIT_DAYS[self.unit]

    def __str__(self) -> str:
        words = {"d": ("jour", "jours"), "wk": ("semaine", "semaines"), "mo": ("mois", "mois"),
                 "a": ("an", "ans"), "h": ("heure", "heures"), "min": ("minute", "minutes"),
                 "s": ("seconde", "secondes")}
        one, many = words.get(self.unit, (self.unit, self.unit))
        v = self.value.normalize()
        return f"{v:f} {one if v <= 1 else many}"


@dataclass(frozen=True)
class Quantity:
    """An amount with its unit as written (``Comprimé``) and its code (EDQM, UCUM) when given."""

    value: Decimal
    unit: str = ""
    system: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.unit}".strip()


@dataclass(frozen=True)
class Coding:
    system: str
    code: str
    display: str | None = None


class MedicationKind(enum.Enum):
    """How a line names its medication (what the ANS guide allows)."""

    CIP13 = "cip13"          # a presentation (box)
    CIS = "cis"              # a speciality
    UCD = "ucd"              # a dispensing unit
    SUBSTANCE = "substance"  # a common name (DC) / substance code
    COMPOUND = "compound"    # several ingredients (a mix)
    TEXT = "text"            # only words (or a code system we do not know)


@dataclass(frozen=True)
class Ingredient:
    """One substance of a medication with its strength (``4000 UI`` per ``0.4 mL``)."""

    text: str
    coding: Coding | None = None
    strength: Quantity | None = None
    strength_per: Quantity | None = None
    is_active: bool = True


@dataclass(frozen=True)
class MedicationRef:
    """The medication of a line: its kind, main code and display text, plus any detail given."""

    kind: MedicationKind
    text: str
    code: str | None = None
    codings: tuple[Coding, ...] = ()
    form: str | None = None
    ingredients: tuple[Ingredient, ...] = ()


@dataclass(frozen=True)
class Timing:
    """When doses are taken (FHIR Timing.repeat)."""

    frequency: int | None = None
    frequency_max: int | None = None
    period: Decimal | None = None
    period_max: Decimal | None = None
    period_unit: str | None = None
    day_of_week: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    time_of_day: tuple[str, ...] = ()
    bounds_duration: Duration | None = None
    count: int | None = None


@dataclass(frozen=True)
class Dosage:
    """One posology instruction (FHIR Dosage). A line may have several in sequence."""

    text: str | None = None
    sequence: int | None = None
    dose: Quantity | None = None
    dose_low: Quantity | None = None
    dose_high: Quantity | None = None
    timing: Timing = field(default_factory=Timing)
    as_needed: bool = False
    as_needed_text: str | None = None
    route: str | None = None
    site: str | None = None
    additional_instructions: tuple[str, ...] = ()
    max_dose_per_period: tuple[Quantity, Quantity] | None = None  # (numerator, denominator)
    max_dose_per_administration: Quantity | None = None
    rate: Quantity | None = None

    def max_dose(self) -> Quantity | None:
        """The largest single dose prescribed (the range's high bound, else the dose)."""
        return self.dose_high or self.dose or self.dose_low


class NonSubstitutionReason(enum.Enum):
    """Why the prescriber wrote "non substituable" (arrêté du 12 novembre 2019)."""

    MTE = "MTE"  # marge thérapeutique étroite
    EFG = "EFG"  # enfant < 6 ans, aucun générique à forme galénique adaptée
    CIF = "CIF"  # contre-indication formelle et démontrée à un excipient

    @property
    def label(self) -> str:
        return {
            "MTE": "médicament à marge thérapeutique étroite",
            "EFG": "enfant de moins de 6 ans, pas de générique à forme adaptée",
            "CIF": "contre-indication formelle à un excipient",
        }[self.value]


class Coverage(enum.Enum):
    """Why the compulsory insurance pays a line beyond the product's own rate, as the prescription says.

    Where the ANS guides carry it (read and written by :mod:`app.eprescription.coverage`, kept by the
    sandbox; docs/coverage.md): the ANS IG "FR Document Core" (profile ``fr-medication-request-document``)
    slices ``MedicationRequest.reasonReference``: an Observation of profile ``fr-observation-ald-document``
    (code ``MED-574`` "En rapport avec une ALD" of the CI-SIS terminology
    ``https://smt.esante.gouv.fr/fhir/CodeSystem/terminologie-cisis``, ``valueBoolean``) or
    ``fr-observation-work-related-accident-document`` (code ``GEN-180`` "En rapport avec un accident du
    travail ou une maladie professionnelle"). ``valueBoolean`` true sets :attr:`ALD` /
    :attr:`WORK_ACCIDENT` on the line. The guides carry no maternity element on a line: maternity is the
    patient's insurance situation (assurance maternité, from the 6th month of pregnancy to 12 days after
    birth), read from the patient's rights; the sandbox carries it as its own extension, and it covers
    the whole prescription (:attr:`Prescription.coverage`).
    """

    COMMON = "common"  # droit commun: the product's own rate
    ALD = "ald"  # in relation with the patient's affection de longue durée (upper zone of a bizone)
    MATERNITY = "maternity"  # assurance maternité
    WORK_ACCIDENT = "work-accident"  # accident du travail / maladie professionnelle (AT/MP)

    @property
    def exempt(self) -> bool:
        """The ticket modérateur is waived (ALD: L.160-14 3° CSS; maternité: L.160-9; AT/MP: L.431-1)."""
        return self is not Coverage.COMMON

    @property
    def label(self) -> str:
        return {"common": "droit commun", "ald": "ALD (100 %)", "maternity": "maternité (100 %)",
                "work-accident": "accident du travail / maladie professionnelle (100 %)"}[self.value]


class LineStatus(enum.Enum):
    """FHIR MedicationRequest status as the service reports it."""

    ACTIVE = "active"
    ON_HOLD = "on-hold"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    ENTERED_IN_ERROR = "entered-in-error"
    STOPPED = "stopped"
    DRAFT = "draft"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrescriptionLine:
    """One MedicationRequest of the ordonnance."""

    line_id: str
    medication: MedicationRef
    posology_text: str
    dosages: tuple[Dosage, ...] = ()
    duration: Duration | None = None
    quantity: Quantity | None = None
    renewals: int = 0
    substitution_allowed: bool = True
    non_substitution_reason: NonSubstitutionReason | None = None
    notes: tuple[str, ...] = ()
    status: LineStatus = LineStatus.ACTIVE
    validity_end: date | None = None
    remaining_quantity: Decimal | None = None  # boxes still to deliver, when the service says
    remaining_renewals: int | None = None
    extensions: tuple[str, ...] = ()  # unknown FHIR extensions, kept as canonical JSON text
    coverage: Coverage = Coverage.COMMON  # ALD (bizone upper zone), AT/MP … when the prescription says

    def treatment_days(self) -> Decimal | None:
        """The duration of the treatment in days: the line's duration, else the dosages' bounds."""
        if self.duration is not None:
            return self.duration.days()
        total = Decimal(0)
        found = False
        for d in self.dosages:
            if d.timing.bounds_duration is not None:
                total += d.timing.bounds_duration.days()
                found = True
        return total if found else None


@dataclass(frozen=True)
class Patient:
    family: str
    given: str = ""
    birth_date: date | None = None
    nir: Nir | None = None
    gender: str | None = None
    address: str = ""  # postal address, one line: the ordonnancier names it (CSP R. 5132-10)

    @property
    def display_name(self) -> str:
        return f"{self.family.upper()} {self.given}".strip()


def _name_key(patient: Patient) -> str:
    decomposed = unicodedata.normalize("NFKD", patient.display_name.replace("-", " ").replace("'", " "))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).upper().split())


def same_patient(a: Patient, b: Patient) -> bool:
    """Whether two prescriptions are for the same patient, as the prescriptions carry him.

    The NIR (INS) when both carry one: it identifies the person, whatever the spelling of the name;
    two NIR that differ are two people. Otherwise the name (case, accents and hyphens ignored) and the
    birth date, both required: a name alone could be a namesake, and a rule that blocks a delivery
    (the overlap ban, art. R.5132-33 CSP) must not block it for somebody else's treatment.
    """
    if a.nir and b.nir:
        return a.nir == b.nir
    return a.birth_date is not None and a.birth_date == b.birth_date and _name_key(a) == _name_key(b)


@dataclass(frozen=True)
class Prescriber:
    family: str
    given: str = ""
    rpps: str | None = None
    specialty: str | None = None
    address: str | None = None
    phone: str | None = None

    @property
    def display_name(self) -> str:
        name = f"{self.given} {self.family.upper()}".strip()
        return f"Dr {name}" if name else "Prescripteur non identifié"


class PrescriptionStatus(enum.Enum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Prescription:
    """An ordonnance numérique: one number, one patient, one prescriber, one or more lines."""

    number: OrdonnanceNumber
    authored_on: datetime
    patient: Patient
    prescriber: Prescriber
    lines: tuple[PrescriptionLine, ...]
    status: PrescriptionStatus = PrescriptionStatus.ACTIVE
    notes: tuple[str, ...] = ()
    coverage: Coverage = Coverage.COMMON  # the whole ordonnance's (maternité, AT/MP)

    @property
    def authored_date(self) -> date:
        return self.authored_on.date()

    def line_coverage(self, line_id: str) -> Coverage:
        """The line's own coverage (ALD …), else the ordonnance's (maternité, AT/MP)."""
        own = self.line(line_id).coverage
        return own if own is not Coverage.COMMON else self.coverage

    def line(self, line_id: str) -> PrescriptionLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)
