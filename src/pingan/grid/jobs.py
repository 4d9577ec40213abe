"""Escalation handlers of the grid clocks: a warning goes on the timeline; a clock that runs out sends the chase
notice (催办) and starts the chase clock; a chase that runs out too is escalated to the station, once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.grid import clocks, timeline
from pingan.grid.models import HandedCall, Report
from pingan.grid.vocabulary import CLOCK_LABELS, Clock, Topic
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify
from pingan.platform.org.models import OrgUnit, UnitKind


def _record(db: Session, deadline: DeadlineClock) -> Report | HandedCall | None:
    model = Report if deadline.owner_type == clocks.REPORT else HandedCall
    return db.get(model, int(deadline.owner_id))


def _station_of(db: Session, record: Report | HandedCall) -> int | None:
    if isinstance(record, HandedCall):
        return record.station_id
    unit = db.get(OrgUnit, record.grid_id)
    while unit is not None and unit.kind is not UnitKind.STATION:
        unit = unit.parent
    return unit.id if unit else None


def _on_step_clock(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    record = _record(db, deadline)
    if record is None:
        return
    label = CLOCK_LABELS[deadline.kind]
    if level is EscalationLevel.WARNING:
        timeline.add(db, record, "clock.warning", None, f"{label}即将到期",
                     {"clock_id": deadline.id, "kind": deadline.kind})
        return
    timeline.add(db, record, "clock.breach", None, f"{label}已超时，发出催办通知",
                 {"clock_id": deadline.id, "kind": deadline.kind})
    notify.publish(db, topic=Topic.WORK_CHASED, unit_id=deadline.unit_id, user_id=deadline.assignee_id,
                   link=deadline.link, title=f"催办通知：{deadline.title}",
                   body=f"截止 {clock.format_local(deadline.due_at)} 已过，请尽快办理",
                   payload={"clock_id": deadline.id, "kind": deadline.kind, "owner_id": record.id})
    clocks.start_chase(db, deadline, record)


def _on_chase(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    record = _record(db, deadline)
    if record is None or level is not EscalationLevel.BREACH:
        return
    station_id = _station_of(db, record)
    timeline.add(db, record, "clock.escalated", None, "催办后仍未办理，上报派出所领导",
                 {"clock_id": deadline.id})
    notify.publish(db, topic=Topic.WORK_ESCALATED, unit_id=station_id, link=deadline.link,
                   title=f"超时上报：{deadline.title}", body="催办后仍未办理，请所领导督办",
                   payload={"clock_id": deadline.id, "owner_type": deadline.owner_type, "owner_id": record.id})


for _kind in (Clock.REPORT_ACCEPT, Clock.REPORT_FEEDBACK, Clock.CALL_ACCEPT, Clock.CALL_FEEDBACK, Clock.CALL_BACK):
    deadlines.on_escalation(_kind)(_on_step_clock)
deadlines.on_escalation(Clock.CHASE)(_on_chase)
