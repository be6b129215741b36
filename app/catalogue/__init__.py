"""The drug catalogue (BDPM): importing the ANSM files, updating, searching.

Public API::

    Catalogue(session_factory)            lookups by code, search by name, generic groups
    import_release(session_factory, dir)  import or update from a folder of ANSM files
    ensure_bundled_catalogue(factory)     first start: import the shipped 2022-06 release
    ImportReport, Rejection, PriceChange  what an import read, rejected and changed
"""

from app.catalogue.bundled import BUNDLED_RELEASE, bundled_release_dir, ensure_bundled_catalogue
from app.catalogue.importer import import_release
from app.catalogue.report import ImportReport, PriceChange, Rejection
from app.catalogue.service import Catalogue

__all__ = [
    "BUNDLED_RELEASE",
    "Catalogue",
    "ImportReport",
    "PriceChange",
    "Rejection",
    "bundled_release_dir",
    "ensure_bundled_catalogue",
    "import_release",
]
