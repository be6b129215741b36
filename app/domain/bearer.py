"""The bearer of an ordonnance who is not the patient, for the products that ask it.

Art. R.5132-35 CSP (stupéfiants, and the medicines that follow their rules): "le pharmacien est tenu
d'enregistrer le nom et l'adresse du porteur de l'ordonnance lorsque celui-ci n'est pas le malade" and,
when the bearer is unknown to him, "demande une justification d'identité dont il reporte les
références". Whether the pharmacist knows the bearer is not something software can tell, so the
counter always asks for the identity document (type and number): what the article asks in the case
it cannot rule out. Which products ask it: :func:`app.domain.rules.bearer_identity_required`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.errors import ComptoirError


@dataclass(frozen=True)
class IdDocument:
    """A kind of identity document the counter accepts (French label recorded, English shown)."""

    code: str
    label: str
    label_en: str


ID_DOCUMENTS = (
    IdDocument("cni", "Carte nationale d'identité", "National identity card"),
    IdDocument("passeport", "Passeport", "Passport"),
    IdDocument("titre_sejour", "Titre de séjour", "Residence permit"),
    IdDocument("permis", "Permis de conduire", "Driving licence"),
)


class InvalidBearer(ComptoirError, ValueError):
    """A bearer's identity missing a part the register needs (``missing``: their French names), or
    whose document number cannot be one (``missing`` empty)."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True)
class Bearer:
    """Who took the medicines for the patient: name, address, identity document (R.5132-35 CSP)."""

    name: str
    address: str
    document_type: str  # French label of the document ("Carte nationale d'identité")
    document_number: str

    @classmethod
    def of(cls, name: str, address: str, document_type: str, document_number: str) -> Bearer:
        """A bearer from what was typed; :class:`InvalidBearer` names what is missing."""
        name, address = " ".join(name.split()), " ".join(address.split())
        number = re.sub(r"\s+", "", document_number).upper()
        missing = [what for what, value in (("nom", name), ("adresse", address),
                                            ("type de pièce d'identité", document_type.strip()),
                                            ("numéro de la pièce", number)) if not value]
        if missing:
            raise InvalidBearer("Porteur de l'ordonnance : indiquez " + ", ".join(missing)
                                + " (art. R.5132-35 CSP).", tuple(missing))
        if not re.fullmatch(r"[A-Z0-9-]{4,30}", number):
            raise InvalidBearer("Porteur de l'ordonnance : numéro de pièce d'identité invalide "
                                "(4 à 30 lettres ou chiffres).")
        return cls(name, address, document_type.strip(), number)

    def text(self) -> str:
        """One line for the printouts and the register."""
        return f"{self.name}, {self.address} — {self.document_type} n° {self.document_number}"


class BearerRequired(ComptoirError):
    """A product that asks the bearer's identity is handed over and the bearer was not stated."""

    def __init__(self, products: Iterable[str]) -> None:
        self.products = tuple(products)
        super().__init__("Identité du porteur à saisir avant la facture (stupéfiant ou assimilé, "
                         "art. R.5132-35 CSP) : " + ", ".join(self.products) + ".")

