"""Scanners as Qt signals: camera, serial port and keyboard wedge (Mu's "a device is a QObject").

:class:`ScannerBridge` owns the readers of ``app.scanning`` (which decode in their own threads) and
turns their callbacks into signals delivered on the GUI thread through a queued connection: the GUI
thread never decodes and never waits on a camera. :class:`WedgeFilter` is an application-wide event
filter that feeds every key press to the Qt-free :class:`WedgeDecoder`; the keys of a scan are
swallowed so they never land in the focused field, and keys held on suspicion are given back, in
order, as soon as they turn out to be a human typing.

A new ordonnance scan should cancel the lookup still in flight: connect ``ordonnance_scanned`` to a
``TaskRunner.run(..., latest="ordonnance")`` call.

No reader dies on what it is shown: the camera and serial workers report their own failures (once
per kind, see :mod:`app.scanning.faults`), and the wedge filter, which runs inside Qt's event
dispatch, catches any failure of the wedge decoder, gives the held keys back so nothing typed is
lost, reports it the same way and goes on with the next key. All of it comes out of
``camera_error`` (the scanners' error signal, whichever device), in French.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.config import ScannerSettings
from app.domain.errors import ComptoirError
from app.scanning.camera import CameraReader
from app.scanning.decoders import get_decoder
from app.scanning.faults import FaultReporter
from app.scanning.serial_reader import SerialScanner
from app.scanning.symbols import ScanKind, ScanResult
from app.scanning.wedge import WedgeAction, WedgeDecoder

log = logging.getLogger(__name__)

_FUNCTION_KEYS = {getattr(Qt.Key, f"Key_F{n}"): f"<F{n}>" for n in range(1, 13)}
_SHORTCUT_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def frame_to_qimage(frame) -> QImage:
    """A camera frame (numpy BGR or grayscale) as a QImage for the preview (a deep copy)."""
    h, w = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888).copy()


@dataclass
class _HeldKey:
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    target: QWidget | None


class WedgeFilter(QObject):
    """Application-level key filter: scans out, human typing through.

    ``clock`` (milliseconds) is injectable for tests; key events carrying a window-system timestamp
    are timed by it, so a GUI busy for a moment does not make queued human keys look like a scan.
    """

    scanned = Signal(object)  # ScanResult
    failed = Signal(str)  # French message, once per kind of failure

    def __init__(self, decoder: WedgeDecoder, parent: QObject | None = None, *,
                 clock: Callable[[], float] | None = None, poll_ms: int = 15) -> None:
        super().__init__(parent)
        self.decoder = decoder
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self.faults = FaultReporter("keyboard wedge", self.failed.emit,
                                    clock=lambda: self._clock() / 1000.0, logger=log)
        self._held: deque[_HeldKey] = deque()
        self._replaying = False
        self._last_key: tuple | None = None  # identity of the event being propagated
        self._last_target: QWidget | None = None
        self._last_decision = False
        self._event_t = 0.0  # timestamp of the last key, and the clock when it was seen
        self._clock_t = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    def install(self, app: QApplication | None = None) -> None:
        (app or QApplication.instance()).installEventFilter(self)

    def uninstall(self, app: QApplication | None = None) -> None:
        """Remove the filter (before the QApplication goes: a filter left behind outlives it)."""
        self._timer.stop()
        app = app or QApplication.instance()
        if app is not None and shiboken6.isValid(app) and shiboken6.isValid(self):
            app.removeEventFilter(self)

    # --- Qt plumbing ----------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self._replaying or event.type() != QEvent.Type.KeyPress or not obj.isWidgetType():
            return False
        focus = QApplication.focusWidget()
        if focus is not None and obj is not focus:
            return False
        identity = (shiboken6.getCppPointer(event)[0], event.timestamp(), event.key(), event.text())
        if (identity == self._last_key and self._last_target is not None
                and shiboken6.isValid(self._last_target) and obj is not self._last_target
                and obj.isAncestorOf(self._last_target)):
            return self._last_decision  # the same event propagating to a parent widget
        self._last_key, self._last_target = identity, obj
        try:
            self._last_decision = self._on_key(obj, event)
        except Exception as exc:  # a defect must not eat keys nor stop the next scan
            self._recover("key", exc)
            self._last_decision = False  # the current key goes through, after the held ones
        return self._last_decision

    def _recover(self, stage: str, exc: Exception) -> None:
        """After a failure of the decoder: report it, give every held key back, start afresh."""
        self.faults.report(stage, exc, self.tr(
            "Scanner (clavier) : une lecture a échoué ; scannez à nouveau (détails dans le journal)"))
        self.decoder.reset()
        self._timer.stop()
        try:
            self._replay(len(self._held))
        finally:
            self._held.clear()

    def _now(self, event: QKeyEvent) -> float:
        self._clock_t = self._clock()
        stamp = float(event.timestamp())
        self._event_t = stamp if stamp > 0 else self._clock_t
        return self._event_t

    def _on_key(self, target: QWidget, event: QKeyEvent) -> bool:
        t = self._now(event)
        typed = event.text()
        shortcut = bool(event.modifiers() & _SHORTCUT_MODIFIERS) and not (typed.isprintable() and typed)
        if event.isAutoRepeat() or (shortcut and typed != "\x1d"):
            return self._apply(self.decoder.interrupt(), target, None)
        text = event.text() or _FUNCTION_KEYS.get(event.key(), "")
        held = _HeldKey(event.key(), event.modifiers(), event.text(), target)
        return self._apply(self.decoder.feed(text, t), target, held)

    @Slot()
    def poll(self) -> None:
        """Timer tick: release keys held by a typing pause, time out a stalled prefixed scan."""
        t = self._event_t + (self._clock() - self._clock_t)
        try:
            self._apply(self.decoder.poll(t), None, None)
        except Exception as exc:
            self._recover("poll", exc)

    def _apply(self, result, target: QWidget | None, current: _HeldKey | None) -> bool:
        """Carry out a WedgeEvent; True when the current key must be swallowed."""
        if result.replay:
            self._replay(len(result.replay))
        action = result.action
        if action is WedgeAction.CONSUMED and current is not None:
            self._held.append(current)
        elif action is WedgeAction.COMPLETE:
            self._held.clear()
            if result.result is not None:
                self.scanned.emit(result.result)
        elif action is WedgeAction.FLUSH and current is not None:
            # the current key was part of the released text: give it back too
            self._held.append(current)
            self._replay(1)
        while len(self._held) > self.decoder.replayable:  # keys that can no longer be given back
            self._held.popleft()
        if self.decoder.holding:
            self._timer.start()
        else:
            self._timer.stop()
        return current is not None and action is not WedgeAction.PASS_THROUGH

    def _replay(self, count: int) -> None:
        self._replaying = True
        try:
            for _ in range(min(count, len(self._held))):
                key = self._held.popleft()
                target = QApplication.focusWidget() or key.target
                if target is None or not shiboken6.isValid(target):
                    continue
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(kind, key.key, key.modifiers, key.text))
        finally:
            self._replaying = False


class ScannerBridge(QObject):
    """Camera, serial and wedge scans as signals on the GUI thread.

    ``product_scanned`` carries the whole :class:`ScanResult` (``fields``: cip13, expiry, lot, serial;
    ``message`` set when lot and serial are ambiguous); ``prescriber_scanned`` the RPPS (or the
    Assurance Maladie number when only that was scanned).
    """

    ordonnance_scanned = Signal(str)
    product_scanned = Signal(object)
    prescriber_scanned = Signal(str)
    scan_rejected = Signal(str)
    camera_error = Signal(str)
    frame_ready = Signal(object)  # numpy BGR frame, for an optional preview (latest only)

    _result_from_worker = Signal(object)
    _error_from_worker = Signal(str)
    _frame_from_worker = Signal(object)

    def __init__(self, settings: ScannerSettings | None = None, parent: QObject | None = None, *,
                 check_number: bool = True) -> None:
        super().__init__(parent)
        self.settings = settings or ScannerSettings()
        self.check_number = check_number
        self.camera: CameraReader | None = None
        self.serial: SerialScanner | None = None
        self.wedge: WedgeFilter | None = None
        self.intercept: Callable[[ScanResult], bool] | None = None  # see deliver
        self._frame_pending = threading.Event()
        queued = Qt.ConnectionType.QueuedConnection
        self._result_from_worker.connect(self.deliver, queued)
        # camera_error: any scanner's failure (camera, serial port, keyboard wedge), in French
        self._error_from_worker.connect(self.camera_error, queued)
        self._frame_from_worker.connect(self._deliver_frame, queued)

    # --- results --------------------------------------------------------------------------
    def handle_result(self, result: ScanResult) -> None:
        """Thread-safe entry for any reader: the signals fire later, on the GUI thread."""
        self._result_from_worker.emit(result)

    @Slot(object)
    def deliver(self, result: ScanResult) -> None:
        """Emit the signal matching ``result`` (GUI thread); first offered to ``intercept`` when set (the
        sign-in dialog reads a badge: nothing else sees that scan)."""
        if self.intercept is not None and self.intercept(result):
            return
        if result.kind is ScanKind.ORDONNANCE:
            self.ordonnance_scanned.emit(result.fields["number"])
        elif result.kind is ScanKind.PRODUCT:
            self.product_scanned.emit(result)
        elif result.kind is ScanKind.PRESCRIBER:
            self.prescriber_scanned.emit(result.fields.get("rpps") or result.fields.get("am", ""))
        else:
            self.scan_rejected.emit(result.message or "Code non reconnu")

    @Slot(object)
    def _deliver_frame(self, frame) -> None:
        self._frame_pending.clear()
        self.frame_ready.emit(frame)

    def _on_frame(self, frame) -> None:  # worker thread: drop frames while the GUI is behind
        if not self._frame_pending.is_set():
            self._frame_pending.set()
            self._frame_from_worker.emit(frame.copy())

    # --- camera ---------------------------------------------------------------------------
    def start_camera(self, source: int | str | Path | None = None, *, preview: bool = False,
                     pace: bool = True) -> bool:
        """Start reading ``source`` (default: the camera setting); False and ``camera_error`` if not.

        Never waits: a camera still stopping is let go by the new reader's own thread.
        """
        previous = self.stop_camera()
        source = self.settings.camera if source is None else source
        if source in ("", None):
            self.camera_error.emit("Aucune caméra n'est réglée (Réglages › Scanner)")
            return False
        try:
            decoder = get_decoder(self.settings.backend)
        except ComptoirError as exc:
            self.camera_error.emit(exc.message)
            return False
        self.camera = CameraReader(
            source, decoder, lambda _symbol, result: self.handle_result(result), self._error_from_worker.emit,
            self.settings, on_frame=self._on_frame if preview else None, pace=pace,
            check_number=self.check_number,
        )
        self.camera.start(after=previous)
        return True

    def stop_camera(self, timeout: float = 0.0) -> CameraReader | None:
        """Ask the camera to stop and return at once (GUI thread); its thread closes the device.

        ``timeout``: wait that long for it (shutdown at exit). Returns the stopped reader, if any.
        """
        reader, self.camera = self.camera, None
        if reader is not None:
            reader.stop(timeout)
        return reader

    # --- serial ---------------------------------------------------------------------------
    def start_serial(self, port: str | None = None) -> bool:
        """Start the serial reader; it opens the port in its own thread (failure: ``camera_error``).

        True when a reader was started (the port setting is not empty), not that the port opened.
        """
        previous = self.stop_serial()
        port = port or self.settings.serial_port
        if not port:
            return False
        self.serial = SerialScanner(port, self.settings.serial_baud, self.handle_result,
                                    self._error_from_worker.emit, check_number=self.check_number)
        self.serial.start(after=previous)
        return True

    def stop_serial(self, timeout: float = 0.0) -> SerialScanner | None:
        """Ask the serial reader to stop without waiting (its thread closes the port)."""
        reader, self.serial = self.serial, None
        if reader is not None:
            reader.stop(timeout)
        return reader

    # --- keyboard wedge -------------------------------------------------------------------
    def install_wedge(self, app: QApplication | None = None, *,
                      clock: Callable[[], float] | None = None) -> WedgeFilter:
        """Install the application-wide wedge filter; its scans come out of this bridge's signals."""
        if self.wedge is None:
            decoder = WedgeDecoder.from_settings(self.settings, check_number=self.check_number)
            self.wedge = WedgeFilter(decoder, self, clock=clock)
            self.wedge.scanned.connect(self.deliver)
            self.wedge.failed.connect(self.camera_error)
        self.wedge.install(app)
        return self.wedge

    def shutdown(self, timeout: float = 1.0) -> None:
        """Stop every reader and remove the wedge filter (main window's close event, app exit).

        The readers are given ``timeout`` seconds each to let their device go before the
        interpreter exits (their threads are daemons: a stuck driver cannot hold the exit).
        """
        self.stop_camera(timeout)
        self.stop_serial(timeout)
        if self.wedge is not None:
            self.wedge.uninstall()

