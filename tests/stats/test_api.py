"""The dashboard API: the catalogue, the sheet's shape, clear 4xx for bad input and for roles without the
dashboard, and the exports open (openpyxl reads the workbook with its filters and exporter; the PDF parses)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pingan.core import clock
from pingan.platform.audit.models import AuditEvent
from pingan.platform.users.models import Role
from pingan.stats.catalogue import MEASURES


def test_catalogue_and_sheet(county, make_user, api_client):
    client = api_client(make_user(Role.LEADER))
    body = client.get("/api/v1/stats/measures").json()
    assert {m["code"] for m in body["measures"]} == {m.code for m in MEASURES}
    assert all(m["definition"] and m["function"].startswith("pingan.") for m in body["measures"])
    sheet = client.get("/api/v1/stats/sheet", params={"period": "wtd", "on": "2026-11-26"}).json()
    assert sheet["start"] == "2026-11-23" and len(sheet["measures"]) == len(MEASURES)
    assert set(sheet["measures"][0]) >= {"code", "label", "this", "last", "change", "z"}
    bad = client.get("/api/v1/stats/sheet", params={"period": "month"})
    assert bad.status_code == 422
    assert client.get("/api/v1/stats/series", params={"measure": "nope"}).json()["error"]["code"] == "measure.unknown"
    assert client.get("/api/v1/stats/report.pdf", params={"month": "2026-13"}).status_code == 422
    assert client.get("/api/v1/stats/report.pdf", params={"month": "0000-01"}).status_code == 422
    series = client.get("/api/v1/stats/series", params={"measure": "cases.fraud_cases"}).json()
    assert len(series["this"]) == 12 and {s["code"] for s in series["stations"]} == {"331003-01", "331003-02"}
    geo = client.get("/api/v1/stats/map", params={"measure": "grid.patrol"}).json()
    assert geo["level"] == "grid" and geo["geojson"]["type"] == "FeatureCollection"


@pytest.mark.parametrize("role", [Role.TELLER, Role.GRID_WORKER, Role.WINDOW_CLERK])
def test_roles_without_the_dashboard_are_refused(county, make_user, api_client, role):
    response = api_client(make_user(role)).get("/api/v1/stats/sheet")
    assert response.status_code == 403 and response.json()["error"]["code"]


def test_exports_open_and_carry_their_filters(db, county, make_user, api_client):
    leader = make_user(Role.LEADER)
    client = api_client(leader)
    response = client.get("/api/v1/stats/sheet.xlsx", params={"station_code": "331003-01", "align": "lunar"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:4] == ["说明", "本周", "近28天", "年初至今"]
    about = {row[0]: row[1] for row in wb["说明"].iter_rows(values_only=True) if row[0]}
    assert leader.username in about["导出人"] and about["筛选：派出所"] == "331003-01"
    assert about["筛选：同期口径"] == "lunar"
    month = clock.today_local().strftime("%Y-%m")
    pdf = client.get("/api/v1/stats/report.pdf", params={"month": month})
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\x00", "")
    assert "月度通报" in text and "电诈案件发案数" in text
    actions = {e.action for e in db.query(AuditEvent).filter(AuditEvent.actor_id == leader.id)}
    assert {"stats.sheet.exported", "stats.report.exported"} <= actions
