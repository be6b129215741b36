"""Which workstation has which ordonnance open, at the counter: the second to open one is told who
has it and can only look.

Why here: the database decides (``WorkstationClaims.open``, one row per ordonnance; see
``app/storage/workstation_claims.py``); this only asks it when the counter shows a dispensing, gives
it back when the counter goes back to waiting, keeps it alive with a heartbeat, and, refused, shows
who has it and leaves the page to look at, not to act on (its widgets disabled). The claims object
comes from the composition root (``Services.claims``); every call runs on the database worker.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.identifiers import OrdonnanceNumber
from app.ui.i18n import _t
from app.ui.tasks import DB, TaskRunner

HEARTBEAT_MS = 60_000


class ClaimsWatch(QObject):
    """Named handles: ``held`` (the number this window holds, or None), ``refused`` (signal with the
    message, in the UI's language (:func:`claim_text`), said when another workstation has the ordonnance)."""

    refused = Signal(str)

    def __init__(self, claims: Any, counter_screen: Any, runner: TaskRunner, who: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.claims = claims
        self.screen = counter_screen
        self.runner = runner
        self.who = who  # a callable: the Actor signed in (or None)
        self.held: str | None = None
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(lambda: self.runner.run(self.claims.heartbeat, kind=DB))
        counter_screen.shown.connect(self._shown)
        counter_screen.pages.currentChanged.connect(self._page_changed)

    def _shown(self, dispensing: Any) -> None:
        number, actor = str(dispensing.prescription.number), self.who()
        page = self.screen.pages.currentWidget()
        page.setEnabled(True)

        def answered(result: Any) -> None:
            if result.granted:
                self.held = number
                self.heartbeat.start()
                return
            if self.screen.dispensing is not None and str(self.screen.dispensing.prescription.number) == number:
                self.screen.pages.currentWidget().setEnabled(False)  # look, do not act
            self.refused.emit(claim_text(result.claim))

        self.runner.run(lambda: self.claims.open(number, actor), on_success=answered, kind=DB, owner=self)

    def _page_changed(self, _index: int) -> None:
        if self.screen.pages.currentWidget() is self.screen.waiting:
            for index in range(self.screen.pages.count()):
                self.screen.pages.widget(index).setEnabled(True)
            self.release()

    def release(self) -> None:
        number, self.held = self.held, None
        if number is not None:
            self.runner.run(lambda: self.claims.close(number), kind=DB)

    def stop(self) -> None:
        """The window closes: every claim of this window given back."""
        self.heartbeat.stop()
        self.held = None
        self.runner.run(self.claims.close_all, kind=DB)


def claim_text(claim: Any, zone: tzinfo | None = None) -> str:
    """Who has the ordonnance open (a ``Claim`` of ``app.storage.workstation_claims``), in the UI's
    language; the time it was opened in ``zone`` (default: this computer's)."""
    since = claim.opened_at.replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M")
    text = (_t("Ordonnance n° %1 ouverte sur le poste « %2 » par %3 depuis %4 : consultation seule")
            if claim.user_name else _t("Ordonnance n° %1 ouverte sur le poste « %2 » depuis %4 : consultation seule"))
    return (text.replace("%1", OrdonnanceNumber(claim.number).grouped()).replace("%2", claim.workstation)
            .replace("%3", claim.user_name).replace("%4", since))
