"""The end-to-end test uses the UI's catalogue database (imported once per session)."""

from tests.ui.conftest import _catalogue_template, catalogue_url  # noqa: F401 (fixtures)
