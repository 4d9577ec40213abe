"""The 打击 pages over HTTP: call intake → a case → filed → a suspect → solved, through the forms; a refused
step and a bad ID number shown on the page with nothing changed; every register page renders for the
officer and the leader (who sees no forms); every Chinese string has English."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pingan.cases import vocabulary
from pingan.cases.models import CasePerson
from pingan.core import clock
from pingan.platform.users.models import Role, User
from pingan.web import nav
from pingan.web.templating import english
from tests.cases.factories import BAD_CHECK_DIGIT, SUSPECT, fraud_body

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "pingan" / "templates" / "cases"
CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""")
CJK = re.compile(r"[\u4e00-\u9fff]")
PAGES = ["/cases", "/cases/calls", "/cases/fraud", "/cases/fugitives", "/cases/seizures", "/cases/task-forces",
         "/cases/figures", "/cases/new"]


@pytest.fixture
def web(db, cs, client_for) -> SimpleNamespace:
    made = SimpleNamespace(duty=client_for(cs.duty), other=client_for(cs.other), leader=client_for(cs.leader))
    db.commit()
    return made


def _local(delta: dt.timedelta) -> str:
    return clock.local(clock.now() - delta).strftime("%Y-%m-%dT%H:%M")


def _case_from_a_call(web) -> int:
    recorded = web.duty.post("/cases/calls", data={
        "call_no": "110-P-1", "station_code": "331003-01", "category": "criminal", "summary": "店内被盗",
        "caller_phone": "13905764444"}, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    call_page = web.duty.get(recorded.headers["location"])
    assert 'id="dispose-form"' in call_page.text
    disposed = web.duty.post(recorded.headers["location"] + "/dispose", data={
        "disposition": "case", "kind": "criminal", "category": "theft", "title": "便利店盗窃案",
        "occurred_at": _local(dt.timedelta(hours=2))}, follow_redirects=False)
    assert disposed.status_code == 303, disposed.text
    return int(disposed.headers["location"].rsplit("/", 1)[1])


def test_call_to_a_solved_case_through_the_forms(db, web):
    case_id = _case_from_a_call(web)
    detail = web.duty.get(f"/cases/{case_id}").text
    assert 'data-event="received"' in detail and 'data-step="file"' in detail and 'data-step="solve"' not in detail
    filed = web.duty.post(f"/cases/{case_id}/file", data={"note": "符合立案条件"}, follow_redirects=False)
    assert filed.status_code == 303
    added = web.duty.post(f"/cases/{case_id}/persons", data={"kind": "suspect", "name": "张三", "id_number": SUSPECT},
                          follow_redirects=False)
    assert added.status_code == 303, added.text
    assert web.duty.post(f"/cases/{case_id}/solve", data={}, follow_redirects=False).status_code == 303
    solved = web.duty.get(f"/cases/{case_id}").text
    assert 'data-status="solved"' in solved and 'data-person="suspect"' in solved and SUSPECT in solved
    assert [e for e in ("received", "filed", "person", "solved") if f'data-event="{e}"' in solved] == \
        ["received", "filed", "person", "solved"]


def test_refusals_and_bad_input_are_shown_on_the_page_and_change_nothing(db, web):
    case_id = _case_from_a_call(web)
    refused = web.duty.post(f"/cases/{case_id}/solve", data={})
    assert refused.status_code == 409 and "案件尚未立案" in refused.text
    bad = web.duty.post(f"/cases/{case_id}/persons",
                        data={"kind": "suspect", "name": "张三", "id_number": BAD_CHECK_DIGIT})
    assert bad.status_code == 422 and 'data-error-for="id_number"' in bad.text
    assert db.scalar(select(func.count()).select_from(CasePerson)) == 0
    assert web.other.get(f"/cases/{case_id}").status_code == 404
    no_reason = web.duty.post(f"/cases/{case_id}/not_file", data={})
    assert no_reason.status_code == 422


def test_every_page_renders_for_the_officer_and_read_only_for_the_leader(db, cs, web):
    web.duty.post("/cases/fraud", data={
        "victim.name": "王阿婆", "victim.id_number": fraud_body()["victim"]["id_number"], "loss": "50000",
        "occurred_at": _local(dt.timedelta(hours=1)), "station_code": "331003-01", "contact_method": "phone",
        "payees[0].account_no": "6230000000011111", "payees[0].bank_code": "TZB"}, follow_redirects=False)
    for path in PAGES:
        assert web.duty.get(path).status_code == 200, path
    for path in PAGES[:-1]:
        page = web.leader.get(path)
        assert page.status_code == 200, path
        assert 'method="post" action="/cases' not in page.text, path
    assert web.leader.get("/cases/new").status_code == 403
    figures = web.leader.get("/cases/figures").text
    assert 'id="cases-figures-data"' in figures and "/vendor/echarts/dist/echarts.min.js" in figures
    assert web.leader.get("/cases/figures.xlsx").content[:2] == b"PK"


def test_every_chinese_string_of_the_cases_pages_has_an_english_entry():
    strings = {m.group(2) for f in TEMPLATES.glob("*.html") for m in CALL.finditer(f.read_text(encoding="utf-8"))}
    for name in dir(vocabulary):
        labels = getattr(vocabulary, name)
        if name.endswith("_LABELS") and isinstance(labels, dict):
            strings |= set(labels.values())
    strings |= {e.label for e in nav.entries_for(User(role=Role.ADMIN)) if e.href.startswith("/cases")}
    strings = {s for s in strings if CJK.search(s)}
    assert len(strings) > 100
    missing = sorted(s for s in strings if s not in english())
    assert not missing, f"add to src/pingan/web/locales/en_cases.yaml: {missing}"
