"""The rental figures page (ECharts from npm) and its Excel export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pingan.core import clock
from pingan.rental import figures
from pingan.rental.permissions import Reader
from pingan.rental.routes.serialize import figures_out
from pingan.web.deps import DbSession

from .common import page

router = APIRouter(prefix="/rental")
Year = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("/figures")
def figures_page(request: Request, db: DbSession, user=Reader, year: Year = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return page(request, "rental/figures.html", {"f": f, "chart": figures_out(f)})


@router.get("/figures.xlsx")
def figures_export(db: DbSession, user=Reader, year: Year = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return Response(figures.workbook(f),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="rental-{f.year}.xlsx"'})
