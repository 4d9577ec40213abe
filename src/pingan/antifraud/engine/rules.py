"""Declarative screening rules: each a reason code, a Chinese message, points, and conditions on named
features and named thresholds; the thresholds and on/off switches are plain data (`RuleSet`) that
analysts change and that is stored, versioned, as JSON."""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from pingan.antifraud.engine.features import FEATURE_INDEX

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True, slots=True)
class Clause:
    """`feature op value`, where value is a threshold name or a constant; false when the feature is NaN
    (missing), which is why there is no `!=`."""

    feature: str
    op: str
    value: str | float

    def __str__(self) -> str:
        return f"{self.feature} {self.op} {self.value}"


@dataclass(frozen=True, slots=True)
class Rule:
    """Fires when every `all_of` clause holds and, if `any_of` is given, at least one of those."""

    code: str
    message: str
    weight: int
    all_of: tuple[Clause, ...]
    any_of: tuple[Clause, ...] = ()
    forces_hold: bool = False

    @property
    def threshold_names(self) -> tuple[str, ...]:
        return tuple(c.value for c in (*self.all_of, *self.any_of) if isinstance(c.value, str))


def _is(feature: str) -> Clause:
    return Clause(feature, "==", 1)


def _not(feature: str) -> Clause:
    return Clause(feature, "==", 0)


# Fan-in is the mule's shape only on a person's account that is not vouched for (known-payee list), that
# takes in real money (not a shop's small takings), and that is either new to receiving (fewer days with
# inflows than an established receiver) or suddenly paid by far more people than on its usual day.
_FAN_IN_ACCOUNT = (_not("payee_organisation"), _not("payee_known_listed"),
                   Clause("payee_received_24h_yuan", ">=", "fan_in_received_24h"))
_FAN_IN_UNUSUAL = (Clause("payee_inflow_days", "<", "established_inflow_days"),
                   Clause("payee_burst", ">=", "fan_in_burst"))


DEFAULT_THRESHOLDS: dict[str, float] = {
    "elderly_age": 60,
    "elderly_large_amount": 20_000,
    "large_amount": 50_000,
    "payee_payers_24h": 5,
    "payee_payers_7d": 10,
    "established_inflow_days": 10,
    "fan_in_burst": 3,
    "fan_in_received_24h": 10_000,
    "new_account_days": 30,
    "new_account_amount": 5_000,
    "night_large_amount": 20_000,
    "usual_multiple": 10,
    "usual_min_history": 3,
    "usual_min_amount": 5_000,
    "balance_share": 0.9,
    "balance_min_amount": 10_000,
    "rapid_transfers_1h": 3,
}

THRESHOLD_LABELS: dict[str, str] = {
    "elderly_age": "老年客户年龄（岁）",
    "elderly_large_amount": "老年客户大额转账（元）",
    "large_amount": "大额转账（元）",
    "payee_payers_24h": "收款账户24小时内不同付款人数",
    "payee_payers_7d": "收款账户7天内不同付款人数",
    "established_inflow_days": "收款账户有入账的天数达到此值视为长期稳定收款",
    "fan_in_burst": "长期收款账户24小时付款人数超过平时日均的倍数",
    "fan_in_received_24h": "多人转入规则要求收款账户24小时内收款达到（元）",
    "new_account_days": "新账户天数",
    "new_account_amount": "向新账户转账金额（元）",
    "night_large_amount": "深夜大额转账（元）",
    "usual_multiple": "高于平时平均金额的倍数",
    "usual_min_history": "判断平时金额所需的最少历史笔数",
    "usual_min_amount": "高于平时金额规则的最低金额（元）",
    "balance_share": "转出余额比例",
    "balance_min_amount": "转出大部分余额规则的最低金额（元）",
    "rapid_transfers_1h": "1小时内已转账笔数",
}

_PURPOSE_RULES = (
    ("authorities", 450, "转账用途涉及公检法、安全账户、洗钱调查等说法"),
    ("brushing", 350, "转账用途涉及刷单、返利、做任务"),
    ("loan", 350, "转账用途涉及贷款、解冻、验证金、刷流水"),
    ("customer_service", 300, "转账用途涉及客服退款、理赔、注销会员"),
    ("investment", 250, "转账用途涉及投资理财、炒股、数字货币"),
    ("romance", 250, "转账用途涉及网恋、婚恋交友"),
    ("acquaintance", 200, "转账用途涉及领导、熟人借款"),
    ("game", 200, "转账用途涉及游戏装备、账号交易"),
)

RULES: tuple[Rule, ...] = (
    Rule(
        "intel.payee_account",
        "收款账户在涉诈账户名单中",
        1000,
        (_is("intel_payee_account"),),
        forces_hold=True,
    ),
    Rule("intel.customer_account", "付款账户在涉诈账户名单中", 400, (_is("intel_customer_account"),)),
    Rule("intel.id_number", "客户身份证号在涉诈人员名单中", 400, (_is("intel_customer_id_number"),)),
    Rule("intel.phone", "客户手机号在涉诈号码名单中", 400, (_is("intel_customer_phone"),)),
    Rule(
        "elderly.fixed_deposit_counter",
        "老年客户在柜面提前支取定期存款并大额转账",
        450,
        (
            Clause("customer_age", ">=", "elderly_age"),
            Clause("amount_yuan", ">=", "elderly_large_amount"),
            _is("channel_counter"),
            _is("signal_fixed_deposit_early_withdrawal"),
        ),
    ),
    Rule(
        "signal.remote_access",
        "客户手机开启了远程控制或屏幕共享",
        400,
        (),
        any_of=(_is("signal_remote_control_app"), _is("signal_screen_sharing")),
    ),
    Rule(
        "signal.caller_instructing",
        "客户正在通话，对方在指挥其操作",
        350,
        (_is("signal_on_phone"), _is("signal_caller_instructing")),
    ),
    Rule("signal.keeps_secret", "客户被要求对家人保密", 200, (_is("signal_keeps_secret_from_family"),)),
    Rule(
        "signal.accompanied_by_stranger",
        "客户由陌生人陪同办理",
        150,
        (_is("signal_accompanied_by_stranger"),),
    ),
    Rule("signal.refuses_to_explain", "客户拒绝说明资金用途", 150, (_is("signal_refuses_to_explain"),)),
    Rule(
        "payee.many_payers_24h",
        "收款账户24小时内收到多人转账",
        250,
        (Clause("payee_payers_24h", ">=", "payee_payers_24h"), *_FAN_IN_ACCOUNT),
        any_of=_FAN_IN_UNUSUAL,
    ),
    Rule(
        "payee.many_payers_7d",
        "收款账户7天内收到多人转账",
        150,
        (Clause("payee_payers_7d", ">=", "payee_payers_7d"), *_FAN_IN_ACCOUNT),
        any_of=_FAN_IN_UNUSUAL,
    ),
    Rule(
        "payee.new_other_province_large",
        "首次向外省账户大额转账",
        250,
        (
            _is("payee_new_to_customer"),
            _is("payee_other_province"),
            Clause("amount_yuan", ">=", "large_amount"),
        ),
    ),
    Rule(
        "payee.new_account",
        "收款账户为新开立或首次出现的账户",
        150,
        (
            Clause("payee_account_age_days", "<", "new_account_days"),
            Clause("amount_yuan", ">=", "new_account_amount"),
        ),
    ),
    *(
        Rule(f"purpose.{group}", message, weight, (_is(f"purpose_{group}"),))
        for group, weight, message in _PURPOSE_RULES
    ),
    Rule(
        "time.night_large",
        "深夜通过手机银行或网银大额转账",
        150,
        (_is("night"), Clause("amount_yuan", ">=", "night_large_amount")),
        any_of=(_is("channel_mobile"), _is("channel_online")),
    ),
    Rule(
        "amount.above_usual",
        "转账金额远高于客户平时的金额",
        200,
        (
            Clause("amount_to_usual_mean", ">=", "usual_multiple"),
            Clause("customer_history_count", ">=", "usual_min_history"),
            Clause("amount_yuan", ">=", "usual_min_amount"),
        ),
    ),
    Rule(
        "amount.most_of_balance",
        "转出账户的大部分余额",
        150,
        (
            Clause("amount_to_balance", ">=", "balance_share"),
            Clause("amount_yuan", ">=", "balance_min_amount"),
        ),
    ),
    Rule(
        "velocity.rapid_repeat",
        "1小时内多次转账",
        200,
        (Clause("customer_transfers_1h", ">=", "rapid_transfers_1h"),),
    ),
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


class RuleSetError(ValueError):
    """A rule set that cannot be used; `problems` lists every fault found, not only the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))



def _compile_rules(rules: Sequence[Rule], thresholds: Mapping[str, float]) -> Callable[[Sequence[float]], list[Rule]]:
    """The rule set as one generated function of plain comparisons, thresholds written in as constants:
    several times faster than interpreting the clauses. A comparison with NaN (a missing feature) is
    false, as with the operators themselves."""

    def test(clause: Clause) -> str:
        value = thresholds[clause.value] if isinstance(clause.value, str) else clause.value
        return f"x[{FEATURE_INDEX[clause.feature]}] {clause.op} {float(value)!r}"

    lines, namespace = ["def evaluate(x):", "    fired = []"], {}
    for i, rule in enumerate(rules):
        namespace[f"rule_{i}"] = rule
        condition = " and ".join(test(c) for c in rule.all_of) or "True"
        if rule.any_of:
            condition += " and (" + " or ".join(test(c) for c in rule.any_of) + ")"
        lines += [f"    if {condition}:", f"        fired.append(rule_{i})"]
    lines.append("    return fired")
    exec(compile("\n".join(lines), "<rule-set>", "exec"), namespace)  # noqa: S102 - our own source
    return namespace["evaluate"]


def _check_rules() -> None:
    # Rules are code, so a typo in a feature or threshold name must fail at import, not at 3 a.m.
    for rule in RULES:
        for clause in (*rule.all_of, *rule.any_of):
            if clause.feature not in FEATURE_INDEX or clause.op not in OPERATORS:
                raise RuntimeError(f"rule {rule.code}: bad clause {clause}")
            if isinstance(clause.value, str) and clause.value not in DEFAULT_THRESHOLDS:
                raise RuntimeError(f"rule {rule.code}: unknown threshold {clause.value!r}")


_check_rules()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class RuleSet:
    """Analyst-editable settings over RULES: threshold values and which rules are switched on.

    Names left out take their defaults; unknown names or wrong types raise RuleSetError.
    """

    version: str
    thresholds: Mapping[str, float] = field(default_factory=dict)
    enabled: Mapping[str, bool] = field(default_factory=dict)
    _evaluate: Callable[[Sequence[float]], list[Rule]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.version, str) or not 1 <= len(self.version) <= 64:
            problems.append("version must be a string of 1-64 characters")
        if not isinstance(self.thresholds, Mapping) or not isinstance(self.enabled, Mapping):
            raise RuleSetError([*problems, "thresholds and enabled must be objects"])
        for name, value in self.thresholds.items():
            if name not in DEFAULT_THRESHOLDS:
                problems.append(f"unknown threshold {name!r}")
            elif not _is_number(value) or value < 0:
                problems.append(f"threshold {name!r} must be a finite number ≥ 0, got {value!r}")
        for code, on in self.enabled.items():
            if code not in RULES_BY_CODE:
                problems.append(f"unknown rule {code!r}")
            elif not isinstance(on, bool):
                problems.append(f"enabled[{code!r}] must be true or false, got {on!r}")
        if problems:
            raise RuleSetError(problems)

        thresholds = MappingProxyType({**DEFAULT_THRESHOLDS, **self.thresholds})
        enabled = MappingProxyType({r.code: self.enabled.get(r.code, True) for r in RULES})
        object.__setattr__(self, "thresholds", thresholds)
        object.__setattr__(self, "enabled", enabled)
        # Heaviest first, so the fired list comes out already ordered as reasons are shown.
        ordered = sorted((r for r in RULES if enabled[r.code]), key=lambda r: -r.weight)
        object.__setattr__(self, "_evaluate", _compile_rules(ordered, thresholds))

    @classmethod
    def default(cls, version: str = "default") -> RuleSet:
        return cls(version)

    def evaluate(self, features: Sequence[float]) -> list[Rule]:
        """The rules that fire on this feature vector, heaviest first."""
        return self._evaluate(features)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "thresholds": dict(self.thresholds), "enabled": dict(self.enabled)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Any) -> RuleSet:
        if not isinstance(data, Mapping):
            raise RuleSetError(["a rule set must be a JSON object"])
        unknown = sorted(set(data) - {"version", "thresholds", "enabled"})
        if unknown:
            raise RuleSetError([f"unknown key {k!r}" for k in unknown])
        if "version" not in data:
            raise RuleSetError(["version is required"])
        return cls(data["version"], data.get("thresholds", {}), data.get("enabled", {}))

    @classmethod
    def from_json(cls, text: str | bytes) -> RuleSet:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise RuleSetError([f"not valid JSON: {exc}"]) from None
        return cls.from_dict(data)


RULESET = RuleSet.default()
