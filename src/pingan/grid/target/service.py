"""Yearly targets per grid and per member, and the progress of verified work against them (bars on the grid page)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pingan.core.errors import ErrorDetail, ValidationFailed
from pingan.core.schemas import invalid_request
from pingan.grid import figures
from pingan.grid import repository as repo
from pingan.grid.models import Member, Target, TargetKind
from pingan.grid.schemas import TargetIn
from pingan.grid.vocabulary import TARGET_KINDS, Action
from pingan.platform.audit import service as audit
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def set_target(db: Session, *, data: TargetIn, actor: User | None) -> Target:
    grid = repo.grid_by_code(db, data.grid_code)
    if grid is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    if actor is not None:
        repo.get_grid(db, actor, data.grid_code)
    if data.member_id is not None:
        member = db.get(Member, data.member_id)
        if member is None or member.grid_id != grid.id:
            raise _invalid("member_id", "member.unknown", "该网格没有这名成员 / no such member in the grid")
    row = repo.target_row(db, year=data.year, grid_id=grid.id, member_id=data.member_id, kind=data.kind)
    if row is None:
        row = Target(year=data.year, grid_id=grid.id, member_id=data.member_id, kind=data.kind, target=data.target)
        db.add(row)
    row.target = data.target
    audit.record(db, actor=actor, action=Action.TARGET_SET, entity=row, unit_id=grid.id,
                 data={"year": data.year, "kind": data.kind.value, "target": data.target, "member": data.member_id})
    return row


@dataclass(frozen=True)
class Progress:
    kind: TargetKind
    target: int
    done: int

    @property
    def label(self) -> str:
        return TARGET_KINDS[self.kind]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.target)) if self.target else 0


def progress(db: Session, grid: OrgUnit, year: int) -> tuple[list[Progress], list[tuple[Member, list[Progress]]]]:
    """The grid's progress, then each member's that has a target, counting verified work only."""
    rows = repo.targets(db, grid.id, year)
    done = figures.verified_in(db, grid.id, year)
    grid_bars = [Progress(r.kind, r.target, done[r.kind.value]) for r in rows if r.member_id is None]
    members: dict[int, list[Progress]] = {}
    for r in rows:
        if r.member_id is None:
            continue
        member = db.get(Member, r.member_id)
        theirs = figures.verified_in(db, grid.id, year, member_id=member.id, member_user_id=member.user_id)
        members.setdefault(member.id, []).append(Progress(r.kind, r.target, theirs[r.kind.value]))
    return grid_bars, [(db.get(Member, mid), bars) for mid, bars in members.items()]
