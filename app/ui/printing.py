"""Sending a generated PDF to a printer through QtPrintSupport.

Why images: QtPdf is not part of PySide6-Essentials, so each page is rendered with pypdfium2 and
painted, full page, on a QPrinter (the page's own size, so the mentions land where the settings put
them). Painting on a QPrinter is allowed off the GUI thread; only choosing the printer (the dialog)
happens on it. A failed print loses nothing: the PDF stays in ``settings.pdf_dir`` with a marker
file, :func:`failed_prints` lists them and a successful reprint clears the marker.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QObject, QRectF, QRunnable, QSizeF, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

from app.config import Settings, save_settings
from app.domain.errors import ComptoirError

log = logging.getLogger(__name__)

MAX_DPI = 300
FAILED_SUFFIX = ".echec"
_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one rendering at a time in the process
_QIMAGE_FORMATS = {"RGB": QImage.Format.Format_RGB888, "RGBA": QImage.Format.Format_RGBA8888,
                   "RGBX": QImage.Format.Format_RGBX8888, "L": QImage.Format.Format_Grayscale8}


class PrintError(ComptoirError):
    """The printer refused or could not be reached; the PDF is kept for a reprint."""


@dataclass(frozen=True)
class PrintTarget:
    """Where to print: a named printer ("" the system default), or a PDF file (print to file, tests)."""

    printer_name: str = ""
    output_file: Path | None = None
    copies: int = 1


def make_printer(target: PrintTarget) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if target.output_file is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target.output_file))
    elif target.printer_name:
        if target.printer_name not in QPrinterInfo.availablePrinterNames():
            raise PrintError(f"Imprimante « {target.printer_name} » introuvable : choisissez-en une autre")
        printer.setPrinterName(target.printer_name)
    elif QPrinterInfo.defaultPrinter().isNull():
        raise PrintError("Aucune imprimante disponible : le PDF est conservé pour une réimpression")
    printer.setCopyCount(max(1, target.copies))
    printer.setFullPage(True)  # the PDF's coordinates are the sheet's: no driver margins added
    return printer


def _page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    size = QPageSize(QSizeF(width_pt, height_pt), QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))


def _page_image(page: pdfium.PdfPage, scale: float) -> QImage:
    bitmap = page.render(scale=scale, rev_byteorder=True, may_draw_forms=False)
    fmt = _QIMAGE_FORMATS.get(bitmap.mode)
    if fmt is None:  # pragma: no cover - pypdfium2 gives RGB for an opaque render
        raise PrintError(f"Format d'image inattendu : {bitmap.mode}")
    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt)
    return image.copy()


def paint_pdf(pdf: Path | bytes, printer: QPrinter, max_dpi: int = MAX_DPI) -> int:
    """Paint every page of ``pdf`` on ``printer`` (full page, each at its own size); return the count."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
        except (pdfium.PdfiumError, OSError) as exc:
            raise PrintError("PDF illisible : impression impossible", detail=repr(exc)) from exc
        try:
            pages = len(document)
            if pages == 0:
                raise PrintError("PDF vide : rien à imprimer")
            painter = QPainter()
            for index in range(pages):
                page = document[index]
                width_pt, height_pt = page.get_size()
                printer.setPageLayout(_page_layout(width_pt, height_pt))
                if index == 0:
                    if not painter.begin(printer):
                        raise PrintError("L'imprimante refuse l'impression (hors ligne, sans papier ?) : "
                                         "le PDF est conservé pour une réimpression")
                elif not printer.newPage():
                    raise PrintError("Impression interrompue : le PDF est conservé pour une réimpression")
                dpi = min(printer.resolution(), max_dpi)
                image = _page_image(page, dpi / 72)
                target = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.drawImage(QRectF(target), image)
            if not painter.end():
                raise PrintError("L'impression n'a pas pu être terminée : le PDF est conservé")
            return pages
        finally:
            document.close()


def _kept_path(pdf: Path, pdf_dir: Path) -> Path:
    return pdf if pdf.resolve().parent == pdf_dir.resolve() else pdf_dir / pdf.name


def keep_pdf(pdf: Path, pdf_dir: Path) -> Path:
    """``pdf`` inside ``pdf_dir`` (copied there if it lives elsewhere), so a reprint can find it."""
    pdf_dir.mkdir(parents=True, exist_ok=True)
    kept = _kept_path(pdf, pdf_dir)
    if kept != pdf:
        shutil.copy2(pdf, kept)
    return kept


def _marker(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + FAILED_SUFFIX)


def print_pdf(pdf: Path, target: PrintTarget, pdf_dir: Path) -> int:
    """Print ``pdf`` to ``target`` (any thread). The PDF is kept in ``pdf_dir``; a failure leaves a
    marker next to it (see :func:`failed_prints`) and raises :class:`PrintError` in French."""
    try:
        kept = keep_pdf(pdf, pdf_dir)
    except OSError as exc:
        raise PrintError(f"Impossible de conserver le PDF dans {pdf_dir} : {exc.strerror or exc}") from exc
    try:
        pages = paint_pdf(kept, make_printer(target))
    except PrintError as exc:
        _marker(kept).write_text(exc.message, encoding="utf-8")
        raise
    _marker(kept).unlink(missing_ok=True)
    return pages


def failed_prints(pdf_dir: Path) -> list[tuple[Path, str]]:
    """PDFs whose printing failed and was not redone, oldest first, with the reason."""
    if not pdf_dir.is_dir():
        return []
    found = []
    for marker in pdf_dir.glob(f"*.pdf{FAILED_SUFFIX}"):
        pdf = marker.with_name(marker.name[: -len(FAILED_SUFFIX)])
        if pdf.exists():
            found.append((pdf, marker.read_text(encoding="utf-8"), marker.stat().st_mtime))
    return [(pdf, reason) for pdf, reason, _ in sorted(found, key=lambda f: f[2])]


def remember_printer(settings: Settings, name: str) -> None:
    """Keep the chosen printer in the settings file: asked once, then silent."""
    if settings.printer.name != name:
        settings.printer.name = name
        save_settings(settings)


def choose_target(settings: Settings, parent: QWidget | None = None, *, dialog: bool | None = None,
                  run_dialog: Callable[[QPrintDialog], int] | None = None) -> PrintTarget | None:
    """The printer to use (GUI thread). The dialog shows when asked, when the settings say so, or
    when no printer was chosen yet; the choice is remembered. None: the pharmacist cancelled."""
    show = settings.printer.show_dialog if dialog is None else dialog
    if not show and settings.printer.name:
        return PrintTarget(settings.printer.name)
    printer = QPrinter()
    if settings.printer.name:
        printer.setPrinterName(settings.printer.name)
    chooser = QPrintDialog(printer, parent)
    chooser.setWindowTitle("Imprimer")
    result = (run_dialog or QPrintDialog.exec)(chooser)
    if result != QDialog.DialogCode.Accepted:
        return None
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return PrintTarget(output_file=Path(printer.outputFileName()), copies=printer.copyCount())
    remember_printer(settings, printer.printerName())
    return PrintTarget(printer.printerName(), copies=printer.copyCount())


class _PrintJob(QRunnable):
    def __init__(self, run: Callable[[], int], done: Callable[[bool, object], None]) -> None:
        super().__init__()
        self._run, self._done = run, done

    def run(self) -> None:  # worker thread: paints on the printer, never touches a widget
        try:
            self._done(True, self._run())
        except ComptoirError as exc:
            self._done(False, exc.message)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, the PDF is kept
            log.exception("printing failed")
            self._done(False, f"Impression impossible ({type(exc).__name__}) : le PDF est conservé")


class PrintService(QObject):
    """Prints PDFs off the GUI thread, one job at a time; reports back on the GUI thread.

    ``printed(path, pages)`` and ``failed(path, message)``; a failed PDF stays listed by
    :meth:`failed_prints` until a reprint succeeds.
    """

    printed = Signal(Path, int)
    failed = Signal(Path, str)
    _finished = Signal(object)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one printer queue: pages of two jobs never interleave
        self._finished.connect(self._report)

    def print_file(self, pdf: Path, target: PrintTarget | None = None, *, parent: QWidget | None = None,
                   dialog: bool | None = None) -> bool:
        """Queue ``pdf`` for printing; False when the pharmacist cancelled the dialog."""
        target = target or choose_target(self.settings, parent, dialog=dialog)
        if target is None:
            return False
        pdf_dir = self.settings.pdf_dir

        def done(ok: bool, value: object) -> None:
            self._finished.emit((_kept_path(pdf, pdf_dir), ok, value))

        self._pool.start(_PrintJob(lambda: print_pdf(pdf, target, pdf_dir), done))
        return True

    def failed_prints(self) -> list[tuple[Path, str]]:
        return failed_prints(self.settings.pdf_dir)

    def wait(self, timeout_ms: int = 30000) -> bool:
        return self._pool.waitForDone(timeout_ms)

    @Slot(object)
    def _report(self, payload: tuple) -> None:
        path, ok, value = payload
        if ok:
            self.printed.emit(path, value)
        else:
            self.failed.emit(path, value)
