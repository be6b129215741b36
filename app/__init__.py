"""Comptoir: the French pharmacy counter around the ordonnance numérique."""

__version__ = "0.1.0"
