"""Who has an ordonnance open, as the second workstation reads it: rendered once, from the stored claim
(storage keeps no sentence of its own), with the opening time in the workstation's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.domain.identifiers import OrdonnanceNumber
from app.storage.workstation_claims import Claim
from app.ui.team.claims_watch import claim_text
from app.ui.translations import install_translators

NUMBER = "ABCD2345EFGH6789JKM1"
PARIS_WINTER = timezone(timedelta(hours=1))


def _claim(user_name: str) -> Claim:
    opened = datetime(2026, 11, 24, 8, 5)  # naive UTC, as stored
    return Claim(NUMBER, "h1", 1 if user_name else None, user_name, "COMPTOIR-1", opened, opened)


def test_the_claim_names_the_workstation_the_user_and_the_local_time():
    assert claim_text(_claim("Marie Curie"), PARIS_WINTER) == (
        f"Ordonnance n° {OrdonnanceNumber(NUMBER).grouped()} ouverte sur le poste « COMPTOIR-1 » par Marie Curie "
        "depuis 09:05 : consultation seule")


def test_a_claim_without_a_signed_in_user_names_only_the_workstation():
    text = claim_text(_claim(""), UTC)
    assert text == (f"Ordonnance n° {OrdonnanceNumber(NUMBER).grouped()} ouverte sur le poste « COMPTOIR-1 » "
                    "depuis 08:05 : consultation seule")
    assert " par " not in text


def test_in_english_the_same_claim_reads_in_english(qtbot):
    app = QApplication.instance()
    translators = install_translators(app, "en")
    try:
        text = claim_text(_claim("Marie Curie"), PARIS_WINTER)
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    assert text == (f"Prescription no. {OrdonnanceNumber(NUMBER).grouped()} is open on workstation “COMPTOIR-1” "
                    "by Marie Curie since 09:05: read-only")
