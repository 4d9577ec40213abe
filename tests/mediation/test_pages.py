"""The 调解室 pages over HTTP: intake (and its clear refusal), the board, the detail with its timeline, the
room schedule, figures with the Excel export, the printed agreement; every Chinese string has English."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from pingan.core.config import get_settings
from pingan.mediation.models import Dispute
from pingan.mediation.vocabulary import (
    CATEGORY_LABELS,
    CLOCK_LABELS,
    EVENT_LABELS,
    MEDIATOR_KINDS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
)
from pingan.platform.users.models import Role, User
from pingan.web import nav
from pingan.web.templating import english
from tests.mediation.factories import BAD_CHECK_DIGIT, LI, WANG

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "pingan" / "templates" / "mediation"
CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""")
CJK = re.compile(r"[\u4e00-\u9fff]")
FORM = {"source": "walk_in", "category": "neighbour", "station_code": "331003-01", "community_code": "331003-01-01",
        "summary": "楼上漏水纠纷", "parties[0].name": "王大山", "parties[0].id_number": WANG,
        "parties[1].name": "李小水", "parties[1].id_number": LI, "parties[1].phone": "13905760002"}


@pytest.fixture
def web(db, med, client_for) -> SimpleNamespace:
    made = SimpleNamespace(mediator=client_for(med.mediator), officer=client_for(med.officer),
                           other=client_for(med.other_mediator), leader=client_for(med.leader))
    db.commit()
    return made


def _intake(client, **change):
    response = client.post("/mediation/disputes", data={**FORM, **change}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_intake_then_unsettled_shows_the_follow_up_on_the_board_and_the_officers_todo(web):
    dispute_id = _intake(web.mediator)
    detail = web.mediator.get(f"/mediation/disputes/{dispute_id}")
    assert detail.status_code == 200 and WANG in detail.text and 'data-event="intake"' in detail.text
    response = web.mediator.post(f"/mediation/disputes/{dispute_id}/sessions",
                                 data={"outcome": "unsettled", "note": "分歧较大"}, follow_redirects=False)
    assert response.status_code == 303
    board = web.mediator.get("/mediation").text
    assert f'data-dispute="{dispute_id}"' in board and 'data-clock="mediation.dispute.followed_up"' in board
    assert WANG not in board  # masked in lists
    assert "社区民警跟进" in web.officer.get("/todo").text


def test_bad_id_number_on_the_form_is_shown_at_the_field_and_nothing_is_saved(db, web):
    before = db.scalar(select(func.count()).select_from(Dispute))
    page = web.mediator.post("/mediation/disputes", data={**FORM, "parties[1].id_number": BAD_CHECK_DIGIT})
    assert page.status_code == 422
    assert 'data-error-for="parties[1].id_number"' in page.text and "校验位错误" in page.text
    assert db.scalar(select(func.count()).select_from(Dispute)) == before


def test_session_on_a_closed_dispute_is_refused_on_the_page(web):
    dispute_id = _intake(web.mediator)
    web.mediator.post(f"/mediation/disputes/{dispute_id}/close", data={"reason": "撤回"})
    page = web.mediator.post(f"/mediation/disputes/{dispute_id}/sessions", data={"outcome": "absent"})
    assert page.status_code == 409 and "该纠纷已结案" in page.text


def test_other_station_gets_404_and_the_leader_reads(web):
    dispute_id = _intake(web.mediator)
    assert web.other.get(f"/mediation/disputes/{dispute_id}", headers={"accept": "text/html"}).status_code == 404
    assert f'data-dispute="{dispute_id}"' not in web.other.get("/mediation").text
    assert web.leader.get(f"/mediation/disputes/{dispute_id}").status_code == 200


def _step_forms(page: str, dispute_id: int) -> set[str]:
    return set(re.findall(rf'action="/mediation/disputes/{dispute_id}/([a-z-]+)"', page))


def test_a_dispute_shows_only_the_steps_its_status_allows_and_the_leader_none(web):
    dispute_id = _intake(web.mediator)
    assert _step_forms(web.mediator.get(f"/mediation/disputes/{dispute_id}").text, dispute_id) == {
        "start", "sessions", "close"}  # pending: nothing to follow up yet
    web.mediator.post(f"/mediation/disputes/{dispute_id}/sessions", data={"outcome": "unsettled"})
    assert _step_forms(web.mediator.get(f"/mediation/disputes/{dispute_id}").text, dispute_id) == {
        "start", "sessions", "follow-ups", "close"}
    # The leader reads: no step form, no intake button (each would answer 403).
    assert _step_forms(web.leader.get(f"/mediation/disputes/{dispute_id}").text, dispute_id) == set()
    board = web.leader.get("/mediation").text
    assert "/mediation/disputes/new" not in board and "/mediation/disputes/new" in web.mediator.get("/mediation").text
    assert web.leader.post(f"/mediation/disputes/{dispute_id}/close", data={"reason": "x"}).status_code == 403


def test_room_schedule_and_figures_with_excel_export(web):
    dispute_id = _intake(web.mediator)
    web.mediator.post(f"/mediation/disputes/{dispute_id}/start", data={})
    assert f"#{dispute_id}" in web.mediator.get("/mediation/rooms").text
    assert web.mediator.get("/mediation/figures").status_code == 200
    export = web.mediator.get("/mediation/figures.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["按月统计", "指标"]
    assert sum(row[1] for row in book["按月统计"].iter_rows(min_row=2, max_row=13, values_only=True)) == 1


def _settle(web, dispute_id, med):
    signed = {f"signed_party_{p}": "1" for p in _party_ids(web, dispute_id)}
    return web.mediator.post(f"/mediation/disputes/{dispute_id}/sessions", follow_redirects=False, data={
        "outcome": "settled", "agreement.facts": "楼上漏水", "agreement.responsibilities": "王大山负责",
        "agreement.obligations": "王大山赔偿500元", "agreement.performance_method": "现金",
        "agreement.performance_place": "警务室", "agreement.performance_due_on": "2099-01-01",
        "agreement.mediator_signature": "老娘舅 王伯", **signed})


def _party_ids(web, dispute_id) -> list[str]:
    return re.findall(r'name="signed_party_(\d+)"', web.mediator.get(f"/mediation/disputes/{dispute_id}").text)


def test_settled_dispute_prints_its_agreement(web, med):
    dispute_id = _intake(web.mediator)
    assert _settle(web, dispute_id, med).status_code == 303
    response = web.mediator.get(f"/mediation/disputes/{dispute_id}/agreement.pdf")
    if not get_settings().pdf_font.is_file():
        assert response.status_code == 503
        if os.environ.get("CI", "").lower() != "true":
            pytest.skip("no CJK font (fonts-noto-cjk) installed: the agreement cannot be printed here")
        pytest.fail("CI=true: install fonts-noto-cjk so the agreement can be printed")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    # fpdf2's CID text comes back with a NUL after each 16-bit code unit; the characters are all there.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace("\x00", "")
    for expected in ("人民调解协议书", "王大山", "李小水", "王大山赔偿500元", "2099年01月01日"):
        assert expected in text, expected


def test_printing_without_the_font_is_a_clear_503(web, med, monkeypatch):
    dispute_id = _intake(web.mediator)
    _settle(web, dispute_id, med)
    monkeypatch.setattr(get_settings(), "pdf_font", Path("/nonexistent/font.ttc"))
    response = web.mediator.get(f"/mediation/disputes/{dispute_id}/agreement.pdf",
                                headers={"accept": "application/json"})
    assert response.status_code == 503 and response.json()["error"]["code"] == "mediation.pdf_font_missing"


def test_every_chinese_string_of_the_mediation_pages_has_an_english_entry():
    strings = {m.group(2) for f in TEMPLATES.glob("*.html") for m in CALL.finditer(f.read_text(encoding="utf-8"))}
    for labels in (SOURCE_LABELS, CATEGORY_LABELS, OUTCOME_LABELS, MEDIATOR_KINDS, EVENT_LABELS, STATUS_LABELS,
                   CLOCK_LABELS):
        strings |= set(labels.values())
    strings |= {e.label for e in nav.entries_for(User(role=Role.ADMIN)) if e.href.startswith("/mediation")}
    strings = {s for s in strings if CJK.search(s)}
    missing = sorted(s for s in strings if s not in english())
    assert not missing, f"add to src/pingan/web/locales/en_mediation.yaml: {missing}"
