"""Time to build the annotated ordonnance (mentions de délivrance) of a 5-line prescription.

Goal: at most 100 ms, so that printing never makes the pharmacist wait at the counter.
Prints the median over repeated runs (and the patient's A4 copy for reference).
"""

from __future__ import annotations

import statistics
import time
from io import BytesIO

from app.config import PrinterSettings
from app.printing import render_delivery_notes, render_patient_copy
from app.printing.specimen import specimen_delivery

GOAL_MS = 100.0
RUNS = 30


def _median_ms(build) -> tuple[float, float]:
    build()  # warm-up: imports, font metrics
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        build()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    delivery = specimen_delivery(5)
    printer = PrinterSettings()
    notes, notes_max = _median_ms(lambda: render_delivery_notes(delivery, printer, BytesIO()))
    copy, copy_max = _median_ms(lambda: render_patient_copy(delivery, None, BytesIO()))
    print(f"annotated ordonnance, 5 lines (A5 mentions): median {notes:.1f} ms, max {notes_max:.1f} ms "
          f"over {RUNS} runs (goal <= {GOAL_MS:.0f} ms)")
    print(f"patient copy, 5 lines (A4 with QR code):     median {copy:.1f} ms, max {copy_max:.1f} ms")
    return 0 if notes <= GOAL_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
