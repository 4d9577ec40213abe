"""Escalation of the one-window clocks (the platform's deadline scanner runs them once per clock and level):
the module's own warning when a clock nears its end — an item's legal limit to its station's windows, a
rectification's 15 working days to the unit that must call back and close it — and the breach of either to
the station head."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.onewindow import clocks
from pingan.onewindow import repository as repo
from pingan.onewindow.models import ApplicationItem, LimitKind, Rectification
from pingan.onewindow.vocabulary import GRADE_LABELS, LIMIT_KIND_LABELS, Clock, Topic
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify


def item_warning(db: Session, item: ApplicationItem, deadline: DeadlineClock) -> tuple[str, str]:
    """The title and text of an item's warning: which service, its legal limit, when it ends, what to do."""
    entry = repo.catalogue_by_code(db, [item.item_code]).get(item.item_code)
    name = entry.name if entry else item.item_code
    kind = entry.limit_kind if entry else LimitKind.CALENDAR
    limit = f"{entry.limit_days}个{LIMIT_KIND_LABELS[kind]}" if entry else ""
    left = clocks.days_left(kind, deadline.due_at, clock.now())
    title = f"办理时限将到：{name}（申请 #{item.application_id}）"
    body = (f"{name}法定时限{limit}，将于 {clock.format_local(deadline.due_at)} 到期"
            f"（还剩{left}个{LIMIT_KIND_LABELS[kind]}）。"
            "请尽快办结；确实无法按期办结的，应告知申请人原因。")
    return title, body


def rectification_warning(db: Session, rectification: Rectification, deadline: DeadlineClock) -> tuple[str, str]:
    """The title and text of a rectification's warning: the call-back still owed, or the closing."""
    entry = repo.catalogue_by_code(db, [rectification.rating.item.item_code]).get(rectification.rating.item.item_code)
    name = entry.name if entry else rectification.rating.item.item_code
    left = clocks.working_days_left(deadline.due_at, clock.now())
    todo = ("尚未回访群众：请先回访并记录，回访后方可办结。" if rectification.call_back_at is None
            else "已回访：请在到期前落实整改并办结。")
    title = f"差评整改将到期：#{rectification.id} {name}（{GRADE_LABELS[rectification.rating.grade]}）"
    body = f"整改期限15个工作日，将于 {clock.format_local(deadline.due_at)} 到期（还剩{left}个工作日）。{todo}"
    return title, body


@deadlines.on_escalation(Clock.ITEM)
def escalate_item(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    item = db.get(ApplicationItem, int(deadline.owner_id))
    if item is None:
        return
    payload = {"item_id": item.id, "application_id": item.application_id, "item": item.item_code}
    if level is EscalationLevel.WARNING:
        title, body = item_warning(db, item, deadline)
        notify.publish(db, topic=Topic.ITEM_WARNED, unit_id=item.station_id, link=clocks.item_link(item),
                       title=title, body=body, payload={**payload, "clock_id": deadline.id})
        return
    notify_head(db, topic=Topic.ITEM_ESCALATED, unit_id=item.station_id, link=clocks.item_link(item),
                title=f"一窗通办超时上报：{deadline.title}", deadline=deadline, payload=payload)


@deadlines.on_escalation(Clock.RECTIFICATION)
def escalate_rectification(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    rectification = db.get(Rectification, int(deadline.owner_id))
    if rectification is None:
        return
    payload = {"rectification_id": rectification.id}
    if level is EscalationLevel.WARNING:
        title, body = rectification_warning(db, rectification, deadline)
        notify.publish(db, topic=Topic.RECTIFICATION_WARNED, unit_id=rectification.unit_id,
                       link=clocks.rectification_link(rectification), title=title, body=body,
                       payload={**payload, "clock_id": deadline.id})
        return
    notify_head(db, topic=Topic.RECTIFICATION_ESCALATED, unit_id=rectification.unit_id,
                link=clocks.rectification_link(rectification), title=f"差评整改超时上报：{deadline.title}",
                deadline=deadline, payload=payload)


def notify_head(db: Session, *, topic: str, unit_id: int, link: str, title: str, deadline: DeadlineClock,
                payload: dict) -> None:
    """The station head reads the station's feed: the breach is published to the station, once."""
    notify.publish(db, topic=topic, unit_id=unit_id, link=link, title=title,
                   body=f"截止 {clock.format_local(deadline.due_at)}，请所领导督办",
                   payload={**payload, "clock_id": deadline.id})
