"""The register against the delivery archive and the outbox: every recorded delivery has its entries.

Why: the counter writes a delivery's entries, its archived copy (reprints) and its outbox row (the
service) in one transaction, each copy carrying the entry numbers its lines received. Entries cut
from the register, or slipped into it, therefore show against the other two, even on the day
itself, before any closing. Both are read as plain JSON (only the line ids and numbers are needed)
in batches: the archive grows by a row per delivery for ten years.

- archive → register: every number an archived delivery's lines received is an entry of that
  delivery and line (corrections excepted);
- register → archive: every entry (corrections excepted) belongs to an archived delivery that lists it;
- outbox → register: the same as the first, for each delivery the outbox holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import column, exists, func, inspect, select, table
from sqlalchemy.orm import Session
from sqlalchemy.types import String, Text

from app.domain.delivery_codec import FORMAT_VERSION
from app.domain.ordonnancier import Finding, fr_day
from app.storage.models.ordonnancier import ArchivedDeliveryRow, OrdonnancierRow

OUTBOX = table("counter_outbox", column("delivery_id", String), column("ordonnance_number", String),
               column("payload", Text))
BATCH = 500
SHOWN = 3  # findings kept per source (the lowest numbers); the others are counted


@dataclass(frozen=True)
class Recorded:
    """What a recorded delivery says the register holds for it."""

    delivery_id: str
    ordonnance_number: str
    day: date | None
    lines: tuple[tuple[str, int], ...]  # (line id, entry number)

    def what(self, source: str) -> str:
        return f"la délivrance de l'ordonnance {self.ordonnance_number} du {fr_day(self.day)} ({source})"


def recorded_lines(text: str) -> tuple[date | None, tuple[tuple[str, int], ...]]:
    """(day handed over, (line id, number) of each entry) from a delivery's JSON (delivery_codec)."""
    envelope = json.loads(text)
    if envelope.get("kind") != "delivery" or int(envelope.get("format", 0)) > FORMAT_VERSION:
        raise ValueError("not a delivery")
    data = envelope["data"]
    day = date.fromisoformat(str(data["handed_over_at"])[:10])
    return day, tuple((str(line["line_id"]), int(n)) for line in data["lines"]
                      for n in line.get("ordonnancier_numbers") or ())


class _Lowest:
    """The findings of one source with the lowest numbers, and how many there were in all."""

    def __init__(self, source: str) -> None:
        self.source, self.items, self.total = source, [], 0

    def add(self, finding: Finding) -> None:
        self.total += 1
        self.items.append(finding)
        if len(self.items) > 4 * SHOWN:
            self.items = sorted(self.items, key=Finding.sort_key)[:SHOWN]

    def result(self) -> list[Finding]:
        shown = sorted(self.items, key=Finding.sort_key)[:SHOWN]
        if self.total > len(shown):
            shown.append(Finding(None, f"{self.total - len(shown)} autre(s) écart(s) entre le registre et "
                                       f"{self.source}"))
        return shown


def _compare(session: Session, batch: list[Recorded], source: str, found: _Lowest, *, both_ways: bool) -> None:
    rows = session.execute(select(OrdonnancierRow.number, OrdonnancierRow.delivery_id, OrdonnancierRow.line_id,
                                  OrdonnancierRow.delivered_on)
                           .where(OrdonnancierRow.delivery_id.in_([r.delivery_id for r in batch]),
                                  OrdonnancierRow.corrects.is_(None))).all()
    actual = {r.number: r for r in rows}
    expected = {n: (rec, line_id) for rec in batch for line_id, n in rec.lines}
    missing = [n for n in expected if n not in actual]
    elsewhere = {r.number: r for r in session.execute(
        select(OrdonnancierRow.number, OrdonnancierRow.delivery_id).where(OrdonnancierRow.number.in_(missing)))
    } if missing else {}
    for n, (rec, line_id) in expected.items():
        entry = actual.get(n)
        if entry is None and n not in elsewhere:
            found.add(Finding(n, f"absente du registre, alors que {rec.what(source)} l'a reçue", rec.day))
        elif entry is None:
            found.add(Finding(n, f"inscrite pour une autre délivrance que {rec.what(source)}, qui l'a reçue", rec.day))
        elif entry.line_id != line_id:
            found.add(Finding(n, f"inscrite pour une autre ligne que celle que {rec.what(source)} lui attribue",
                              rec.day))
    if both_ways:
        by_id = {rec.delivery_id: rec for rec in batch}
        for n, entry in actual.items():
            if n not in expected:
                rec = by_id[entry.delivery_id]
                found.add(Finding(n, f"inscrite pour {rec.what(source)}, qui ne la mentionne pas", entry.delivered_on))


def _batches(session: Session, id_column, number_column, payload_column, source: str,
             found: _Lowest) -> Iterator[list[Recorded]]:
    last = ""
    while True:
        rows = session.execute(select(id_column, number_column, payload_column).where(id_column > last)
                               .order_by(id_column).limit(BATCH)).all()
        if not rows:
            return
        batch = []
        for delivery_id, number, payload in rows:
            try:
                day, lines = recorded_lines(payload)
            except (ValueError, KeyError, TypeError, AttributeError):
                found.add(Finding(None, f"{source} : la délivrance de l'ordonnance {number} est illisible, "
                                        "comparaison impossible"))
                continue
            batch.append(Recorded(delivery_id, number, day, lines))
        if batch:
            yield batch
        last = rows[-1][0]


def archive_findings(session: Session) -> tuple[list[Finding], int]:
    """What is wrong between the register and the delivery archive; and how many deliveries were compared."""
    if not inspect(session.connection()).has_table("delivery_archive"):
        return [Finding(None, "la table de l'archive des délivrances (delivery_archive) a été supprimée")], 0
    source = "archive des délivrances"
    found, count = _Lowest(source), 0
    a = ArchivedDeliveryRow
    for batch in _batches(session, a.delivery_id, a.ordonnance_number, a.delivery_json, source, found):
        count += len(batch)
        _compare(session, batch, source, found, both_ways=True)
    unarchived = ~exists(select(a.delivery_id).where(a.delivery_id == OrdonnancierRow.delivery_id))
    where = (OrdonnancierRow.corrects.is_(None), unarchived)
    for row in session.execute(select(OrdonnancierRow.number, OrdonnancierRow.ordonnance_number,
                                      OrdonnancierRow.delivered_on).where(*where)
                               .order_by(OrdonnancierRow.number).limit(SHOWN)):
        found.add(Finding(row.number, f"inscrite pour une délivrance (ordonnance {row.ordonnance_number}) absente "
                                      "de l'archive des délivrances", row.delivered_on))
    extra = session.scalar(select(func.count()).select_from(OrdonnancierRow).where(*where)) or 0
    found.total += max(0, extra - SHOWN)
    return found.result(), count


def outbox_findings(session: Session) -> tuple[list[Finding], int | None]:
    """What is wrong between the outbox and the register; None when this database has no outbox."""
    if not inspect(session.connection()).has_table("counter_outbox"):
        return [], None
    source = "file d'envoi au service"
    found, count = _Lowest(source), 0
    for batch in _batches(session, OUTBOX.c.delivery_id, OUTBOX.c.ordonnance_number, OUTBOX.c.payload,
                          source, found):
        count += len(batch)
        _compare(session, batch, source, found, both_ways=False)
    return found.result(), count
