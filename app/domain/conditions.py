"""The prescribing and dispensing conditions of a speciality, read from its BDPM texts (CIS_CPD).

The ANSM publishes, per speciality (CIS), free texts such as "liste I", "stupéfiants", "prescription
limitée à 12 semaines", "délivrance fractionnée de 7 jours", "chevauchement interdit sauf mention
expresse du prescripteur portée sur l'ordonnance", "réservé à l'usage HOSPITALIER", "prescription
initiale hospitalière semestrielle", "prescription réservée aux spécialistes et services NEUROLOGIE".
:func:`parse_conditions` turns them into one :class:`ProductConditions` that the rules
(:mod:`app.domain.rules`) act on. Every frequent family of the 2022-06 release is read (see
``tests/domain/test_conditions.py``, which parses the whole file); a text no family knows is kept in
``unknown`` so that the pharmacist still sees it.

Choices where the texts are ambiguous, written down here:

- "Assimilé stupéfiant": the BDPM has no such line. A speciality "sur ordonnance sécurisée" that is
  not classed "stupéfiants" is *soumis en partie à la réglementation des stupéfiants* (art. R.5132-39
  CSP, by ANSM decision): it gets only the rules its own texts name — its duration limit, its
  fractioning, its overlap ban, the secure prescription — never the 28-day cap, the three-day window
  or the ban on renewal of classed stupéfiants (meddispar, "médicaments assimilés stupéfiants":
  zolpidem has no "délai de carence" and no copy kept; clonazepam is limited to 12 weeks).
- "Prescription initiale (annuelle …) réservée à certains spécialistes": the specialists are those
  the other texts name ("prescription réservée aux spécialistes et services NEUROLOGIE", "… aux
  médecins exerçant dans les CSAPA"); with such an initial-prescription text, those name who writes
  the *initial* prescription, and any doctor may renew it (RIVOTRIL, methadone).
- "Réservé à l'usage en situation d'urgence selon l'article R5121-96", "réservé à une structure
  d'assistance médicale mobile …", "réservé aux véhicules de transport d'aide médicale d'urgence":
  these open another channel (emergency services) and forbid nothing at the counter — BUCCOLAM
  carries them and is dispensed in town pharmacies — so they are informative.
- "Prescription limitée à 7 jours ou 28 jours" (injectable morphine: 7 days, 28 with an active
  infusion system): the longer limit is kept, the text says which applies.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from app.domain.catalogue import Condition

_UNIT_DAYS = {"jour": 1, "jours": 1, "semaine": 7, "semaines": 7, "mois": 30}
_PERIOD_MONTHS = {"annuelle": 12, "semestrielle": 6, "trimestrielle": 3}


class PrescriberKind(enum.Enum):
    """Who may write the prescription (médicaments à prescription restreinte, art. R.5121-77 CSP)."""

    HOSPITAL = "hospital"  # prescription hospitalière (R.5121-84)
    INITIAL_HOSPITAL = "initial_hospital"  # prescription initiale hospitalière (R.5121-87)
    SPECIALIST = "specialist"  # prescription réservée à certains spécialistes (R.5121-90)
    INITIAL_SPECIALIST = "initial_specialist"  # initiale réservée à certains spécialistes (R.5121-91)
    RENEWAL_SPECIALIST = "renewal_specialist"  # renouvellement réservé à certains spécialistes
    OTHER = "other"  # a named practice (CSAPA, sleep centre, competent in blood diseases …)


@dataclass(frozen=True)
class PrescriberRestriction:
    """One restriction on the prescriber: its kind, the specialties named, the renewal period of an
    initial prescription (12 for "annuelle", 6 "semestrielle", 3 "trimestrielle"), and its text."""

    kind: PrescriberKind
    specialties: tuple[str, ...] = ()
    renewal_months: int | None = None
    text: str = ""


@dataclass(frozen=True)
class DurationLimit:
    """"Prescription limitée à N …": the limit in days and as written."""

    days: int
    text: str  # "12 semaines", "7 jours ou 28 jours"
    unit: str = "d"  # "d", "wk" or "mo": how the limit is written

    @property
    def months(self) -> int | None:
        """Whole months the limit is worth when written in months or in 4-week blocks (4 semaines
        = one month of treatment, R.5132-22 "quatre semaines ou trente jours")."""
        if self.unit == "mo":
            return self.days // 30
        if self.unit == "wk" and self.days % 28 == 0:
            return self.days // 28
        return None


@dataclass(frozen=True)
class ProductConditions:
    """Everything the counter acts on for one speciality, from its CIS_CPD texts."""

    list_level: str | None = None  # "I", "II" (the stricter when both)
    narcotic: bool = False  # classé stupéfiant
    secure_prescription: bool = False  # ordonnance sécurisée, quantities in words (R.5132-29)
    max_prescription: DurationLimit | None = None
    fraction_days: int | None = None  # délivrance fractionnée de N jours
    overlap_forbidden: bool = False  # chevauchement interdit sauf mention expresse
    hospital_only: bool = False  # réservé à l'usage hospitalier, or dispensed by PUI / ETS only
    reserved_use: str | None = None  # another channel only: professional, vaccination centres …
    restrictions: tuple[PrescriberRestriction, ...] = ()
    exception_drug: bool = False  # médicament d'exception (art. R.163-2 CSS)
    special_monitoring: bool = False  # surveillance particulière pendant le traitement (R.5121-93)
    checks: tuple[str, ...] = ()  # what the pharmacist must verify before handing over
    notes: tuple[str, ...] = ()  # informative texts
    unknown: tuple[str, ...] = ()  # texts no family knows (kept to be shown)
    texts: tuple[str, ...] = ()  # every text, as published

    @property
    def assimilated(self) -> bool:
        """Soumis en partie à la réglementation des stupéfiants (ordonnance sécurisée, not classed)."""
        return self.secure_prescription and not self.narcotic

    @property
    def listed(self) -> bool:
        return self.list_level is not None

    def duration_limit_days(self) -> int | None:
        """The product's own limit, else 28 days for a classed stupéfiant (art. R.5132-30 CSP)."""
        if self.max_prescription is not None:
            return self.max_prescription.days
        return 28 if self.narcotic else None

    def flags(self) -> frozenset[Condition]:
        """The coarse flags the catalogue stores per speciality (``Presentation.flags``)."""
        found: set[Condition] = set()
        if self.list_level == "I":
            found.add(Condition.LISTE_I)
        if self.list_level == "II" or "liste II" in self.texts:
            found.add(Condition.LISTE_II)
        if self.narcotic:
            found.add(Condition.STUPEFIANT)
        if self.secure_prescription:
            found.add(Condition.SECURE_PRESCRIPTION)
            if not self.narcotic:
                found.add(Condition.ASSIMILE_STUPEFIANT)
        if self.hospital_only:
            found.add(Condition.HOSPITAL_ONLY)
        kinds = {r.kind for r in self.restrictions}
        if PrescriberKind.HOSPITAL in kinds:
            found.add(Condition.HOSPITAL_PRESCRIPTION)
        if PrescriberKind.INITIAL_HOSPITAL in kinds:
            found.add(Condition.INITIAL_HOSPITAL_PRESCRIPTION)
        if kinds & {PrescriberKind.SPECIALIST, PrescriberKind.INITIAL_SPECIALIST, PrescriberKind.RENEWAL_SPECIALIST}:
            found.add(Condition.SPECIALIST)
        if self.exception_drug:
            found.add(Condition.EXCEPTION)
        if self.texts and not found:
            found.add(Condition.OTHER)
        return frozenset(found)

    @classmethod
    def from_flags(cls, flags: frozenset[Condition] | set[Condition]) -> ProductConditions:
        """What the coarse flags alone tell, when the texts are not at hand (no durations, no
        specialties): an "assimilé" flag is a secure prescription, never a classed stupéfiant."""
        level = "I" if Condition.LISTE_I in flags else "II" if Condition.LISTE_II in flags else None
        restrictions = []
        if Condition.HOSPITAL_PRESCRIPTION in flags:
            restrictions.append(PrescriberRestriction(PrescriberKind.HOSPITAL, text="prescription hospitalière"))
        if Condition.INITIAL_HOSPITAL_PRESCRIPTION in flags:
            restrictions.append(PrescriberRestriction(PrescriberKind.INITIAL_HOSPITAL,
                                                      text="prescription initiale hospitalière"))
        if Condition.SPECIALIST in flags:
            restrictions.append(PrescriberRestriction(PrescriberKind.SPECIALIST,
                                                      text="prescription réservée à certains spécialistes"))
        return cls(list_level=level, narcotic=Condition.STUPEFIANT in flags,
                   secure_prescription=bool(flags & {Condition.SECURE_PRESCRIPTION, Condition.ASSIMILE_STUPEFIANT}),
                   hospital_only=Condition.HOSPITAL_ONLY in flags, restrictions=tuple(restrictions),
                   exception_drug=Condition.EXCEPTION in flags)


def plain(text: str) -> str:
    """Lower case, no accents, typographic apostrophes straightened, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


_LIMIT = re.compile(r"^prescription limitee a (\d+) (jours?|semaines?|mois)(?: ou (\d+) (jours?|semaines?|mois))?")
_FRACTION = re.compile(r"^delivrance fractionnee de (\d+) jours?")
# "médicament d'exception", "médicaments d'exception", "MEDICAMENT D EXCEPTION", "ordonnance de médicament
# d'exception", "(M.E.)"-free variants: neither BDPM release bundled (2022-06, 2026-05) has such a CIS_CPD text
# — the status is published by the Assurance maladie (art. R.163-2 CSS) — but a text that says it is read.
_EXCEPTION = re.compile(r"\bmedicaments?\s*d\s*'?\s*exception\b")
_SPECIALTIES = re.compile(r"^prescription (?:initiale (?:(annuelle|semestrielle|trimestrielle) )?)?reservee aux "
                          r"specialistes(?: et services| en)? (.+)$")
_INITIAL_HOSPITAL = re.compile(r"^prescription initiale hospitaliere(?: (annuelle|semestrielle|trimestrielle))?")
_INITIAL_SPECIALIST = re.compile(r"^prescription initiale (?:(annuelle|semestrielle|trimestrielle) )?reservee a "
                                 r"certains specialistes")
_RENEWAL = re.compile(r"^renouvellement de la prescription reserve[e]? aux specialistes en (.+)$")
_RESERVED_PRESCRIBER = re.compile(r"^(?:hors etablissement de sante : )?prescription (?:reservee aux|par un) "
                                  r"(?:medecins?|titulaires|unites)")
_CHECK = re.compile(r"^(?:la )?delivrance (?:apres|ne pouv|ne peut)|subordonnee|^ordonnance avec|mention sur "
                    r"l'ordonnance|^la prescription necessite la mention|^pour (?:les )?femmes|^pour enfants|"
                    r"^femmes en age|^pour toute anteriorite|^pour tous les patients|premiere delivrance doit")
_RESERVED_USE = re.compile(r"^reserve (?:a l'usage professionnel|aux centres de vaccination|a l'usage militaire|"
                           r"a l'usage des centres)")
_INFORMATIVE = re.compile(r"^reserve a l'usage en situation d'urgence|^reserve a une structure d'assistance|"
                          r"^reserve aux vehicules|^delivrance effectuee par une pharmacie de ville|"
                          r"^medicament soumis a prescription medicale|administration|^dispositions particulieres|"
                          r"^prescription necessit|^un livret|^mise a jour du carnet|^conservation d'une copie|"
                          r"^a ne prendre que|^pour les femmes susceptibles")


def _days(value: str, unit: str) -> int:
    return int(value) * _UNIT_DAYS[unit]


def _unit_code(unit: str) -> str:
    return "d" if unit.startswith("jour") else "wk" if unit.startswith("semaine") else "mo"


def _specialties(text: str) -> tuple[str, ...]:
    """"HEPATO/GASTRO-ENTEROLOGIE" stays one; "CHIRURGIE THORACIQUE et CARDIOVASCULAIRE" one too."""
    return tuple(part.strip().upper() for part in re.split(r"\s*;\s*", text) if part.strip())


@dataclass
class _Reading:
    """What has been read so far (mutable while parsing; frozen into ProductConditions)."""

    levels: set[str]
    values: dict
    restrictions: list[PrescriberRestriction]
    checks: list[str]
    notes: list[str]
    unknown: list[str]


def _read_one(text: str, r: _Reading) -> None:  # noqa: C901 - one branch per family
    p = plain(text)
    if p == "liste i":
        r.levels.add("I")
    elif p == "liste ii":
        r.levels.add("II")
    elif p.startswith("stupefiant"):
        r.values["narcotic"] = True
    elif "ordonnance securisee" in p or "reglementation des stupefiants" in p or "assimile" in p:
        r.values["secure_prescription"] = True
    elif m := _LIMIT.match(p):
        first = _days(m.group(1), m.group(2))
        second = _days(m.group(3), m.group(4)) if m.group(3) else None
        unit = _unit_code(m.group(4) if second and second > first else m.group(2))
        r.values["max_prescription"] = DurationLimit(max(first, second or 0), _tail(text, p[m.start(1):]), unit)
    elif m := _FRACTION.match(p):
        r.values["fraction_days"] = int(m.group(1))
    elif p.startswith("chevauchement interdit"):
        r.values["overlap_forbidden"] = True
    elif p.startswith("reserve a l'usage hospitalier") or re.match(r"^delivrance reservee aux (?:pharmacies a "
                                                                    r"usage interieur|ets)", p):
        r.values["hospital_only"] = True
    elif _RESERVED_USE.match(p):
        r.values["reserved_use"] = text
    elif m := _INITIAL_HOSPITAL.match(p):
        r.restrictions.append(PrescriberRestriction(PrescriberKind.INITIAL_HOSPITAL, (),
                                                    _PERIOD_MONTHS.get(m.group(1) or ""), text))
    elif p.startswith("prescription hospitaliere") or p.startswith("prescription reservee aux medecins "
                                                                   "hospitaliers"):
        r.restrictions.append(PrescriberRestriction(PrescriberKind.HOSPITAL, (), None, text))
    elif m := _INITIAL_SPECIALIST.match(p):
        r.restrictions.append(PrescriberRestriction(PrescriberKind.INITIAL_SPECIALIST, (),
                                                    _PERIOD_MONTHS.get(m.group(1) or ""), text))
    elif m := _SPECIALTIES.match(p):
        names = _specialties(_tail(text, m.group(2)))
        kind = PrescriberKind.INITIAL_SPECIALIST if p.startswith("prescription initiale") else PrescriberKind.SPECIALIST
        r.restrictions.append(PrescriberRestriction(kind, names, _PERIOD_MONTHS.get(m.group(1) or ""), text))
    elif m := _RENEWAL.match(p):
        r.restrictions.append(PrescriberRestriction(PrescriberKind.RENEWAL_SPECIALIST,
                                                    _specialties(_tail(text, m.group(1))), None, text))
    elif p.startswith("prescription initiale par "):
        r.restrictions.append(PrescriberRestriction(PrescriberKind.INITIAL_SPECIALIST, (_who(text),), None, text))
    elif _RESERVED_PRESCRIBER.match(p):
        r.restrictions.append(PrescriberRestriction(PrescriberKind.OTHER, (_who(text),), None, text))
    elif _EXCEPTION.search(p):
        r.values["exception_drug"] = True
    elif "surveillance particuliere pendant le traitement" in p and not p.startswith("pour"):
        r.values["special_monitoring"] = True
    elif _CHECK.search(p):
        r.checks.append(text)
    elif _INFORMATIVE.search(p):
        r.notes.append(text)
    else:
        r.unknown.append(text)


def _who(text: str) -> str:
    """"prescription réservée aux médecins exerçant dans les CSAPA." → "médecins exerçant dans les CSAPA"."""
    who = re.sub(r"^(?:hors établissement de santé : )?prescription (?:initiale )?(?:réservée aux|par un|par une)\s+",
                 "", text, flags=re.IGNORECASE)
    return who.rstrip(" .")


def _tail(text: str, folded_tail: str) -> str:
    """The end of ``text`` as published (accents kept) matching the folded ``folded_tail``."""
    words = text.split()
    count = len(folded_tail.split())
    return " ".join(words[-count:]) if count <= len(words) else text


def parse_conditions(texts: tuple[str, ...] | list[str]) -> ProductConditions:
    """The structured conditions of one speciality from all its CIS_CPD texts (any order)."""
    reading = _Reading(set(), {}, [], [], [], [])
    cleaned = tuple(" ".join(t.split()) for t in texts if t and t.strip())
    for text in cleaned:
        _read_one(text, reading)
    restrictions = reading.restrictions
    if any(x.kind is PrescriberKind.INITIAL_SPECIALIST and not x.specialties for x in restrictions):
        # "initiale … réservée à certains spécialistes": the specialists named elsewhere write the
        # initial prescription; any doctor renews it.
        named = [x for x in restrictions if x.kind in (PrescriberKind.SPECIALIST, PrescriberKind.OTHER)
                 or (x.kind is PrescriberKind.HOSPITAL and plain(x.text).startswith("prescription reservee"))]
        general = next(x for x in restrictions if x.kind is PrescriberKind.INITIAL_SPECIALIST and not x.specialties)
        specialties = tuple(s for x in named for s in (x.specialties or (_who(x.text),)))
        merged = PrescriberRestriction(PrescriberKind.INITIAL_SPECIALIST, specialties, general.renewal_months,
                                       "; ".join([general.text, *(x.text for x in named)]))
        restrictions = [x for x in restrictions if x not in named and x is not general] + [merged]
    else:
        restrictions = _merge_specialists(restrictions)
    level = "I" if "I" in reading.levels else "II" if "II" in reading.levels else None
    return ProductConditions(list_level=level, restrictions=tuple(restrictions), checks=tuple(reading.checks),
                             notes=tuple(reading.notes), unknown=tuple(reading.unknown), texts=cleaned,
                             **reading.values)


def _merge_specialists(restrictions: list[PrescriberRestriction]) -> list[PrescriberRestriction]:
    """Several "prescription réservée aux spécialistes et services X" lines are one restriction."""
    plain_kind = [x for x in restrictions if x.kind is PrescriberKind.SPECIALIST]
    if len(plain_kind) <= 1:
        return restrictions
    merged = PrescriberRestriction(PrescriberKind.SPECIALIST, tuple(s for x in plain_kind for s in x.specialties),
                                   None, "; ".join(x.text for x in plain_kind))
    return [x for x in restrictions if x.kind is not PrescriberKind.SPECIALIST] + [merged]

