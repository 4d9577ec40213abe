"""The dashboard pages: the leader lands on the dashboard; the sheet, the definitions and the records behind
a figure render; a station officer's pages show their station only; roles without the dashboard are refused;
the English page shows the measures' English names."""

from __future__ import annotations

import datetime as dt
import re

from pingan.cases.calls import service as calls
from pingan.cases.schemas import CallIn
from pingan.core import clock
from pingan.platform.users.models import Role
from pingan.stats import service
from pingan.stats.catalogue import MEASURES
from pingan.web.templating import LANG_COOKIE


def _calls(db, actor, station, n):
    noon = dt.datetime.combine(dt.date(2026, 11, 25), dt.time(12), tzinfo=clock.LOCAL_TZ)  # a Wednesday
    clock.shift(noon - clock.now())
    for i in range(n):
        calls.record(db, data=CallIn.model_validate({
            "call_no": f"{station}-{i}", "received_at": (clock.now() - dt.timedelta(hours=i + 1)).isoformat(),
            "category": "dispute", "summary": "邻里噪音纠纷", "station_code": station}), actor=actor)


def test_the_leader_lands_on_the_dashboard_and_reaches_the_records(db, make_user, client_for):
    leader = make_user(Role.LEADER)
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    other = make_user(Role.DUTY_OFFICER, unit="331003-02")
    _calls(db, duty, "331003-01", 3)
    _calls(db, other, "331003-02", 2)
    service.rebuild(db, clock.today_local() - dt.timedelta(days=3), clock.today_local())
    client = client_for(leader)
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/stats"
    page = client.get("/stats")
    assert page.status_code == 200
    assert all(m.label in page.text for m in MEASURES)
    link = re.search(r'data-figure="cases.dispute_calls" href="([^"]+)">5<', page.text.replace("&amp;", "&"))
    assert link, "the dispute calls figure links to its records"
    records = client.get(link.group(1))
    assert records.status_code == 200
    assert records.text.count("data-record") == 5 and 'data-station="331003-02"' in records.text
    assert client.get("/stats/measures").status_code == 200
    export = re.search(r'href="(/api/v1/stats/sheet.xlsx[^"]*)"', page.text.replace("&amp;", "&")).group(1)
    assert client.get(export).headers["content-type"].startswith("application/vnd.openxmlformats")


def test_a_station_officer_sees_only_their_station(db, make_user, client_for):
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    other = make_user(Role.DUTY_OFFICER, unit="331003-02")
    _calls(db, duty, "331003-01", 3)
    _calls(db, other, "331003-02", 2)
    service.rebuild(db, clock.today_local() - dt.timedelta(days=3), clock.today_local())
    client = client_for(other)
    page = client.get("/stats/records", params={"measure": "cases.dispute_calls", "period": "wtd"})
    assert page.status_code == 200 and page.text.count("data-record") == 2
    assert "头陀派出所" not in page.text
    refused = client.get("/stats/records", params={"measure": "cases.dispute_calls", "station_code": "331003-01"},
                         headers={"accept": "text/html"})
    assert refused.status_code == 404


def test_roles_without_the_dashboard_and_the_english_page(make_user, client_for):
    clerk = client_for(make_user(Role.WINDOW_CLERK))
    assert clerk.get("/stats", headers={"accept": "text/html"}).status_code == 403


def test_the_dashboard_in_english(make_user, client_for):
    client = client_for(make_user(Role.ANALYST))
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/stats")
    assert page.status_code == 200 and "Telecom-fraud cases" in page.text and "Year to date" in page.text
