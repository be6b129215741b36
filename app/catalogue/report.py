"""What an import did: rows read per file, rows rejected (file, line, reason), and what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.i18n import _t


@dataclass(frozen=True)
class Rejection:
    """A row skipped because it could not be read; the import goes on without it."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} : {self.reason}"


@dataclass(frozen=True)
class PriceChange:
    cip13: str
    name: str
    old: Decimal | None
    new: Decimal | None


@dataclass
class ImportReport:
    """The outcome of ``import_release``.

    ``added``/``withdrawn``/``changed`` are CIP13 codes of presentations; on a first import every
    presentation is ``added``. A file missing from a (partial) release is listed in
    ``missing_files`` and the earlier data of that file is kept.
    """

    release: str
    first_import: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # rows accepted per file
    rejected: list[Rejection] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    price_changes: list[PriceChange] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # CIP13 -> speciality name, for added and withdrawn
    specialities_changed: int = 0  # specialities added, changed or withdrawn
    other_changes: int = 0  # compositions, conditions, generic groups rewritten (per speciality/group)
    seconds: float = 0.0
    dry_run: bool = False  # compared and checked, then rolled back: what an update would do

    @property
    def unchanged(self) -> bool:
        """True when the database was already up to date with this release."""
        return not (self.added or self.withdrawn or self.changed or self.specialities_changed
                    or self.other_changes)

    def summary_lines(self) -> list[str]:
        """The report as a pharmacist reads it, a few lines, in the language in use (:mod:`app.i18n`:
        the command line's, or the window's)."""
        seconds = f"{self.seconds:.1f}"
        lines = [_t("Mise à jour BDPM {release} vérifiée en {seconds} s (pas encore appliquée)").format(
                     release=self.release, seconds=seconds)
                 if self.dry_run else _t("Catalogue BDPM {release} importé en {seconds} s").format(
                     release=self.release, seconds=seconds)]
        lines.append(_t("Lignes lues : {counts}").format(
            counts=", ".join(f"{name} {n}" for name, n in self.counts.items())))
        if self.missing_files:
            lines.append(_t("Fichiers absents (données précédentes conservées) : {files}").format(
                files=", ".join(self.missing_files)))
        if self.rejected:
            lines.append(_t("Lignes rejetées : {count}").format(count=len(self.rejected)))
            lines.extend(f"  {r}" for r in self.rejected[:20])
            if len(self.rejected) > 20:
                lines.append("  " + _t("… et {count} autres").format(count=len(self.rejected) - 20))
        if self.unchanged:
            lines.append(_t("Aucun changement : le catalogue était déjà à jour."))
        elif not self.first_import:
            lines.append(_t("Présentations ajoutées : {added}, retirées : {withdrawn}, modifiées : {changed} "
                            "(dont {prices} changements de prix)").format(
                added=len(self.added), withdrawn=len(self.withdrawn), changed=len(self.changed),
                prices=len(self.price_changes)))
        return lines
