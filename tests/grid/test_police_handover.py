"""A grid report the community officer hands to the police: the cases module takes it in as a call at the grid's
station through the platform (grid does not import cases), once per report; what the station does with the call
comes back onto the report's timeline and to the officer, who then feeds back and closes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pingan.cases.models import Call, CallCategory, Case
from pingan.core.errors import InvalidTransition
from pingan.grid import timeline
from pingan.grid.models import HandoverTarget, ReportStatus
from pingan.grid.report import service as reports
from pingan.grid.schemas import HandoverIn, parse
from pingan.grid.vocabulary import Topic
from pingan.platform import handover
from pingan.platform.notify.models import Event
from tests.cases.factories import case_body

TO_POLICE = {"target": "cases", "note": "疑似电诈窝点，请派出所核查"}


def _handed(db, g):
    report = g.report(category="fraud_lead", fields={"channel": "phone"}, description="出租房内多人整日打电话")
    reports.accept(db, report=report, note="", actor=g.officer)
    reports.handover(db, report=report, data=parse(HandoverIn, TO_POLICE), actor=g.officer)
    return report


def _calls(db, report) -> list[Call]:
    return list(db.scalars(select(Call).where(Call.grid_report_id == report.id)))


def test_a_report_handed_to_the_police_is_a_call_waiting_at_its_station(db, g):
    report = _handed(db, g)
    [call] = _calls(db, report)
    assert report.status is ReportStatus.HANDED_OVER and report.handover_to is HandoverTarget.CASES
    assert report.handover_ref == call.call_no == f"WG{report.id:08d}"
    assert call.station.code == "331003-01" and call.category is CallCategory.FRAUD and call.disposition is None
    assert call.address.code == "T-001" and "出租房内多人整日打电话" in call.summary and "请派出所核查" in call.summary
    [line] = [e for e in timeline.of(db, report) if e.kind == "handed_over"]
    assert line.data == {"target": "cases", "ref": call.call_no}


def test_the_same_report_handed_again_is_the_same_call(db, g):
    report = _handed(db, g)
    again = handover.hand_over(db, handover.GRID_REPORT_CALL, report_id=report.id, summary="again",
                               station_id=report.grid.parent.parent_id, category="fraud_lead", address_id=None,
                               address_text=None, actor=g.officer)
    assert again == report.handover_ref and len(_calls(db, report)) == 1
    with pytest.raises(InvalidTransition):
        reports.handover(db, report=report, data=parse(HandoverIn, TO_POLICE), actor=g.officer)
    assert db.scalar(select(func.count()).select_from(Call)) == 1


def test_the_stations_case_comes_back_on_the_timeline_then_feedback_and_close(db, g):
    from pingan.cases.calls import service as cases_calls  # the station's side, as the cases pages call it
    from pingan.cases.schemas import DisposeIn

    report = _handed(db, g)
    [call] = _calls(db, report)
    cases_calls.dispose(db, call=call, data=parse(DisposeIn, {"disposition": "case", "case": case_body(
        category="telecom_fraud", title="出租房电诈窝点案")}), actor=g.duty)
    case = db.get(Case, call.case_id)
    [outcome] = [e for e in timeline.of(db, report) if e.kind == "cases_outcome"]
    assert outcome.data == {"call_no": call.call_no, "disposition": "case", "case": case.number, "dispute": None}
    assert "已立案" in outcome.note and case.number in outcome.note
    notice = db.scalar(select(Event).where(Event.topic == Topic.REPORT_POLICE_OUTCOME.value))
    assert notice.user_id == g.officer.id and notice.link == f"/grid/reports/{report.id}"
    reports.feedback(db, report=report, text=f"派出所已立案 {case.number}", actor=g.officer)
    reports.close(db, report=report, note="", actor=g.officer)
    assert report.status is ReportStatus.CLOSED


def test_a_call_found_to_be_no_police_matter_says_so_on_the_report(db, g):
    from pingan.cases.calls import service as cases_calls
    from pingan.cases.schemas import DisposeIn

    report = _handed(db, g)
    [call] = _calls(db, report)
    cases_calls.dispose(db, call=call, data=parse(DisposeIn, {"disposition": "false", "note": "系正常电销公司"}),
                        actor=g.duty)
    [outcome] = [e for e in timeline.of(db, report) if e.kind == "cases_outcome"]
    assert outcome.data["disposition"] == "false"
    assert "经核实非警情" in outcome.note and "系正常电销公司" in outcome.note


@pytest.fixture
def c(g, api_client) -> SimpleNamespace:
    return SimpleNamespace(worker=api_client(g.worker), officer=api_client(g.officer), duty=api_client(g.duty))


def test_over_http_the_officer_hands_over_the_station_disposes_the_worker_reads_the_outcome(db, c):
    rid = c.worker.post("/api/v1/grid/reports", json={
        "grid_code": "331003-01-01-01", "category": "wildlife", "description": "出租房内笼养画眉十余只",
        "address_code": "T-001", "fields": {"species": "画眉", "situation": "kept"}}).json()["id"]
    assert c.officer.post(f"/api/v1/grid/reports/{rid}/accept", json={}).status_code == 200
    handed = c.officer.post(f"/api/v1/grid/reports/{rid}/handover", json={"target": "cases"})
    assert handed.status_code == 200, handed.text
    call_no = handed.json()["handover_ref"]
    again = c.officer.post(f"/api/v1/grid/reports/{rid}/handover", json={"target": "cases"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "report.handed_over"
    call_id = db.scalar(select(Call.id).where(Call.call_no == call_no))
    call = c.duty.get(f"/api/v1/cases/calls/{call_id}").json()
    assert call["category"] == "criminal" and call["disposition"] is None
    disposed = c.duty.post(f"/api/v1/cases/calls/{call_id}/dispose", json={"disposition": "case", "case": case_body(
        category="other", title="非法收购、出售珍贵野生动物案")})
    assert disposed.status_code == 200, disposed.text
    lines = c.worker.get(f"/api/v1/grid/reports/{rid}").json()["timeline"]
    assert [t["kind"] for t in lines][-2:] == ["handed_over", "cases_outcome"] and "已立案" in lines[-1]["note"]
