"""What the counter reads of an ordonnance of the preparation queue, state by state, and what it is
offered: take it back while it is waiting, prepared or waiting for its validation; open it in the
queue for the validation."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.delivery import TeamMember
from app.domain.preparation import PreparationEntry, PrepState, Urgency
from app.ui.formatting import clock_time
from app.ui.main import application
from app.ui.team.at_counter import InPreparationPage

NUMBER = "ABCD2345EFGH6789JKM1"
SENT, TAKEN, READY = datetime(2026, 11, 29, 8, 0), datetime(2026, 11, 29, 8, 20), datetime(2026, 11, 29, 9, 5)


def _entry(state: PrepState, note: str = "", **more) -> PreparationEntry:
    return PreparationEntry(id=7, delivery_id="d7", number=NUMBER, patient="DURAND Paul", state=state,
                            urgency=Urgency.NORMAL, note=note, sent_by=TeamMember(1, "Marie Curie", "titulaire", None),
                            sent_at=SENT, workstation="COMPTOIR-1", **more)


@pytest.fixture
def page(qtbot):
    application("fr")
    widget = InPreparationPage()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_waiting_preparing_ready_each_say_who_and_since_when(page):
    jean = TeamMember(2, "Jean Prép", "preparateur", None)
    page.show_entry(_entry(PrepState.WAITING, note="patient revient à 17 h"))
    assert page.state_label.text() == (f"Envoyée en préparation par Marie Curie à {clock_time(SENT)} ; "
                                       "personne ne la prépare encore.")
    assert "ABCD 2345 EFGH 6789 JKM1" in page.title_label.text() and "DURAND Paul" in page.title_label.text()
    assert page.note_label.text() == "Note du comptoir : patient revient à 17 h"
    assert page.take_back_button.isEnabled() and not page.open_queue_button.isVisible()

    page.show_entry(_entry(PrepState.PREPARING, prepared_by=jean, taken_at=TAKEN))
    assert page.state_label.text() == (f"En cours de préparation par Jean Prép depuis {clock_time(TAKEN)} "
                                       f"(envoyée par Marie Curie à {clock_time(SENT)}).")
    assert not page.note_label.isVisible() and page.take_back_button.isEnabled()

    page.show_entry(_entry(PrepState.TO_VALIDATE, prepared_by=jean, taken_at=TAKEN, ready_at=READY))
    assert page.state_label.text() == (f"Préparée par Jean Prép, prête depuis {clock_time(READY)} : en attente "
                                       "de la validation pharmaceutique.")
    assert page.take_back_button.isEnabled() and page.open_queue_button.isVisible()
