"""Grid queries, every one scoped: a grid worker sees their grid, a community officer the grids they cover and
those of their community, a station or the bureau everything below it. Out of scope is 404."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from pingan.core.errors import not_found
from pingan.grid.models import (
    CallStatus,
    CheckPoint,
    Collection,
    CollectionVersion,
    Coverage,
    HandedCall,
    Member,
    Patrol,
    Publicity,
    Report,
    ReportCategory,
    ReportStatus,
    Target,
)
from pingan.platform import access
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.users.models import Role, User

OPEN_REPORT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.HANDLED, ReportStatus.HANDED_OVER,
               ReportStatus.FED_BACK)
OPEN_CALL = (CallStatus.RECEIVED, CallStatus.ACCEPTED, CallStatus.HANDLED, CallStatus.FED_BACK)


def grid_condition(db: Session, user: User, column) -> ColumnElement:
    """The user's grids on ``column``: their unit's subtree, and for a community officer the grids they cover."""
    condition = access.unit_condition(db, user, column)
    if user.role is Role.COMMUNITY_OFFICER:
        condition = or_(condition, column.in_(select(Coverage.grid_id).where(Coverage.officer_id == user.id)))
    return condition


def visible_grids(db: Session, user: User) -> list[OrgUnit]:
    stmt = select(OrgUnit).where(OrgUnit.kind == UnitKind.GRID, grid_condition(db, user, OrgUnit.id))
    return list(db.scalars(stmt.order_by(OrgUnit.path)))


def get_grid(db: Session, user: User, code: str) -> OrgUnit:
    grid = db.scalar(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.kind == UnitKind.GRID,
                                           grid_condition(db, user, OrgUnit.id)))
    if grid is None:
        raise not_found("grid", "网格")
    return grid


def grid_by_code(db: Session, code: str) -> OrgUnit | None:
    return db.scalar(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.kind == UnitKind.GRID))


def officer_of(db: Session, grid: OrgUnit) -> User | None:
    """The community officer covering the grid; else the first one of its community."""
    covering = db.scalar(select(User).join(Coverage, Coverage.officer_id == User.id)
                         .where(Coverage.grid_id == grid.id, User.is_active))
    if covering is not None or grid.parent_id is None:
        return covering
    return db.scalar(select(User).where(User.role == Role.COMMUNITY_OFFICER, User.unit_id == grid.parent_id,
                                        User.is_active).order_by(User.id).limit(1))


def coverage_of(db: Session, officer: User) -> list[OrgUnit]:
    stmt = (select(OrgUnit).join(Coverage, Coverage.grid_id == OrgUnit.id)
            .where(Coverage.officer_id == officer.id).order_by(OrgUnit.path))
    return list(db.scalars(stmt))


def coverage_row(db: Session, grid: OrgUnit) -> Coverage | None:
    return db.scalar(select(Coverage).where(Coverage.grid_id == grid.id))


def members(db: Session, user: User, *, grid_id: int | None = None) -> list[Member]:
    stmt = select(Member).where(grid_condition(db, user, Member.grid_id))
    if grid_id is not None:
        stmt = stmt.where(Member.grid_id == grid_id)
    return list(db.scalars(stmt.options(selectinload(Member.grid)).order_by(Member.grid_id, Member.id)))


def get_member(db: Session, user: User, member_id: int) -> Member:
    member = db.scalar(select(Member).where(Member.id == member_id, grid_condition(db, user, Member.grid_id)))
    if member is None:
        raise not_found("member", "网格力量")
    return member


def member_of_user(db: Session, user: User) -> Member | None:
    return db.scalar(select(Member).where(Member.user_id == user.id))


# Reports


def get_report(db: Session, user: User, report_id: int) -> Report:
    report = db.scalar(select(Report).where(Report.id == report_id, grid_condition(db, user, Report.grid_id))
                       .options(selectinload(Report.photos), selectinload(Report.grid)))
    if report is None:
        raise not_found("report", "上报")
    return report


def by_idempotency_key(db: Session, reporter: User, key: str) -> Report | None:
    return db.scalar(select(Report).where(Report.reporter_id == reporter.id, Report.idempotency_key == key))


def reports(db: Session, user: User, *, grid_id: int | None = None, open_only: bool = False,
            limit: int = 200) -> list[Report]:
    stmt = select(Report).where(grid_condition(db, user, Report.grid_id))
    if grid_id is not None:
        stmt = stmt.where(Report.grid_id == grid_id)
    if open_only:
        stmt = stmt.where(Report.status.in_(OPEN_REPORT))
    stmt = stmt.options(selectinload(Report.grid), selectinload(Report.address))
    return list(db.scalars(stmt.order_by(Report.submitted_at.desc(), Report.id.desc()).limit(limit)))


def possible_duplicates(db: Session, *, category: ReportCategory, address_id: int | None, grid_id: int,
                        since: dt.datetime, exclude_id: int | None = None) -> list[Report]:
    """Reports of the same category at the same standard address since ``since`` that are not copies themselves."""
    if address_id is None:
        return []
    stmt = select(Report).where(Report.category == category, Report.address_id == address_id,
                                Report.grid_id == grid_id, Report.submitted_at >= since,
                                Report.status != ReportStatus.LINKED)
    if exclude_id is not None:
        stmt = stmt.where(Report.id != exclude_id)
    return list(db.scalars(stmt.order_by(Report.submitted_at.desc()).limit(5)))


# Handed calls


def get_call(db: Session, user: User, call_id: int) -> HandedCall:
    """Seen by the grid's people and by the station that handed it over."""
    call = db.scalar(select(HandedCall).where(HandedCall.id == call_id, call_scope(db, user)))
    if call is None:
        raise not_found("call", "分流警情")
    return call


def call_scope(db: Session, user: User) -> ColumnElement:
    return or_(grid_condition(db, user, HandedCall.grid_id), access.unit_condition(db, user, HandedCall.station_id))


def calls(db: Session, user: User, *, grid_id: int | None = None, open_only: bool = False,
          limit: int = 200) -> list[HandedCall]:
    stmt = select(HandedCall).where(call_scope(db, user))
    if grid_id is not None:
        stmt = stmt.where(HandedCall.grid_id == grid_id)
    if open_only:
        stmt = stmt.where(HandedCall.status.in_(OPEN_CALL))
    stmt = stmt.options(selectinload(HandedCall.grid), selectinload(HandedCall.address))
    return list(db.scalars(stmt.order_by(HandedCall.received_at.desc(), HandedCall.id.desc()).limit(limit)))


def call_by_no(db: Session, call_no: str) -> HandedCall | None:
    return db.scalar(select(HandedCall).where(HandedCall.call_no == call_no))


def earlier_call(db: Session, *, phone: str, address_id: int | None, since: dt.datetime,
                 exclude_id: int | None = None) -> HandedCall | None:
    """The latest handed call since ``since`` from the same phone or at the same standard address (any grid)."""
    match = [HandedCall.phone == phone] if phone else []  # a call of no known phone matches by address only
    if address_id is not None:
        match.append(HandedCall.address_id == address_id)
    if not match:
        return None
    stmt = select(HandedCall).where(or_(*match), HandedCall.received_at >= since)
    if exclude_id is not None:
        stmt = stmt.where(HandedCall.id != exclude_id)
    return db.scalar(stmt.order_by(HandedCall.received_at.desc(), HandedCall.id.desc()).limit(1))


# Collection, patrols, publicity


def get_collection(db: Session, user: User, collection_id: int) -> Collection:
    record = db.scalar(select(Collection).where(Collection.id == collection_id,
                                                grid_condition(db, user, Collection.grid_id)))
    if record is None:
        raise not_found("collection", "采集信息")
    return record


def collections(db: Session, user: User, *, grid_id: int | None = None, limit: int = 200) -> list[Collection]:
    stmt = select(Collection).where(grid_condition(db, user, Collection.grid_id))
    if grid_id is not None:
        stmt = stmt.where(Collection.grid_id == grid_id)
    return list(db.scalars(stmt.order_by(Collection.collected_at.desc()).limit(limit)))


def collection_by_key(db: Session, user: User, key: str) -> Collection | None:
    """The record a version sent with this idempotency key by this user belongs to."""
    stmt = (select(Collection).join(CollectionVersion, CollectionVersion.collection_id == Collection.id)
            .where(CollectionVersion.by_id == user.id, CollectionVersion.idempotency_key == key))
    return db.scalar(stmt)


def patrol_by_key(db: Session, user: User, key: str) -> Patrol | None:
    return db.scalar(select(Patrol).where(Patrol.created_by_id == user.id, Patrol.idempotency_key == key))


def publicity_by_key(db: Session, user: User, key: str) -> Publicity | None:
    return db.scalar(select(Publicity).where(Publicity.held_by_id == user.id, Publicity.idempotency_key == key))


def get_patrol(db: Session, user: User, patrol_id: int) -> Patrol:
    patrol = db.scalar(select(Patrol).where(Patrol.id == patrol_id, grid_condition(db, user, Patrol.grid_id)))
    if patrol is None:
        raise not_found("patrol", "巡逻")
    return patrol


def patrols(db: Session, user: User, *, grid_id: int | None = None, limit: int = 100) -> list[Patrol]:
    stmt = select(Patrol).where(grid_condition(db, user, Patrol.grid_id))
    if grid_id is not None:
        stmt = stmt.where(Patrol.grid_id == grid_id)
    return list(db.scalars(stmt.order_by(Patrol.planned_at.desc()).limit(limit)))


def checkpoint_by_token(db: Session, token: str) -> CheckPoint | None:
    return db.scalar(select(CheckPoint).where(CheckPoint.token == token))


def checkpoints(db: Session, user: User, grid_id: int) -> list[CheckPoint]:
    stmt = select(CheckPoint).where(CheckPoint.grid_id == grid_id, grid_condition(db, user, CheckPoint.grid_id))
    return list(db.scalars(stmt.order_by(CheckPoint.id)))


def findings(db: Session, patrol: Patrol) -> list[int]:
    return list(db.scalars(select(Report.id).where(Report.patrol_id == patrol.id).order_by(Report.id)))


def get_publicity(db: Session, user: User, publicity_id: int) -> Publicity:
    event = db.scalar(select(Publicity).where(Publicity.id == publicity_id,
                                              grid_condition(db, user, Publicity.grid_id)))
    if event is None:
        raise not_found("publicity", "宣防活动")
    return event


def publicity_events(db: Session, user: User, *, grid_id: int | None = None, limit: int = 100) -> list[Publicity]:
    stmt = select(Publicity).where(grid_condition(db, user, Publicity.grid_id))
    if grid_id is not None:
        stmt = stmt.where(Publicity.grid_id == grid_id)
    return list(db.scalars(stmt.order_by(Publicity.held_at.desc()).limit(limit)))


def targets(db: Session, grid_id: int, year: int) -> list[Target]:
    return list(db.scalars(select(Target).where(Target.grid_id == grid_id, Target.year == year)
                           .order_by(Target.member_id.is_not(None), Target.member_id, Target.kind)))


def target_row(db: Session, *, year: int, grid_id: int, member_id: int | None, kind) -> Target | None:
    member = Target.member_id.is_(None) if member_id is None else Target.member_id == member_id
    return db.scalar(select(Target).where(Target.year == year, Target.grid_id == grid_id, member,
                                          Target.kind == kind))
