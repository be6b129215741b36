"""Short sounds for a box accepted or refused: at a busy counter the pharmacist looks at the patient.

Why this shape: two clearly different cues (accepted: one short high tone; refused: three low ones)
that never stand in the way. With Qt Multimedia (the PySide6 add-ons) the tones are played from small
WAV files written once into the data folder; without it (PySide6-Essentials, the default install) the
system bell plays them — one ring for accepted, three for refused. No audio device, offscreen, a
missing module: the cue is skipped and logged once, the counter goes on. ``settings.ui.sounds = false``
turns them off. ``played(kind)`` fires for each cue asked for (what tests and scripts observe).
"""

from __future__ import annotations

import io
import logging
import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication

from app.config import data_dir

log = logging.getLogger(__name__)
ACCEPTED, REFUSED = "accepted", "refused"
# (frequency Hz, duration ms) tones, separated by 70 ms of silence
TONES = {ACCEPTED: ((1320, 90),), REFUSED: ((330, 120), (330, 120), (330, 120))}
BELLS = {ACCEPTED: 1, REFUSED: 3}
BELL_GAP_MS = 160
RATE = 22050


def tone_wav(tones: tuple[tuple[int, int], ...], *, rate: int = RATE, volume: float = 0.4) -> bytes:
    """A mono 16-bit WAV of ``tones`` with short fades (no click), 70 ms of silence between them."""
    frames = bytearray()
    for index, (frequency, ms) in enumerate(tones):
        count = rate * ms // 1000
        fade = max(count // 10, 1)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            value = volume * envelope * math.sin(2 * math.pi * frequency * i / rate)
            frames += struct.pack("<h", int(value * 32767))
        if index < len(tones) - 1:
            frames += b"\0\0" * (rate * 70 // 1000)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


class Feedback(QObject):
    """``accepted()`` / ``refused()``; ``enabled`` False: silent (``played`` does not fire either)."""

    played = Signal(str)

    def __init__(self, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self._effects: dict[str, object] | None = None  # QSoundEffect per kind, once loaded
        self._failed = False

    def accepted(self) -> None:
        self.play(ACCEPTED)

    def refused(self) -> None:
        self.play(REFUSED)

    def play(self, kind: str) -> None:
        if not self.enabled:
            return
        self.played.emit(kind)
        try:
            effect = self._effect(kind)
            if effect is not None:
                effect.play()
            else:
                self._bell(BELLS[kind])
        except Exception as exc:  # noqa: BLE001 - a sound must never stop the counter
            if not self._failed:
                log.warning("sound feedback unavailable: %s", exc)
            self._failed = True

    def _bell(self, times: int) -> None:
        QApplication.beep()
        for n in range(1, times):
            QTimer.singleShot(n * BELL_GAP_MS, self, QApplication.beep)

    def _effect(self, kind: str):
        """The QSoundEffect for ``kind``; None without Qt Multimedia (the bell plays instead)."""
        if self._effects is None:
            self._effects = {}
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError:
                log.info("Qt Multimedia not installed: the system bell gives the scan feedback")
                return None
            folder = data_dir() / "sounds"
            folder.mkdir(parents=True, exist_ok=True)
            for name, tones in TONES.items():
                path = Path(folder / f"{name}.wav")
                if not path.exists():
                    path.write_bytes(tone_wav(tones))
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(path)))
                self._effects[name] = effect
        return self._effects.get(kind)
