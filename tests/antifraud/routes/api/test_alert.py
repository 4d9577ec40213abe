"""The alert loop over real HTTP: a hold from a bank, the station carries it to an outcome, the bank learns the
instruction (status and webhook), a confirmed fraud account is held for every bank, the measures export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from pingan.antifraud.models import Alert, AlertOutcome
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.audit.models import AuditEvent
from pingan.platform.notify import service as notify
from pingan.platform.notify.models import Event, WebhookDelivery
from pingan.platform.org.models import Bank
from tests.antifraud.engine.factories import body
from tests.antifraud.factories import RISKY, URL

ALERTS = "/api/v1/antifraud/alerts"


def _hold(live, **overrides) -> dict:
    answer = live.tzb.post(URL, json=body(**{**RISKY, **overrides})).json()
    assert answer["decision"] == "hold" and answer["alert_id"], answer
    return answer


def _carry(client, alert_id: int, outcome: str = "dissuaded", **close) -> dict:
    for action, payload in (("acknowledge", {}), ("dispatch", {"officer": "张警官"}), ("arrive", {})):
        response = client.post(f"{ALERTS}/{alert_id}/{action}", json=payload)
        assert response.status_code == 200, response.text
    response = client.post(f"{ALERTS}/{alert_id}/close", json={"outcome": outcome, "note": "已处置", **close})
    assert response.status_code == 200, response.text
    return response.json()


def test_station_carries_a_hold_to_an_outcome_and_the_bank_is_told(live):
    with unit_of_work() as db:
        tzb = db.scalar(select(Bank.id).where(Bank.code == "TZB"))
        hyrcb = db.scalar(select(Bank.id).where(Bank.code == "HYRCB"))
        notify.create_webhook(db, name="TZB core", url="http://tzb.example/hook", format="json",
                              topics="antifraud.alert.instructed", bank_id=tzb)
        notify.create_webhook(db, name="HYRCB core", url="http://hyrcb.example/hook", format="json",
                              topics="antifraud.alert.instructed", bank_id=hyrcb)
    answer = _hold(live)
    status = live.tzb.get(f"{URL}/{answer['screening_id']}").json()
    assert status["status"] == "new" and status["instruction"] is None and status["alert"]["hold_expires_at"]
    duty = live.as_user("duty1")
    listed = duty.get(ALERTS, params={"open": "true"}).json()
    assert [a["id"] for a in listed["items"]] == [answer["alert_id"]]
    item = listed["items"][0]
    assert item["customer"]["id_number"].count("*") >= 8 and item["allowed_actions"] == ["acknowledge"]

    duty.post(f"{ALERTS}/{answer['alert_id']}/acknowledge", json={})
    duty.post(f"{ALERTS}/{answer['alert_id']}/dispatch", json={"officer": "张警官"})
    on_the_way = live.tzb.get(f"{URL}/{answer['screening_id']}").json()
    assert on_the_way["alert"]["police_on_the_way"] is True and on_the_way["status"] == "dispatched"
    duty.post(f"{ALERTS}/{answer['alert_id']}/arrive", json={})
    closed = duty.post(f"{ALERTS}/{answer['alert_id']}/close",
                       json={"outcome": "dissuaded", "amount_protected": "180000.00", "note": "客户已醒悟"}).json()
    assert closed["status"] == "closed" and closed["instruction"] == "cancel"
    assert [s["action"] for s in closed["steps"]] == ["acknowledge", "dispatch", "arrive", "close"]

    final = live.tzb.get(f"{URL}/{answer['screening_id']}").json()
    assert (final["status"], final["outcome"], final["instruction"]) == ("closed", "dissuaded", "cancel")
    with unit_of_work() as db:
        deliveries = db.execute(select(WebhookDelivery.webhook_id, Event.bank_id, Event.payload)
                                .join(Event, Event.id == WebhookDelivery.event_id)
                                .where(Event.topic == "antifraud.alert.instructed")).all()
        assert len(deliveries) == 1 and deliveries[0][1] == tzb
        assert deliveries[0][2]["instruction"] == "cancel"
        assert deliveries[0][2]["request_id"] == RISKY["request_id"]


def test_a_refused_step_is_409_and_changes_nothing(live):
    alert_id = _hold(live)["alert_id"]
    duty = live.as_user("duty1")
    refused = duty.post(f"{ALERTS}/{alert_id}/arrive", json={})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "alert.transition_refused"
    assert duty.post(f"{ALERTS}/{alert_id}/acknowledge", json={}).status_code == 200
    assert duty.post(f"{ALERTS}/{alert_id}/acknowledge", json={}).status_code == 409
    early = duty.post(f"{ALERTS}/{alert_id}/close", json={"outcome": "dissuaded"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "alert.outcome_refused"
    assert duty.post(f"{ALERTS}/{alert_id}/close", json={"outcome": "made_up"}).status_code == 422
    assert duty.get(f"{ALERTS}/{alert_id}").json()["status"] == "acknowledged"


def test_alerts_filter_by_outcome_and_an_unknown_outcome_is_a_422(live):
    alert_id = _hold(live)["alert_id"]
    duty = live.as_user("duty1")
    _carry(duty, alert_id, outcome=AlertOutcome.DISSUADED)
    assert [a["id"] for a in duty.get(ALERTS, params={"outcome": "dissuaded"}).json()["items"]] == [alert_id]
    assert duty.get(ALERTS, params={"outcome": "not_fraud"}).json()["total"] == 0
    unknown = duty.get(ALERTS, params={"outcome": "made_up"})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["field"] == "outcome"


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "十万"])
def test_an_amount_protected_that_is_no_number_is_refused_and_changes_nothing(live, amount):
    alert_id = _hold(live)["alert_id"]
    duty = live.as_user("duty1")
    for action, payload in (("acknowledge", {}), ("dispatch", {"officer": "张警官"}), ("arrive", {})):
        assert duty.post(f"{ALERTS}/{alert_id}/{action}", json=payload).status_code == 200
    form = {"outcome": "dissuaded", "amount_protected": amount}
    page = duty.post(f"/antifraud/alerts/{alert_id}/close", data=form, follow_redirects=False)
    assert page.status_code == 422, page.text
    card = duty.post(f"/antifraud/alerts/{alert_id}/close", data=form, headers={"HX-Request": "true"})
    assert card.status_code == 200 and "挽回金额须为数字" in card.text
    api = duty.post(f"{ALERTS}/{alert_id}/close", json=form)
    assert api.status_code == 422 and api.json()["error"]["details"][0]["field"] == "amount_protected"
    assert duty.get(f"{ALERTS}/{alert_id}").json()["status"] == "on_site"


def test_another_station_sees_nothing_and_the_bureau_sees_all(live):
    alert_id = _hold(live)["alert_id"]
    other = live.as_user("duty2")
    assert other.get(f"{ALERTS}/{alert_id}").status_code == 404
    assert other.post(f"{ALERTS}/{alert_id}/acknowledge", json={}).status_code == 404
    assert other.get(ALERTS).json()["total"] == 0
    assert live.as_user("analyst").get(ALERTS).json()["total"] == 1
    assert live.tzb.get(ALERTS).status_code == 403  # banks follow holds through the screening status
    live.as_user("duty1").get(f"{ALERTS}/{alert_id}")
    with unit_of_work() as db:
        assert db.scalar(select(AuditEvent).where(AuditEvent.action == "antifraud.alert.viewed")) is not None


def test_a_window_clerk_and_a_mediator_of_the_station_cannot_read_its_alerts(live):
    alert_id = _hold(live)["alert_id"]
    for username in ("clerk1", "mediator1"):
        other = live.as_user(username)
        assert other.get(ALERTS).status_code == 403
        assert other.get(f"{ALERTS}/{alert_id}").status_code == 403
        assert other.get(f"{ALERTS}/measures").status_code == 403
        assert other.post(f"{ALERTS}/{alert_id}/acknowledge", json={}).status_code == 403
    assert live.as_user("duty1").get(f"{ALERTS}/{alert_id}").status_code == 200


def test_a_remote_hold_is_a_call_back_for_the_centre(live):
    alert_id = _hold(live, request_id="remote-1", channel="mobile")["alert_id"]
    assert live.as_user("duty1").post(f"{ALERTS}/{alert_id}/acknowledge", json={}).status_code == 403
    centre = live.as_user("analyst")
    item = centre.post(f"{ALERTS}/{alert_id}/acknowledge", json={}).json()
    assert item["kind"] == "callback" and item["allowed_actions"] == ["close"]
    assert "no_answer" in item["close_outcomes"] and "unreachable" not in item["close_outcomes"]
    assert centre.post(f"{ALERTS}/{alert_id}/dispatch", json={"officer": "x"}).status_code == 409
    closed = centre.post(f"{ALERTS}/{alert_id}/close", json={"outcome": "no_answer"}).json()
    assert closed["instruction"] == "cancel"


def test_a_confirmed_fraud_account_is_held_for_the_next_bank_at_once(live):
    payee = "6217000000007777"
    alert_id = _hold(live, payee={"account_no": payee, "name": "李某", "region_code": "510104"})["alert_id"]
    # Listings count from their listing date on, so the transfer happens today.
    today = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")
    ordinary = body(request_id="after-1", bank_code="HYRCB", branch_code="HYRCB-01", amount="3000.00",
                    occurred_at=today, payee={"account_no": payee})
    before = live.hyrcb.post(URL, json=ordinary).json()
    assert before["decision"] != "hold"
    _carry(live.as_user("duty1"), alert_id, "fraud_confirmed", fraud_phone="13912345678")
    after = live.hyrcb.post(URL, json={**ordinary, "request_id": "after-2"}).json()
    assert after["decision"] == "hold"
    assert any(r["code"] == "intel.payee_account" for r in after["reasons"])
    intel = live.as_user("analyst").get("/api/v1/antifraud/intel", params={"q": payee}).json()
    assert intel["items"][0]["alert_id"] == alert_id


def test_measures_and_excel_export(live):
    duty = live.as_user("duty1")
    first = _hold(live)["alert_id"]
    _hold(live, request_id="risky-2")
    _carry(duty, first, "dissuaded", amount_protected="150000")
    data = live.as_user("analyst").get(f"{ALERTS}/measures").json()
    assert data["alerts"] == 2 and data["money_protected"] == "150000.00"
    station = next(r for r in data["outcomes"] if r["station"] == "头陀派出所")
    assert station["dissuaded"] == 1 and station["open"] == 1
    assert data["timing"][-1]["acknowledged"] == 1 and data["timing"][-1]["arrived"] == 1
    assert data["holds_by_branch"][0]["holds"] == 2
    export = duty.get("/antifraud/alerts/measures.xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert {"按所按月", "处置时效", "处置结果", "网点止付"} <= set(book.sheetnames)
    assert book["网点止付"]["C2"].value == 2


def test_console_and_teller_progress_pages(live):
    answer = _hold(live)
    duty = live.as_user("duty1")
    console = duty.get("/antifraud/console")
    assert console.status_code == 200 and f'id="alert-{answer["alert_id"]}"' in console.text
    assert "EventSource" in console.text and "AudioContext" in console.text
    assert "王阿婆" not in console.text  # masked
    card = duty.post(f"/antifraud/alerts/{answer['alert_id']}/arrive", headers={"HX-Request": "true"})
    assert card.status_code == 200 and 'data-role="error"' in card.text  # refused, shown on the card
    duty.post(f"/antifraud/alerts/{answer['alert_id']}/acknowledge", headers={"HX-Request": "true"})
    card = duty.post(f"/antifraud/alerts/{answer['alert_id']}/dispatch", data={"officer": "张警官"},
                     headers={"HX-Request": "true"})
    assert 'data-status="dispatched"' in card.text
    teller = live.as_user("teller1")
    progress = teller.get(f"/antifraud/alerts/{answer['alert_id']}/progress")
    assert progress.status_code == 200 and "民警正在赶来" in progress.text
    assert live.as_user("teller2").get(f"/antifraud/alerts/{answer['alert_id']}/progress").status_code == 404
    assert live.as_user("duty2").get(f"/antifraud/console/alerts/{answer['alert_id']}").status_code == 404
    with unit_of_work() as db:
        assert db.get(Alert, answer["alert_id"]).officer == "张警官"
