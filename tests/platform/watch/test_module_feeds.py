"""The modules feed the register: the intel list's ID numbers become a watch list (a listed person taken in as
a dispute party puts a hit on the anti-fraud centre's feed, not the mediator's), stored screenings record
their customers, and a customer dissuaded at an alert is protected: their next screening anywhere tells the
station that dissuaded them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pingan.antifraud.alert import service as alert_service
from pingan.antifraud.intel import register
from pingan.antifraud.intel import service as intel
from pingan.antifraud.models import Alert
from pingan.antifraud.routes.api.screening import SCREENING_PATH
from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.antifraud.screening.storage.store import store_rows
from pingan.app import create_app
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.mediation import service as mediation
from pingan.mediation.schemas import DisputeIn, parse
from pingan.platform.auth import service as auth
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.people.models import Appearance
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import WatchEntry, WatchHit
from tests.antifraud.factories import decided_body, decided_row
from tests.factories import COUNTY_YAML, PASSWORD

SUSPECT = make_resident_id("331003", dt.date(1979, 8, 8), 6, "M")
GRANNY = make_resident_id("331003", dt.date(1948, 2, 14), 3, "F")
_ids = itertools.count(1)


def _topics(db, user) -> list[str]:
    return [e.topic for e in notify.feed_for(db, user)]


def test_an_intel_id_number_taken_in_as_a_party_tells_the_centre_not_the_mediator(county, make_user):
    analyst, mediator = make_user(Role.ANALYST), make_user(Role.MEDIATOR, unit="331003-01")
    intel.list_entries(county, intel.check_rows([{"kind": "id_number", "value": SUSPECT, "typology": "",
                                                  "source": "公安部推送", "listed_on": clock.today_local()}]),
                       actor=analyst)
    mediation.take_in(county, actor=mediator, data=parse(DisputeIn, {
        "source": "walk_in", "category": "neighbour", "summary": "邻里纠纷", "station_code": "331003-01",
        "parties": [{"name": "孙某", "id_number": SUSPECT}, {"name": "周某", "phone": "13905760020"}]}))
    (hit,) = county.scalars(select(WatchHit)).all()
    assert (hit.watch_list.code, hit.entered_by_id) == (register.INTEL_LIST, mediator.id)
    assert watch.HIT_TOPIC in _topics(county, analyst)
    assert watch.HIT_TOPIC not in _topics(county, mediator)


def test_an_id_number_taken_off_the_intel_list_leaves_the_watch_list(county, make_user):
    analyst = make_user(Role.ANALYST)
    intel.list_entries(county, intel.check_rows([{"kind": "id_number", "value": SUSPECT, "typology": "",
                                                  "source": "公安部推送", "listed_on": clock.today_local()}]),
                       actor=analyst)
    (entry,), _ = intel.search(county, kind="id_number")
    intel.delist(county, entry_id=entry.id, reason="身份核实有误", actor=analyst)
    (watched,) = county.scalars(select(WatchEntry)).all()
    assert watched.removed_at is not None


def _row(db, branch_code: str, decision: str, *, by: int | None = None) -> dict:
    """A screening row as the store process receives it."""
    request = decided_body(branch_code, f"reg-{next(_ids)}", channel="counter", amount="50000.00",
                           customer={"id_number": GRANNY, "name": "王阿婆", "phone": "13905760030",
                                     "account_no": "6222020000000011"}, payee={"account_no": "6217000000009999"})
    return decided_row(db, request, decision=decision, submitted_by_id=by)


@pytest.fixture
def committed_county(committed_db):
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        for username, role, unit in (("c_analyst", Role.ANALYST, "331003"), ("c_duty1", Role.DUTY_OFFICER,
                                                                              "331003-01"),
                                     ("c_duty2", Role.DUTY_OFFICER, "331003-02")):
            auth.create_user(db, username=username, password=PASSWORD, role=role, unit_code=unit)
        auth.create_user(db, username="c_teller", password=PASSWORD, role=Role.TELLER, branch_code="TZB-01")


def test_a_dissuaded_customer_is_protected_and_the_station_hears_of_the_next_transfer(committed_county):
    with unit_of_work() as db:
        teller = auth.get_user(db, "c_teller")
        first = _row(db, "TZB-01", "hold", by=teller.id)
    (alert_id,) = store_rows([first])
    with unit_of_work() as db:
        assert db.scalar(select(Appearance.role).where(Appearance.record_id == first["id"])) == "customer"
        duty = auth.get_user(db, "c_duty1")
        alert = db.get(Alert, alert_id)
        alert_service.acknowledge_alert(db, alert=alert, actor=duty)
        alert_service.dispatch_alert(db, alert=alert, actor=duty, officer="张警官")
        alert_service.arrive_alert(db, alert=alert, actor=duty)
        alert_service.close_alert(db, alert=alert, actor=duty, outcome="dissuaded")
    with unit_of_work() as db:
        assert watch.protected_entry(db, GRANNY) is not None
        second = _row(db, "TZB-02", "allow")  # at another station's branch
    store_rows([second])
    with unit_of_work() as db:
        hits = db.scalars(select(WatchHit).where(WatchHit.record_id == second["id"])).all()
        toutuo = org_service.get_unit(db, "331003-01")
        assert {(h.owner_unit_id, h.owner_role) for h in hits} >= {(toutuo.id, Role.DUTY_OFFICER)}
        assert watch.HIT_TOPIC in _topics(db, auth.get_user(db, "c_duty1"))
        assert watch.HIT_TOPIC in _topics(db, auth.get_user(db, "c_analyst"))
        assert watch.HIT_TOPIC not in _topics(db, auth.get_user(db, "c_duty2"))


def test_an_allowed_transfer_is_checked_against_the_lists_but_not_written_into_the_register(committed_county):
    with unit_of_work() as db:
        allowed, warned = _row(db, "TZB-01", "allow"), _row(db, "TZB-01", "warn")
    store_rows([allowed, warned])
    with unit_of_work() as db:
        recorded = db.scalars(select(Appearance.record_id).where(Appearance.id_number == GRANNY)).all()
        assert recorded == [warned["id"]]
        analyst = auth.get_user(db, "c_analyst")
        intel.list_entries(db, intel.check_rows([{"kind": "id_number", "value": GRANNY, "typology": "",
                                                  "source": "公安部推送", "listed_on": clock.today_local()}]),
                           actor=analyst)
        listed = _row(db, "TZB-01", "allow")
    store_rows([listed])
    with unit_of_work() as db:
        (hit,) = db.scalars(select(WatchHit).where(WatchHit.record_id == listed["id"])).all()
        assert hit.watch_list.code == register.INTEL_LIST
        assert db.scalar(select(Appearance.id).where(Appearance.record_id == listed["id"])) is None


def _screening(n: int, branch: str, amount: str, **extra) -> dict:
    # At the counter in the morning, a minute apart (a transfer after midnight weighs more, whoever sends it).
    at = clock.local(clock.now()).replace(hour=10, minute=n, second=0, microsecond=0)
    return {"request_id": f"protect-{n}", "bank_code": branch.split("-")[0], "branch_code": branch,
            "channel": "counter", "occurred_at": at.isoformat(), "amount": amount,
            "customer": {"id_number": GRANNY, "name": "王阿婆", "account_no": "6222020000000011",
                         "balance": "200000.00"},
            "payee": {"account_no": "6217000000009999", "name": "李某", "region_code": "510104"}, **extra}


@pytest.fixture
def live_app(committed_county):
    """The app with its screening engine booted, and an API key for each bank's systems."""
    keys = {}
    with unit_of_work() as db:
        for bank in ("TZB", "HYRCB"):
            _, keys[bank] = auth.create_api_key(db, user=auth.bank_system_user(db, bank), name="core")
    app = create_app(run_scheduler=False)
    with TestClient(app):
        yield app, keys
    shutdown_runtime()


def test_the_next_transfer_of_a_dissuaded_customer_is_warned_at_any_bank(live_app):
    app, keys = live_app
    tzb = TestClient(app, headers={"Authorization": f"Bearer {keys['TZB']}"})
    hyrcb = TestClient(app, headers={"Authorization": f"Bearer {keys['HYRCB']}"})
    before = hyrcb.post(SCREENING_PATH, json=_screening(1, "HYRCB-01", "300.00")).json()
    assert before["decision"] == "allow"
    held = tzb.post(SCREENING_PATH, json=_screening(2, "TZB-01", "180000.00",
                                                   purpose="公安局说我的账户涉嫌洗钱，要转到安全账户资金审查",
                                                   signals=["on_phone", "caller_instructing",
                                                            "keeps_secret_from_family"])).json()
    assert held["decision"] == "hold"
    with unit_of_work() as db:
        duty = auth.get_user(db, "c_duty1")
        alert = db.get(Alert, held["alert_id"])
        alert_service.acknowledge_alert(db, alert=alert, actor=duty)
        alert_service.dispatch_alert(db, alert=alert, actor=duty, officer="张警官")
        alert_service.arrive_alert(db, alert=alert, actor=duty)
        alert_service.close_alert(db, alert=alert, actor=duty, outcome="dissuaded")
    after = hyrcb.post(SCREENING_PATH, json=_screening(3, "HYRCB-01", "300.00")).json()
    assert after["decision"] == "warn"
    assert {"code": "protected.recent_dissuasion", "message": "近期被劝阻客户"} in after["reasons"]
