"""The screening contract over real HTTP: decisions, idempotency, validation, scoping, durability."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from sqlalchemy import func, select

from pingan.antifraud.models import Alert, Screening
from pingan.antifraud.routes.api import screening as screening_api
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.settings import get_antifraud_settings
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.notify.models import Event
from tests.antifraud.engine.factories import ELDERLY_WOMAN, FixedModel, body
from tests.antifraud.factories import RISKY, URL


def _count(model) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_ordinary_transfer_allowed_and_stored(live):
    response = live.tzb.post(URL, json=body(request_id="ok-1"))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["decision"] == "allow" and answer["alert_id"] is None
    assert set(answer) == {"screening_id", "request_id", "decision", "score", "risk", "reasons", "typology",
                           "questions", "alert_id", "model_version", "elapsed_ms"}
    assert answer["score"] == round(answer["risk"])
    status = live.tzb.get(f"{URL}/{answer['screening_id']}").json()
    assert status["decision"] == "allow" and status["status"] == "decided" and status["branch_code"] == "TZB-01"


def test_risky_transfer_held_with_alert_and_event(live):
    answer = live.tzb.post(URL, json=body(**RISKY)).json()
    assert answer["decision"] == "hold"
    assert answer["typology"] == "impersonating_authorities"
    assert answer["questions"] and answer["reasons"][0]["message"]
    with unit_of_work() as db:
        alert = db.get(Alert, answer["alert_id"])
        assert alert.screening_id == answer["screening_id"] and alert.status.value == "new"
        assert alert.station_id == alert.screening.branch.station_id
        event = db.scalar(select(Event).where(Event.topic == "antifraud.alert.created"))
        assert event.payload["alert_id"] == alert.id and event.unit_id == alert.station_id
        assert ELDERLY_WOMAN not in (event.body or "")


def test_same_request_id_returns_first_answer_and_no_second_alert(live):
    first = live.tzb.post(URL, json=body(**RISKY)).json()
    again = live.tzb.post(URL, json=body(**RISKY)).json()
    assert again == first
    assert _count(Alert) == 1 and _count(Screening) == 1


def test_the_answer_ranks_the_riskiest_strictly_where_integer_scores_tie(live, monkeypatch):
    # Near the top several transfers share an integer score; the answer's risk keeps them in strict order,
    # the first answer and its repeat and the stored screening agree on it, and a forced hold ranks by it too.
    live.tzb.post(URL, json=body(request_id="warm-up"))  # the runtime has read its rules and model
    engine = get_runtime().engine
    answers = []
    for n, points in enumerate((1000, 1700, 2600, 2610, 2620)):
        monkeypatch.setattr(engine, "model", FixedModel(points))
        first = live.tzb.post(URL, json=body(request_id=f"top-{n}")).json()
        assert live.tzb.post(URL, json=body(request_id=f"top-{n}")).json() == first
        assert live.tzb.get(f"{URL}/{first['screening_id']}").json()["risk"] == first["risk"]
        answers.append(first)
    assert {(a["decision"], a["model_version"]) for a in answers} == {("hold", "fixed")}
    assert all(a["score"] == round(a["risk"]) and 0 <= a["risk"] < 1000 for a in answers)
    assert len({a["score"] for a in answers[2:]}) == 1  # tied as integers...
    risks = [a["risk"] for a in answers]
    assert risks == sorted(set(risks))  # ...strictly ordered by risk
    mule = "6230000000012345"
    engine.store.list_entry("account", mule, typology=None, source="反诈中心", listed_on=dt.date(2025, 1, 1))
    forced = []
    for n, points in enumerate((0.0, 500.0)):
        monkeypatch.setattr(engine, "model", FixedModel(points))
        forced.append(live.tzb.post(URL, json=body(request_id=f"forced-{n}", payee={"account_no": mule})).json())
    assert [a["decision"] for a in forced] == ["hold", "hold"]
    assert 700 <= forced[0]["risk"] < forced[1]["risk"] <= 1000


def test_same_request_id_other_body_is_409(live):
    live.tzb.post(URL, json=body(request_id="dup-1"))
    response = live.tzb.post(URL, json=body(request_id="dup-1", amount="2001.00"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "screening.request_id_reused"


def test_same_request_id_from_another_bank_is_another_request(live):
    live.tzb.post(URL, json=body(request_id="shared-1"))
    other = live.hyrcb.post(URL, json=body(request_id="shared-1", bank_code="HYRCB", branch_code="HYRCB-01"))
    assert other.status_code == 200 and _count(Screening) == 2


def _error(response, status=422):
    assert response.status_code == status, response.text
    return {(d["field"], d["code"]) for d in response.json()["error"]["details"]}


def test_validation_names_fields_and_stores_nothing(live):
    bad_id = body(customer={"id_number": ELDERLY_WOMAN[:-1] + ("0" if ELDERLY_WOMAN[-1] != "0" else "1")})
    assert ("customer.id_number", "id_number.check_digit") in _error(live.tzb.post(URL, json=bad_id))
    fields = {f for f, _ in _error(live.tzb.post(URL, json=body(amount="10.123")))}
    assert "amount" in fields
    assert "occurred_at" in {f for f, _ in _error(live.tzb.post(URL, json=body(occurred_at="2025-03-03T10:00:00")))}
    assert any(f.startswith("signals") for f, _ in _error(live.tzb.post(URL, json=body(signals=["telepathy"]))))
    assert "channel" in {f for f, _ in _error(live.tzb.post(URL, json=body(channel="pigeon")))}
    assert ("branch_code", "branch.unknown") in _error(live.tzb.post(URL, json=body(branch_code="TZB-99")))
    assert _count(Screening) == 0


def test_garbage_never_500(live):
    for raw in [b"", b"{", b"[]", b"null", b'{"request_id": 5}', b"\xff\xfe", b'{"amount": 1e999}',
                b'{"request_id":"' + b"x" * 100 + b'"}']:
        response = live.tzb.post(URL, content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422, (raw, response.status_code, response.text)
    assert _count(Screening) == 0


@pytest.mark.parametrize("occurred_at", [
    "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "1999-12-31T23:59:59+00:00", "+2",
])
def test_a_remittance_time_no_bank_can_have_seen_is_refused_before_screening(live, occurred_at):
    if occurred_at == "+2":  # two days ahead of the clock
        occurred_at = (clock.now() + dt.timedelta(days=2)).isoformat()
    response = live.tzb.post(URL, json=body(occurred_at=occurred_at))
    assert response.status_code == 422, response.text
    assert ("occurred_at", "occurred_at.out_of_range") in _error(response)
    assert _count(Screening) == 0


def test_a_remittance_time_within_range_is_screened(live):
    for n, occurred_at in enumerate(["2000-01-01T08:00:00+08:00", (clock.now() + dt.timedelta(hours=20)).isoformat()]):
        assert live.tzb.post(URL, json=body(request_id=f"edge-{n}", occurred_at=occurred_at)).status_code == 200


def test_keys_and_banks(live):
    assert live.client().post(URL, json=body()).status_code == 401
    bad = live.client({"Authorization": "Bearer pa_0000_nope"}).post(URL, json=body())
    assert bad.status_code == 401
    other_bank = live.hyrcb.post(URL, json=body(request_id="x-1"))  # HYRCB's key, TZB's branch
    assert other_bank.status_code == 403 and other_bank.json()["error"]["code"] == "antifraud.other_bank"
    teller_key = live.client({"Authorization": f"Bearer {live.keys['teller1']}"}).post(URL, json=body())
    assert teller_key.status_code == 403
    assert _count(Screening) == 0


def _burst(app, key: str, tag: str, n: int) -> list[int]:
    """n screenings sent at once on one event loop (as a server sees them), after one that warms the key."""
    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pingan",
                                     headers={"Authorization": f"Bearer {key}"}) as client:
            warm = await client.post(URL, json=body(request_id=f"{tag}-warm"))
            assert warm.status_code == 200
            answers = await asyncio.gather(*(client.post(URL, json=body(request_id=f"{tag}-{i}")) for i in range(n)))
            return [a.status_code for a in answers]
    return asyncio.run(run())


def test_an_expired_key_is_looked_up_by_one_request_while_its_last_answer_stands(live, monkeypatch):
    looked_up = []
    real = screening_api._caller_sync
    monkeypatch.setattr(screening_api, "_caller_sync", lambda token: looked_up.append(token) or real(token))
    monkeypatch.setattr(get_antifraud_settings(), "api_key_cache_seconds", 0.0)  # every entry expires at once
    screening_api._key_cache.clear()
    assert _burst(live.app, live.keys["TZB"], "herd", 20) == [200] * 20
    assert len(looked_up) == 2  # the warming request's look-up, then one refresh for the whole burst


def test_a_revoked_key_is_refused_once_its_entry_expires(live, monkeypatch):
    monkeypatch.setattr(get_antifraud_settings(), "api_key_cache_seconds", 0.0)
    assert live.tzb.post(URL, json=body(request_id="rev-1")).status_code == 200
    with unit_of_work() as db:
        auth.revoke_api_key(db, prefix=live.keys["TZB"].split("_")[1])
    refused = live.tzb.post(URL, json=body(request_id="rev-2"))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.bad_api_key"
    assert live.tzb.post(URL, json=body(request_id="rev-3")).status_code == 401


def test_reading_screenings_is_scoped(live):
    sid = live.tzb.post(URL, json=body(request_id="scope-1")).json()["screening_id"]
    assert live.as_user("duty1").get(f"{URL}/{sid}").status_code == 200  # TZB-01 is in 头陀's area
    assert live.as_user("duty2").get(f"{URL}/{sid}").status_code == 404
    assert live.as_user("teller2").get(f"{URL}/{sid}").status_code == 404  # another branch
    assert live.hyrcb.get(f"{URL}/{sid}").status_code == 404  # another bank
    assert live.as_user("analyst").get(f"{URL}/{sid}").status_code == 200


def test_amount_written_differently_is_the_same_request(live):
    first = live.tzb.post(URL, json=body(request_id="amt-1", amount="2000")).json()
    again = live.tzb.post(URL, json=body(request_id="amt-1", amount=2000.0))
    assert again.status_code == 200 and again.json() == first
