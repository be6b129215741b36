"""Property-based tests (hypothesis) of what every scanner feeds on: classify, GS1, the keyboard wedge.

Each property runs twice (:func:`tests.longrun.quick_and_long`): 200 examples in the normal run (a few
seconds), and under the ``long`` marker (``make test-long``, which CI runs) the number of cases given
with it, times ``COMPTOIR_LONG_SCALE`` (10: ≥ 100,000 cases each).
"""

from __future__ import annotations

import re
import string
from collections import deque

from hypothesis import strategies as st

from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import Cip13, OrdonnanceNumber, Rpps, luhn_valid
from app.scanning.classify import _classify
from app.scanning.gs1 import GS, parse_gs1, product_fields
from app.scanning.symbols import ScanKind, ScanResult
from app.scanning.wedge import TERMINATORS, WedgeAction, WedgeDecoder
from tests.longrun import quick_and_long
from tests.scanning.factory import ORDONNANCES, REAL_CIP13

# --- payloads ---------------------------------------------------------------------------------------

# Pieces real payloads are made of, and the ones that broke the reader before (a bracket in the host,
# Arabic-Indic and superscript digits, GS, percent-encoding): glued at random, with random text.
FRAGMENTS = [
    "https://", "http://", "HTTPS://", "ftp://", "://", "[", "]", "[::1]", "[x]", "@", ":", "/", "?", "#",
    "id=", "&", "%", "%2F", "%2e", ".", "-", " ", "\t", "\r", "\n", GS, "(01)", "(17)", "(10)", "(21)",
    "01", "17", "10", "21", "0" + REAL_CIP13[0], REAL_CIP13[1], "3400", "]d2", "]Q1", "]C1", "]E0",
    "٣", "١٠", "²", "０", "ﬀ", "\u0130", "\x00", "\x7f", "\u202e", "ordonnance.example", "/o/",
    *ORDONNANCES, "10000000009", "810000000009", "750000010", "271231", "280331",
]
SYMBOLOGIES = [None, "QRCode", "QR Code", "DataMatrix", "EAN13", "EAN-13", "Code128", "]Q1", "]Q3", "]d1",
               "]d2", "]C0", "]C1", "]E0", "]e0", "]X0", "]", "Aztec", ""]

payloads = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=12).map("".join),
    # GS1-shaped: AIs, separators and CSET 82 text, as a box's DataMatrix carries (parse_gs1's input)
    st.lists(st.one_of(st.sampled_from(["01", "17", "10", "21", GS, "(01)", "(21)", "0" + REAL_CIP13[2]]),
                       st.text(alphabet="!\"%&'()*+,-./0123456789:;<=>?ABCXYZ_abcxyz", max_size=8)),
             max_size=10).map("".join),
    st.text(max_size=64),
    st.binary(max_size=64),
    st.text(alphabet=string.digits + "٠١٢٣٤٥٦٧٨٩²³", min_size=7, max_size=15),
)
symbologies = st.one_of(st.sampled_from(SYMBOLOGIES), st.text(max_size=4))


def _classify_is_total(payload, symbology, check_number):
    """No payload gets past the rules to the safety net, and what is accepted is well-formed."""
    result = _classify(payload, symbology, check_number)  # the core, without classify's net
    assert isinstance(result, ScanResult)
    if result.kind is ScanKind.UNKNOWN:
        assert result.message and result.fields == {} and len(result.text) <= 200
    elif result.kind is ScanKind.ORDONNANCE:
        number = result.fields["number"]
        assert re.fullmatch(r"[A-Z0-9]{8,40}", number) and OrdonnanceNumber.parse(number) == number
        if check_number and len(number) == 20:
            assert OrdonnanceNumber(number).check_ok()
    elif result.kind is ScanKind.PRODUCT:
        assert Cip13.parse(result.fields["cip13"]) == result.fields["cip13"]  # ASCII, 3400, key right
        assert result.fields["gtin"] == "0" + result.fields["cip13"]
        for name in ("lot", "serial", "expiry"):
            assert result.fields[name] is None or result.fields[name].isascii()
    else:
        fields = result.fields
        assert ("rpps" in fields and Rpps.parse(fields["rpps"]) == fields["rpps"]) or (
            re.fullmatch(r"[0-9]{9}", fields["am"]) and luhn_valid(fields["am"]))


test_classify_is_total, test_classify_is_total_long = quick_and_long(
    payloads, symbologies, st.booleans(), cases=20_000)(_classify_is_total)


# --- GS1 element strings of medicine boxes ----------------------------------------------------------

CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
boxes = st.tuples(
    st.sampled_from(REAL_CIP13),
    st.tuples(st.integers(24, 40), st.integers(1, 12), st.integers(1, 28)),
    st.text(alphabet=CSET82, min_size=1, max_size=20),
    st.text(alphabet=CSET82, min_size=1, max_size=20),
)


def _gs1_round_trip(box):
    """Separators kept: exact fields. Separators lost: the exact fields, or "ambiguous" with them
    among the alternatives — never a wrong lot or serial presented as sure."""
    cip13, (yy, mm, dd), lot, serial = box
    expiry = f"{yy:02d}{mm:02d}{dd:02d}"
    truth = {"lot": lot, "serial": serial}
    raw = f"010{cip13}17{expiry}10{lot}{GS}21{serial}"
    fields = product_fields(parse_gs1(raw))
    assert (fields["cip13"], fields["expiry"], fields["lot"], fields["serial"]) == (
        cip13, f"20{yy:02d}-{mm:02d}-{dd:02d}", lot, serial)
    try:
        lost = product_fields(parse_gs1(raw.replace(GS, "")))
    except InvalidIdentifier:
        return  # refused outright is safe (and said in French)
    if lost.get("ambiguous"):
        assert truth in lost["alternatives"]
    else:
        assert (lost["lot"], lost["serial"]) == (lot, serial)


test_gs1_round_trip, test_gs1_round_trip_long = quick_and_long(boxes, cases=10_000)(_gs1_round_trip)


gs1_texts = st.lists(st.one_of(
    st.sampled_from(["01", "17", "10", "21", "11", "00", "240", "3103", "8004", GS, "(01)", "(17)", "(21)", "]d2",
                     "0" + REAL_CIP13[0], "0" + REAL_CIP13[1][:-1] + "0", "280231", "991301", "٣", "\x00"]),
    st.text(alphabet=CSET82 + GS, max_size=12), st.text(max_size=4)), max_size=12).map("".join)


def _gs1_is_total(text):
    """Any element string: the box's fields, or the project's French refusal (InvalidIdentifier)."""
    try:
        fields = product_fields(parse_gs1(text))
    except InvalidIdentifier as error:
        assert str(error) == error.message and error.message
        return
    assert Cip13.parse(fields["cip13"]) == fields["cip13"]
    assert fields["expiry"] is None or re.fullmatch(r"20[0-9]{2}-[0-9]{2}-[0-9]{2}", fields["expiry"])


test_gs1_is_total, test_gs1_is_total_long = quick_and_long(gs1_texts, cases=10_000)(_gs1_is_total)


# --- the keyboard wedge -----------------------------------------------------------------------------

KEYS = list("0123456789ABCXYZabcxyz]-$#") + ["\r", "\n", "\t", GS, "\x08", "\x1b", "é", "<F2>", ""]
wedge_configs = st.tuples(st.sampled_from(["", "$", "$$", "]"]), st.sampled_from(["", "#", "##"]),
                          st.integers(3, 8), st.sampled_from(["", "~"]))
# (what, key, gap in ms): a key press, a timer poll, or a key only a human sends (interrupt)
steps = st.lists(st.tuples(st.sampled_from(["key"] * 8 + ["poll", "interrupt"]), st.sampled_from(KEYS),
                           st.sampled_from([0, 2, 8, 30, 49, 51, 120, 260, 600])), max_size=60)


class _Field:
    """What the UI filter does with each event (app/ui/scanner.py's WedgeFilter._apply), Qt-free."""

    def __init__(self, decoder: WedgeDecoder) -> None:
        self.decoder, self.held, self.typed, self.scans = decoder, deque(), [], []

    def apply(self, event, current: str | None) -> None:
        assert len(event.replay) <= len(self.held), "the decoder gives back keys the UI no longer holds"
        for text in event.replay:
            assert self.held.popleft() == text, "keys given back out of order or altered"
            self.typed.append(text)
        if event.action is WedgeAction.CONSUMED and current is not None:
            self.held.append(current)
        elif event.action is WedgeAction.COMPLETE:
            self.held.clear()
            assert isinstance(event.result, ScanResult)
            assert event.result.ok or event.result.message
            self.scans.append(event.result)
        elif event.action in (WedgeAction.FLUSH, WedgeAction.PASS_THROUGH) and current is not None:
            self.typed.append(current)
        while len(self.held) > self.decoder.replayable:
            self.held.popleft()


def _wedge_never_loses_order(config, sequence):
    """Any keys at any pace: no exception, replays match what was held, scans are results."""
    prefix, suffix, min_length, gs_substitute = config
    decoder = WedgeDecoder(prefix, suffix, 50, min_length, gs_substitute)
    field, t = _Field(decoder), 1000.0
    for what, key, gap in sequence:
        t += gap
        if what == "poll":
            field.apply(decoder.poll(t), None)
        elif what == "interrupt":
            field.apply(decoder.interrupt(), None)
        else:
            field.apply(decoder.feed(key, t), key)
    field.apply(decoder.poll(t + 10_000), None)
    assert not decoder.holding


def _human_typing_comes_through(text):
    """Keys typed at a human pace (no prefix configured) all reach the field, in order."""
    decoder = WedgeDecoder(min_length=4)
    field, t = _Field(decoder), 1000.0
    for key in text:
        t += 180
        field.apply(decoder.feed(key, t), key)
    field.apply(decoder.poll(t + 1000), None)
    assert "".join(field.typed) == text and field.scans == []


test_wedge_never_loses_order, test_wedge_never_loses_order_long = quick_and_long(
    wedge_configs, steps, cases=10_000, batch=5)(_wedge_never_loses_order)
test_human_typing_comes_through, test_human_typing_comes_through_long = quick_and_long(
    st.text(alphabet=[k for k in KEYS if k and k not in TERMINATORS and k != "<F2>"], max_size=30),
    cases=10_000, batch=10)(_human_typing_comes_through)
