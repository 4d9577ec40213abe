"""Scores that rank: one risk from rules and model together, strictly ordered among the riskiest (no
saturation at 1000), reasons by weight, and a forced hold that holds and still ranks by its risk."""

from __future__ import annotations

import datetime as dt

import pytest

from pingan.antifraud.engine import DecisionThresholds, Engine, InMemoryStateStore
from pingan.antifraud.engine.scoring import IDENTITY, combined_points, fit_scale, placed, risk, to_score

from .factories import FixedModel, request

DAY = dt.date(2025, 1, 1)


def test_distinct_risks_give_distinct_scores_at_the_top():
    combined = [900, 1000, 1150, 1300, 1500, 1800, 2200]
    scores = [to_score(IDENTITY.apply(v)) for v in combined]
    assert scores == sorted(set(scores)) and scores[-1] < 1000
    for model_points in (950.0, 1200.0, 1600.0):
        assert risk(model_points, 400) > risk(model_points, 300) > risk(model_points, 0)
        assert risk(model_points + 10, 400) > risk(model_points, 400)


def test_rules_and_model_agreeing_weigh_more_than_either():
    assert combined_points(None, 450) == 450
    assert combined_points(600, 0) == 600
    assert combined_points(600, 400) == 700 == combined_points(400, 600)


def test_the_engine_ranks_the_riskiest_without_saturation():
    answers = []
    for points in (1000, 1300, 1700, 2300):
        engine = Engine(InMemoryStateStore(), model=FixedModel(points))
        answers.append(engine.screen(request(), record=False))
    assert [a.decision for a in answers] == ["hold"] * 4
    assert [a.score for a in answers] == sorted({a.score for a in answers})
    assert [a.risk for a in answers] == sorted(a.risk for a in answers)


def test_a_forced_hold_holds_and_still_ranks_by_its_risk():
    mule = "6230000000012345"
    low, high = [], []
    for target, points in ((low, 0.0), (high, 500.0)):
        store = InMemoryStateStore()
        store.list_entry("account", mule, typology=None, source="反诈中心", listed_on=DAY)
        engine = Engine(store, model=FixedModel(points), thresholds=DecisionThresholds(300, 700))
        target.append(engine.screen(request(payee={"account_no": mule}), record=False))
    assert low[0].decision == high[0].decision == "hold"
    assert 700 <= low[0].score < high[0].score <= 1000
    assert low[0].reasons[0].code == "intel.payee_account"


def test_reasons_stay_listed_by_weight_with_the_model_among_them():
    engine = Engine(InMemoryStateStore(), model=FixedModel(320.0))
    decision = engine.screen(request(purpose="刷单返利佣金", signals=["remote_control_app"]), record=False)
    codes = [r.code for r in decision.reasons]
    assert codes == ["signal.remote_access", "purpose.brushing", "model.high_score"]


def test_a_fitted_scale_keeps_the_order_and_its_anchors():
    values = [float(v) for v in range(100_000)]
    anchors = ((1.0, 0), (0.01, 300), (0.001, 700))
    scale = fit_scale(values, anchors, (0.5, 0.1, 0.01, 0.001))
    assert scale.apply(values[-1000]) == pytest.approx(300, abs=1)
    assert scale.apply(values[-100]) == pytest.approx(700, abs=1)
    assert scale.apply(values[-1]) < scale.apply(values[-1] + 500) < 1000
    assert placed(0, forced=True, hold=700) == 700 and placed(500, forced=True, hold=700) == 850
