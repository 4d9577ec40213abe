"""Intel queries: the active entries an engine starts from, the entries changed since a moment, and the
entries stored for given values; the same for the known-payee list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.antifraud.models import Decision, IntelEntry, IntelStatus, KnownPayee, MissedFraud, Screening
from pingan.core.db import scalars_in


def active_intel(db: Session) -> list[IntelEntry]:
    return list(db.scalars(select(IntelEntry).where(IntelEntry.status == IntelStatus.ACTIVE)))


def changed_since(db: Session, since: dt.datetime) -> list[IntelEntry]:
    """Entries changed after ``since`` (by any process), oldest change first."""
    return list(db.scalars(select(IntelEntry).where(IntelEntry.updated_at > since).order_by(IntelEntry.updated_at)))


def by_value(db: Session, values: Iterable[str]) -> dict[tuple[str, str], IntelEntry]:
    """The stored entries for these values, by (kind, value)."""
    entries = scalars_in(db, select(IntelEntry), IntelEntry.value, sorted(set(values)))
    return {(entry.kind.value, entry.value): entry for entry in entries}


def active_known_payees(db: Session) -> list[KnownPayee]:
    return list(db.scalars(select(KnownPayee).where(KnownPayee.status == IntelStatus.ACTIVE)))


def known_payees_changed_since(db: Session, since: dt.datetime) -> list[KnownPayee]:
    """Known-payee entries changed after `since` (by any process), oldest change first."""
    return list(db.scalars(select(KnownPayee).where(KnownPayee.updated_at > since).order_by(KnownPayee.updated_at)))


def allowed_screenings(db: Session, id_number: str, *, since: dt.datetime, until: dt.datetime) -> list[Screening]:
    """The customer's screenings between the two moments that were let through, not yet labelled missed."""
    stmt = (select(Screening).where(Screening.customer_id_number == id_number, Screening.decision == Decision.ALLOW,
                                    Screening.received_at >= since, Screening.received_at <= until,
                                    ~Screening.id.in_(select(MissedFraud.screening_id)))
            .order_by(Screening.received_at))
    return list(db.scalars(stmt))
