"""The figures against rows counted by hand: reports by category, grid and month (linked copies left out),
handed calls with on-time feedback, returns and repeats, verified work against the county targets; the Excel
export carries the same numbers; another grid's worker sees none of them."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from pingan.core import clock
from pingan.grid import figures
from pingan.grid.call import service as calls
from pingan.grid.collection import service as collection
from pingan.grid.report import service as reports
from pingan.grid.schemas import CollectionIn, parse


def _seed(db, g) -> None:
    g.report()
    g.report(category="fire_risk", fields={"risks": ["open_fire"]}, address_code="T-032")
    copy = g.report(description="同一处电线")
    reports.link(db, report=copy, original_id=copy.id - 2, actor=g.officer)
    on_time = g.call()
    calls.accept(db, call=on_time, note="", actor=g.worker)
    calls.handle(db, call=on_time, handling="已处理", actor=g.worker)
    calls.feedback(db, call=on_time, text="已反馈", actor=g.worker)
    back = g.call(call_no="110-2", address_code="T-001", phone="13905762888")
    calls.return_call(db, call=back, reason="属警务", actor=g.worker)
    g.call(call_no="110-3", address_code="T-032")  # the first call's phone again: a repeat
    record, _ = collection.collect(db, data=parse(CollectionIn, {"kind": "hazard", "address_code": "T-001"}),
                                   actor=g.worker)
    collection.verify(db, record=record, actor=g.officer)
    collection.collect(db, data=parse(CollectionIn, {"kind": "shop", "address_code": "T-002"}), actor=g.worker)
    db.flush()


def test_figures_match_the_hand_count(db, g):
    _seed(db, g)
    f = figures.compute(db, g.officer, clock.today_local().year)
    month = clock.today_local().month
    assert f.reports == 2 and f.by_category == {"safety_hazard": 1, "fire_risk": 1}
    assert f.by_grid == {"头陀第1网格": 2} and f.by_month[month - 1] == 2 and sum(f.by_month) == 2
    assert (f.calls, f.calls_fed_back, f.calls_on_time, f.calls_returned, f.repeat_calls) == (3, 1, 1, 1, 1)
    assert f.on_time_rate == 1.0 and f.calls_by_month[month - 1] == 3
    assert f.verified == {"collection": 1, "patrol": 0, "publicity": 0}
    assert f.targets == {"collection": 3000, "patrol": 500, "publicity": 1000}
    assert figures.compute(db, g.other_worker, clock.today_local().year).reports == 0
    assert figures.compute(db, g.officer, clock.today_local().year - 1).reports == 0


def test_late_feedback_is_not_on_time(db, g):
    call = g.call()
    clock.shift(dt.timedelta(hours=30))
    calls.accept(db, call=call, note="", actor=g.worker)
    calls.handle(db, call=call, handling="已处理", actor=g.worker)
    calls.feedback(db, call=call, text="晚了", actor=g.worker)
    f = figures.compute(db, g.officer, clock.today_local().year)
    assert (f.calls_fed_back, f.calls_on_time, f.on_time_rate) == (1, 0, 0.0)


def test_the_api_and_the_excel_export_carry_the_same_numbers(db, g, api_client):
    _seed(db, g)
    client = api_client(g.officer)
    year = clock.today_local().year
    answer = client.get(f"/api/v1/grid/figures?year={year}").json()
    assert answer["reports"] == 2 and answer["repeat_calls"] == 1 and answer["verified"]["collection"] == 1
    xlsx = client.get(f"/api/v1/grid/figures.xlsx?year={year}")
    book = load_workbook(io.BytesIO(xlsx.content))
    totals = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert totals["网格上报"] == 2 and totals["分流警情"] == 3 and totals["重复来电"] == 1
    assert client.get("/api/v1/grid/figures?year=1800").status_code == 422
