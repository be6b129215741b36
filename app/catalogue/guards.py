"""Refusing a release that would silently damage the catalogue (empty, garbage or truncated file).

The synchroniser trusts a present file to be the complete list for its table: a row missing from
it is a withdrawal. An empty file, random bytes or a download cut short would therefore withdraw
most of the catalogue while the import "succeeds". Two checks stop that, and both abort the whole
import (it is one transaction, so nothing changes):

* per file: a present file must yield at least one valid row, and no more than
  ``REJECTION_LIMIT`` of its rows may be rejected. Measured on the real files: 8 rejected rows of
  20,747 in CIS_CIP 2022-06 (0.04 %), none elsewhere nor in 2026-05. 5 % is over a hundred times
  that, yet any file whose format changed or is corrupted rejects far more.
* per table: an update may not withdraw more than ``WITHDRAWAL_LIMIT`` of what is in place
  (presentations, specialities, generic groups, compositions/conditions of a speciality) unless
  forced. Measured: the real 2022-06 → 2026-05 update, four years apart, withdraws 3,079 of 20,739
  presentations (14.8 %) and 1,935 of 15,676 specialities (12.3 %); a monthly update withdraws
  about 1 %. 20 % lets the real update through and stops a file cut at 80 % or less of its length.
  The first import into an empty catalogue withdraws nothing, so it is never limited.
"""

from __future__ import annotations

from collections import Counter

from app.catalogue.report import ImportReport
from app.domain.errors import CatalogueError

REJECTION_LIMIT = 0.05
WITHDRAWAL_LIMIT = 0.20
_UNCHANGED = "Rien n'a été modifié."


class ImportRefused(CatalogueError):
    """The release looks damaged (or withdraws too much): the import was rolled back entirely."""


def _percent(share: float) -> str:
    """"12,3 %", "20 %": French decimal comma, no useless ",0"."""
    return f"{share * 100:.1f}".removesuffix(".0").replace(".", ",") + " %"


def check_files(report: ImportReport, lines: dict[str, int]) -> None:
    """Refuse when a present file has no valid row or too many rejected ones.

    ``lines`` is the number of non-blank lines of each present file; the rows accepted are those
    lines minus the rejections recorded so far for that file (reading, parsing, unknown CIS...).
    """
    rejected = Counter(r.file for r in report.rejected)
    for name, total in lines.items():
        bad = rejected[name]
        if total == 0:
            raise ImportRefused(f"Import refusé : le fichier {name} est vide (téléchargement interrompu ?). "
                                f"{_UNCHANGED}")
        if bad < total and bad <= total * REJECTION_LIMIT:
            continue
        first = min((r for r in report.rejected if r.file == name), key=lambda r: r.line)
        problem = (f"ne contient aucune ligne valide ({total} lignes rejetées)" if bad >= total else
                   f"a {bad} lignes rejetées sur {total} ({_percent(bad / total)}, "
                   f"seuil {_percent(REJECTION_LIMIT)})")
        raise ImportRefused(f"Import refusé : le fichier {name} {problem} ; première : ligne {first.line}, "
                            f"{first.reason}. Fichier abîmé ou qui n'est pas un fichier BDPM ? {_UNCHANGED}")


def check_withdrawal(file: str, what: str, withdrawn: int, in_place: int, *, force: bool) -> None:
    """Refuse an update of ``file`` withdrawing more than the limit of the ``in_place`` ``what``."""
    if force or in_place == 0 or withdrawn <= in_place * WITHDRAWAL_LIMIT:
        return
    raise ImportRefused(
        f"Import refusé : {file} retirerait {withdrawn} {what} sur {in_place} "
        f"({_percent(withdrawn / in_place)}, seuil {_percent(WITHDRAWAL_LIMIT)}) : fichier tronqué ou "
        f"incomplet ? {_UNCHANGED} Si ce retrait est voulu, relancez l'import avec --force.")
