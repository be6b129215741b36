"""Keeping the catalogue current: fetch the BDPM release, report what it changes, apply it once confirmed.

Three steps, so that the pharmacist decides on facts:

1. **fetch** — download the files (:mod:`app.catalogue.download`) into a staging folder of the data
   directory, or copy them from a local folder; no database work.
2. **check** — the whole import runs in a transaction that is rolled back: the report lists the
   presentations added and withdrawn and the price changes, and a damaged release is refused here
   already (:mod:`app.catalogue.guards`), naming the file.
3. **apply** — the same import, committed, in one transaction with the same guards.

Between check and apply nothing is locked (the pharmacist may take minutes to confirm): apply computes
again and its report is what was done. The date of the last update (or check that found nothing new)
is kept in ``app_meta``: the window offers an update when the catalogue is older than
``[catalogue] max_age_days`` (30).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.catalogue.download import Downloader, Fetched, copy_release
from app.catalogue.importer import RELEASE_KEY, Progress, import_release
from app.catalogue.report import ImportReport
from app.config import CatalogueSettings, data_dir
from app.i18n import _t
from app.storage.db import transaction
from app.storage.models.meta import MetaEntry

CHECKED_KEY = "catalogue.checked"  # ISO date of the last update applied (or found unnecessary)


def staging_dir() -> Path:
    """Where downloads are staged (and partial files wait to be resumed)."""
    return data_dir() / "bdpm-telechargement"


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source) is not None


def fetch(source: str | Path, settings: CatalogueSettings, *, staging: Path | None = None,
          progress: Progress | None = None, client: httpx.Client | None = None,
          sleep: Callable[[float], None] | None = None) -> Fetched:
    """The release at ``source`` (a base URL, or a local folder of BDPM files) in the staging folder."""
    staging = staging or staging_dir()
    if not is_url(source):
        return copy_release(Path(source), staging)
    options = {"sleep": sleep} if sleep is not None else {}
    with Downloader(client=client, timeout_s=settings.timeout_s, attempts=settings.attempts,
                    progress=progress, **options) as downloader:
        return downloader.fetch_release(str(source), staging)


def check(factory: sessionmaker[Session], fetched: Fetched, *, progress: Progress | None = None,
          force: bool = False) -> ImportReport:
    """What applying ``fetched`` would change (nothing is written)."""
    return import_release(factory, fetched.folder, release=fetched.release, progress=progress, force=force,
                          dry_run=True)


def apply(factory: sessionmaker[Session], fetched: Fetched, *, progress: Progress | None = None,
          force: bool = False, today: date | None = None) -> ImportReport:
    """Apply ``fetched`` in one transaction (refused whole by the guards), then note the date."""
    report = import_release(factory, fetched.folder, release=fetched.release, progress=progress, force=force)
    mark_checked(factory, today or date.today())
    return report


def mark_checked(factory: sessionmaker[Session], today: date) -> None:
    with transaction(factory) as session:
        session.merge(MetaEntry(key=CHECKED_KEY, value=today.isoformat()))


def release_date(release: str | None) -> date | None:
    """The date a release name carries: "2026-05-14" that day, "2026-05" the first of the month."""
    match = re.search(r"(\d{4})-(\d{2})(?:-(\d{2}))?", release or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError:
        return None


@dataclass(frozen=True)
class CatalogueAge:
    """The loaded release and how current it is."""

    release: str | None
    checked: date | None

    @property
    def as_of(self) -> date | None:
        """The newer of the release's date and the last update: how current the catalogue is."""
        dates = [d for d in (release_date(self.release), self.checked) if d is not None]
        return max(dates) if dates else None

    def days(self, today: date) -> int | None:
        return None if self.as_of is None else (today - self.as_of).days

    def is_stale(self, today: date, max_age_days: int) -> bool:
        """Older than ``max_age_days`` (a catalogue of unknown age is stale; no catalogue is not)."""
        if self.release is None:
            return False
        days = self.days(today)
        return days is None or days > max_age_days


def catalogue_age(factory: sessionmaker[Session]) -> CatalogueAge:
    with factory() as session:
        values = dict(session.execute(select(MetaEntry.key, MetaEntry.value)
                                      .where(MetaEntry.key.in_((RELEASE_KEY, CHECKED_KEY)))).all())
    checked = values.get(CHECKED_KEY)
    try:
        checked_date = date.fromisoformat(checked) if checked else None
    except ValueError:
        checked_date = None
    return CatalogueAge(values.get(RELEASE_KEY), checked_date)


def report_lines(report: ImportReport, *, limit: int = 15) -> list[str]:
    """The report as the pharmacist reads it before confirming: counts, then examples with names."""
    lines = report.summary_lines()
    if report.unchanged or report.first_import:
        return lines

    def examples(title: str, codes: list[str]) -> None:
        if not codes:
            return
        lines.append(_t("{title} ({count}) :").format(title=title, count=len(codes)))
        lines.extend(f"  {c}  {report.names.get(c, '')}" for c in codes[:limit])
        if len(codes) > limit:
            lines.append("  " + _t("… et {count} autres").format(count=len(codes) - limit))

    examples(_t("Présentations ajoutées"), report.added)
    examples(_t("Présentations retirées"), report.withdrawn)
    if report.price_changes:
        lines.append(_t("Changements de prix ({count}) :").format(count=len(report.price_changes)))
        for change in report.price_changes[:limit]:
            lines.append(f"  {change.cip13}  {change.name[:50]} : {_euros(change.old)} → {_euros(change.new)}")
        if len(report.price_changes) > limit:
            lines.append("  " + _t("… et {count} autres").format(count=len(report.price_changes) - limit))
    return lines


def _euros(value) -> str:
    return "—" if value is None else f"{value:.2f} €".replace(".", ",")
