"""Record and query the audit trail. It knows nothing of jurisdictions: a reader gives the scope of the query
(`access.unit_condition` on `AuditEvent.unit_id`), so that every part of the platform may audit."""

from __future__ import annotations

import contextvars
import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.platform.audit.models import AuditEvent

if TYPE_CHECKING:
    from pingan.platform.users.models import User

# Set by the web layer for each request, so every record carries the caller's address.
client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def record(
    db: Session,
    *,
    actor: User | None,
    action: str,
    entity: object | None = None,
    entity_type: str | None = None,
    entity_id: object | None = None,
    unit_id: int | None = None,
    note: str | None = None,
    data: dict | None = None,
) -> AuditEvent:
    if entity is not None:
        if getattr(entity, "id", None) is None:
            db.flush()
        entity_type = entity_type or entity.__tablename__
        entity_id = entity_id if entity_id is not None else entity.id
        if unit_id is None:
            unit_id = getattr(entity, "unit_id", None) or getattr(entity, "station_id", None)
    event = AuditEvent(
        at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "system",
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        unit_id=unit_id if unit_id is not None else (actor.unit_id if actor else None),
        note=note,
        data=data,
        ip=client_ip.get(),
    )
    db.add(event)
    return event


def search(
    db: Session,
    *,
    within: ColumnElement[bool],
    action: str | None = None,
    actor: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEvent]:
    """Events matching the filters within the reader's scope, newest first."""
    stmt: Select = select(AuditEvent).where(within)
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action))
    if actor:
        stmt = stmt.where(AuditEvent.actor_name.contains(actor))
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if since:
        stmt = stmt.where(AuditEvent.at >= since)
    if until:
        stmt = stmt.where(AuditEvent.at < until)
    stmt = stmt.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    return list(db.scalars(stmt))
