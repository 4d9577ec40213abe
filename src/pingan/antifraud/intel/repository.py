"""Intel queries: the active entries an engine starts from, the entries changed since a moment, and the
entries stored for given values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.antifraud.models import IntelEntry, IntelStatus


def active_intel(db: Session) -> list[IntelEntry]:
    return list(db.scalars(select(IntelEntry).where(IntelEntry.status == IntelStatus.ACTIVE)))


def changed_since(db: Session, since: dt.datetime) -> list[IntelEntry]:
    """Entries changed after ``since`` (by any process), oldest change first."""
    return list(db.scalars(select(IntelEntry).where(IntelEntry.updated_at > since).order_by(IntelEntry.updated_at)))


def by_value(db: Session, values: Iterable[str]) -> dict[tuple[str, str], IntelEntry]:
    """The stored entries for these values, by (kind, value)."""
    found: dict[tuple[str, str], IntelEntry] = {}
    values = sorted(set(values))
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        for entry in db.scalars(select(IntelEntry).where(IntelEntry.value.in_(chunk))):
            found[(entry.kind.value, entry.value)] = entry
    return found
