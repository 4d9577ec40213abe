"""The 打击 figures page (ECharts: cases by month and category, clearance, fraud year on year) and its Excel
export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pingan.cases import figures
from pingan.cases.permissions import Reader
from pingan.cases.vocabulary import CALL_CATEGORY_LABELS, CATEGORY_LABELS
from pingan.core import clock
from pingan.web.deps import DbSession

from .common import page

router = APIRouter(prefix="/cases")
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def chart_data(f: figures.Figures) -> dict:
    """What the charts draw (serialised into the page as JSON, drawn by /static/cases-figures.js)."""
    return {
        "months": [f"{m}月" for m in range(1, 13)], "cases_by_month": f.cases_by_month,
        "categories": [{"name": CATEGORY_LABELS[c], "value": f.cases_by_category.get(c.value, 0)}
                       for c in CATEGORY_LABELS if f.cases_by_category.get(c.value)],
        "calls": [{"name": CALL_CATEGORY_LABELS[c], "value": f.calls_by_category.get(c.value, 0)}
                  for c in CALL_CATEGORY_LABELS if f.calls_by_category.get(c.value)],
        "fraud": {"years": [str(f.year - 1), str(f.year)], "cases": [f.fraud_cases_last_year, f.fraud_cases],
                  "loss": [float(f.fraud_loss_last_year), float(f.fraud_loss)]},
    }


@router.get("/figures")
def figures_page(request: Request, db: DbSession, user=Reader, year: Year = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return page(request, "cases/figures.html", {"f": f, "charts": chart_data(f), "group_labels": figures.GROUP_LABELS})


@router.get("/figures.xlsx")
def figures_export(db: DbSession, user=Reader, year: Year = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return Response(figures.workbook(f), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="cases-{f.year}.xlsx"'})
