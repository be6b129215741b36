"""Frames and keystrokes in, symbols out: QR codes, GS1 DataMatrix, EAN-13, Code 128 (no Qt).

Public API (import the submodule you need; this package imports nothing heavy):

- ``symbols``: ``Symbol(format, text, raw, aim)``, ``ScanKind``, ``ScanResult(kind, text, fields, message)``
- ``classify``: ``classify(text, symbology=None, *, check_number=True) -> ScanResult`` (never raises),
  ``classify_typed(text)`` for a number typed by hand, ``parse_ordonnance(text)``
- ``gs1``: ``parse_gs1(text) -> Gs1Data`` incl. symbols whose GS separators were lost
- ``decoders``: ``get_decoder("zxing" | "pyzbar", exhaustive=False) -> Decoder``; ``Decoder.decode(frame)``
- ``regions``: ``candidate_regions(gray)`` where a code may be, for the decoder's extra passes
- ``faults``: ``FaultReporter`` — a scanner thread's failures told once, counted, logged
- ``camera``: ``CameraReader(source, decoder, on_result, on_error, settings).start() / .stop()``
- ``wedge``: ``WedgeDecoder(prefix, suffix, max_interval_ms, min_length, gs_substitute)``
  ``.feed(text, t_ms) / .poll(t_ms) -> WedgeEvent``
- ``keyboard``: ``repair_azerty(text)``, ``interpret(text, gs_substitute=...)``
- ``serial_reader``: ``SerialScanner(port, baud, on_result, on_error).start() / .stop()``
- ``files``: ``iter_frames(path)`` (image or every frame of a video)

The Qt side (signals on the GUI thread, the application-wide key filter) is ``app.ui.scanner``.
"""
