"""What a keyboard-wedge scanner really meant to type.

The most common fault at French counters: a scanner set to a US (QWERTY) keyboard on an AZERTY
workstation. It sends the key positions of the US layout, so ``1234567890`` arrives as
``&é"'(-è_çà``, ``A`` as ``Q``, ``:`` as ``M`` ... The tables below map each character the French
layout produces back to the one the scanner meant, key by key.
"""

from __future__ import annotations

from app.scanning.classify import BAD_CHECK, classify, classify_typed
from app.scanning.gs1 import GS
from app.scanning.symbols import ScanResult

# Physical keys, row by row (ISO key next to Enter included), without and with Shift.
_US_PLAIN = "`1234567890-=" + "qwertyuiop]" + "asdfghjkl;'\\" + "zxcvbnm,./"
_US_SHIFT = "!@#$%^&*()_+" + "QWERTYUIOP}" + "ASDFGHJKL:\"|" + "ZXCVBNM<>?"
_FR_PLAIN = "²&é\"'(-è_çà)=" + "azertyuiop$" + "qsdfghjklmù*" + "wxcvbn,;:!"
_FR_SHIFT = "1234567890°+" + "AZERTYUIOP£" + "QSDFGHJKLM%µ" + "WXCVBN?./§"
# (the US "[" / "{" key is a dead key on AZERTY and is left out)

AZERTY_TO_QWERTY = str.maketrans(_FR_PLAIN + _FR_SHIFT, _US_PLAIN + _US_SHIFT)


def repair_azerty(text: str) -> str:
    """The text a US-configured scanner meant, from what an AZERTY keyboard produced."""
    return text.translate(AZERTY_TO_QWERTY)


def interpret(text: str, *, gs_substitute: str = "", check_number: bool = True) -> ScanResult:
    """Classify keystrokes of one scan: GS substitute restored, AZERTY scrambling undone if needed.

    The text as received is tried first; the repaired reading is used only when the received one
    is not a valid code and the repaired one is (a scrambled code is never valid: its digits are
    gone), and the result says so in ``fields["keyboard_repaired"]``.

    Keystrokes may also be the number as printed under the QR code, in groups of four
    ("GQ5N D7PA M9WB 4FF0 MFKF"), typed fast enough to pass for a scan (or pasted, or sent by a
    scanner reading the text): no symbol holds spaces, so when nothing else reads it, the text is
    read as a typed ordonnance number (spaces and dashes allowed, check character verified).
    """
    if gs_substitute:
        text = text.replace(gs_substitute, GS)
    result = classify(text, check_number=check_number)
    if result.ok:
        return result
    repaired = repair_azerty(text)
    if repaired != text:
        second = classify(repaired, check_number=check_number)
        if second.ok:
            return ScanResult(second.kind, second.text, {**second.fields, "keyboard_repaired": True},
                              second.message)
    if " " in text.strip():
        typed = classify_typed(text, check_number=check_number)
        if typed.ok or typed.message == BAD_CHECK:  # a grouped number with a typo: say so
            return typed
    return result
