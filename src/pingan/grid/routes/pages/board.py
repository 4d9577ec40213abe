"""The grid's work board (a grid worker's phone page, the officer's to-do of reports and calls with their
clocks), the list of handed calls and the page of one grid: its people, its addresses and its work."""

from __future__ import annotations

from fastapi import APIRouter, Request

from pingan.core import clock
from pingan.grid import clocks
from pingan.grid import repository as repo
from pingan.grid.permissions import Reader
from pingan.grid.target import service as targets
from pingan.platform.deadlines.models import ClockStatus
from pingan.platform.places import repository as places
from pingan.web.deps import DbSession

from .common import page

router = APIRouter(prefix="/grid")


def _running(db, records) -> dict[int, list]:
    return {r.id: [c for c in clocks.all_clocks(db, r) if c.status is ClockStatus.RUNNING] for r in records}


@router.get("")
def board(request: Request, db: DbSession, user=Reader):
    reports = repo.reports(db, user, open_only=True, limit=100)
    calls = repo.calls(db, user, open_only=True, limit=100)
    return page(request, "grid/board.html", {
        "reports": reports, "calls": calls, "report_clocks": _running(db, reports),
        "call_clocks": _running(db, calls), "grids": repo.visible_grids(db, user)[:30],
    })


@router.get("/calls")
def call_list(request: Request, db: DbSession, user=Reader):
    calls = repo.calls(db, user, limit=200)
    return page(request, "grid/calls.html", {"calls": calls, "call_clocks": _running(db, calls)})


@router.get("/grids/{code}")
def grid_page(code: str, request: Request, db: DbSession, user=Reader):
    grid = repo.get_grid(db, user, code)
    officer = repo.officer_of(db, grid)
    year = clock.today_local().year
    bars, member_bars = targets.progress(db, grid, year)
    return page(request, "grid/grid.html", {
        "year": year, "bars": bars, "member_bars": member_bars,
        "collections": repo.collections(db, user, grid_id=grid.id, limit=50),
        "patrols": repo.patrols(db, user, grid_id=grid.id, limit=30),
        "publicity": repo.publicity_events(db, user, grid_id=grid.id, limit=30),
        "grid": grid, "officer": officer, "members": repo.members(db, user, grid_id=grid.id),
        "addresses": places.browse(db, user, grid_id=grid.id, limit=200),
        "reports": repo.reports(db, user, grid_id=grid.id, limit=50),
        "calls": repo.calls(db, user, grid_id=grid.id, limit=50),
    })
