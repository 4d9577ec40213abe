"""数据看板 pages: the dashboard (the leader's landing page), the definitions of the measures and the records
behind a figure (Jinja2, Chinese first; the charts and the map drawn by ECharts from npm)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request

from pingan.platform.audit import service as audit
from pingan.platform.users.models import Role
from pingan.stats import service
from pingan.stats.catalogue import MEASURES, Kind
from pingan.stats.exports import show
from pingan.stats.periods import ALIGN_LABELS, PERIOD_LABELS, Align, Period
from pingan.stats.permissions import READERS, Reader
from pingan.stats.routes.serialize import measure_out, row_out
from pingan.stats.vocabulary import ACTION_LABELS, GOOD_LABELS, KIND_LABELS, MARK_LABELS, Action
from pingan.web import nav
from pingan.web.deps import DbSession
from pingan.web.routes import audit as audit_page
from pingan.web.templating import render

nav.register("stats", [
    nav.Entry("数据看板", "/stats", roles=READERS, landing_for={Role.LEADER}),
    nav.Entry("指标定义", "/stats/measures", roles=READERS),
])
audit_page.register_labels(actions=ACTION_LABELS, entities={"stats_sheet": "数据看板", "stats_report": "月度通报",
                                                            "stats_measure": "指标"}, fields={}, values={})

router = APIRouter(prefix="/stats", include_in_schema=False)
On = Annotated[dt.date | None, Query()]
StationCode = Annotated[str | None, Query(max_length=32)]
LABELS = {"period_labels": {p.value: v for p, v in PERIOD_LABELS.items()},
          "align_labels": {a.value: v for a, v in ALIGN_LABELS.items()}, "mark_labels": MARK_LABELS,
          "kind_labels": {k.value: v for k, v in KIND_LABELS.items()},
          "good_labels": {g.value: v for g, v in GOOD_LABELS.items()}, "show": show}


@router.get("")
def dashboard(request: Request, db: DbSession, user=Reader, on: On = None, station_code: StationCode = None,
              align: Align = Align.DATES):
    org = service.Org(db, user)
    sheets = [service.sheet(db, user, period=p, on=on, station_code=station_code, align=align, org=org,
                            stations=p is Period.YTD) for p in Period]
    charted = [m for m in MEASURES if m.kind is not Kind.LEVEL]
    context = {"sheets": sheets, "stations": org.stations, "station_code": station_code, "align": align.value,
               "on": sheets[0].on, "measures": charted, "aligns": list(Align),
               "data": {"measures": [{"code": m.code, "label": m.label} for m in charted],
                        "station_code": station_code, "year": sheets[0].on.year,
                        "ytd": {code: [row_out(r) for r in rows] for code, rows in sheets[-1].by_station.items()}}}
    return render(request, "stats/dashboard.html", {**LABELS, **context})


@router.get("/measures")
def definitions(request: Request, user=Reader):
    return render(request, "stats/measures.html", {**LABELS, "measures": [measure_out(m) for m in MEASURES]})


@router.get("/records")
def records(request: Request, db: DbSession, measure: Annotated[str, Query(max_length=48)], user=Reader,
            period: Period = Period.YTD, on: On = None, station_code: StationCode = None, align: Align = Align.DATES,
            last: bool = False):
    found = service.drill(db, user, code=measure, period=period, on=on, station_code=station_code, align=align,
                          last=last)
    org = service.Org(db, user)
    by_station = None
    if station_code is None:
        by_station = service.sheet(db, user, period=period, on=on, align=align, stations=True, org=org).by_station
    audit.record(db, actor=user, action=Action.RECORDS_VIEWED, entity_type="stats_measure", entity_id=measure,
                 data={"period": period.value, "station_code": station_code, "last": last})
    return render(request, "stats/records.html", {
        **LABELS, "drill": found, "period": period.value, "on": on, "align": align.value, "last": last,
        "station_code": station_code, "stations": {s.code: s for s in org.stations}, "by_station": by_station,
        "units": org.by_id})
