"""The known-payee list: an analyst vouches for an organisation's account (API and page, audited) and the
fan-in rules no longer fire on it, while they still fire on an unlisted account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from pingan.antifraud.vocabulary import Action
from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.platform.audit.models import AuditEvent
from tests.antifraud.engine.factories import body

URL = "/api/v1/antifraud/screenings"
WATER = "3301000000000000011"
OTHER = "6217000000000000099"
PAYERS = [make_resident_id("331003", dt.date(1980 + n, 1 + n, 10 + n), n, "M") for n in range(6)]
AT = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _fan_in(client, payee: str, prefix: str) -> list[dict]:
    """Six people pay `payee` ¥3,000 within an hour; the answers in order."""
    answers = []
    for n, id_number in enumerate(PAYERS):
        req = body(request_id=f"{prefix}-{n}", occurred_at=(AT + dt.timedelta(minutes=5 * n)).isoformat(),
                   amount="3000.00", customer={"id_number": id_number, "account_no": f"62210000000000{n:04d}"},
                   payee={"account_no": payee})
        response = client.post(URL, json=req)
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


def _codes(answer: dict) -> set[str]:
    return {r["code"] for r in answer["reasons"]}


def test_a_listed_payee_never_triggers_fan_in_and_listing_is_audited(live):
    analyst = live.as_user("analyst")
    listed = analyst.post("/api/v1/antifraud/known-payees", json={
        "account_no": WATER, "name": "黄岩自来水有限公司", "source": "银行报备", "reason": "自来水公司缴费账户",
        "listed_on": "2025-01-01"})
    assert listed.status_code == 200, listed.text
    assert listed.json()["status"] == "active"

    vouched = _fan_in(live.tzb, WATER, "w")
    unlisted = _fan_in(live.tzb, OTHER, "o")
    assert not any(_codes(a) & {"payee.many_payers_24h", "payee.many_payers_7d"} for a in vouched)
    assert "payee.many_payers_24h" in _codes(unlisted[-1])

    page = analyst.get("/api/v1/antifraud/known-payees").json()
    assert page["total"] == 1 and page["items"][0]["name"] == "黄岩自来水有限公司"
    with unit_of_work() as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == Action.KNOWN_PAYEE_LISTED))
        assert event.actor_id is not None and event.note == "自来水公司缴费账户"


def test_delisting_needs_a_reason_and_fan_in_applies_again(live):
    analyst = live.as_user("analyst")
    entry = analyst.post("/api/v1/antifraud/known-payees", json={
        "account_no": OTHER, "source": "研判", "reason": "房东收租账户", "listed_on": "2025-01-01"}).json()
    assert analyst.post(f"/api/v1/antifraud/known-payees/{entry['id']}/delist", json={"reason": ""}).status_code == 422
    removed = analyst.post(f"/api/v1/antifraud/known-payees/{entry['id']}/delist", json={"reason": "核实为涉诈账户"})
    assert removed.json()["status"] == "removed"
    assert "payee.many_payers_24h" in _codes(_fan_in(live.tzb, OTHER, "d")[-1])
    with unit_of_work() as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == Action.KNOWN_PAYEE_DELISTED))
        assert event.note == "核实为涉诈账户"


def test_only_analysts_vouch_and_bad_rows_are_refused_by_field(live):
    entry = {"account_no": WATER, "source": "银行报备", "reason": "水费"}
    assert live.as_user("duty1").post("/api/v1/antifraud/known-payees", json=entry).status_code == 403
    bad = live.as_user("analyst").post("/api/v1/antifraud/known-payees", json={
        **entry, "account_no": "12", "listed_on": "2025-03-01", "expires_on": "2025-02-01"})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"account_no", "expires_on"}


def test_the_intel_page_lists_and_delists_known_payees(live):
    analyst = live.as_user("analyst")
    page = analyst.get("/antifraud/intel")
    assert "已知收款方名单" in page.text
    form = {"account_no": WATER, "name": "黄岩自来水有限公司",
            "source": "银行报备", "reason": "自来水公司缴费账户", "listed_on": "", "expires_on": ""}
    added = analyst.post("/antifraud/intel/known-payees", data=form, follow_redirects=True)
    assert added.status_code == 200 and "黄岩自来水有限公司" in added.text
    assert "多人转入规则不再对该账户触发" in added.text
    refused = analyst.post("/antifraud/intel/known-payees", data={**form, "reason": ""})
    assert refused.status_code == 422
    reader = live.as_user("duty1")
    shown = reader.get("/antifraud/intel")
    assert "黄岩自来水有限公司" in shown.text and "known-payee-form" not in shown.text
