"""Waiting for an ordonnance: the typed number, the camera preview, the dispensings left unfinished.

Why: the first screen of the counter. A scan from the webcam or the USB scanner (handled by the
counter screen through the scanner bridge) or Enter in the number field starts the fetch; the page
only collects the number and shows where things stand.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.ui import formatting
from app.ui.keys import bind_key, note_key
from app.workflow.counter import Pending

ERROR_STYLE = "color: #b00020;"


class WaitingPage(QWidget):
    """Named handles: ``number_edit``, ``fetch_button``, ``error_label``, ``status_label``,
    ``camera_label``, ``pending_list``, ``resume_button``, ``discard_button``."""

    number_entered = Signal(str)
    retry_requested = Signal(str)  # the number whose fetch failed, to fetch again
    resume_requested = Signal(str)  # delivery_id
    discard_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, camera: bool = False) -> None:
        """``camera``: a camera is configured, its preview has a place; without one, the scanner's and
        the keyboard's page has no black panel."""
        super().__init__(parent)
        self.has_camera = camera
        title = QLabel(self.tr("Scannez le QR code de l'ordonnance numérique ou saisissez son numéro"))
        title.setStyleSheet("font-size: 16pt;")
        title.setWordWrap(True)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("number_edit")
        self.number_edit.setPlaceholderText(self.tr("Numéro d'ordonnance"))
        self.number_edit.setStyleSheet("font-size: 16pt; font-family: monospace;")
        self.fetch_button = QPushButton(self.tr("Rechercher (Entrée)"))
        self.fetch_button.setObjectName("fetch_button")
        self.retry_button = QPushButton(self.tr("Réessayer (F5)"))
        self.retry_button.setObjectName("retry_button")
        self.retry_button.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("waiting_status")
        self.error_label = QLabel()
        self.error_label.setObjectName("waiting_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.camera_label = QLabel(self.tr("Pas de caméra configurée : utilisez la douchette ou le clavier."))
        self.camera_label.setObjectName("camera_label")
        self.camera_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera_label.setMinimumSize(320, 180)
        self.camera_label.setStyleSheet("background: #222; color: #ddd;")
        self.camera_label.setVisible(camera)
        self.hint_label = QLabel(self.tr("Douchette : scannez le QR code, la saisie se fait seule. Clavier : tapez "
                                         "le numéro (espaces permis) puis Entrée. F1 : tous les raccourcis."))
        self.hint_label.setObjectName("waiting_hint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setVisible(not camera)
        self.pending_list = QListWidget()
        self.pending_list.setObjectName("pending_list")
        self.resume_button = QPushButton(self.tr("Reprendre"))
        self.discard_button = QPushButton(self.tr("Abandonner"))
        self.pending_box = QWidget()
        pending_layout = QVBoxLayout(self.pending_box)
        pending_layout.setContentsMargins(0, 0, 0, 0)
        pending_layout.addWidget(QLabel(self.tr("Délivrances en cours, à reprendre :")))
        pending_layout.addWidget(self.pending_list)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        pending_layout.addLayout(buttons)
        self.pending_box.setVisible(False)

        entry = QHBoxLayout()
        entry.addWidget(self.number_edit, 1)
        entry.addWidget(self.fetch_button)
        entry.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(entry)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.camera_label, 1)
        layout.addWidget(self.pending_box)
        if not camera:
            layout.addStretch(1)  # everything at the top, in reading order

        self.number_edit.returnPressed.connect(self._submit)
        self.fetch_button.clicked.connect(self._submit)
        self.retry_button.clicked.connect(self._retry)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self._retry,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.key_map_title = self.tr("Attente")
        note_key(self, "Return", self.tr("Rechercher le numéro saisi"))
        note_key(self, "F5", self.tr("Réessayer après un service injoignable"))
        bind_key(self.resume_button, "Ctrl+Return", self, self.tr("Reprendre la délivrance choisie"))
        bind_key(self.discard_button, "Ctrl+Del", self, self.tr("Abandonner la délivrance choisie"))
        self.resume_button.clicked.connect(lambda: self._emit_pending(self.resume_requested))
        self.discard_button.clicked.connect(lambda: self._emit_pending(self.discard_requested))
        self.pending_list.itemActivated.connect(lambda _item: self._emit_pending(self.resume_requested))

    def _submit(self) -> None:
        text = self.number_edit.text().strip()
        if not text:
            self.error_label.setText(self.tr("Saisissez le numéro de l'ordonnance."))
            return
        self.number_entered.emit(text)

    def _retry(self) -> None:
        text = self.number_edit.text().strip()
        if self.retry_button.isVisible() and text:
            self.retry_requested.emit(text)

    def _emit_pending(self, signal) -> None:
        item = self.pending_list.currentItem() or self.pending_list.item(0)
        if item is not None:
            signal.emit(item.data(Qt.ItemDataRole.UserRole))

    def set_busy(self, message: str) -> None:
        self.status_label.setText(message)
        self.error_label.clear()
        self.retry_button.setVisible(False)
        self.number_edit.setEnabled(not message)
        self.fetch_button.setEnabled(not message)

    def show_error(self, message: str) -> None:
        self.set_busy("")
        self.error_label.setText(message)
        self.number_edit.setFocus()
        self.number_edit.selectAll()

    def show_unreachable(self, number: str, message: str) -> None:
        """The fetch of ``number`` failed for want of the service: the number back in the field (a
        scanned one too), the reason, and the retry button."""
        self.show_error(message)
        self.number_edit.setText(number)
        self.number_edit.selectAll()
        self.retry_button.setVisible(True)

    def show_device_error(self, message: str) -> None:
        """A scanner's failure (camera, serial port, keyboard wedge): in the preview's place when there
        is one, else with the page's errors."""
        if self.has_camera:
            self.camera_label.setText(message)
        else:
            self.error_label.setText(message)

    def add_panel(self, panel: QWidget) -> None:
        """A panel of the screen's own (the deliveries not transmitted), under the resume list."""
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.pending_box) + 1, panel)

    def reset(self) -> None:
        self.set_busy("")
        self.number_edit.clear()
        self.number_edit.setFocus()

    def show_pending(self, pending: list[Pending]) -> None:
        """Each dispensing left unfinished: the number as printed, the patient, when it was started
        and where it stands."""
        self.pending_list.clear()
        for p in pending:
            item = QListWidgetItem(pending_text(p, self.tr("commencée le %1"),
                                                self.tr("facturée, à enregistrer") if p.billed
                                                else self.tr("en cours de délivrance")))
            item.setData(Qt.ItemDataRole.UserRole, p.delivery_id)
            self.pending_list.addItem(item)
        if pending:
            self.pending_list.setCurrentRow(0)
        self.pending_box.setVisible(bool(pending))
        focus = QApplication.focusWidget()
        if focus is None or isinstance(focus, QPushButton) or not focus.isVisible():
            self.number_edit.setFocus()  # after « Reprendre » / « Abandonner »: back to scanning

    def show_frame(self, frame: Any) -> None:
        """A camera frame for the preview: a QImage, or a numpy BGR array as the scanner bridge sends
        (only the latest frame is delivered, so converting here never queues up)."""
        image = frame if isinstance(frame, QImage) else bgr_to_qimage(frame)
        if image is None:
            return
        pixmap = QPixmap.fromImage(image).scaled(self.camera_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.FastTransformation)
        self.camera_label.setPixmap(pixmap)


def pending_text(p: Pending, started: str, state: str) -> str:
    try:
        number = OrdonnanceNumber.parse(p.number).grouped()
    except ComptoirError:
        number = p.number
    when = started.replace("%1", formatting.day(p.started_at)) + p.started_at.strftime(" %H:%M")
    return f"{number} — {p.patient} — {when} — {state}"


def bgr_to_qimage(frame: Any) -> QImage | None:
    """A numpy BGR (or grey) frame as a QImage that owns its pixels."""
    shape = getattr(frame, "shape", None)
    if not shape or len(shape) < 2:
        return None
    height, width = shape[:2]
    if len(shape) == 2:
        return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()
