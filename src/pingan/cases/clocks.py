"""The clocks of 打击 on the platform's deadlines: the filing decision and the public-order limit of a case
(calendar days whose last day moves past holidays on the work calendar), the small case's same day, the
24-hour custody hand-over and loans of a seized item, the 48-hour stop-payment and the 6-month freeze of a
payee account, and a task force's task. A warning comes before; a breach is escalated to the station, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.cases.models import Case, CaseEvent, CaseKind, FraudPayee, PayeeStatus, SeizedItem, Task, TaskForce
from pingan.cases.settings import get_cases_settings
from pingan.cases.vocabulary import CLOCK_LABELS, Clock, Topic
from pingan.core import clock
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify

CASE, ITEM, PAYEE, TASK = "cases_case", "cases_seized_item", "cases_fraud_payee", "cases_task"
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
CASE_CLOCKS = (Clock.FILING, Clock.PUBLIC_ORDER, Clock.SMALL_CASE)


def case_link(case: Case) -> str:
    return f"/cases/{case.id}"


def legal_due(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th calendar day after ``start`` (local); a last day that is a holiday or a
    weekend moves to the next working day (法定期间的最后一日为节假日的，以节假日后的第一日为期满日)."""
    calendar = deadlines.work_calendar()
    day = clock.local(start).date() + dt.timedelta(days=days)
    while not calendar.is_working_day(day):
        day += DAY
    return calendar.end_of_day(dt.datetime.combine(day, dt.time(12), clock.LOCAL_TZ))


def _warn() -> dt.timedelta:
    return get_cases_settings().warn_days * DAY


def _start_case(db: Session, case: Case, kind: Clock, due_at: dt.datetime, **kw) -> DeadlineClock:
    return deadlines.start(db, owner_type=CASE, owner_id=case.id, kind=kind, due_at=due_at, unit_id=case.station_id,
                           title=f"{CLOCK_LABELS[kind]}：{case.number} {case.title}", link=case_link(case), **kw)


def filing_days(track) -> int:
    s = get_cases_settings()
    return {"standard": s.filing_days, "clue_check": s.filing_clue_days, "complex": s.filing_complex_days}[track]


def start_intake(db: Session, case: Case) -> None:
    """A received case: the filing decision; a public-order case also its 30-day limit; a small case its day."""
    _start_case(db, case, Clock.FILING, legal_due(case.received_at, filing_days(case.filing_track)),
                warn_before=_warn())
    if case.kind is CaseKind.ADMINISTRATIVE:
        _start_case(db, case, Clock.PUBLIC_ORDER, legal_due(case.received_at, get_cases_settings().public_order_days),
                    warn_before=_warn())
    if case.small:
        _start_case(db, case, Clock.SMALL_CASE, deadlines.work_calendar().end_of_day(case.received_at),
                    warn_before=get_cases_settings().small_case_warn_hours * HOUR, assignee_id=case.assignee_id)


def restart(db: Session, case: Case, kind: Clock, days: int) -> DeadlineClock:
    """A longer limit (clue check, complex case, extension): the running clock ends, a new one counts from
    intake, so its warning and breach fire once more, each once."""
    deadlines.stop(db, owner_type=CASE, owner_id=case.id, kind=kind, met=False)
    return _start_case(db, case, kind, legal_due(case.received_at, days), warn_before=_warn())


def stop(db: Session, case: Case, kind: Clock, *, met: bool = True) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=CASE, owner_id=case.id, kind=kind, met=met)


def stop_all(db: Session, case: Case, *, met: bool = True) -> None:
    for kind in CASE_CLOCKS:
        stop(db, case, kind, met=met)


def clocks_of(db: Session, owner_type: str, owner_id: object) -> list[DeadlineClock]:
    return deadlines.clocks_for(db, owner_type, owner_id)


# ---- seized items ------------------------------------------------------------------------------------------

def start_custody(db: Session, item: SeizedItem, case: Case) -> None:
    s = get_cases_settings()
    deadlines.start(db, owner_type=ITEM, owner_id=item.id, kind=Clock.CUSTODY, due_in=s.custody_hours * HOUR,
                    warn_before=s.custody_warn_hours * HOUR, unit_id=case.station_id, link=case_link(case),
                    started_at=item.seized_at, title=f"{CLOCK_LABELS[Clock.CUSTODY]}：{item.description}")


def start_loan(db: Session, item: SeizedItem, case: Case, due_back_at: dt.datetime) -> None:
    deadlines.start(db, owner_type=ITEM, owner_id=item.id, kind=Clock.LOAN, due_at=due_back_at,
                    unit_id=case.station_id, link=case_link(case),
                    title=f"{CLOCK_LABELS[Clock.LOAN]}：{item.description}")


def stop_item(db: Session, item: SeizedItem, kind: Clock) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=ITEM, owner_id=item.id, kind=kind)


# ---- payee accounts ---------------------------------------------------------------------------------------

def start_stop_payment(db: Session, payee: FraudPayee, case: Case) -> DeadlineClock:
    s = get_cases_settings()
    deadlines.stop(db, owner_type=PAYEE, owner_id=payee.id, kind=Clock.STOP_PAYMENT, met=False)
    return deadlines.start(db, owner_type=PAYEE, owner_id=payee.id, kind=Clock.STOP_PAYMENT,
                           due_in=s.stop_payment_hours * HOUR, warn_before=s.stop_payment_warn_hours * HOUR,
                           unit_id=case.station_id, link=case_link(case),
                           title=f"{CLOCK_LABELS[Clock.STOP_PAYMENT]}：账户 {payee.account_no[-4:]}")


def start_freeze(db: Session, payee: FraudPayee, case: Case, until: dt.date) -> DeadlineClock:
    deadlines.stop(db, owner_type=PAYEE, owner_id=payee.id, kind=Clock.STOP_PAYMENT)
    deadlines.stop(db, owner_type=PAYEE, owner_id=payee.id, kind=Clock.FREEZE, met=False)
    due = dt.datetime.combine(until, dt.time(0), clock.LOCAL_TZ)
    return deadlines.start(db, owner_type=PAYEE, owner_id=payee.id, kind=Clock.FREEZE, due_at=due,
                           warn_before=get_cases_settings().freeze_warn_days * DAY, unit_id=case.station_id,
                           link=case_link(case), title=f"{CLOCK_LABELS[Clock.FREEZE]}：账户 {payee.account_no[-4:]}")


def stop_payee(db: Session, payee: FraudPayee, *, met: bool = True) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=PAYEE, owner_id=payee.id, kind=Clock.STOP_PAYMENT, met=met)


# ---- tasks ------------------------------------------------------------------------------------------------

def start_task(db: Session, task: Task, force: TaskForce) -> None:
    deadlines.start(db, owner_type=TASK, owner_id=task.id, kind=Clock.TASK, due_at=task.due_at,
                    unit_id=force.station_id, assignee_id=task.assignee_id or force.lead_id,
                    link=f"/cases/task-forces/{force.id}", title=f"{CLOCK_LABELS[Clock.TASK]}：{task.title}")


def stop_task(db: Session, task: Task) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=TASK, owner_id=task.id, kind=Clock.TASK)


# ---- escalation -------------------------------------------------------------------------------------------

def _case_of(db: Session, deadline: DeadlineClock) -> Case | None:
    owner = int(deadline.owner_id)
    if deadline.owner_type == CASE:
        return db.get(Case, owner)
    if deadline.owner_type == ITEM:
        item = db.get(SeizedItem, owner)
        return item.case if item else None
    if deadline.owner_type == PAYEE:
        payee = db.get(FraudPayee, owner)
        return payee.report.case if payee else None
    return None


def _escalate(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    """On the case's timeline; a breach goes to the station's head (the station's feed), once per clock."""
    case = _case_of(db, deadline)
    label = CLOCK_LABELS[deadline.kind]
    if case is not None:
        text = "即将到期" if level is EscalationLevel.WARNING else "已超时，上报所领导"
        db.add(CaseEvent(case_id=case.id, at=clock.now(), kind=f"clock.{level.value}", actor_name="system",
                         note=f"{label}{text}", data={"clock_id": deadline.id, "kind": deadline.kind}))
    if level is EscalationLevel.BREACH and deadline.kind == Clock.STOP_PAYMENT:
        # The 48 hours ran out without a freeze: the stop-payment no longer holds the money.
        payee = db.get(FraudPayee, int(deadline.owner_id))
        if payee is not None and payee.status in (PayeeStatus.STOP_REQUESTED, PayeeStatus.STOPPED):
            payee.status = PayeeStatus.LAPSED
    if level is EscalationLevel.BREACH:
        notify.publish(db, topic=Topic.CASE_ESCALATED, unit_id=deadline.unit_id, link=deadline.link,
                       title=f"超时上报：{deadline.title}",
                       body=f"截止 {clock.format_local(deadline.due_at)}，请所领导督办",
                       payload={"clock_id": deadline.id, "kind": deadline.kind, "owner_type": deadline.owner_type,
                                "owner_id": deadline.owner_id, "case_id": case.id if case else None})


for _kind in Clock:
    deadlines.on_escalation(_kind)(_escalate)


def running(clocks: list[DeadlineClock]) -> list[DeadlineClock]:
    return [c for c in clocks if c.status is ClockStatus.RUNNING]
