"""Every ORM model of the app's database, imported so that Base.metadata knows all tables.

Each area owns one module here (catalogue, ordonnancier, counter, team ...).
"""

from app.storage.models import catalogue, counter, meta, ordonnancier, team

__all__ = ["catalogue", "counter", "meta", "ordonnancier", "team"]
