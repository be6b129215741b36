"""The deliveries the e-prescription service has not acknowledged yet, with « Renvoyer ».

Why on screen: after an outage the pharmacist must see what is still « non transmise » (number as
printed, patient, since when, the last error) without opening a terminal, and push one again once the
cause is fixed. The same panel sits on the waiting page and in the history.

Each step has its owner: the list is read on the database worker; « Renvoyer » queues the delivery
again (database worker), sends it (network pool), writes the answer (database worker), then reads the
list again — the GUI thread never waits, and the outcome comes back in French under the list.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.records import OutboxItem, SendStatus
from app.ui.catalogue_view import make_table
from app.ui.i18n import _t
from app.ui.keys import bind_key
from app.ui.models import Column, ListTableModel
from app.ui.notices import notice_text
from app.ui.tasks import DB, NET, TaskRunner
from app.workflow.outbox import Outbox, SendOutcome, read_send_error


def state_text(item: OutboxItem) -> str:
    """Where the delivery stands, with a mark that reads without colour."""
    if item.status is SendStatus.FAILED:
        return _t("✖ mise de côté")
    return _t("◷ non transmise (%n tentative(s))", "", item.attempts)


def last_error_text(item: OutboxItem) -> str:
    """Why it is not sent yet, in the UI's language (the service's own answer kept as it is)."""
    return notice_text(read_send_error(item.last_error)) if item.last_error else ""


def since_text(item: OutboxItem) -> str:
    return item.since.strftime("%d/%m/%Y %H:%M") if item.since else "—"


class OutboxPanel(QGroupBox):
    """Named handles: ``outbox_view``/``outbox_model``, ``resend_button``, ``outbox_status``.
    ``changed(list[OutboxItem])`` after each reading of the list (the history marks its rows with it).
    ``hide_when_empty``: the waiting page shows the panel only when something waits."""

    changed = Signal(list)

    def __init__(self, outbox: Outbox, runner: TaskRunner, parent: QWidget | None = None, *,
                 hide_when_empty: bool = True, key: str = "Ctrl+R") -> None:
        super().__init__(self.tr("Délivrances non transmises au service"), parent)
        self.setObjectName("outbox_panel")
        self.outbox = outbox
        self.runner = runner
        self.hide_when_empty = hide_when_empty
        self.items: list[OutboxItem] = []
        self.outbox_model: ListTableModel[OutboxItem] = ListTableModel([
            Column(self.tr("N° d'ordonnance"), lambda i: i.delivery.number.grouped()),
            Column(self.tr("Patient"), lambda i: i.delivery.patient.display_name),
            Column(self.tr("Depuis"), since_text),
            Column(self.tr("État"), state_text),
            Column(self.tr("Dernière erreur"), lambda i: last_error_text(i) or "—",
                   tooltip=lambda i: last_error_text(i) or None),
        ])
        self.outbox_view = make_table(self.outbox_model, "outbox_view")
        self.outbox_view.setMaximumHeight(140)
        self.resend_button = QPushButton(self.tr("Renvoyer"))
        self.resend_button.setObjectName("resend_button")
        bind_key(self.resend_button, QKeySequence(key), self, self.tr("Renvoyer la délivrance non transmise"))
        self.outbox_status = QLabel()
        self.outbox_status.setObjectName("outbox_status")
        self.outbox_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.outbox_status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.outbox_view)
        layout.addLayout(buttons)
        self.resend_button.clicked.connect(self.resend)
        if hide_when_empty:
            self.setVisible(False)  # (never show() here: without a parent yet it would open a window)

    def refresh(self) -> None:
        """Read the list again (database worker; the latest reading wins)."""
        self.runner.run(self.outbox.waiting, on_success=self._show,
                        on_failure=lambda message, _exc: self.outbox_status.setText(message),
                        kind=DB, owner=self, latest=f"outbox-{id(self)}")

    def _show(self, items: list[OutboxItem]) -> None:
        current = self.selected()
        self.items = items
        self.outbox_model.set_rows(items)
        ids = [i.delivery.delivery_id for i in items]
        if items:
            self.outbox_view.selectRow(ids.index(current.delivery.delivery_id)
                                       if current is not None and current.delivery.delivery_id in ids else 0)
        self.resend_button.setEnabled(bool(items))
        if self.hide_when_empty:
            self.setVisible(bool(items))
        self.changed.emit(items)

    def selected(self) -> OutboxItem | None:
        index = self.outbox_view.currentIndex()
        return self.outbox_model.row(index.row()) if index.isValid() else None

    def resend(self) -> None:
        """« Renvoyer » the selected delivery now (queued again when it was put aside)."""
        item = self.selected()
        if item is None:
            return
        outbox = self.outbox
        number = item.delivery.number.grouped()
        self.resend_button.setEnabled(False)
        self.outbox_status.setText(self.tr("Envoi de la délivrance %1…").replace("%1", number))

        def failed(message: str, _exc: BaseException) -> None:
            self.outbox_status.setText(message)
            self.refresh()

        def marked(message: str) -> None:
            self.outbox_status.setText(
                self.tr("Délivrance %1 transmise au service.").replace("%1", number) if not message
                else self.tr("Délivrance %1 non transmise : %2").replace("%1", number).replace("%2", notice_text(message)))
            self.refresh()

        def sent(queued: OutboxItem, outcome: SendOutcome) -> None:
            self.runner.run(lambda: outbox.mark(queued, outcome), on_success=marked, on_failure=failed,
                            kind=DB, owner=self)

        def send(queued: OutboxItem | None) -> None:
            if queued is None:  # acknowledged meanwhile (the automatic retry got there first)
                marked("")
                return
            self.runner.run(lambda: outbox.send(queued), on_success=lambda outcome: sent(queued, outcome),
                            on_failure=failed, kind=NET, owner=self)

        delivery_id = item.delivery.delivery_id
        self.runner.run(lambda: outbox.resend_item(delivery_id), on_success=send, on_failure=failed,
                        kind=DB, owner=self)


def waiting_ids(items: list[OutboxItem]) -> dict[str, SendStatus]:
    return {i.delivery.delivery_id: i.status for i in items}

