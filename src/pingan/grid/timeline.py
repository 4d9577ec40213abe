"""The timeline of a report or a handed call: one typed line per step, clock and link."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.grid.models import HandedCall, Report, TimelineEvent
from pingan.platform.users.models import User


def _owner(record: Report | HandedCall) -> str:
    return "report" if isinstance(record, Report) else "call"


def add(db: Session, record: Report | HandedCall, kind: str, actor: User | None, note: str | None = None,
        data: dict | None = None) -> TimelineEvent:
    event = TimelineEvent(owner=_owner(record), owner_id=record.id, at=clock.now(), kind=kind, note=note or None,
                          data=data, actor_name=actor.display_name if actor else "system")
    db.add(event)
    return event


def of(db: Session, record: Report | HandedCall) -> list[TimelineEvent]:
    stmt = (select(TimelineEvent).where(TimelineEvent.owner == _owner(record), TimelineEvent.owner_id == record.id)
            .order_by(TimelineEvent.id))
    return list(db.scalars(stmt))
