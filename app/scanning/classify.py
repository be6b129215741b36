"""What a scanned payload means: an ordonnance, a medicine box, a prescriber, or nothing we accept.

Every input is hostile until proven otherwise: it is size-capped, control characters other than the
GS1 separator are refused, URIs are accepted only as plain ``http(s)`` addresses without user info,
and the number they carry must pass :class:`OrdonnanceNumber` (ASCII letters and digits only), so a
QR code cannot smuggle a path, a query or a script into the lookup.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, unquote, urlsplit

from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import Cip13, OrdonnanceNumber, Rpps, is_ascii_digits, luhn_valid
from app.scanning.gs1 import GS, looks_like_gs1, parse_gs1, product_fields
from app.scanning.symbols import ScanKind, ScanResult

log = logging.getLogger(__name__)

MAX_PAYLOAD = 2048
UNREADABLE = "Code illisible : contenu inattendu, scannez à nouveau ou saisissez le numéro"
NOT_ORDONNANCE = "Ce QR code n'est pas une ordonnance numérique"
BAD_CHECK = "Numéro d'ordonnance invalide : vérifiez la saisie (clé de contrôle fausse)"
NOT_RECOGNISED = "Code non reconnu : ni ordonnance numérique, ni boîte de médicament, ni prescripteur"
SANDBOX_LENGTH = 20

_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x1c\x1e\x1f\x7f-\x9f]")
_TYPED = re.compile(r"^[A-Za-z0-9 \-]+$")  # what a human may type: groups, dashes, lower case
_SCANNED = re.compile(r"^[A-Za-z0-9\-]+$")  # what a symbol may hold: no spaces
# AIM code letter (or backend format name) -> family
_FAMILIES = {"Q": "qr", "d": "datamatrix", "E": "ean", "C": "code128", "e": "gs1", "X": "other",
             "QRCode": "qr", "QR Code": "qr", "QRCODE": "qr", "DataMatrix": "datamatrix",
             "Data Matrix": "datamatrix", "EAN13": "ean", "EAN-13": "ean", "EAN8": "ean",
             "Code128": "code128", "CODE128": "code128"}
# AIM identifiers that announce GS1 data (FNC1 in first position).
_GS1_AIM = {"]d2", "]Q3", "]C1", "]e0", "]J1"}


def split_aim(text: str) -> tuple[str | None, str]:
    """``("]d2", rest)`` when ``text`` starts with an AIM symbology identifier, else ``(None, text)``."""
    match = _AIM.match(text)
    return (match.group(0), text[3:]) if match else (None, text)


def _family(symbology: str | None) -> str | None:
    if not symbology:
        return None
    if symbology.startswith("]") and len(symbology) >= 2:
        return _FAMILIES.get(symbology[1], "other")
    return _FAMILIES.get(symbology, "other")


def _unknown(text: str, message: str) -> ScanResult:
    return ScanResult(ScanKind.UNKNOWN, text[:200], {}, message)


def ordonnance_from_uri(text: str) -> str:
    """The number a URI carries (``id`` query parameter, else last path segment); raise if tricked.

    ``urlsplit`` raises ValueError on a malformed host (``https://[x]/…``, an unclosed bracket):
    such a URI is refused like any other, as InvalidIdentifier.
    """
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError as exc:
        raise InvalidIdentifier(NOT_ORDONNANCE, detail=f"url: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise InvalidIdentifier(NOT_ORDONNANCE, detail="scheme/host")
    if "@" in parts.netloc or re.search(r"\s", text):
        raise InvalidIdentifier(NOT_ORDONNANCE, detail="userinfo/space")
    ids = parse_qs(parts.query, keep_blank_values=True).get("id", [])
    if len(set(ids)) > 1:
        raise InvalidIdentifier(NOT_ORDONNANCE, detail="several ids")
    candidate = ids[0] if ids else unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    if not re.fullmatch(r"[A-Za-z0-9\-]+", candidate):  # no encoded slash, dot, percent or unicode
        raise InvalidIdentifier(NOT_ORDONNANCE, detail="segment")
    return candidate


def parse_ordonnance(text: str, *, check_number: bool = True, typed: bool = False) -> OrdonnanceNumber:
    """An ordonnance number from a bare or URI payload; raise InvalidIdentifier (French)."""
    if "://" in text:
        text = ordonnance_from_uri(text)
    if not (_TYPED if typed else _SCANNED).match(text):
        raise InvalidIdentifier(NOT_ORDONNANCE, detail="characters")
    number = OrdonnanceNumber.parse(text)
    if check_number and len(number) == SANDBOX_LENGTH and not number.check_ok():
        raise InvalidIdentifier(BAD_CHECK)
    return number


def _ordonnance(text: str, check_number: bool, message: str | None = None, typed: bool = False) -> ScanResult:
    try:
        number = parse_ordonnance(text, check_number=check_number, typed=typed)
    except InvalidIdentifier as exc:
        return _unknown(text, message or exc.message)
    return ScanResult(ScanKind.ORDONNANCE, text, {"number": str(number)})


def _product_gs1(text: str) -> ScanResult:
    try:
        fields = product_fields(parse_gs1(text))
    except InvalidIdentifier as exc:
        return _unknown(text, exc.message)
    message = None
    if fields.get("ambiguous"):
        message = ("Séparateurs GS1 absents : lot et numéro de série ambigus, "
                   "vérifiez-les sur la boîte")
    return ScanResult(ScanKind.PRODUCT, text, fields, message)


def _product_ean(text: str) -> ScanResult:
    try:
        cip13 = Cip13.parse(text)
    except InvalidIdentifier as exc:
        return _unknown(text, f"Code-barres EAN-13 sans code CIP : {exc.message}")
    return ScanResult(ScanKind.PRODUCT, text, {"cip13": str(cip13), "gtin": "0" + cip13,
                                               "expiry": None, "lot": None, "serial": None})


def _prescriber(text: str) -> ScanResult | None:
    """RPPS (11 digits, or 12 with the leading 8) or Assurance Maladie number (9 digits), Luhn keys."""
    if not is_ascii_digits(text):
        return None
    if len(text) in (11, 12):
        try:
            return ScanResult(ScanKind.PRESCRIBER, text, {"rpps": str(Rpps.parse(text))})
        except InvalidIdentifier:
            return None
    if len(text) == 9 and luhn_valid(text):
        return ScanResult(ScanKind.PRESCRIBER, text, {"am": text})
    return None


def classify(text: str | bytes, symbology: str | None = None, *, check_number: bool = True) -> ScanResult:
    """Classify a payload; ``symbology`` is an AIM identifier (``]d2``) or a format name (``QRCode``).

    Never raises: anything unusable comes back as UNKNOWN with a French ``message``. Refusals are
    decided by the rules below; should one of them still fail on an input nobody foresaw, the
    payload is refused as unreadable and the traceback goes to the log (the payload itself does not:
    it may be anything), so a scanner thread never dies on what it was shown.
    """
    try:
        return _classify(text, symbology, check_number)
    except Exception:  # a defect on one payload must never stop a scanner
        size = len(text) if isinstance(text, str | bytes | bytearray) else -1
        log.exception("classify failed (payload of %d characters, symbology %.12r)", size, symbology)
        return ScanResult(ScanKind.UNKNOWN, "", {}, UNREADABLE)


def _classify(text: str | bytes, symbology: str | None, check_number: bool) -> ScanResult:
    """:func:`classify` without its safety net: every refusal here is a decided one."""
    if not isinstance(text, str | bytes | bytearray):
        return _unknown("", UNREADABLE)
    if not isinstance(symbology, str | None):
        symbology = None
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return _unknown("", "Code illisible : données binaires")
    if len(text) > MAX_PAYLOAD:
        return _unknown(text, "Code refusé : contenu trop long")
    aim, text = split_aim(text)
    symbology = symbology or aim
    text = text.strip(" \r\n\t")
    if not text:
        return _unknown(text, "Code vide")
    if _CONTROL.search(text):
        return _unknown(text, "Code illisible : caractères de contrôle")
    family = _family(symbology)
    is_gs1 = (aim in _GS1_AIM or symbology in _GS1_AIM or GS in text
              or (family in (None, "datamatrix", "code128", "gs1") and looks_like_gs1(text)))
    if is_gs1:
        return _product_gs1(text)
    if family == "ean":
        return _product_ean(text)
    if family == "qr":
        return _ordonnance(text, check_number, NOT_ORDONNANCE)
    if family == "code128" or family is None:
        prescriber = _prescriber(text)
        if prescriber is not None:
            return prescriber
    if family is None:
        if len(text) == 13 and is_ascii_digits(text) and text.startswith("3400"):
            return _product_ean(text)
        result = _ordonnance(text, check_number)
        return result if result.ok else _unknown(text, NOT_RECOGNISED)
    return _unknown(text, NOT_RECOGNISED)


def classify_typed(text: str, *, check_number: bool = True) -> ScanResult:
    """A number typed (or pasted) by the pharmacist: always read as an ordonnance number.

    Spaces, dashes and lower case are accepted; the check character of a 20-character number is
    verified so that a typo is caught before any request.
    """
    text = (text or "").strip()
    if len(text) > MAX_PAYLOAD or _CONTROL.search(text):
        return _unknown(text, "Numéro d'ordonnance invalide")
    return _ordonnance(text, check_number, typed=True)
