"""Escalation of the one-window clocks (the platform's deadline scanner runs them once per clock and level):
an item past its legal limit goes to the station head, a rectification past its 15 working days too."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.onewindow import clocks
from pingan.onewindow.models import ApplicationItem, Rectification
from pingan.onewindow.vocabulary import Clock, Topic
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify


@deadlines.on_escalation(Clock.ITEM)
def escalate_item(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    item = db.get(ApplicationItem, int(deadline.owner_id))
    if item is None or level is not EscalationLevel.BREACH:
        return
    notify_head(db, topic=Topic.ITEM_ESCALATED, unit_id=item.station_id, link=clocks.item_link(item),
                title=f"一窗通办超时上报：{deadline.title}", deadline=deadline,
                payload={"item_id": item.id, "application_id": item.application_id, "item": item.item_code})


@deadlines.on_escalation(Clock.RECTIFICATION)
def escalate_rectification(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    rectification = db.get(Rectification, int(deadline.owner_id))
    if rectification is None or level is not EscalationLevel.BREACH:
        return
    notify_head(db, topic=Topic.RECTIFICATION_ESCALATED, unit_id=rectification.unit_id,
                link=clocks.rectification_link(rectification), title=f"差评整改超时上报：{deadline.title}",
                deadline=deadline, payload={"rectification_id": rectification.id})


def notify_head(db: Session, *, topic: str, unit_id: int, link: str, title: str, deadline: DeadlineClock,
                payload: dict) -> None:
    """The station head reads the station's feed: the breach is published to the station, once."""


    notify.publish(db, topic=topic, unit_id=unit_id, link=link, title=title,
                   body=f"截止 {clock.format_local(deadline.due_at)}，请所领导督办",
                   payload={**payload, "clock_id": deadline.id})
