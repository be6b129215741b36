"""Every ORM model of the app's database, imported so that Base.metadata knows all tables.

Each area owns one module here (catalogue, ordonnancier, counter ...).
"""

import importlib

for _name in ("meta", "catalogue", "ordonnancier", "counter"):
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{_name}":
            raise
