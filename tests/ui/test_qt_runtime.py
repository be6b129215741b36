"""The Qt binding itself must not corrupt Python objects: PySide6 6.12.0 loses one reference to
``True`` on every ``Signal.emit()`` (on Python < 3.12, where bools are not immortal), and the app then
aborts with "bool_dealloc" after a few thousand signals (a camera preview emits 15 a second)."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Qt, Signal


class _Emitter(QObject):
    value = Signal(object)


def test_emitting_signals_keeps_true_alive(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.value.connect(received.append, Qt.ConnectionType.QueuedConnection)
    before = sys.getrefcount(True)

    def emit_many():
        for i in range(300):
            emitter.value.emit(i)

    emit_many()
    worker = threading.Thread(target=emit_many)
    worker.start()
    worker.join()
    while len(received) < 600:
        qapp.processEvents()
    # Other code may take or drop a handful of references meanwhile; the bug drops one per emit.
    assert sys.getrefcount(True) > before - 100
