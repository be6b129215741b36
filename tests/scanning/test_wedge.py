"""The keyboard-wedge decoder fed with scanner-like and human-like key sequences."""

from __future__ import annotations

import pytest

from app.config import ScannerSettings
from app.scanning.keyboard import _FR_PLAIN, _FR_SHIFT, _US_PLAIN, _US_SHIFT, repair_azerty
from app.scanning.symbols import ScanKind
from app.scanning.wedge import WedgeAction, WedgeDecoder
from tests.scanning.factory import ORDONNANCES, REAL_CIP13

QWERTY_ON_AZERTY = str.maketrans(_US_PLAIN + _US_SHIFT, _FR_PLAIN + _FR_SHIFT)
N = ORDONNANCES[1]
BOX = f"]d2010{REAL_CIP13[0]}17280331" + "10AB-12\x1d21SN99"


def type_keys(decoder, keys, start=1000.0, step=8.0):
    """Feed keys ``step`` ms apart; return (events, text delivered to the focused field, results)."""
    events, field, results = [], [], []
    t = start
    for key in keys:
        event = decoder.feed(key, t)
        events.append(event)
        field.extend(event.replay)
        if event.action is WedgeAction.PASS_THROUGH:
            field.append(key)
        if event.result is not None:
            results.append(event.result)
        t += step
    flush = decoder.poll(t + 1000)
    field.extend(flush.replay)
    if flush.result is not None:
        results.append(flush.result)
    return events, "".join(field), results


def test_fast_scan_with_enter_is_swallowed_and_decoded():
    _, field, results = type_keys(WedgeDecoder(), list(N) + ["\r"])
    assert field == ""
    assert [r.fields for r in results] == [{"number": N}]


def test_tab_terminator_and_aim_prefix():
    _, field, results = type_keys(WedgeDecoder(), list("]C0" + "10000000009") + ["\t"])
    assert field == "" and results[0].kind is ScanKind.PRESCRIBER


def test_human_typing_passes_through_untouched():
    decoder = WedgeDecoder()
    _, field, results = type_keys(decoder, list("bonjour madame") + ["\r"], step=120)
    assert field == "bonjour madame\r" and results == []


def test_fast_but_short_burst_is_human():
    _, field, results = type_keys(WedgeDecoder(), list("ok") + ["\r"], step=20)
    assert field == "ok\r" and results == []


def test_fast_burst_without_terminator_is_released_by_poll():
    decoder = WedgeDecoder()
    _, field, results = type_keys(decoder, list("abcdefgh"), step=10)
    assert field == "abcdefgh" and results == []


def test_typing_then_scan_keeps_the_order_of_human_keys():
    decoder = WedgeDecoder()
    keys = list("ab")
    _, field, _ = type_keys(decoder, keys, step=150)
    _, field2, results = type_keys(decoder, list(N) + ["\r"], start=5000)
    assert field == "ab" and field2 == "" and results[0].fields["number"] == N


def test_azerty_scrambled_cip_and_ordonnance_are_repaired():
    scrambled = REAL_CIP13[2].translate(QWERTY_ON_AZERTY)
    assert set(scrambled) <= set("&é\"'(-è_çà")
    _, field, results = type_keys(WedgeDecoder(), list(scrambled) + ["\r"])
    assert field == "" and results[0].fields["cip13"] == REAL_CIP13[2]
    assert results[0].fields["keyboard_repaired"] is True
    _, _, results = type_keys(WedgeDecoder(), list(("]Q1" + N).translate(QWERTY_ON_AZERTY)) + ["\r"])
    assert results[0].fields["number"] == N
    uri = f"https://ordonnance.example/o?id={N}".translate(QWERTY_ON_AZERTY)
    _, _, results = type_keys(WedgeDecoder(), list(uri) + ["\r"])
    assert results[0].fields["number"] == N


def test_repair_table_is_a_bijection():
    sample = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:/?=.-_&%"
    assert repair_azerty(sample.translate(QWERTY_ON_AZERTY)) == sample


@pytest.mark.parametrize("substitute", ["@", "~", "<GS>"])
def test_gs_sent_as_substitute_key(substitute):
    keys = list(BOX.replace("\x1d", "\x00")) + ["\r"]
    keys = [substitute if k == "\x00" else k for k in keys]
    _, field, results = type_keys(WedgeDecoder(gs_substitute=substitute), keys)
    assert field == ""
    assert (results[0].fields["lot"], results[0].fields["serial"]) == ("AB-12", "SN99")
    assert not results[0].fields.get("separator_restored")


def test_gs_lost_by_the_keyboard():
    keys = list(BOX.replace("\x1d", "")) + ["\r"]
    _, _, results = type_keys(WedgeDecoder(), keys)
    assert (results[0].fields["lot"], results[0].fields["serial"]) == ("AB-12", "SN99")
    assert results[0].fields["separator_restored"] is True


def test_gs_as_control_character():
    _, _, results = type_keys(WedgeDecoder(), list(BOX) + ["\r"])
    assert results[0].fields["serial"] == "SN99"


def test_prefix_and_suffix_from_settings_even_when_slow():
    settings = ScannerSettings(wedge_prefix="§§", wedge_suffix="¤")
    decoder = WedgeDecoder.from_settings(settings)
    events, field, results = type_keys(decoder, ["§", "§", *N, "¤", "\r"], step=80)  # slow USB hub
    assert field == "" and results[0].fields["number"] == N
    assert events[-1].action is WedgeAction.CONSUMED  # the Enter the scanner adds is swallowed too
    # a lone "§" typed by hand is given back
    _, field, results = type_keys(decoder, ["§", "x"], start=9000, step=200)
    assert field == "§x" and results == []


def test_stalled_prefixed_scan_times_out_with_a_message():
    decoder = WedgeDecoder(prefix="\x02", suffix="\x03")
    for i, key in enumerate(["\x02", *"ABC"]):
        decoder.feed(key, 100 + i * 5)
    assert decoder.poll(200).action is WedgeAction.NOTHING
    event = decoder.poll(1000)
    assert event.action is WedgeAction.COMPLETE and "incomplète" in event.result.message


def test_scanned_garbage_is_rejected_not_typed():
    _, field, results = type_keys(WedgeDecoder(), list("ZZZ!!!???") + ["\r"])
    assert field == "" and results[0].kind is ScanKind.UNKNOWN and results[0].message


def test_modifier_keys_do_not_break_a_scan():
    keys = []
    for ch in N:
        keys += ["", ch]  # Shift press before each character
    _, field, results = type_keys(WedgeDecoder(), keys + ["\r"], step=4)
    assert field == "" and results[0].fields["number"] == N


def test_backspace_releases_held_keys():
    decoder = WedgeDecoder()
    _, field, _ = type_keys(decoder, ["a", "b", "\x08"], step=10)
    assert field == "ab\x08"


@pytest.mark.parametrize(("keys", "kind", "field", "value"), [
    (f"]Q1{N}", ScanKind.ORDONNANCE, "number", N),
    (f"]d2010{REAL_CIP13[3]}17290101" + "10X1", ScanKind.PRODUCT, "lot", "X1"),
    (f"]E0{REAL_CIP13[4]}", ScanKind.PRODUCT, "cip13", REAL_CIP13[4]),
    (f"]C1010{REAL_CIP13[0]}21SER", ScanKind.PRODUCT, "serial", "SER"),
    ("]C010000000009", ScanKind.PRESCRIBER, "rpps", "10000000009"),
])
def test_aim_symbology_prefixes_are_understood_and_removed(keys, kind, field, value):
    _, typed, results = type_keys(WedgeDecoder(), list(keys) + ["\r"])
    assert typed == "" and results[0].kind is kind and results[0].fields[field] == value
    assert not results[0].text.startswith("]")


@pytest.mark.parametrize("prefix", ["", "\x02"])
def test_very_long_burst_is_swallowed_and_refused(prefix):
    decoder = WedgeDecoder(prefix=prefix)
    _, typed, results = type_keys(decoder, list(prefix) + ["A"] * 5000 + ["\r"], step=1)
    assert typed == "" and [r.message for r in results] == ["Code refusé : contenu trop long"]
    _, typed, results = type_keys(decoder, list(N) + ["\r"], start=20_000)  # back to normal
    assert results[0].fields["number"] == N
