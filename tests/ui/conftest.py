"""Fixtures of the UI tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from app.ui.main import application
from app.ui.translations import install_translators


@pytest.fixture
def english():
    """The application as ``comptoir --lang en`` starts it: the French translators (Qt's own, which
    name keys and standard buttons) taken off for the test, the English ones installed."""
    app = application("fr")
    french = list(getattr(app, "_comptoir_translators", []))
    for translator in french:
        app.removeTranslator(translator)
    translators = install_translators(app, "en")
    yield
    for translator in translators:
        app.removeTranslator(translator)
    for translator in french:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
