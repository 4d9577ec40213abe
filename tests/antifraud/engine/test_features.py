import datetime as dt
import math
import random

import pytest

from pingan.antifraud.engine import Engine, InMemoryStateStore
from pingan.antifraud.engine.contract import SIGNALS, ScreeningRequest
from pingan.antifraud.engine.features import (
    FEATURE_INDEX,
    FEATURE_NAMES,
    FEATURE_SET_VERSION,
    compute_features,
    request_facts,
)
from pingan.core.identity import make_resident_id

from .factories import ELDERLY_WOMAN, request

PURPOSES = (
    None,
    "生活费",
    "装修款",
    "刷单返利",
    "投资USDT",
    "解冻验证金",
    "快递理赔",
    "安全账户",
    "同学借钱",
    "游戏装备",
)


def random_requests(seed: int, n: int = 400) -> list[ScreeningRequest]:
    rng = random.Random(seed)
    regions = ("331003", "331002", "510104", "110101", "440305")
    customers = [
        make_resident_id(
            rng.choice(regions), dt.date(rng.randint(1940, 2004), rng.randint(1, 12), 15), i, "MF"[i % 2]
        )
        for i in range(25)
    ]
    payees = [f"62220200{i:08d}" for i in range(15)]
    at = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    out = []
    for i in range(n):
        at += dt.timedelta(minutes=rng.randint(0, 240))
        payee: dict = {"account_no": rng.choice(payees)}
        if rng.random() < 0.5:
            payee["region_code"] = rng.choice(regions)
        if rng.random() < 0.3:
            payee["account_opened_on"] = f"2025-0{rng.randint(1, 2)}-{rng.randint(1, 28):02d}"
        out.append(
            request(
                request_id=f"r{i}",
                occurred_at=at.isoformat(),
                channel=rng.choice(("counter", "atm", "mobile", "online")),
                amount=f"{rng.randint(1, 20_000_000) / 100:.2f}",
                customer={"id_number": rng.choice(customers), "balance": rng.choice((..., "0", "80000.00"))},
                payee=payee,
                purpose=rng.choice(PURPOSES) or ...,
                signals=rng.sample(SIGNALS, rng.randint(0, 3)),
            )
        )
    return out


def vectors(requests: list[ScreeningRequest]) -> list[tuple[float, ...]]:
    return [d.features for _, d in Engine(InMemoryStateStore()).replay(requests)]


def same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all((x == y) or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))


def test_names_and_vector_line_up():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES)) == len(vectors([request()])[0])
    assert FEATURE_SET_VERSION.startswith("f1-")


def test_replaying_the_same_sequence_twice_gives_identical_vectors():
    requests = random_requests(seed=7)
    first, second = vectors(requests), vectors(random_requests(seed=7))
    assert all(same(a, b) for a, b in zip(first, second, strict=True))
    assert len({v[FEATURE_INDEX["payee_payers_7d"]] for v in first}) > 2  # the state really moved


def test_features_depend_only_on_the_state_before_the_request():
    """Online: the service screens request k after k-1 others; offline: the same vector from a replay."""
    requests = random_requests(seed=11, n=120)
    replayed = vectors(requests)
    for k in (0, 1, 37, 119):
        engine = Engine(InMemoryStateStore())
        for _ in engine.replay(requests[:k]):
            pass
        assert same(engine.screen(requests[k], record=False).features, replayed[k])


def feature(req: ScreeningRequest, name: str, engine: Engine | None = None) -> float:
    engine = engine or Engine(InMemoryStateStore())
    return engine.screen(req, record=False).features[FEATURE_INDEX[name]]


def test_demographics_come_from_the_id_number():
    req = request(customer={"id_number": ELDERLY_WOMAN}, occurred_at="2025-02-14T09:00:00+08:00")
    assert feature(req, "customer_age") == 77
    assert feature(req, "customer_female") == 1
    assert feature(req, "customer_elderly") == 1
    assert feature(request(), "customer_elderly") == 0


@pytest.mark.parametrize(
    ("when", "hour", "night"),
    [
        ("2025-03-03T13:30:00Z", 21, 0),  # 21:30 in Shanghai
        ("2025-03-03T14:05:00Z", 22, 1),
        ("2025-03-03T05:59:00+08:00", 5, 1),
        ("2025-03-02T22:30:00-08:00", 14, 0),
    ],
)
def test_night_is_judged_in_local_time(when, hour, night):
    req = request(occurred_at=when)
    assert (feature(req, "local_hour"), feature(req, "night")) == (hour, night)


def test_other_province_uses_the_payee_region_or_what_the_state_remembers():
    assert feature(request(payee={"region_code": "510104"}), "payee_other_province") == 1
    assert feature(request(payee={"region_code": "330102"}), "payee_other_province") == 0
    assert math.isnan(feature(request(payee={"region_code": ...}), "payee_other_province"))
    engine = Engine(InMemoryStateStore())
    engine.screen(request(payee={"region_code": "510104"}))
    assert feature(request(request_id="r2", payee={"region_code": ...}), "payee_other_province", engine) == 1


def test_payee_account_age_prefers_the_opening_date_then_first_seen_once_the_state_has_watched_a_month():
    opened = request(payee={"account_opened_on": "2025-02-01"})
    assert feature(opened, "payee_account_age_days") == 30
    # A fresh state (a county just switched on) has not seen anyone yet: "never seen" is not "new".
    assert math.isnan(feature(request(), "payee_account_age_days"))
    engine = Engine(InMemoryStateStore())
    engine.screen(request(request_id="old", occurred_at="2025-01-01T10:00:00+08:00",
                          payee={"account_no": "6222000000000001"}))
    assert feature(request(), "payee_account_age_days", engine) == 0  # never seen in two months: new
    engine.screen(request(occurred_at="2025-02-21T10:00:00+08:00"))
    assert feature(request(), "payee_account_age_days", engine) == 10
    # Seen only in the state's first month: its age is unknown, not the days since the state started.
    assert math.isnan(feature(request(payee={"account_no": "6222000000000001"}), "payee_account_age_days", engine))


@pytest.mark.parametrize(
    ("purpose", "group"),
    [
        ("做任务刷单返佣金", "purpose_brushing"),
        ("买usdt投资", "purpose_investment"),
        ("贷款验证金", "purpose_loan"),
        ("快递丢了客服理赔", "purpose_customer_service"),
        ("转到安全账户配合公安调查", "purpose_authorities"),
        ("领导让我转给供应商", "purpose_acquaintance"),
        ("网恋男朋友要的", "purpose_romance"),
        ("买游戏装备", "purpose_game"),
        ("给家人装修", "purpose_cover_story"),
    ],
)
def test_purpose_words_set_their_group(purpose, group):
    vector = Engine(InMemoryStateStore()).screen(request(purpose=purpose), record=False).features
    groups = {n for n in FEATURE_NAMES if n.startswith("purpose_") and n != "purpose_given"}
    assert {n for n in groups if vector[FEATURE_INDEX[n]] == 1} == {group}


def test_missing_purpose_is_missing_not_innocent():
    req = request(purpose=...)
    assert feature(req, "purpose_given") == 0
    assert math.isnan(feature(req, "purpose_authorities"))


def test_customer_history_ratios():
    engine = Engine(InMemoryStateStore())
    for i in range(3):
        engine.screen(
            request(request_id=f"r{i}", amount="1000.00", occurred_at=f"2025-03-0{i + 1}T10:00:00+08:00")
        )
    req = request(
        amount="20000.00", occurred_at="2025-03-03T10:30:00+08:00", customer={"balance": "20000.00"}
    )
    vector = engine.screen(req, record=False).features
    assert vector[FEATURE_INDEX["amount_to_usual_mean"]] == 20
    assert vector[FEATURE_INDEX["amount_to_balance"]] == 1
    assert vector[FEATURE_INDEX["customer_transfers_1h"]] == 1
    assert vector[FEATURE_INDEX["minutes_since_last_transfer"]] == 30
    assert vector[FEATURE_INDEX["payee_new_to_customer"]] == 0
    assert vector[FEATURE_INDEX["amount_log_z"]] > 5


def test_compute_features_is_the_function_the_engine_uses():
    req = request()
    store = InMemoryStateStore()
    facts = request_facts(req)
    snap = store.snapshot(facts.customer_key, facts.payee_key, at=facts.at, intel_keys=facts.intel_keys,
                          on=dt.date.fromordinal(facts.day))
    assert same(tuple(compute_features(facts, snap)), Engine(store).screen(req).features)
