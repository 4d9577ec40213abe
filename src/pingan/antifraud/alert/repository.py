"""Reading alerts: every query goes through `in_scope` (the user's jurisdiction), or, for a bank following its
own holds, `progress_of`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from pingan.antifraud.models import Alert, AlertKind, AlertStatus, Screening
from pingan.antifraud.permissions import ALERT_READERS
from pingan.core.errors import not_found
from pingan.platform import access
from pingan.platform.users.models import User


def in_scope(db: Session, user: User) -> Select:
    """Alerts of the user's jurisdiction; a user of another role is refused."""
    access.require_role(user, *ALERT_READERS)
    return access.scope(db, select(Alert), user, unit_column=Alert.station_id)


def get_alert(db: Session, *, user: User, alert_id: int, for_update: bool = False) -> Alert:
    """An alert in the user's jurisdiction (404 outside it); locked for a step."""
    stmt = in_scope(db, user).where(Alert.id == alert_id)
    if for_update:
        stmt = stmt.with_for_update(of=Alert)
    alert = db.scalar(stmt.options(joinedload(Alert.screening).joinedload(Screening.branch)))
    if alert is None:
        raise not_found("alert", "预警")
    return alert


def progress_of(db: Session, *, user: User, alert_id: int) -> Alert:
    """An alert for following its progress: police in their jurisdiction, a bank's users for their own holds."""
    stmt = access.scope(db, select(Alert), user, unit_column=Alert.station_id, bank_column=Alert.bank_id,
                        branch_column=Alert.branch_id).where(Alert.id == alert_id)
    alert = db.scalar(stmt)
    if alert is None:
        raise not_found("alert", "预警")
    return alert


def search_alerts(db: Session, *, user: User, status: str | None = None, kind: str | None = None,
                  outcome: str | None = None, station_id: int | None = None, open_only: bool = False,
                  since: dt.datetime | None = None, until: dt.datetime | None = None,
                  limit: int = 50, offset: int = 0) -> tuple[list[Alert], int]:
    """Alerts the user may see, newest first, and how many match."""
    stmt = in_scope(db, user)
    if status:
        stmt = stmt.where(Alert.status == AlertStatus(status))
    if open_only:
        stmt = stmt.where(Alert.status != AlertStatus.CLOSED)
    if kind:
        stmt = stmt.where(Alert.kind == AlertKind(kind))
    if outcome:
        stmt = stmt.where(Alert.outcome == outcome)
    if station_id is not None:
        stmt = stmt.where(Alert.station_id == station_id)
    if since is not None:
        stmt = stmt.where(Alert.created_at >= since)
    if until is not None:
        stmt = stmt.where(Alert.created_at < until)
    total = db.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.scalars(stmt.options(joinedload(Alert.screening).joinedload(Screening.branch))
                      .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit).offset(offset))
    return list(rows), total
