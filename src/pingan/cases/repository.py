"""Cases queries: calls, cases, fugitives, seized items, fraud reports and task forces in a user's
jurisdiction (out of scope is 404), the next case number, and the earlier call a repeat call repeats."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from pingan.cases.models import (
    Call,
    Case,
    CaseStatus,
    FraudPayee,
    FraudReport,
    Fugitive,
    FugitiveStatus,
    SeizedItem,
    TaskForce,
)
from pingan.core.errors import not_found
from pingan.platform import access
from pingan.platform.users.models import User


def in_scope(db: Session, user: User) -> ColumnElement:
    """A station's users see its cases; a community officer sees those of the community."""
    return or_(access.unit_condition(db, user, Case.station_id), access.unit_condition(db, user, Case.community_id))


def get_case(db: Session, user: User, case_id: int) -> Case:
    """The case, if it exists and lies in the user's jurisdiction; NotFound (404) otherwise."""
    case = db.scalar(select(Case).where(Case.id == case_id, in_scope(db, user)))
    if case is None:
        raise not_found("case", "案件")
    return case


def cases(db: Session, user: User, *, status: CaseStatus | None = None, limit: int = 200) -> list[Case]:
    stmt = select(Case).where(in_scope(db, user)).options(selectinload(Case.station))
    if status is not None:
        stmt = stmt.where(Case.status == status)
    return list(db.scalars(stmt.order_by(Case.received_at.desc(), Case.id.desc()).limit(limit)))


def next_seq(db: Session, station_id: int, year: int) -> int:
    """The station's next sequence number of the year (the unique key refuses a concurrent duplicate)."""
    last = db.scalar(select(func.max(Case.seq)).where(Case.station_id == station_id, Case.year == year))
    return (last or 0) + 1


def get_call(db: Session, user: User, call_id: int) -> Call:
    call = db.scalar(select(Call).where(Call.id == call_id, access.unit_condition(db, user, Call.station_id)))
    if call is None:
        raise not_found("call", "警情")
    return call


def call_by_no(db: Session, call_no: str) -> Call | None:
    return db.scalar(select(Call).where(Call.call_no == call_no))


def call_of_grid_report(db: Session, report_id: int) -> Call | None:
    return db.scalar(select(Call).where(Call.grid_report_id == report_id))


def calls(db: Session, user: User, *, limit: int = 100) -> list[Call]:
    stmt = (select(Call).where(access.unit_condition(db, user, Call.station_id))
            .options(selectinload(Call.station)).order_by(Call.received_at.desc(), Call.id.desc()).limit(limit))
    return list(db.scalars(stmt))


def earlier_call(db: Session, *, phone: str | None, address_id: int | None, since: dt.datetime,
                 before: dt.datetime) -> Call | None:
    """The latest call since ``since`` from the same phone or at the same standard address (any station)."""
    match = []
    if phone:
        match.append(Call.caller_phone == phone)
    if address_id is not None:
        match.append(Call.address_id == address_id)
    if not match:
        return None
    stmt = (select(Call).where(or_(*match), Call.received_at >= since, Call.received_at <= before)
            .order_by(Call.received_at.desc(), Call.id.desc()).limit(1))
    return db.scalar(stmt)


def get_fugitive(db: Session, user: User, fugitive_id: int) -> Fugitive:
    found = db.scalar(select(Fugitive).where(Fugitive.id == fugitive_id,
                                             access.unit_condition(db, user, Fugitive.station_id)))
    if found is None:
        raise not_found("fugitive", "在逃人员")
    return found


def fugitives(db: Session, user: User, *, status: FugitiveStatus | None = None) -> list[Fugitive]:
    stmt = (select(Fugitive).where(access.unit_condition(db, user, Fugitive.station_id))
            .options(selectinload(Fugitive.case)).order_by(Fugitive.wanted_since, Fugitive.id))
    if status is not None:
        stmt = stmt.where(Fugitive.status == status)
    return list(db.scalars(stmt))


def at_large_with(db: Session, id_number: str) -> list[Fugitive]:
    return list(db.scalars(select(Fugitive).where(Fugitive.id_number == id_number,
                                                  Fugitive.status == FugitiveStatus.AT_LARGE)))


def get_item(db: Session, user: User, item_id: int) -> SeizedItem:
    item = db.scalar(select(SeizedItem).join(Case, Case.id == SeizedItem.case_id)
                     .where(SeizedItem.id == item_id, in_scope(db, user)))
    if item is None:
        raise not_found("item", "涉案财物")
    return item


def items(db: Session, user: User, *, case_id: int | None = None) -> list[SeizedItem]:
    stmt = (select(SeizedItem).join(Case, Case.id == SeizedItem.case_id).where(in_scope(db, user))
            .options(selectinload(SeizedItem.movements), selectinload(SeizedItem.case))
            .order_by(SeizedItem.seized_at.desc(), SeizedItem.id.desc()))
    if case_id is not None:
        stmt = stmt.where(SeizedItem.case_id == case_id)
    return list(db.scalars(stmt))


def get_report(db: Session, user: User, report_id: int) -> FraudReport:
    report = db.scalar(select(FraudReport).where(FraudReport.id == report_id,
                                                 access.unit_condition(db, user, FraudReport.station_id)))
    if report is None:
        raise not_found("fraud_report", "电诈报案")
    return report


def report_of_case(db: Session, case_id: int) -> FraudReport | None:
    return db.scalar(select(FraudReport).where(FraudReport.case_id == case_id))


def report_of_alert(db: Session, alert_id: int) -> FraudReport | None:
    return db.scalar(select(FraudReport).where(FraudReport.alert_id == alert_id))


def reports(db: Session, user: User, *, limit: int = 100) -> list[FraudReport]:
    stmt = (select(FraudReport).where(access.unit_condition(db, user, FraudReport.station_id))
            .options(selectinload(FraudReport.payees), selectinload(FraudReport.case))
            .order_by(FraudReport.reported_at.desc()).limit(limit))
    return list(db.scalars(stmt))


def payee_for_bank(db: Session, payee_id: int, bank_id: int | None) -> FraudPayee:
    """A bank system sees only its own bank's accounts (another bank's is 404)."""
    payee = db.get(FraudPayee, payee_id)
    if payee is None or (bank_id is not None and payee.bank_id != bank_id):
        raise not_found("payee", "涉案账户")
    return payee


def get_task_force(db: Session, user: User, force_id: int) -> TaskForce:
    force = db.scalar(select(TaskForce).where(TaskForce.id == force_id,
                                              access.unit_condition(db, user, TaskForce.station_id)))
    if force is None:
        raise not_found("task_force", "专班")
    return force


def task_forces(db: Session, user: User) -> list[TaskForce]:
    stmt = (select(TaskForce).where(access.unit_condition(db, user, TaskForce.station_id))
            .options(selectinload(TaskForce.tasks)).order_by(TaskForce.id))
    return list(db.scalars(stmt))


def users_of(db: Session, ids: set[int]) -> list[User]:
    """The named users (task-force members and assignees), for showing their names."""
    return list(db.scalars(select(User).where(User.id.in_(ids)))) if ids else []
