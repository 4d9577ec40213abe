"""Payees as they are: the payee profile the state keeps (first sight, days with inflows, spread and
regularity, round amounts, payer overlap, organisation by name or credit code), and fan-in rules that
respect organisations, established receivers and the known-payee list while still catching a new mule."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from pingan.antifraud.engine import Engine, InMemoryStateStore
from pingan.antifraud.engine.features import FEATURE_INDEX
from pingan.antifraud.engine.state import KnownPayee
from pingan.core.identity import make_resident_id, uscc_check_char

from .factories import request

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ)
PAYEE = "6217000000005555"
FAN_IN = {"payee.many_payers_24h", "payee.many_payers_7d"}
USCC = "91331003MA2AXXXX0" + uscc_check_char("91331003MA2AXXXX0")


def _payer(n: int) -> dict:
    born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    return {"id_number": make_resident_id("331003", born, n % 99, "MF"[n % 2]), "account_no": f"6221{n:012d}"}


def _pay(engine: Engine, n: int, at: dt.datetime, amount: str, payee: dict | None = None, payer: int | None = None):
    return engine.screen(request(request_id=f"p-{n}", occurred_at=at.isoformat(), amount=amount,
                                 customer=_payer(n if payer is None else payer),
                                 payee={"account_no": PAYEE, **(payee or {})}))


def _feature(decision, name: str) -> float:
    return decision.features[FEATURE_INDEX[name]]


@pytest.mark.parametrize(("payee", "organisation", "uscc_given"), [
    ({"name": "黄岩自来水有限公司"}, 1, 0),
    ({"name": "台州市第一人民医院"}, 1, 0),
    ({"name": "王小明"}, 0, 0),
    ({"name": ...}, 0, 0),
    ({"name": "某某", "uscc": "USCC"}, 1, 1),
])
def test_organisation_by_name_or_credit_code(payee, organisation, uscc_given):
    if payee.get("uscc") == "USCC":
        payee = {**payee, "uscc": USCC}
    d = _pay(Engine(InMemoryStateStore()), 0, START, "100.00", payee)
    assert _feature(d, "payee_organisation") == organisation
    assert _feature(d, "payee_uscc_given") == uscc_given
    assert _feature(d, "payee_name_given") == (0 if payee.get("name") is ... else 1)


def test_once_named_an_organisation_an_account_stays_one():
    engine = Engine(InMemoryStateStore())
    _pay(engine, 0, START, "80.00", {"name": "黄岩燃气有限公司"})
    assert _feature(_pay(engine, 1, START + dt.timedelta(hours=1), "90.00", {"name": ...}), "payee_organisation") == 1


def test_the_profile_spans_the_whole_history():
    engine = Engine(InMemoryStateStore())
    amounts = ["1500.00", "1500.00", "1620.35", "1480.00", "1500.00"]
    for n, amount in enumerate(amounts):  # one payment a day, the first payer paying twice
        _pay(engine, n, START + dt.timedelta(days=n), amount, payer=0 if n == 4 else n)
    d = _pay(engine, 9, START + dt.timedelta(days=5), "1500.00")
    assert _feature(d, "payee_known_days") == pytest.approx(5)
    assert _feature(d, "payee_inflow_days") == 5 and _feature(d, "payee_inflows_per_day") == 1
    assert _feature(d, "payee_round_share") == pytest.approx(3 / 5)  # whole hundreds: 1500 three times
    assert _feature(d, "payee_repeat_share") == pytest.approx(1 / 5)
    assert 0 < _feature(d, "payee_amount_log_std") < 0.05  # steady amounts
    assert abs(_feature(d, "payee_amount_log_z")) < 1
    fresh = _pay(Engine(InMemoryStateStore()), 0, START, "100.00")
    assert _feature(fresh, "payee_inflow_days") == 0 and math.isnan(_feature(fresh, "payee_amount_log_std"))


def _burst(engine: Engine, first: int, at: dt.datetime, amount: str = "3000.00", payee: dict | None = None):
    """Six people pay the account within an hour; the last answer."""
    return [_pay(engine, first + k, at + dt.timedelta(minutes=8 * k), amount, payee) for k in range(6)][-1]


def test_fan_in_fires_on_a_new_personal_account():
    assert FAN_IN & set(_burst(Engine(InMemoryStateStore()), 0, START).fired)


def test_fan_in_spares_organisations_and_small_takings():
    shop = _burst(Engine(InMemoryStateStore()), 0, START, payee={"name": "黄岩华联超市有限公司"})
    assert not FAN_IN & set(shop.fired)
    assert not FAN_IN & set(_burst(Engine(InMemoryStateStore()), 0, START, amount="150.00").fired)


def test_fan_in_spares_an_established_receiver_on_its_usual_day_but_not_a_sudden_burst():
    engine = Engine(InMemoryStateStore())
    n = 0
    for day in range(12):  # six payers a day for twelve days: a landlord's or a shop's ordinary month
        for k in range(6):
            _pay(engine, n, START + dt.timedelta(days=day, minutes=30 * k), "3000.00")
            n += 1
    usual = _burst(engine, n, START + dt.timedelta(days=12))
    assert not FAN_IN & set(usual.fired)
    n += 6
    burst = [_pay(engine, n + k, START + dt.timedelta(days=12, hours=5, minutes=k), "3000.00") for k in range(24)][-1]
    assert FAN_IN & set(burst.fired)


def test_a_known_payee_never_triggers_fan_in():
    store = InMemoryStateStore()
    store.vouch_payee(KnownPayee(PAYEE, "房东王某", "研判核实", "出租房收租账户", dt.date(2025, 1, 1)))
    assert not FAN_IN & set(_burst(Engine(store), 0, START).fired)
    store.unvouch_payee(PAYEE)
    assert FAN_IN & set(_burst(Engine(store), 100, START + dt.timedelta(days=1)).fired)
    expired = InMemoryStateStore()
    expired.vouch_payee(KnownPayee(PAYEE, None, "研判", "到期", dt.date(2025, 1, 1), dt.date(2025, 2, 1)))
    assert FAN_IN & set(_burst(Engine(expired), 0, START).fired)
