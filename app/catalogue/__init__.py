"""The drug catalogue (BDPM): importing the ANSM files, updating, searching.

Public API::

    Catalogue(session_factory)            lookups by code, search by name, generic groups
    import_release(session_factory, dir)  import or update from a folder of ANSM files
    ensure_bundled_catalogue(factory)     first start: import the shipped release (2026-05)
    ImportReport, Rejection, PriceChange  what an import read, rejected and changed
    ImportRefused                         a damaged release, or one withdrawing too much: nothing changed
"""

from app.catalogue.bundled import BUNDLED_RELEASE, bundled_release_dir, ensure_bundled_catalogue
from app.catalogue.guards import ImportRefused
from app.catalogue.importer import import_release
from app.catalogue.report import ImportReport, PriceChange, Rejection
from app.catalogue.service import Catalogue

__all__ = [
    "BUNDLED_RELEASE",
    "Catalogue",
    "ImportRefused",
    "ImportReport",
    "PriceChange",
    "Rejection",
    "bundled_release_dir",
    "ensure_bundled_catalogue",
    "import_release",
]
