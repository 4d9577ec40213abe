"""The read-only 警银通 numbers the dashboard may use, per day and station: screenings, holds (alerts raised),
dissuasions and the money they protected, how fast the police answered an alert, and the frauds paid at a bank
counter that screening missed (counter-remittance fraud)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.antifraud.models import Alert, AlertOutcome, MissedFraud, Screening
from pingan.platform import records as register
from pingan.platform.records import Link, Series


def _alerts(*extra):
    return lambda: select(Alert.id.label("key"), Alert.station_id.label("unit"), Alert.id.label("label"),
                          *extra)


def _response_minutes(row) -> float:
    return (row.acknowledged_at - row.at).total_seconds() / 60


SERIES = {s.code: s for s in (
    Series("antifraud.screenings",
           lambda: select(Screening.id.label("key"), Screening.received_at.label("at"),
                          Screening.station_id.label("unit"), Screening.request_id.label("label")),
           at=lambda: Screening.received_at, unit=lambda: Screening.station_id,
           href="/antifraud/screenings/{key}"),
    Series("antifraud.holds", _alerts(Alert.created_at.label("at")),
           at=lambda: Alert.created_at, unit=lambda: Alert.station_id, href="/antifraud/alerts/{key}"),
    Series("antifraud.dissuasions",
           lambda: _alerts(Alert.closed_at.label("at"))().where(Alert.outcome == AlertOutcome.DISSUADED),
           at=lambda: Alert.closed_at, unit=lambda: Alert.station_id, href="/antifraud/alerts/{key}"),
    Series("antifraud.money_protected",
           lambda: _alerts(Alert.closed_at.label("at"), Alert.amount_protected)().where(
               Alert.outcome == AlertOutcome.DISSUADED, Alert.amount_protected.is_not(None)),
           at=lambda: Alert.closed_at, unit=lambda: Alert.station_id, href="/antifraud/alerts/{key}",
           value=lambda row: float(row.amount_protected)),
    Series("antifraud.responses",
           lambda: _alerts(Alert.created_at.label("at"))().where(Alert.acknowledged_at.is_not(None)),
           at=lambda: Alert.created_at, unit=lambda: Alert.station_id, href="/antifraud/alerts/{key}"),
    Series("antifraud.response_minutes",
           lambda: _alerts(Alert.created_at.label("at"), Alert.acknowledged_at)().where(
               Alert.acknowledged_at.is_not(None)),
           at=lambda: Alert.created_at, unit=lambda: Alert.station_id, href="/antifraud/alerts/{key}",
           value=_response_minutes),
    # A fraud reported afterwards whose payment went through a counter screening: the branch aims at none.
    Series("antifraud.counter_fraud",
           lambda: select(MissedFraud.screening_id.label("key"), MissedFraud.reported_at.label("at"),
                          Screening.station_id.label("unit"), MissedFraud.case_ref.label("label"))
           .join(Screening, Screening.id == MissedFraud.screening_id).where(Screening.channel == "counter"),
           at=lambda: MissedFraud.reported_at, unit=lambda: Screening.station_id,
           href="/antifraud/screenings/{key}"),
)}


def daily_counts(db: Session, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int | None, float]]:
    """(series code, local day, station id, value) over the days [start, end]."""
    return register.daily_counts(db, SERIES.values(), start, end)


def records(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[Link]:
    """The alerts or screenings one series counts in those stations and days."""
    return register.records(db, SERIES[code], unit_ids, start, end)
