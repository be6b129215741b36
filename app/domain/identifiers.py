"""Identifiers of French health care, as validated value types.

Each type is a ``str`` subclass built through ``parse`` (which normalises then validates) so that it
can travel through JSON, SQL and Qt unchanged; an invalid input raises :class:`InvalidIdentifier`
with a French message.
"""

from __future__ import annotations

import re
import string

from app.domain.errors import N_, InvalidIdentifier

# ASCII digits only: ``\d`` and ``str.isdigit()`` also accept Arabic-Indic, Devanagari, fullwidth
# or superscript digits, which ``int()`` then converts (or chokes on) and which no French identifier
# holds. Every identifier pattern below spells its digits ``[0-9]``.
_DIGITS = re.compile(r"[0-9]+")
ASCII_DIGITS = frozenset("0123456789")


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty string of the ASCII digits 0-9 only (unlike ``str.isdigit``)."""
    return bool(text) and _DIGITS.fullmatch(text) is not None


def ean_check_digit(body: str) -> str:
    """GS1 check digit (EAN-13, GTIN-14) of ``body`` (all digits but the last); ASCII digits only."""
    if not is_ascii_digits(body):
        raise InvalidIdentifier("Code-barres invalide : chiffres attendus", detail=f"len={len(body)}")
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def luhn_valid(digits: str) -> bool:
    """Luhn key check; False for anything but ASCII digits."""
    if not is_ascii_digits(digits):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _clean(text: object) -> str:
    """Spaces (any Unicode space, as a copy-paste brings), dots and dashes removed; ASCII or nothing.

    A non-ASCII character left is refused here, before ``upper()`` could turn it into an ASCII
    letter (``"ﬀ".upper() == "FF"``) or a pattern could take it for a digit.
    """
    if not isinstance(text, str):
        raise InvalidIdentifier(f"Identifiant illisible : {text!r}")
    value = re.sub(r"[\s.\-]", "", text)
    if not value.isascii():
        raise InvalidIdentifier(f"Identifiant invalide : « {text[:40]} » (chiffres et lettres latines attendus)")
    return value


class Cip13(str):
    """A presentation's 13-digit CIP code: ``3400`` + 8 digits + EAN-13 check digit."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Cip13:
        value = _clean(text)
        if len(value) != 13 or not _DIGITS.fullmatch(value):
            raise InvalidIdentifier(N_("Code CIP13 invalide : « {text} » (13 chiffres attendus)"), values={"text": text})
        if not value.startswith("3400"):
            raise InvalidIdentifier(N_("Code CIP13 invalide : « {text} » (doit commencer par 3400)"), values={"text": text})
        if ean_check_digit(value[:12]) != value[12]:
            raise InvalidIdentifier(N_("Code CIP13 invalide : « {text} » (clé de contrôle fausse)"), values={"text": text})
        return cls(value)

    @classmethod
    def from_cip7(cls, cip7: str) -> Cip13:
        """The CIP13 of a presentation known by its 7-digit code (``34009`` + CIP7 + key)."""
        body = "34009" + Cip7.parse(cip7)
        return cls(body + ean_check_digit(body))

    @classmethod
    def from_gtin(cls, gtin: str) -> Cip13:
        """The CIP13 carried by a GTIN-14 (``0`` + CIP13, as in a box's DataMatrix) or an EAN-13."""
        value = _clean(gtin)
        if len(value) == 14 and _DIGITS.fullmatch(value):
            if ean_check_digit(value[:13]) != value[13]:
                raise InvalidIdentifier(N_("GTIN invalide : « {gtin} » (clé de contrôle fausse)"), values={"gtin": gtin})
            if value[0] != "0":
                raise InvalidIdentifier(N_("GTIN « {gtin} » : indicateur logistique inattendu"), values={"gtin": gtin})
            value = value[1:]
        return cls.parse(value)

    @property
    def cip7(self) -> str | None:
        """The 7-digit code embedded in a ``34009`` CIP13, or None (newer codes have none)."""
        return self[5:12] if self.startswith("34009") else None

    @property
    def gtin14(self) -> str:
        return "0" + self


class Cip7(str):
    """A presentation's historical 7-digit CIP code.

    The old CIP7 key digit is not checked: measured on the 2022-06 BDPM, 26 % of the codes in use do
    not satisfy it (codes are allocated sequentially since the CIP13 switch), so only the shape is.
    """

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Cip7:
        value = _clean(text)
        if len(value) != 7 or not _DIGITS.fullmatch(value):
            raise InvalidIdentifier(N_("Code CIP7 invalide : « {text} » (7 chiffres attendus)"), values={"text": text})
        return cls(value)


class Cis(str):
    """A speciality's 8-digit CIS code (Code Identifiant de Spécialité)."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Cis:
        value = _clean(text)
        if len(value) != 8 or not _DIGITS.fullmatch(value):
            raise InvalidIdentifier(N_("Code CIS invalide : « {text} » (8 chiffres attendus)"), values={"text": text})
        return cls(value)


class Rpps(str):
    """A health professional's RPPS number: 11 digits, Luhn key.

    Prescriptions often carry the 12-character "identifiant national" (``8`` + RPPS, as in the ANS
    examples); ``parse`` accepts it and keeps the 11-digit RPPS.
    """

    __slots__ = ()

    @classmethod
    def parse(cls, text: str, *, check_key: bool = True) -> Rpps:
        value = _clean(text)
        if len(value) == 12 and value.startswith("8"):
            value = value[1:]
        if len(value) != 11 or not _DIGITS.fullmatch(value):
            raise InvalidIdentifier(N_("Numéro RPPS invalide : « {text} » (11 chiffres attendus)"), values={"text": text})
        if check_key and not luhn_valid(value):
            raise InvalidIdentifier(N_("Numéro RPPS invalide : « {text} » (clé de contrôle fausse)"), values={"text": text})
        return cls(value)


class Finess(str):
    """An establishment's FINESS number: 9 characters (2A/2B for Corsica), Luhn key on the digits."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Finess:
        value = _clean(text).upper()
        if len(value) != 9 or not re.fullmatch(r"([0-9]{2}|2A|2B)[0-9]{7}", value):
            raise InvalidIdentifier(N_("Numéro FINESS invalide : « {text} » (9 caractères attendus)"), values={"text": text})
        digits = value.replace("2A", "20", 1).replace("2B", "20", 1) if value[:2] in ("2A", "2B") else value
        if not luhn_valid(digits):
            raise InvalidIdentifier(N_("Numéro FINESS invalide : « {text} » (clé de contrôle fausse)"), values={"text": text})
        return cls(value)


class Nir(str):
    """A patient's NIR (INS-NIR): 13 characters + 2-digit key; Corsica written 2A / 2B."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Nir:
        value = _clean(text).upper()
        if not re.fullmatch(r"[12378][0-9]{4}([0-9]{2}|2A|2B)[0-9]{8}", value):
            raise InvalidIdentifier(N_("NIR invalide (15 caractères attendus : 13 + clé)"))
        body, key = value[:13], int(value[13:])
        # Corsica: 2A counts as 19 and 2B as 18 in the key computation.
        numeric = body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:]
        if 97 - int(numeric) % 97 != key:
            raise InvalidIdentifier(N_("NIR invalide (clé de contrôle fausse)"))
        return cls(value)

    def masked(self) -> str:
        """What a screen or a printout may show: sex, birth year and month, the rest hidden."""
        return f"{self[0]} {self[1:3]} {self[3:5]} •• ••• ••• ••"


# --- ordonnance numérique number -------------------------------------------------------------

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ALNUM = string.digits + string.ascii_uppercase
_NUMBER_PATTERN = re.compile(r"[A-Z0-9]{8,40}")
SANDBOX_NUMBER_LENGTH = 20


def mod37_36_check_char(body: str) -> str:
    """ISO 7064 MOD 37,36 (hybrid) check character of an alphanumeric ``body``."""
    m = 36
    p = m
    for ch in body:
        s = (p + _ALNUM.index(ch)) % m or m
        p = (s * 2) % (m + 1)
    return _ALNUM[(m + 1 - p) % m]


class OrdonnanceNumber(str):
    """The ordonnance numérique number, as carried by the QR code.

    Opaque to the client (the contract): spaces and dashes removed, upper-cased, then matched against
    ``^[A-Z0-9]{8,40}$``. Numbers issued by the sandbox are 20 Crockford base-32 characters whose last
    is an ISO 7064 MOD 37,36 check character: ``parse(..., check=True)`` verifies it so that a mistyped
    number is caught before any request.
    """

    __slots__ = ()

    @classmethod
    def normalise(cls, text: str) -> str:
        """Spaces and dashes removed, upper-cased (non-ASCII left as is, for ``parse`` to refuse)."""
        value = re.sub(r"[\s\-]", "", text)
        return value.upper() if value.isascii() else value

    @classmethod
    def parse(cls, text: str, *, check: bool = False) -> OrdonnanceNumber:
        if not isinstance(text, str):
            raise InvalidIdentifier(N_("Numéro d'ordonnance illisible"))
        value = cls.normalise(text)
        if not value.isascii() or not _NUMBER_PATTERN.fullmatch(value):
            raise InvalidIdentifier(
                N_("Numéro d'ordonnance invalide : 8 à 40 lettres ou chiffres attendus"), detail=f"len={len(value)}"
            )
        number = cls(value)
        if check and not number.check_ok():
            raise InvalidIdentifier(N_("Numéro d'ordonnance invalide : vérifiez la saisie (clé de contrôle fausse)"))
        return number

    def check_ok(self) -> bool:
        """True when the last character is the MOD 37,36 check character of the others."""
        return len(self) >= 2 and mod37_36_check_char(self[:-1]) == self[-1]

    @classmethod
    def issue(cls, body: str) -> OrdonnanceNumber:
        """Complete a 19-character Crockford body with its check character (used by the sandbox)."""
        if len(body) != SANDBOX_NUMBER_LENGTH - 1 or any(c not in CROCKFORD_ALPHABET for c in body):
            raise InvalidIdentifier("corps de numéro invalide")
        return cls(body + mod37_36_check_char(body))

    def grouped(self) -> str:
        """Groups of four for reading aloud or printing in clear."""
        return " ".join(self[i : i + 4] for i in range(0, len(self), 4))
