"""The grid's demo records (idempotent): the grid force of the 头陀 grids and the officer covering them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.grid import service
from pingan.grid.models import Member, MemberKind
from pingan.grid.schemas import CoverageIn, MemberIn

GRIDS = ("331003-01-01-01", "331003-01-01-02", "331003-01-01-03")
MEMBERS = [
    ("331003-01-01-01", "周网格", MemberKind.GRID_WORKER, "13905761001", "grid_toutuo"),
    ("331003-01-01-01", "陈保安", MemberKind.GUARD, "13905761002", None),
    ("331003-01-01-01", "林楼长", MemberKind.BUILDING_HEAD, "13905761003", None),
    ("331003-01-01-01", "王志愿", MemberKind.VOLUNTEER, "13905761004", None),
    ("331003-01-01-02", "吴网格", MemberKind.GRID_WORKER, "13905761005", None),
    ("331003-01-01-03", "郑网格", MemberKind.GRID_WORKER, "13905761006", None),
]


def load_grid_demo(db: Session) -> None:
    if db.scalar(select(Member.id).limit(1)) is not None:
        return
    for code in GRIDS:
        service.assign_coverage(db, data=CoverageIn(grid_code=code, officer_username="officer_toutuo"), actor=None)
    for grid, name, kind, phone, username in MEMBERS:
        service.add_member(db, data=MemberIn(grid_code=grid, name=name, kind=kind, phone=phone, username=username),
                           actor=None)
    db.flush()
