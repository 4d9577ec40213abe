import json
import math
import random

import pytest

from pingan.antifraud.engine.features import FEATURE_INDEX, FEATURE_NAMES
from pingan.antifraud.engine.rules import (
    DEFAULT_THRESHOLDS,
    OPERATORS,
    RULES,
    RULESET,
    THRESHOLD_LABELS,
    Clause,
    Rule,
    RuleSet,
    RuleSetError,
)


def _satisfying(clause: Clause, thresholds) -> float:
    value = thresholds[clause.value] if isinstance(clause.value, str) else clause.value
    return {">=": value, ">": value + 1, "<=": value, "<": value - 1, "==": value}[clause.op]


def vector_firing(rule: Rule, thresholds=DEFAULT_THRESHOLDS) -> list[float]:
    """Zeros everywhere except what `rule` needs, which is just enough to fire it."""
    x = [0.0] * len(FEATURE_NAMES)
    for clause in (*rule.all_of, *rule.any_of[:1]):
        x[FEATURE_INDEX[clause.feature]] = _satisfying(clause, thresholds)
    return x


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_default_rule_can_fire_and_be_switched_off(rule):
    x = vector_firing(rule)
    assert rule in RULESET.evaluate(x)
    assert rule not in RuleSet("off", enabled={rule.code: False}).evaluate(x)


@pytest.mark.parametrize("rule", [r for r in RULES if r.threshold_names], ids=lambda r: r.code)
def test_changing_a_threshold_changes_the_outcome(rule):
    x = vector_firing(rule)
    name = rule.threshold_names[0]
    clause = next(c for c in rule.all_of if c.value == name)
    # Move the threshold past the value the vector carries, in the direction that stops the rule.
    moved = DEFAULT_THRESHOLDS[name] + (-2 if clause.op in ("<", "<=") else 2)
    assert rule not in RuleSet("tuned", thresholds={name: moved}).evaluate(x)


def test_missing_features_never_fire_a_rule():
    assert RULESET.evaluate([math.nan] * len(FEATURE_NAMES)) == []


def test_fired_rules_come_heaviest_first():
    x = [0.0] * len(FEATURE_NAMES)
    for rule in RULES:
        for clause in (*rule.all_of, *rule.any_of[:1]):
            x[FEATURE_INDEX[clause.feature]] = max(x[FEATURE_INDEX[clause.feature]], 1.0)
    x[FEATURE_INDEX["purpose_authorities"]] = 1
    fired = RULESET.evaluate(x)
    assert len(fired) > 5
    assert [r.weight for r in fired] == sorted((r.weight for r in fired), reverse=True)
    assert fired[0].code == "intel.payee_account"


def test_rules_have_chinese_messages_and_every_threshold_a_label():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r.message) for r in RULES)
    assert set(THRESHOLD_LABELS) == set(DEFAULT_THRESHOLDS)
    assert len({r.code for r in RULES}) == len(RULES)


def test_ruleset_round_trips_through_json():
    tuned = RuleSet("2025-03-a", thresholds={"large_amount": 30000}, enabled={"time.night_large": False})
    again = RuleSet.from_json(tuned.to_json())
    assert again == tuned
    assert again.thresholds["large_amount"] == 30000
    assert again.thresholds["elderly_age"] == DEFAULT_THRESHOLDS["elderly_age"]
    assert again.enabled["time.night_large"] is False and again.enabled["intel.payee_account"] is True
    assert json.loads(tuned.to_json())["version"] == "2025-03-a"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"version": "x", "thresholds": {"larg_amount": 1}}', "unknown threshold 'larg_amount'"),
        ('{"version": "x", "thresholds": {"large_amount": "50000"}}', "must be a finite number"),
        ('{"version": "x", "thresholds": {"large_amount": true}}', "must be a finite number"),
        ('{"version": "x", "thresholds": {"large_amount": NaN}}', "must be a finite number"),
        ('{"version": "x", "enabled": {"intel.payee": false}}', "unknown rule 'intel.payee'"),
        ('{"version": "x", "enabled": {"intel.phone": "no"}}', "must be true or false"),
        ('{"version": "", "thresholds": {}}', "version"),
        ('{"thresholds": {}}', "version is required"),
        ('{"version": "x", "weights": {}}', "unknown key 'weights'"),
        ('{"version": "x", "thresholds": []}', "must be objects"),
        ("[1, 2]", "JSON object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_ruleset_json_is_refused(text, problem):
    with pytest.raises(RuleSetError) as info:
        RuleSet.from_json(text)
    assert any(problem in p for p in info.value.problems)


def test_all_problems_are_reported_together():
    with pytest.raises(RuleSetError) as info:
        RuleSet("x", thresholds={"a": 1, "large_amount": "big"}, enabled={"b": True})
    assert len(info.value.problems) == 3


def test_negative_threshold_refused():
    import pytest

    from pingan.antifraud.engine.rules import RuleSet, RuleSetError

    with pytest.raises(RuleSetError, match="large_amount"):
        RuleSet(version="neg", thresholds={"large_amount": -1})


def _interpreted(ruleset: RuleSet, x: list[float]) -> list[str]:
    """The rules' meaning read straight off their clauses, to hold the generated evaluator to."""

    def holds(clause) -> bool:
        value = ruleset.thresholds[clause.value] if isinstance(clause.value, str) else clause.value
        return OPERATORS[clause.op](x[FEATURE_INDEX[clause.feature]], value)

    fired = [r for r in RULES if ruleset.enabled[r.code] and all(holds(c) for c in r.all_of)
             and (not r.any_of or any(holds(c) for c in r.any_of))]
    return [r.code for r in sorted(fired, key=lambda r: -r.weight)]


def test_generated_evaluator_agrees_with_the_clauses_on_random_vectors():
    rng = random.Random(7)
    ruleset = RuleSet("probe", thresholds={name: value * 0.8 for name, value in DEFAULT_THRESHOLDS.items()},
                      enabled={RULES[0].code: False})
    for _ in range(3000):
        # Around the thresholds, with zeros, ones and missing values, so every clause goes both ways.
        x = [rng.choice((math.nan, 0.0, 1.0, rng.uniform(0, 100), rng.uniform(0, 100_000)))
             for _ in FEATURE_NAMES]
        assert [r.code for r in ruleset.evaluate(x)] == _interpreted(ruleset, x)
