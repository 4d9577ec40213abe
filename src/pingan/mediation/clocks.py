"""The mediation clocks on the platform's deadlines: same-day mediation, the community officer's follow-up,
the return visit, agreement performance and closing; a breach is escalated to the station, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.db import scalars_in
from pingan.mediation.models import Dispute, DisputeEvent
from pingan.mediation.settings import get_mediation_settings
from pingan.mediation.vocabulary import CLOCK_LABELS, Clock, Topic
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify
from pingan.platform.users.models import Role, User

OWNER = "mediation_dispute"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def link(dispute: Dispute) -> str:
    return f"/mediation/disputes/{dispute.id}"


def _title(dispute: Dispute, kind: str) -> str:
    return f"{CLOCK_LABELS[kind]}：纠纷 #{dispute.id} {dispute.summary[:40]}"


def community_officer(db: Session, dispute: Dispute) -> User | None:
    """The community officer of the dispute's community (the first one, if the community has several)."""
    if dispute.community_id is None:
        return None
    return db.scalar(select(User).where(User.role == Role.COMMUNITY_OFFICER, User.unit_id == dispute.community_id,
                                        User.is_active).order_by(User.id).limit(1))


def same_day_due(received_at: dt.datetime) -> dt.datetime:
    """The end of the intake's local day (``same_day_until``); the next day's if that time has passed."""
    until = get_mediation_settings().same_day_until
    hours, minutes = (int(x) for x in until.split(":"))
    day = clock.local(received_at).date()
    due = dt.datetime.combine(day, dt.time(), clock.LOCAL_TZ) + dt.timedelta(hours=hours, minutes=minutes)
    return due if due > received_at else due + DAY


def _start(db: Session, dispute: Dispute, kind: str, *, warn_before: dt.timedelta, due_in=None, due_at=None,
           assignee: User | None = None, unit_id: int | None = None) -> DeadlineClock:
    return deadlines.start(db, owner_type=OWNER, owner_id=dispute.id, kind=kind, title=_title(dispute, kind),
                           due_in=due_in, due_at=due_at, warn_before=warn_before,
                           unit_id=unit_id or dispute.station_id, assignee_id=assignee.id if assignee else None,
                           link=link(dispute))


def start_intake_clocks(db: Session, dispute: Dispute) -> None:
    s = get_mediation_settings()
    _start(db, dispute, Clock.SAME_DAY, due_at=same_day_due(dispute.received_at),
           warn_before=s.same_day_warn_hours * HOUR)
    _start(db, dispute, Clock.CLOSE, due_in=s.close_days * DAY, warn_before=s.close_warn_days * DAY)


def start_follow_up(db: Session, dispute: Dispute) -> DeadlineClock:
    """Wall clock, on the community officer's to-do (or the community's, if it has no officer yet)."""
    s = get_mediation_settings()
    return _start(db, dispute, Clock.FOLLOW_UP, due_in=s.follow_up_hours * HOUR,
                  warn_before=s.follow_up_warn_hours * HOUR,
                  assignee=community_officer(db, dispute), unit_id=dispute.community_id)


def start_after_settlement(db: Session, dispute: Dispute, performance_due_on: dt.date) -> None:
    s = get_mediation_settings()
    _start(db, dispute, Clock.RETURN_VISIT, due_in=s.return_visit_days * DAY,
           warn_before=s.return_visit_warn_days * DAY,
           assignee=community_officer(db, dispute), unit_id=dispute.community_id)
    due = dt.datetime.combine(performance_due_on, dt.time(), clock.LOCAL_TZ) + DAY
    _start(db, dispute, Clock.PERFORMANCE, due_at=due, warn_before=s.performance_warn_days * DAY)


def stop(db: Session, dispute: Dispute, kind: str, *, met: bool = True) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=OWNER, owner_id=dispute.id, kind=kind, met=met)


def stop_all(db: Session, dispute: Dispute) -> None:
    """Closing ends every clock: the close clock as met, what was still owed as cancelled."""
    for kind in Clock:
        stop(db, dispute, kind, met=kind is Clock.CLOSE)


def running(db: Session, dispute: Dispute) -> list[DeadlineClock]:
    return [c for c in deadlines.clocks_for(db, OWNER, dispute.id) if c.status is ClockStatus.RUNNING]


def _escalate(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    dispute = db.get(Dispute, int(deadline.owner_id))
    if dispute is None:
        return
    label = "即将到期" if level is EscalationLevel.WARNING else "已超时，上报所领导"
    db.add(DisputeEvent(dispute_id=dispute.id, at=clock.now(), kind=f"clock.{level.value}", actor_name="system",
                        note=f"{CLOCK_LABELS[deadline.kind]}{label}",
                        data={"clock_id": deadline.id, "kind": deadline.kind}))
    if level is EscalationLevel.BREACH:
        notify.publish(db, topic=Topic.DISPUTE_ESCALATED, unit_id=dispute.station_id, link=link(dispute),
                       title=f"调解超时上报：{CLOCK_LABELS[deadline.kind]} 纠纷 #{dispute.id}",
                       body=f"截止 {clock.format_local(deadline.due_at)}，请所领导督办",
                       payload={"dispute_id": dispute.id, "clock_id": deadline.id, "kind": deadline.kind})


for _kind in Clock:
    deadlines.on_escalation(_kind)(_escalate)


def running_by_dispute(db: Session, dispute_ids: list[int]) -> dict[int, list[DeadlineClock]]:
    """Running clocks of many disputes at once (the board), soonest first."""
    out: dict[int, list[DeadlineClock]] = {i: [] for i in dispute_ids}
    stmt = (select(DeadlineClock)
            .where(DeadlineClock.owner_type == OWNER, DeadlineClock.status == ClockStatus.RUNNING)
            .order_by(DeadlineClock.due_at))
    for c in scalars_in(db, stmt, DeadlineClock.owner_id, [str(i) for i in dispute_ids]):
        out[int(c.owner_id)].append(c)
    return out
