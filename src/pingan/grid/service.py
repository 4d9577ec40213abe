"""The grid force: members of a grid (grid workers, guards, building heads, volunteers), their status, and the
community officer who covers each grid."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail, ValidationFailed
from pingan.core.schemas import invalid_request
from pingan.grid import repository as repo
from pingan.grid.models import Coverage, Member, MemberStatus
from pingan.grid.schemas import CoverageIn, MemberIn
from pingan.grid.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import Role, User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _grid(db: Session, actor: User, code: str) -> OrgUnit:
    if repo.grid_by_code(db, code) is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    return repo.get_grid(db, actor, code)


def add_member(db: Session, *, data: MemberIn, actor: User | None) -> Member:
    grid = repo.grid_by_code(db, data.grid_code) if actor is None else _grid(db, actor, data.grid_code)
    if grid is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    user = None
    if data.username:
        user = db.scalar(select(User).where(User.username == data.username))
        if user is None:
            raise _invalid("username", "user.unknown", "没有这个用户 / no such user")
        if repo.member_of_user(db, user) is not None:
            raise _invalid("username", "user.already_member", "该用户已登记为网格力量 / already a member")
    member = Member(grid_id=grid.id, name=data.name, kind=data.kind, phone=data.phone, status=data.status,
                    user_id=user.id if user else None, created_at=clock.now())
    db.add(member)
    audit.record(db, actor=actor, action=Action.MEMBER_CREATED, entity=member, unit_id=grid.id,
                 data={"kind": data.kind.value, "grid": grid.code})
    return member


def set_status(db: Session, *, member: Member, status: MemberStatus, actor: User) -> Member:
    before = member.status
    member.status = status
    audit.record(db, actor=actor, action=Action.MEMBER_UPDATED, entity=member, unit_id=member.grid_id,
                 data={"before": before.value, "after": status.value})
    return member


def assign_coverage(db: Session, *, data: CoverageIn, actor: User | None) -> Coverage:
    """The officer now covers the grid (a grid has one officer; an officer several grids)."""
    grid = repo.grid_by_code(db, data.grid_code)
    if grid is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    if actor is not None:
        repo.get_grid(db, actor, data.grid_code)
    officer = db.scalar(select(User).where(User.username == data.officer_username))
    if officer is None or officer.role is not Role.COMMUNITY_OFFICER:
        raise _invalid("officer_username", "officer.unknown", "没有这位社区民警 / no such community officer")
    row = repo.coverage_row(db, grid)
    if row is None:
        row = Coverage(grid_id=grid.id, officer_id=officer.id, since=clock.now())
        db.add(row)
    elif row.officer_id != officer.id:
        row.officer_id, row.since = officer.id, clock.now()
    audit.record(db, actor=actor, action=Action.COVERAGE_ASSIGNED, entity=row, unit_id=grid.id,
                 data={"grid": grid.code, "officer": officer.username})
    return row
