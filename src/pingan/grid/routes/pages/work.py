"""Pages of the grid's own work: the figures (ECharts, Excel), the printable QR sheet of a grid's check-in points,
a scanned point's check-in, and the officer's verification of collection, patrols and publicity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from pingan.core import clock
from pingan.core.errors import not_found
from pingan.grid import figures, vocabulary, workbook
from pingan.grid import repository as repo
from pingan.grid.collection import service as collection
from pingan.grid.models import PatrolStatus
from pingan.grid.patrol import service as patrols
from pingan.grid.permissions import Officer, Reader, Reporter
from pingan.grid.publicity import service as publicity
from pingan.grid.routes.serialize import figures_out
from pingan.web.deps import DbSession

from .common import page

router = APIRouter(prefix="/grid")
Year = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("/figures")
def figures_page(request: Request, db: DbSession, user=Reader, year: Year = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    chart = {**figures_out(f), "category_labels": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
             "target_labels": {k.value: v for k, v in vocabulary.TARGET_KINDS.items()}}
    return page(request, "grid/figures.html", {"f": f, "chart": chart})


@router.get("/figures.xlsx")
def figures_excel(db: DbSession, user=Reader, year: Year = None):
    year = year or clock.today_local().year
    return Response(workbook.figures_xlsx(figures.compute(db, user, year)),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="grid-figures-{year}.xlsx"'})


@router.get("/grids/{code}/checkpoints")
def checkpoint_sheet(code: str, request: Request, db: DbSession, user=Reader):
    grid = repo.get_grid(db, user, code)
    base = str(request.base_url)
    points = [(p, patrols.qr_svg(p, base)) for p in repo.checkpoints(db, user, grid.id)]
    return page(request, "grid/checkpoints.html", {"grid": grid, "points": points})


@router.get("/checkin/{token}")
def checkin_page(token: str, request: Request, db: DbSession, user=Reporter):
    point = repo.checkpoint_by_token(db, token)
    if point is None:
        raise not_found("checkpoint", "巡逻点")
    under_way = [p for p in repo.patrols(db, user, grid_id=point.grid_id) if p.status is PatrolStatus.UNDER_WAY]
    return page(request, "grid/checkin.html", {"point": point, "patrols": under_way})


@router.post("/checkin/{token}")
async def checkin(token: str, request: Request, db: DbSession, user=Reporter):
    chosen = str((await request.form()).get("patrol_id") or "")
    patrol = repo.get_patrol(db, user, int(chosen) if chosen.isdigit() else 0)
    patrols.check_in(db, patrol=patrol, token=token, actor=user)
    return RedirectResponse(f"/grid/patrols/{patrol.id}", status_code=303)


_VERIFY = {
    "collections": lambda db, u, i: collection.verify(db, record=repo.get_collection(db, u, i), actor=u).grid,
    "patrols": lambda db, u, i: patrols.verify(db, patrol=repo.get_patrol(db, u, i), actor=u).grid,
    "publicity": lambda db, u, i: publicity.verify(db, event=repo.get_publicity(db, u, i), actor=u).grid,
}


@router.post("/{kind}/{record_id}/verify")
def verify(kind: str, record_id: int, db: DbSession, user=Officer):
    if kind not in _VERIFY:
        return Response(status_code=404)
    grid = _VERIFY[kind](db, user, record_id)
    return RedirectResponse(f"/grid/grids/{grid.code}", status_code=303)
