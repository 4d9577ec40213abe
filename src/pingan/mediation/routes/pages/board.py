"""The station's board for today (overdue, due today, in session, waiting), the room schedule and the figures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pingan.core import clock
from pingan.mediation import clocks, figures
from pingan.mediation import repository as repo
from pingan.mediation.models import DisputeStatus
from pingan.mediation.permissions import Reader
from pingan.platform import access
from pingan.web.deps import DbSession

from .common import page

router = APIRouter(prefix="/mediation")


def _day(value: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(value, dt.time(), clock.LOCAL_TZ)
    return start, start + dt.timedelta(days=1)


@router.get("")
def board(request: Request, db: DbSession, user=Reader):
    disputes = repo.open_disputes(db, user)
    running = clocks.running_by_dispute(db, [d.id for d in disputes])
    now = clock.now()
    _, end_of_day = _day(clock.today_local())
    groups: dict[str, list] = {"overdue": [], "due_today": [], "in_session": [], "waiting": []}
    for d in disputes:
        due = running[d.id]
        row = {"dispute": d, "clocks": due, "next": due[0] if due else None}
        if any(c.due_at <= now for c in due):
            groups["overdue"].append(row)
        elif d.status is DisputeStatus.IN_SESSION:
            groups["in_session"].append(row)
        elif any(c.due_at < end_of_day for c in due):
            groups["due_today"].append(row)
        else:
            groups["waiting"].append(row)
    return page(request, "mediation/board.html", {"groups": groups, "now": now})


@router.get("/rooms")
def room_schedule(request: Request, db: DbSession, user=Reader,
                  day: Annotated[dt.date | None, Query()] = None):
    day = day or clock.today_local()
    start, end = _day(day)
    rooms = repo.rooms(db, access.visible_unit_ids(db, user))
    sessions = repo.sessions_between(db, user, start, end)
    scheduled = repo.scheduled_between(db, user, start, end)
    by_room = {r.id: {"room": r, "sessions": [], "scheduled": []} for r in rooms}
    unassigned = {"room": None, "sessions": [], "scheduled": []}
    for s in sessions:
        by_room.get(s.room_id, unassigned)["sessions"].append(s)
    for d in scheduled:
        by_room.get(d.room_id, unassigned)["scheduled"].append(d)
    columns = list(by_room.values()) + ([unassigned] if unassigned["sessions"] or unassigned["scheduled"] else [])
    return page(request, "mediation/rooms.html", {"day": day, "columns": columns,
                                                  "prev": day - dt.timedelta(days=1),
                                                  "next": day + dt.timedelta(days=1)})


@router.get("/figures")
def figures_page(request: Request, db: DbSession, user=Reader,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return page(request, "mediation/figures.html", {"f": f})


@router.get("/figures.xlsx")
def figures_export(db: DbSession, user=Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return Response(figures.workbook(f),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="mediation-{f.year}.xlsx"'})
