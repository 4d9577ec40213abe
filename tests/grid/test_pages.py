"""The grid pages: the phone report form (category fields, photo), the officer's board with the clock, the steps
as forms (a refused one re-renders with its reason and changes nothing), a handed call, the grid page."""

from __future__ import annotations

import re

from sqlalchemy import select

from pingan.grid.models import Report, ReportStatus
from tests.grid.factories import PNG, TOUTUO_GRID


def _csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_the_worker_reports_with_a_photo_and_the_officer_takes_it_to_closure(db, g, client_for):
    worker = client_for(g.worker)
    form = worker.get("/grid/reports/new")
    assert form.status_code == 200 and 'data-fields-for="wildlife"' in form.text
    sent = worker.post("/grid/reports", data={
        "csrf_token": _csrf(form), "grid_code": TOUTUO_GRID, "category": "safety_hazard",
        "description": "村口电线裸露", "address_text": "新下岙村1号", "fields.hazard_kind": "electric",
        "fields.urgent": "yes", "fields.species": "画眉"}, files={"photos": ("p.png", PNG, "image/png")},
        follow_redirects=False)
    assert sent.status_code == 303, sent.text
    report = db.scalar(select(Report))
    assert report.fields == {"hazard_kind": "electric", "urgent": "yes"} and len(report.photos) == 1
    assert report.address.code == "T-001"

    officer = client_for(g.officer)
    board = officer.get("/grid")
    assert f'data-report="{report.id}"' in board.text and 'data-clock="grid.report.accepted"' in board.text
    detail = officer.get(sent.headers["location"])
    assert 'data-step="accept"' in detail.text and 'data-step="close"' not in detail.text
    assert officer.get(f"/grid/reports/{report.id}/photos/{report.photos[0].id}").content == PNG
    token = _csrf(detail)
    for step, data in (("accept", {}), ("handle", {"handling": "已联系供电所"}), ("feedback", {"feedback": "已更换"}),
                       ("close", {})):
        done = officer.post(f"/grid/reports/{report.id}/{step}", data={"csrf_token": token, **data},
                            follow_redirects=False)
        assert done.status_code == 303, (step, done.text)
    db.refresh(report)
    assert report.status is ReportStatus.CLOSED


def test_a_refused_step_re_renders_with_the_reason(db, g, client_for):
    report = g.report()
    officer = client_for(g.officer)
    token = _csrf(officer.get(f"/grid/reports/{report.id}"))
    refused = officer.post(f"/grid/reports/{report.id}/close", data={"csrf_token": token})
    assert refused.status_code == 409 and "data-refusal" in refused.text and "反馈" in refused.text
    db.refresh(report)
    assert report.status is ReportStatus.SUBMITTED


def test_a_form_fault_is_shown_by_its_field(db, g, client_for):
    worker = client_for(g.worker)
    token = _csrf(worker.get("/grid/reports/new"))
    answer = worker.post("/grid/reports", data={"csrf_token": token, "grid_code": TOUTUO_GRID,
                                                "category": "safety_hazard", "description": "x",
                                                "address_code": "T-001", "fields.hazard_kind": "electric"})
    assert answer.status_code == 422 and 'data-error-for="fields.urgent"' in answer.text
    assert db.scalar(select(Report)) is None


def test_a_handed_call_page_and_the_grid_page(db, g, client_for):
    call = g.call()
    worker = client_for(g.worker)
    page = worker.get(f"/grid/calls/{call.id}")
    assert page.status_code == 200 and 'data-step="accept"' in page.text and 'data-step="return"' in page.text
    assert call.call_no in worker.get("/grid/calls").text
    grid = worker.get(f"/grid/grids/{TOUTUO_GRID}")
    assert "周网格" in grid.text and "新下岙村32号" in grid.text and f'data-call="{call.id}"' in grid.text
    assert client_for(g.other_worker).get(f"/grid/calls/{call.id}").status_code == 404
