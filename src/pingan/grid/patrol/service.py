"""Joint patrols: plan one with its police and grid members, start, check in at points along the way (each point
a standard address with a printable QR code), record findings as reports, end; the officer verifies it."""

from __future__ import annotations

import secrets

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, ValidationFailed
from pingan.core.schemas import invalid_request
from pingan.grid import repository as repo
from pingan.grid.models import CheckIn, CheckPoint, Member, Patrol, PatrolMember, PatrolStatus, Report
from pingan.grid.patrol.transitions import next_status
from pingan.grid.report import service as reports
from pingan.grid.schemas import CheckPointIn, PatrolIn, ReportIn
from pingan.grid.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.places import service as places
from pingan.platform.users.models import Role, User

# Who may walk a patrol as police.
POLICE = frozenset({Role.COMMUNITY_OFFICER, Role.DUTY_OFFICER, Role.LEADER, Role.ADMIN})


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _grid(db: Session, actor: User, code: str):
    if repo.grid_by_code(db, code) is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    return repo.get_grid(db, actor, code)


def plan(db: Session, *, data: PatrolIn, actor: User) -> Patrol:
    """A new patrol; the same idempotency key from the same user again is the first one."""
    if data.idempotency_key:
        earlier = repo.patrol_by_key(db, actor, data.idempotency_key)
        if earlier is not None:
            return earlier
    grid = _grid(db, actor, data.grid_code)
    people = []
    for i, member_id in enumerate(dict.fromkeys(data.member_ids)):
        member = db.get(Member, member_id)
        if member is None or member.grid_id != grid.id:
            raise _invalid(f"member_ids[{i}]", "member.unknown", "该网格没有这名成员 / no such member in the grid")
        people.append(PatrolMember(member_id=member.id, user_id=member.user_id, name=member.name))
    for i, username in enumerate(dict.fromkeys(data.police_usernames)):
        officer = db.scalar(select(User).where(User.username == username))
        if officer is None or officer.role not in POLICE:
            raise _invalid(f"police_usernames[{i}]", "user.unknown", "没有这位民警 / no such officer")
        people.append(PatrolMember(user_id=officer.id, name=officer.display_name))
    patrol = Patrol(grid_id=grid.id, title=data.title, status=PatrolStatus.PLANNED,
                    planned_at=data.planned_at or clock.now(), note=data.note or None, created_by_id=actor.id,
                    people=people, idempotency_key=data.idempotency_key)
    db.add(patrol)
    audit.record(db, actor=actor, action=Action.PATROL_PLANNED, entity=patrol, unit_id=grid.id,
                 data={"people": len(people)})
    return patrol


def start(db: Session, *, patrol: Patrol, actor: User) -> Patrol:
    patrol.status = next_status(patrol.status, "start")
    patrol.started_at = clock.now()
    audit.record(db, actor=actor, action=Action.PATROL_STARTED, entity=patrol, unit_id=patrol.grid_id)
    return patrol


def check_in(db: Session, *, patrol: Patrol, token: str, actor: User) -> CheckIn:
    """At a point along the way (its QR code scanned); the same point twice is one check-in."""
    next_status(patrol.status, "check_in")
    point = repo.checkpoint_by_token(db, token)
    if point is None or point.grid_id != patrol.grid_id:
        raise _invalid("token", "checkpoint.unknown", "不是本网格的巡逻点 / not a check-in point of the grid")
    done = next((c for c in patrol.check_ins if c.checkpoint_id == point.id), None)
    if done is not None:
        return done
    check = CheckIn(checkpoint_id=point.id, at=clock.now(), by_id=actor.id)
    patrol.check_ins.append(check)
    db.flush()
    audit.record(db, actor=actor, action=Action.PATROL_CHECKED_IN, entity=patrol, unit_id=patrol.grid_id,
                 data={"point": point.name})
    return check


def finding(db: Session, *, patrol: Patrol, data: ReportIn, actor: User) -> Report:
    """What the patrol found becomes a report from the grid, with its clocks."""
    next_status(patrol.status, "finding")
    report, _ = reports.submit(db, data=data, actor=actor)
    report.patrol_id = patrol.id
    return report


def end(db: Session, *, patrol: Patrol, actor: User) -> Patrol:
    patrol.status = next_status(patrol.status, "end")
    patrol.ended_at = clock.now()
    audit.record(db, actor=actor, action=Action.PATROL_ENDED, entity=patrol, unit_id=patrol.grid_id,
                 data={"check_ins": len(patrol.check_ins)})
    return patrol


def verify(db: Session, *, patrol: Patrol, actor: User) -> Patrol:
    """Only an ended patrol is verified, once; from then on it counts against the targets."""
    if patrol.status is not PatrolStatus.ENDED or patrol.verified_at is not None:
        raise Conflict("patrol.not_verifiable", "只能核实已结束且未核实的巡逻 / only an ended, unverified patrol")
    patrol.verified_at, patrol.verified_by_id = clock.now(), actor.id
    audit.record(db, actor=actor, action=Action.PATROL_VERIFIED, entity=patrol, unit_id=patrol.grid_id)
    return patrol


def add_checkpoint(db: Session, *, data: CheckPointIn, actor: User | None) -> CheckPoint:
    grid = repo.grid_by_code(db, data.grid_code) if actor is None else _grid(db, actor, data.grid_code)
    if grid is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    address = places.resolve(db, data.address_code) if data.address_code else None
    if address is not None and address.grid_id != grid.id:
        raise _invalid("address_code", "address.other_grid", "该地址不在所选网格 / the address is in another grid")
    point = CheckPoint(grid_id=grid.id, address_id=address.id if address else None, name=data.name,
                       token=secrets.token_hex(8))
    db.add(point)
    audit.record(db, actor=actor, action=Action.CHECKPOINT_CREATED, entity=point, unit_id=grid.id)
    return point


def checkin_path(point: CheckPoint) -> str:
    return f"/grid/checkin/{point.token}"


def qr_svg(point: CheckPoint, base_url: str) -> str:
    """The point's QR code (the check-in address on this server) as inline SVG, for the printed sheet."""
    return segno.make(base_url.rstrip("/") + checkin_path(point), error="m").svg_inline(scale=4, border=2)
