"""The main window: the counter and the catalogue search, side by side in tabs.

Why: it is only a frame. It appears at once, shows "ouverture…" until the services are ready, then
builds each screen with the services it needs (passed in, never reached through a global). Failures
without their own place on a screen land in the status bar, in French.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QMainWindow, QProgressBar, QTabWidget, QWidget

from app.config import Settings
from app.ui.keys import key_maps, note_key
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # built once the services are ready, after the first paint (or F1 pressed)
    from app.ui.catalogue_view import CatalogueSearch
    from app.ui.key_map_dialog import KeyMapDialog
    from app.wiring import Services

MIN_SIZE = QSize(1280, 800)


class MainWindow(QMainWindow):
    """Named handles: ``tabs``, ``catalogue_search``, ``counter`` and ``history`` (once ready), ``busy_bar``
    (once the runner was first busy).

    Before the first paint it builds only what that paint shows (issue 14, the first window's time): the
    "ouverture…" line, and the empty tab widget the screens go in. The screens come with the services,
    the status bar and its busy bar when the runner first works (just after the paint: the services
    open then), the F1 dialog when asked for.
    """

    def __init__(self, settings: Settings, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runner = runner
        self.services: Services | None = None
        self.catalogue_search: CatalogueSearch | None = None
        self.counter = None
        self.history = None
        self.team = None  # app.ui.team.window_team.WindowTeam, once the services are ready
        self.setWindowTitle(self.tr("Comptoir — %1").replace("%1", settings.pharmacy.name))
        self.resize(self.opening_size())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.opening_label = QLabel(self.tr("Ouverture de la base de données…"))
        self.setCentralWidget(self.centred(self.opening_label))
        self.busy_bar: QProgressBar | None = None
        runner.busy_changed.connect(self.show_busy)
        runner.failed.connect(self.show_error)
        QShortcut(QKeySequence("F2"), self, activated=lambda: self._show_tab("counter"))
        QShortcut(QKeySequence("F3"), self, activated=lambda: self._show_tab("catalogue"))
        QShortcut(QKeySequence("F4"), self, activated=lambda: self._show_tab("history"))
        QShortcut(QKeySequence("F11"), self, activated=lambda: self._show_tab("preparation"))
        QShortcut(QKeySequence("F1"), self, activated=self.show_keys)
        self.keymap_dialog: KeyMapDialog | None = None
        self.key_map_title = self.tr("Partout")
        for key, action in (("F1", self.tr("Raccourcis clavier (cette liste)")), ("F2", self.tr("Comptoir")),
                            ("F3", self.tr("Catalogue")), ("F4", self.tr("Historique")),
                            ("F11", self.tr("Préparation"))):
            note_key(self, key, action)

    @staticmethod
    def centred(label: QLabel) -> QWidget:
        """``label`` in the middle of a frame, by stretches around it: ``setAlignment`` would take Qt's
        ``Qt`` namespace, whose ~90 enums PySide builds at once (milliseconds before the first paint)."""
        frame = QWidget()
        grid = QGridLayout(frame)
        grid.addWidget(label, 1, 1)
        for edge in (0, 2):
            grid.setRowStretch(edge, 1)
            grid.setColumnStretch(edge, 1)
        return frame

    def show_busy(self, busy: bool) -> None:
        """The busy bar in the status bar, both built the first time the runner works."""
        if self.busy_bar is None:
            if not busy:
                return
            self.busy_bar = QProgressBar()
            self.busy_bar.setRange(0, 0)
            self.busy_bar.setMaximumWidth(120)
            self.statusBar().addPermanentWidget(self.busy_bar)
        self.busy_bar.setVisible(busy)

    @staticmethod
    def opening_size() -> QSize:
        """The screen's available area, and at least 1280 × 800 (the counter screens are laid out for
        that): without a window manager to maximise it, the window must still show every column."""
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen is not None else QSize(0, 0)
        return QSize(max(available.width(), MIN_SIZE.width()), max(available.height(), MIN_SIZE.height()))

    def attach(self, services: Services) -> None:
        """The services are ready: build the screens."""
        from app.ui.catalogue_view import CatalogueSearch

        self.services = services
        self.catalogue_search = CatalogueSearch(services.catalogue, self.runner)
        preparation_mode = services.settings.workstation.mode == "preparation"
        if services.counter is not None and not preparation_mode:
            from app.ui.counter.screen import CounterScreen

            self.counter = CounterScreen(services.counter, self.runner, services.settings,
                                         scanner=self.make_scanner(services.settings))
            self.start_devices(self.counter.scanner, services.settings)
            self.tabs.addTab(self.counter, self.tr("Comptoir (F2)"))
        if services.desk is not None and services.team is not None:
            from app.ui.team.window_team import WindowTeam

            self.team = WindowTeam(self, services, self.runner, self.counter)
            self.tabs.addTab(self.team.preparation, self.tr("Préparation (F11)"))
            if preparation_mode:
                scanner = self.make_scanner(services.settings)
                scanner.product_scanned.connect(self.team.preparation.on_product_scanned)
                self.start_devices(scanner, services.settings)
                self.preparation_scanner = self.team.scanner = scanner
        self.tabs.addTab(self.catalogue_search, self.tr("Catalogue (F3)"))
        self.history = self.make_history(services)
        self.tabs.addTab(self.history, self.tr("Historique (F4)"))
        self.catalogue_search.presentation_chosen.connect(self._deliver_from_catalogue)
        self.setCentralWidget(self.tabs)
        self.opening_label = None
        from app.ui.catalogue_update import offer_catalogue_update

        self.catalogue_update = offer_catalogue_update(self, services, self.runner)  # shown when too old
        if self.counter is not None:
            self.counter.start()
        else:
            self.catalogue_search.query_edit.setFocus()
        if self.team is not None:
            self.team.start()

    def make_history(self, services: Services):
        """The history and reprint screen, over the delivery archive of the same database."""
        from app.ui.history_view import HistoryView

        outbox = services.counter.outbox if services.counter is not None else None
        return HistoryView(services.history, self.runner, services.settings, outbox=outbox)

    def make_scanner(self, settings: Settings):
        """The scanner bridge: keyboard wedge always, camera and serial scanner when configured."""
        from app.ui.scanner import ScannerBridge

        bridge = ScannerBridge(settings.scanner, self, check_number=settings.service.check_number)
        bridge.install_wedge()
        return bridge

    @staticmethod
    def start_devices(bridge, settings: Settings) -> None:
        """Camera and serial scanner, once the screen listens to their signals (errors included)."""
        if settings.scanner.camera:
            bridge.start_camera(preview=True)
        if settings.scanner.serial_port:
            bridge.start_serial()

    def show_keys(self) -> None:
        """F1: every key of every screen, read from the screens themselves (non-modal)."""
        if self.keymap_dialog is not None:
            self.keymap_dialog.close()
        from app.ui.key_map_dialog import KeyMapDialog

        self.keymap_dialog = KeyMapDialog(key_maps(self), self)
        self.keymap_dialog.finished.connect(self._focus_current)
        self.keymap_dialog.show()

    def _focus_current(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None:
            self._show_tab({self.counter: "counter", self.history: "history"}.get(widget, "catalogue"))

    def _deliver_from_catalogue(self, presentation) -> None:
        """Enter on a search result while dispensing: that product for the selected line."""
        if self.counter is not None and self.counter.offer_product(presentation):
            self.tabs.setCurrentWidget(self.counter)
        else:
            self.show_error(self.tr("Ouvrez une ordonnance et choisissez sa ligne pour délivrer ce produit."))

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def show_fatal(self, message: str) -> None:
        """The services could not open: say why where the screens would be."""
        from PySide6.QtCore import Qt

        label = QLabel(self.tr("Le comptoir ne peut pas démarrer :\n%1").replace("%1", message))
        label.setObjectName("fatal_label")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        self.setCentralWidget(label)
        self.opening_label = None

    def _show_tab(self, which: str) -> None:
        widget = {"counter": self.counter, "history": self.history,
                  "preparation": self.team.preparation if self.team else None}.get(which, self.catalogue_search)
        if widget is not None:
            self.tabs.setCurrentWidget(widget)
            if widget is self.catalogue_search:
                widget.query_edit.setFocus()
                widget.query_edit.selectAll()
            elif widget is self.history:
                widget.number_edit.setFocus()
            elif hasattr(widget, "focus_scan"):
                widget.focus_scan()
            else:  # the preparation queue (F11): its list takes the keys
                widget.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.counter is not None:
            self.counter.shutdown()
        if self.team is not None:
            self.team.stop()
        scanner = getattr(self, "preparation_scanner", None)
        if scanner is not None:
            scanner.shutdown()
        super().closeEvent(event)
