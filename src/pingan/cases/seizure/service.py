"""Seized-goods steps: seize an item on a case (its first custody movement, the 24-hour hand-over clock) and
append each movement, signed by both sides: handed to the custodian, lent to investigators (who, why,
approver, due back; overdue loans flagged), returned, disposed. Movements are only ever appended."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases.case import service as case_service
from pingan.cases.models import Case, CustodyMovement, ItemStatus, MovementKind, SeizedItem
from pingan.cases.schemas import CustodyIn, SeizureIn
from pingan.cases.seizure.transitions import next_status
from pingan.cases.vocabulary import MOVEMENT_LABELS, UNIT_LABELS, Action, Clock
from pingan.core import clock
from pingan.platform.audit import service as audit
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock
from pingan.platform.users.models import User


def _append(db: Session, item: SeizedItem, kind: MovementKind, data, actor: User, **extra) -> CustodyMovement:
    if data.from_signed != data.from_name or data.to_signed != data.to_name:
        raise case_service.invalid("to_signed", "custody.unsigned",
                                   "交接双方须本人签名 / both sides sign with their own names")
    movement = CustodyMovement(item_id=item.id, seq=len(item.movements) + 1, kind=kind, at=clock.now(),
                               from_name=data.from_name, to_name=data.to_name, from_signed=data.from_signed,
                               to_signed=data.to_signed, recorded_by_id=actor.id, **extra)
    item.movements.append(movement)
    return movement


def seize(db: Session, *, case: Case, data: SeizureIn, actor: User) -> SeizedItem:
    item = SeizedItem(case_id=case.id, description=data.description, quantity=data.quantity, unit=data.unit,
                      value=data.value, held_at=data.held_at, status=ItemStatus.SEIZED, seized_at=clock.now())
    db.add(item)
    db.flush()
    _append(db, item, MovementKind.SEIZED, data, actor)
    clocks.start_custody(db, item, case)
    case_service.event(db, case, "seized", actor, f"{data.description} {data.quantity}{UNIT_LABELS[data.unit]}",
                       {"item_id": item.id})
    audit.record(db, actor=actor, action=Action.ITEM_SEIZED, entity=item, unit_id=case.station_id,
                 data={"quantity": str(data.quantity), "unit": data.unit.value,
                       "value": str(data.value) if data.value is not None else None})
    db.flush()
    return item


def move(db: Session, *, item: SeizedItem, data: CustodyIn, actor: User) -> CustodyMovement:
    """Append the next movement; one out of order is 409 and nothing is written."""
    status = next_status(item.status, data.kind)
    kind = MovementKind(data.kind)
    if kind is MovementKind.LENT and data.due_back_at <= clock.now():
        raise case_service.invalid("due_back_at", "date.past", "归还时间须晚于现在 / due back must be later")
    movement = _append(db, item, kind, data, actor, reason=data.reason or None, approver=data.approver,
                       due_back_at=data.due_back_at, disposal=data.disposal)
    item.status = status
    if data.held_at:
        item.held_at = data.held_at
    case = item.case
    if kind is MovementKind.HANDED_OVER:
        clocks.stop_item(db, item, Clock.CUSTODY)
    elif kind is MovementKind.LENT:
        clocks.start_loan(db, item, case, data.due_back_at)
    elif kind is MovementKind.RETURNED:
        clocks.stop_item(db, item, Clock.LOAN)
    audit.record(db, actor=actor, action=Action.ITEM_MOVED, entity=item, unit_id=case.station_id,
                 data={"movement": kind.value, "seq": movement.seq, "to": data.to_name})
    case_service.event(db, case, "seized", actor, f"{item.description}：{MOVEMENT_LABELS[kind]}给{data.to_name}",
                       {"item_id": item.id, "seq": movement.seq})
    db.flush()
    return movement


def overdue(item: SeizedItem, item_clocks: list[DeadlineClock]) -> bool:
    """An item out on loan past its due-back time."""
    now = clock.now()
    return item.status is ItemStatus.LENT and any(
        c.kind == Clock.LOAN and c.status is ClockStatus.RUNNING and c.due_at <= now for c in item_clocks)
