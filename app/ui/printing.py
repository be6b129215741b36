"""Sending a generated PDF to a printer: CUPS where it exists, else QtPrintSupport.

On Linux and macOS the PDF goes as it is to CUPS (:mod:`app.printing.spool`), which reports a missing,
stopped, out-of-paper or unreachable printer. On Windows, and when the settings say ``system = "qt"``,
each page is rendered with pypdfium2 and painted, full page, on a QPrinter (the page's own size, so the
mentions land where the settings put them), which hands it to the Windows spooler; QtPdf is not part of
PySide6-Essentials, hence the images. A PDF "printed to a file" (tests, screenshots) takes the Qt path
everywhere. Printing runs off the GUI thread; only choosing the printer (the dialog) happens on it.

The printer is remembered per document kind (the mentions, the patient's copy). A failed print loses
nothing: the PDF stays in ``settings.pdf_dir`` on the « à réimprimer » list
(:func:`~app.printing.reprints.failed_prints`) until a reprint succeeds.
"""

from __future__ import annotations

import logging
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
from app.printing.cups import PrinterProblem as PrintError
from app.printing.reprints import FailedPrint, failed_prints, kept_path
from app.printing.spool import (
    MENTIONS,
    cups_sender,
    open_pdf,
    print_kept,
    printer_for,
    set_printer_for,
    uses_cups,
)

__all__ = ["MENTIONS", "FailedPrint", "PrintError", "PrintService", "PrintTarget", "choose_target",
           "failed_prints", "print_pdf", "remember_printer"]

log = logging.getLogger(__name__)

MAX_DPI = 300
_QIMAGE_FORMATS = {"RGB": QImage.Format.Format_RGB888, "RGBA": QImage.Format.Format_RGBA8888,
                   "RGBX": QImage.Format.Format_RGBX8888, "L": QImage.Format.Format_Grayscale8}


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
    with open_pdf(pdf) as document:
        pages = len(document)
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


def print_pdf(pdf: Path, target: PrintTarget, pdf_dir: Path, *, kind: str = MENTIONS,
              settings: Settings | None = None) -> int:
    """Print ``pdf`` to ``target`` (any thread); returns its pages. Through CUPS when ``settings`` say
    so (see :func:`~app.printing.spool.uses_cups`) and the target is a printer, else painted with Qt.
    The PDF is kept in ``pdf_dir``; a failure puts it on the « à réimprimer » list and raises
    :class:`PrintError` in French."""
    if target.output_file is None and settings is not None and uses_cups(settings.printer):
        send = cups_sender(settings.printer, kind, name=target.printer_name, copies=target.copies)
    else:
        def send(kept: Path) -> int:
            return paint_pdf(kept, make_printer(target))
    return print_kept(pdf, pdf_dir, send, kind=kind, printer=target.printer_name)


def remember_printer(settings: Settings, name: str, kind: str = MENTIONS) -> None:
    """Keep the printer chosen for ``kind`` in the settings file: asked once, then silent."""
    if set_printer_for(settings.printer, kind, name):
        save_settings(settings)


def choose_target(settings: Settings, parent: QWidget | None = None, *, kind: str = MENTIONS,
                  dialog: bool | None = None,
                  run_dialog: Callable[[QPrintDialog], int] | None = None) -> PrintTarget | None:
    """The printer for ``kind`` (GUI thread). The dialog shows when asked, when the settings say so,
    or when no printer was chosen yet for that kind; the choice is remembered for that kind. None:
    the pharmacist cancelled."""
    show = settings.printer.show_dialog if dialog is None else dialog
    remembered = printer_for(settings.printer, kind)
    if not show and remembered:
        return PrintTarget(remembered)
    printer = QPrinter()
    if remembered:
        printer.setPrinterName(remembered)
    chooser = QPrintDialog(printer, parent)
    chooser.setWindowTitle("Imprimer")
    result = (run_dialog or QPrintDialog.exec)(chooser)
    if result != QDialog.DialogCode.Accepted:
        return None
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return PrintTarget(output_file=Path(printer.outputFileName()), copies=printer.copyCount())
    remember_printer(settings, printer.printerName(), kind)
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

    def print_file(self, pdf: Path, target: PrintTarget | None = None, *, kind: str = MENTIONS,
                   parent: QWidget | None = None, dialog: bool | None = None) -> bool:
        """Queue ``pdf`` (a document of ``kind``) for printing; False when the pharmacist cancelled
        the dialog."""
        target = target or choose_target(self.settings, parent, kind=kind, dialog=dialog)
        if target is None:
            return False
        pdf_dir, settings = self.settings.pdf_dir, self.settings

        def done(ok: bool, value: object) -> None:
            self._finished.emit((kept_path(pdf, pdf_dir), ok, value))

        self._pool.start(_PrintJob(lambda: print_pdf(pdf, target, pdf_dir, kind=kind, settings=settings), done))
        return True

    def reprint(self, failed: FailedPrint, target: PrintTarget | None = None, *,
                parent: QWidget | None = None) -> bool:
        """Print a document of the « à réimprimer » list again, on the printer of its kind."""
        return self.print_file(failed.pdf, target, kind=failed.kind or MENTIONS, parent=parent)

    def failed_prints(self) -> list[FailedPrint]:
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
