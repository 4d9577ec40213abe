import datetime as dt
import math

import orjson
import pytest

from pingan.antifraud.engine import (
    DecisionThresholds,
    Engine,
    EngineDecision,
    InMemoryStateStore,
    RuleSet,
    restore_features,
)
from pingan.antifraud.engine.features import FEATURE_INDEX, FEATURE_NAMES
from pingan.antifraud.engine.scoring import IDENTITY
from pingan.core.identity import make_resident_id

from .factories import ELDERLY_WOMAN, request

TODAY = dt.date(2025, 3, 3)


def engine(**kwargs) -> Engine:
    return Engine(InMemoryStateStore(), **kwargs)


def elderly_authorities_case(**overrides):
    return request(
        channel="counter",
        amount="180000.00",
        customer={"id_number": ELDERLY_WOMAN, "name": "陈阿婆", "balance": "200000.00"},
        payee={"account_no": "6217999900001111", "name": "刘某", "region_code": "510104"},
        purpose="公安局说我涉嫌洗钱，要把钱转到安全账户接受资金审查",
        signals=["fixed_deposit_early_withdrawal", "nervous_or_hurried"],
        **overrides,
    )


def test_elderly_woman_breaking_a_deposit_for_the_police_is_held():
    decision = engine().screen(elderly_authorities_case())
    assert decision.decision == "hold"
    assert 900 < decision.score < 1000  # among the riskiest, yet room above it
    assert decision.typology == "impersonating_authorities"
    assert 3 <= len(decision.questions) <= 5 and any("公检法" in q for q in decision.questions)
    codes = [r.code for r in decision.reasons]
    assert {"elderly.fixed_deposit_counter", "purpose.authorities", "payee.new_other_province_large"} <= set(
        codes
    )
    assert codes[:2] == ["elderly.fixed_deposit_counter", "purpose.authorities"]  # heaviest first
    assert all(r.message for r in decision.reasons)
    assert decision.model_version == "rules-only" and decision.model_probability is None
    assert len(decision.features) == len(FEATURE_NAMES)


def test_ordinary_family_transfer_is_allowed():
    e = engine()
    for i in range(3):
        first = e.screen(request(request_id=f"r{i}", occurred_at=f"2025-02-0{i + 1}T19:00:00+08:00"))
        assert first.decision == "allow"
    decision = e.screen(request(request_id="r9", amount="3000.00", purpose="给家人生活费"))
    assert decision.decision == "allow"
    assert decision.score < 300
    assert decision.reasons == () and decision.typology is None and decision.questions == ()


def test_payee_on_the_intel_list_is_held_whatever_else():
    e = engine(thresholds=DecisionThresholds(warn=900, hold=1000))
    e.store.list_entry(
        "account", "6222020000000002", typology="investment", source="反诈中心", listed_on=TODAY
    )
    decision = e.screen(request())
    assert decision.decision == "hold"
    assert decision.reasons[0].code == "intel.payee_account"
    assert decision.typology == "investment"  # the listing's typology


def test_intel_entries_that_no_longer_count_do_not_hold():
    e = engine()
    e.store.list_entry("account", "6222020000000002", typology=None, source="s", listed_on=TODAY)
    e.store.delist_entry("account", "6222020000000002", reason="误封", on=TODAY)
    assert e.screen(request()).decision == "allow"
    e.store.list_entry(
        "account", "6222020000000002", typology=None, source="s", listed_on=TODAY + dt.timedelta(days=1)
    )
    assert e.screen(request()).decision == "allow"


def test_caller_instructing_on_the_phone_is_a_warning_with_questions():
    decision = engine().screen(request(signals=["on_phone", "caller_instructing"]))
    assert decision.decision == "warn"
    assert decision.fired == ("signal.caller_instructing",)
    assert decision.typology is not None and decision.questions


def test_a_mule_account_is_noticed_by_its_many_payers():
    e = engine()
    decisions = [
        e.screen(
            request(
                request_id=f"m{i}",
                occurred_at=f"2025-03-03T{9 + i:02d}:00:00+08:00",
                customer={"id_number": make_resident_id("331003", dt.date(1990, 1, 1 + i), i, "M")},
                payee={"account_no": "6230000000000099"},
            )
        )
        for i in range(6)
    ]
    assert [d.decision for d in decisions[:5]] == ["allow"] * 5
    assert "payee.many_payers_24h" in decisions[5].fired
    assert decisions[5].features[FEATURE_INDEX["payee_payers_24h"]] == 5


def test_held_attempts_are_recorded_too_and_record_false_leaves_state_alone():
    e = engine()
    e.screen(elderly_authorities_case(), record=False)
    assert e.store.customer_count == 0
    assert e.screen(elderly_authorities_case()).decision == "hold"
    again = e.screen(elderly_authorities_case(request_id="req-0002"))
    assert again.features[FEATURE_INDEX["payee_new_to_customer"]] == 0
    assert again.features[FEATURE_INDEX["customer_transfers_1h"]] == 1


class FixedModel:
    version = "fixed-0.9"
    feature_names = FEATURE_NAMES
    risk_scale = IDENTITY

    def __init__(self, probability: float) -> None:
        self.probability = probability

    def score(self, features):
        return self.probability

    def score_many(self, rows):
        return [self.probability] * len(rows)


def test_a_confident_model_raises_the_score_and_says_so():
    decision = engine(model=FixedModel(0.9)).screen(request(signals=["keeps_secret_from_family"]))
    assert decision.decision == "hold" and decision.score > 900  # the rule's 200 points add a quarter
    assert [r.code for r in decision.reasons] == ["model.high_score", "signal.keeps_secret"]
    assert decision.model_version == "fixed-0.9" and decision.model_probability == 0.9


def test_a_calm_model_does_not_water_down_the_rules():
    decision = engine(model=FixedModel(0.01)).screen(elderly_authorities_case())
    rules_only = engine().screen(elderly_authorities_case())
    assert decision.decision == "hold" and decision.score >= rules_only.score
    assert "model.high_score" not in {r.code for r in decision.reasons}


def test_thresholds_and_ruleset_are_configurable():
    req = request(signals=["on_phone", "caller_instructing"])
    assert engine(thresholds=DecisionThresholds(warn=100, hold=350)).screen(req).decision == "hold"
    quiet = RuleSet("quiet", enabled={"signal.caller_instructing": False})
    assert engine(ruleset=quiet).screen(req).decision == "allow"
    for warn, hold in ((0, 10), (500, 400), (300, 1001)):
        with pytest.raises(ValueError):
            DecisionThresholds(warn=warn, hold=hold)


def test_replay_screens_in_order_through_the_same_path():
    requests = [request(request_id=f"r{i}", occurred_at=f"2025-03-03T10:0{i}:00+08:00") for i in range(4)]
    pairs = list(engine().replay(requests))
    assert [req.request_id for req, _ in pairs] == ["r0", "r1", "r2", "r3"]
    assert [d.features[FEATURE_INDEX["customer_transfers_1h"]] for _, d in pairs] == [0, 1, 2, 3]
    assert "velocity.rapid_repeat" in pairs[3][1].fired


def test_decision_becomes_the_contract_response():
    decision = engine().screen(elderly_authorities_case())
    assert isinstance(decision, EngineDecision)
    result = decision.to_result(screening_id="scr-1", request_id="req-0001", alert_id=42, elapsed_ms=0.31)
    data = result.model_dump()
    assert data["decision"] == "hold" and data["alert_id"] == 42
    assert data["reasons"][0] == {
        "code": "elderly.fixed_deposit_counter",
        "message": "老年客户在柜面提前支取定期存款并大额转账",
    }
    assert data["typology"] == "impersonating_authorities"
    assert not any(isinstance(v, float) and math.isnan(v) for v in data.values())


def test_remembering_past_requests_rebuilds_the_same_state_as_screening_them():
    history = [
        request(request_id=f"h{i}", occurred_at=f"2025-03-03T0{i}:00:00+08:00", amount=f"{1000 * (i + 1)}.00")
        for i in range(5)
    ]
    screened, remembered = engine(), engine()
    for req in history:
        screened.screen(req)
        remembered.remember(req)
    probe = request(request_id="p", occurred_at="2025-03-03T05:30:00+08:00", amount="90000.00")
    a, b = screened.screen(probe, record=False), remembered.screen(probe, record=False)
    assert a.fired == b.fired and a.score == b.score
    assert all(
        x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a.features, b.features, strict=True)
    )
    assert a.features[FEATURE_INDEX["customer_history_count"]] == 5


def test_features_survive_a_json_column():
    decision = engine().screen(request(purpose=...))
    stored = orjson.loads(orjson.dumps(decision.features))  # how rows are written: NaN becomes null
    assert None in stored
    restored = restore_features(stored)
    assert all(
        x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(restored, decision.features, strict=True)
    )
