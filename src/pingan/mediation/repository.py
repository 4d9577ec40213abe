"""Mediation queries: disputes in a user's jurisdiction, the board, room schedules, rooms and mediators of a
station (earlier disputes of the same parties are the people register's look-up)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session, selectinload

from pingan.core.errors import not_found
from pingan.mediation.models import Dispute, DisputeStatus, MediationSession, Mediator, Room
from pingan.platform import access
from pingan.platform.users.models import User


def in_scope(db: Session, user: User) -> ColumnElement:
    """A station's users see its disputes; a community officer sees those of the community."""
    return or_(access.unit_condition(db, user, Dispute.station_id),
               access.unit_condition(db, user, Dispute.community_id))


def get_dispute(db: Session, user: User, dispute_id: int) -> Dispute:
    """The dispute, if it exists and lies in the user's jurisdiction; NotFound (404) otherwise."""
    dispute = db.scalar(select(Dispute).where(Dispute.id == dispute_id, in_scope(db, user)))
    if dispute is None:
        raise not_found("dispute", "纠纷")
    return dispute


def _with_parties(stmt: Select) -> Select:
    return stmt.options(selectinload(Dispute.parties), selectinload(Dispute.station), selectinload(Dispute.room))


def open_disputes(db: Session, user: User, *, station_ids: list[int] | None = None) -> list[Dispute]:
    stmt = select(Dispute).where(Dispute.status != DisputeStatus.CLOSED, in_scope(db, user))
    if station_ids:
        stmt = stmt.where(Dispute.station_id.in_(station_ids))
    return list(db.scalars(_with_parties(stmt).order_by(Dispute.received_at)))


def recent_disputes(db: Session, user: User, *, since: dt.datetime, limit: int = 50) -> list[Dispute]:
    stmt = select(Dispute).where(Dispute.received_at >= since, in_scope(db, user))
    return list(db.scalars(_with_parties(stmt).order_by(Dispute.received_at.desc()).limit(limit)))


def rooms(db: Session, station_ids: list[int] | None) -> list[Room]:
    stmt = select(Room).order_by(Room.station_id, Room.id)
    if station_ids is not None:
        stmt = stmt.where(Room.station_id.in_(station_ids))
    return list(db.scalars(stmt))


def mediators(db: Session, station_ids: list[int] | None) -> list[Mediator]:
    stmt = select(Mediator).order_by(Mediator.station_id, Mediator.id)
    if station_ids is not None:
        stmt = stmt.where(Mediator.station_id.in_(station_ids))
    return list(db.scalars(stmt))


def sessions_between(db: Session, user: User, start: dt.datetime, end: dt.datetime) -> list[MediationSession]:
    stmt = (select(MediationSession).join(Dispute, Dispute.id == MediationSession.dispute_id)
            .where(MediationSession.started_at >= start, MediationSession.started_at < end, in_scope(db, user))
            .order_by(MediationSession.started_at))
    return list(db.scalars(stmt))


def scheduled_between(db: Session, user: User, start: dt.datetime, end: dt.datetime) -> list[Dispute]:
    stmt = select(Dispute).where(Dispute.scheduled_at >= start, Dispute.scheduled_at < end,
                                 Dispute.status.in_((DisputeStatus.PENDING, DisputeStatus.FOLLOW_UP)),
                                 in_scope(db, user))
    return list(db.scalars(stmt.order_by(Dispute.scheduled_at)))
