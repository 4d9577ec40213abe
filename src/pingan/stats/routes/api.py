"""The dashboard API: the catalogue, the CompStat sheet, a measure's monthly series and stations, the map,
the records behind a figure, and the exports (Excel sheet, monthly PDF report); all scoped to the caller."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from pingan.core import clock
from pingan.core.errors import ValidationFailed
from pingan.core.schemas import ERROR_RESPONSES
from pingan.platform.audit import service as audit
from pingan.stats import exports, service
from pingan.stats.catalogue import MEASURES, Kind
from pingan.stats.periods import Align, Period
from pingan.stats.permissions import Reader
from pingan.stats.routes.serialize import boundaries, drill_out, measure_out, sheet_out
from pingan.stats.schemas import DrillOut, MapOut, MeasuresOut, SeriesOut, SheetOut
from pingan.stats.vocabulary import Action
from pingan.web.deps import DbSession

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = APIRouter(prefix="/api/v1/stats", tags=["stats"], responses=ERROR_RESPONSES)

On = Annotated[dt.date | None, Query(description="the last day counted (default today)")]
StationCode = Annotated[str | None, Query(max_length=32)]
Month = Annotated[str, Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM (2000–2099)")]


@router.get("/measures", response_model=MeasuresOut, summary="The catalogue of measures")
def measures(user=Reader) -> dict:
    return {"measures": [measure_out(m) for m in MEASURES]}


@router.get("/sheet", response_model=SheetOut, summary="The CompStat sheet: this period against last year's")
def sheet(db: DbSession, user=Reader, period: Period = Period.YTD, station_code: StationCode = None, on: On = None,
          align: Align = Align.DATES) -> dict:
    return sheet_out(service.sheet(db, user, period=period, on=on, station_code=station_code, align=align))


def series_data(db, user, measure: str, year: int, station_code: str | None) -> dict:
    data = service.months(db, user, measure, year, station_code)
    ytd = service.sheet(db, user, period=Period.YTD, on=min(clock.today_local(), dt.date(year, 12, 31)),
                        station_code=station_code, stations=True, measures=(service.measure_of(measure),))
    data["stations"] = [{"code": code, "this": next(r.this.value for r in rows if r.measure.code == measure),
                         "last": next(r.last.value for r in rows if r.measure.code == measure)}
                        for code, rows in ytd.by_station.items()]
    return data


@router.get("/series", response_model=SeriesOut, summary="A measure's months this year and last, and by station")
def series(db: DbSession, measure: Annotated[str, Query(max_length=48)], user=Reader,
           year: Annotated[int | None, Query(ge=2000, le=2100)] = None, station_code: StationCode = None) -> dict:
    return series_data(db, user, measure, year or clock.today_local().year, station_code)


@router.get("/map", response_model=MapOut, summary="A measure per station, community or grid, with boundaries")
def map_values(db: DbSession, measure: Annotated[str, Query(max_length=48)], user=Reader,
               period: Period = Period.YTD, on: On = None) -> dict:
    return {**service.map_values(db, user, measure, period, on), "geojson": boundaries()}


@router.get("/records", response_model=DrillOut, summary="The records behind a figure, in the caller's scope")
def records(db: DbSession, measure: Annotated[str, Query(max_length=48)], user=Reader, period: Period = Period.YTD,
            on: On = None, station_code: StationCode = None, align: Align = Align.DATES, last: bool = False) -> dict:
    found = service.drill(db, user, code=measure, period=period, on=on, station_code=station_code, align=align,
                          last=last)
    audit.record(db, actor=user, action=Action.RECORDS_VIEWED, entity_type="stats_measure", entity_id=measure,
                 data={"period": period.value, "station_code": station_code, "last": last})
    return drill_out(found)


def sheet_export(db, user, *, on, station_code, align) -> bytes:
    sheets = [service.sheet(db, user, period=p, on=on, station_code=station_code, align=align,
                            stations=p is Period.YTD) for p in Period]
    filters = {"截止日期": str(sheets[0].on), "派出所": station_code or "全部（本人辖区）", "同期口径": align.value}
    audit.record(db, actor=user, action=Action.SHEET_EXPORTED, entity_type="stats_sheet", entity_id=str(sheets[0].on),
                 data=filters)
    return exports.workbook(sheets, user=user, filters=filters)


@router.get("/sheet.xlsx", summary="The sheet as an Excel workbook (filters, time and exporter inside)",
            response_class=Response, responses={200: {"content": {XLSX: {}}, "description": "the workbook"}})
def sheet_xlsx(db: DbSession, user=Reader, station_code: StationCode = None, on: On = None,
               align: Align = Align.DATES) -> Response:
    body = sheet_export(db, user, on=on, station_code=station_code, align=align)
    return Response(body, media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="stats-sheet.xlsx"'})


def report(db, user, month: str) -> bytes:
    first = dt.date.fromisoformat(f"{month}-01")
    end = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if first > clock.today_local():
        raise ValidationFailed("stats.month_future", "不能生成未来月份的通报 / that month has not begun")
    on = min(end, clock.today_local())
    monthly = service.sheet(db, user, period=Period.YTD, on=on)
    charts = [service.months(db, user, m.code, first.year) for m in MEASURES
              if m.kind in (Kind.COUNT, Kind.AMOUNT) and m.code in ("cases.fraud_cases", "cases.dispute_calls",
                                                                      "antifraud.dissuasions")]
    audit.record(db, actor=user, action=Action.REPORT_EXPORTED, entity_type="stats_report", entity_id=month)
    return exports.report_pdf(first, monthly, charts, user=user)


@router.get("/report.pdf", summary="The monthly report (月度通报) as a Chinese PDF", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the report"}})
def report_pdf(db: DbSession, month: Month, user=Reader) -> Response:
    return Response(report(db, user, month), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="report-{month}.pdf"'})
