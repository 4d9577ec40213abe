"""The in-memory decision engine of 警银通 screening: state, features, rules, model and typology turned
into allow / warn / hold for one remittance, the same way for the live service and for batch replays."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pingan.antifraud.engine.contract import Reason, ScreeningRequest, ScreeningResult
from pingan.antifraud.engine.features import (
    FEATURE_NAMES,
    FEATURE_SET_VERSION,
    RequestFacts,
    compute_features,
    request_facts,
    restore_features,
    transfer_of,
)
from pingan.antifraud.engine.model import RulesOnlyModel, ScoreModel, TreeEnsembleModel
from pingan.antifraud.engine.rules import RULES, RULESET, RuleSet, RuleSetError
from pingan.antifraud.engine.scoring import combined_points, placed
from pingan.antifraud.engine.state import (
    Claimed,
    InMemoryStateStore,
    IntelEntry,
    Snapshot,
    StateStore,
    stable_key,
)
from pingan.antifraud.engine.typology import infer_typology, questions_for

__all__ = [
    "FEATURE_NAMES",
    "FEATURE_SET_VERSION",
    "RULESET",
    "DecisionThresholds",
    "RequestFacts",
    "Engine",
    "EngineDecision",
    "InMemoryStateStore",
    "IntelEntry",
    "RuleSet",
    "RuleSetError",
    "RulesOnlyModel",
    "ScoreModel",
    "StateStore",
    "TreeEnsembleModel",
    "request_facts",
    "restore_features",
    "stable_key",
]

_MODEL_REASON = Reason(code="model.high_score", message="模型评分较高：与已确认的诈骗交易相似")
# Built once: reasons are immutable and a pydantic model per reason per screening is measurable.
_REASONS = {r.code: Reason(code=r.code, message=r.message) for r in RULES}


@dataclass(frozen=True, slots=True)
class DecisionThresholds:
    """Score at or above `warn` → warn, at or above `hold` → hold (scores run 0–1000)."""

    warn: int = 300
    hold: int = 700

    def __post_init__(self) -> None:
        if not (
            isinstance(self.warn, int) and isinstance(self.hold, int) and 0 < self.warn <= self.hold <= 1000
        ):
            raise ValueError("decision thresholds need integers with 0 < warn <= hold <= 1000")


# Not frozen: a frozen dataclass pays for object.__setattr__ per field, and this is built per screening.
@dataclass(slots=True)
class EngineDecision:
    """The engine's answer plus everything needed to store and later explain it."""

    decision: str
    score: int
    reasons: tuple[Reason, ...]
    typology: str | None
    questions: tuple[str, ...]
    model_version: str
    ruleset_version: str
    thresholds: DecisionThresholds
    model_probability: float | None  # model points / 1000; None when the model has no opinion (rules only)
    rule_points: int  # sum of fired rule weights
    fired: tuple[str, ...]  # rule codes, heaviest first
    features: tuple[float, ...]  # in FEATURE_NAMES order, see FEATURE_SET_VERSION
    risk: float = 0.0  # the score before rounding (engine.scoring): strictly ordered where scores tie
    feature_set_version: str = FEATURE_SET_VERSION
    # What the state says of the customer as a protected person (`Snapshot.protected_until`): the screening
    # runtime raises an allow to a warn while it lasts.
    protected_until: int = 0

    def to_result(
        self, *, screening_id: str, request_id: str, alert_id: int | None, elapsed_ms: float
    ) -> ScreeningResult:
        return ScreeningResult(
            screening_id=screening_id,
            request_id=request_id,
            decision=self.decision,
            score=self.score,
            risk=self.risk,
            reasons=list(self.reasons),
            typology=self.typology,
            questions=list(self.questions),
            alert_id=alert_id,
            model_version=self.model_version,
            elapsed_ms=elapsed_ms,
        )


class Engine:
    """Screens validated requests against the state, then records each one in it.

    Score: one risk from the model's points (its output put on the rules' point scale when it was trained,
    see docs/antifraud/model.md) and the fired rules' points together (`engine.scoring`): the larger plus a
    quarter of the smaller, through the model's risk scale, rising towards 1000 without reaching it so the
    riskiest keep their order. A rule that forces hold (a payee account on the intel list) holds whatever
    the score, its score placed above the hold threshold by its risk. Thresholds are the bank's own where
    it has them (`bank_thresholds`), else the rule set's.

    Concurrency: the service calls this from one asyncio thread, but `screen` also takes a lock so a
    thread-pool caller (a sync route, the batch CLI) cannot interleave one screening's read of the state
    with another's write; uncontended it costs well under a microsecond.
    """

    def __init__(
        self,
        store: StateStore,
        ruleset: RuleSet = RULESET,
        model: ScoreModel | None = None,
        thresholds: DecisionThresholds | None = None,
    ) -> None:
        model = model if model is not None else RulesOnlyModel()
        if model.feature_names is not None and tuple(model.feature_names) != FEATURE_NAMES:
            raise ValueError(
                f"model {model.version} was trained on other features than {FEATURE_SET_VERSION}"
            )
        self.store = store
        self.ruleset = ruleset
        self.model = model
        self.thresholds = thresholds if thresholds is not None else DecisionThresholds()
        # Bank code → its own thresholds (calibrated on its traffic, or set by hand).
        self.bank_thresholds: dict[str, DecisionThresholds] = {}
        self._lock = threading.Lock()
        # A store shared by processes takes the read and the write in one call (`observe`); this process's
        # own store is called as two, which costs less.
        self._shared = getattr(store, "shared", False)

    def thresholds_for(self, bank_code: str) -> DecisionThresholds:
        return self.bank_thresholds.get(bank_code, self.thresholds) if self.bank_thresholds else self.thresholds

    def screen(self, req: ScreeningRequest, *, record: bool = True) -> EngineDecision:
        """Decide one request; with `record` (the default) the transfer then joins the state."""
        return self.screen_facts(request_facts(req), record=record)

    def screen_facts(self, facts: RequestFacts, *, record: bool = True,
                     claim: tuple[str, str] | None = None) -> EngineDecision:
        """`claim` (a shared store's request key and value) raises `state.Claimed` when already taken."""
        ruleset, model = self.ruleset, self.model
        features, snap = self._observe(facts, record, claim)
        return self._decide(features, snap, model.score(features), ruleset, model,
                            self.thresholds_for(facts.bank_code))

    def screen_many(self, facts: Sequence[RequestFacts], *, claims: Sequence[tuple[str, str]] | None = None
                    ) -> list[EngineDecision | Claimed]:
        """Decide requests in order, recording each: exactly what `screen_facts` would answer one by one.

        The model reads only the feature vector and the state does not depend on any decision, so the
        vectors are built first, in order, and the model then scores them all in one call. With `claims`
        (a shared store's, one per request), a request claimed before comes back as its `Claimed`, neither
        decided nor recorded.
        """
        ruleset, model = self.ruleset, self.model
        observed: list = []
        for i, f in enumerate(facts):
            try:
                observed.append(self._observe(f, True, claims[i] if claims is not None else None))
            except Claimed as first:
                observed.append(first)
        probabilities = iter(model.score_many([o[0] for o in observed if not isinstance(o, Claimed)]))
        decisions: list[EngineDecision | Claimed] = []
        for f, o in zip(facts, observed, strict=True):
            if isinstance(o, Claimed):
                decisions.append(o)
                continue
            features, snap = o
            decisions.append(self._decide(features, snap, next(probabilities), ruleset, model,
                                          self.thresholds_for(f.bank_code)))
        return decisions

    def _observe(self, facts: RequestFacts, record: bool,
                 claim: tuple[str, str] | None = None) -> tuple[list[float], Snapshot]:
        # Recorded whatever the decision: a held or abandoned attempt is behaviour too — the payee account
        # was targeted and the customer tried — and the next screening of either must see it.
        with self._lock:
            if self._shared:  # one round trip: read, claim and record together
                snap = self.store.observe(facts.customer_key, facts.payee_key, at=facts.at,
                                          intel_keys=facts.intel_keys, on=dt.date.fromordinal(facts.day),
                                          transfer=transfer_of(facts) if record else None, claim=claim)
            else:
                snap = self.store.snapshot(facts.customer_key, facts.payee_key, at=facts.at,
                                           intel_keys=facts.intel_keys, on=dt.date.fromordinal(facts.day))
                if record:
                    self.store.record(transfer_of(facts))
        return compute_features(facts, snap), snap

    @staticmethod
    def _decide(features: list[float], snap: Snapshot, probability: float, ruleset: RuleSet, model: ScoreModel,
                thresholds: DecisionThresholds) -> EngineDecision:
        fired = ruleset.evaluate(features)
        # Most screenings fire no rule at all.
        rule_points = sum(r.weight for r in fired) if fired else 0
        no_model = math.isnan(probability)
        model_points = -1.0 if no_model else probability * 1000
        risk = model.risk_scale.apply(combined_points(None if no_model else model_points, rule_points))
        forced = any(r.forces_hold for r in fired) if fired else False
        exact = placed(risk, forced=forced, hold=thresholds.hold) if forced else risk
        score = round(exact)  # 0 <= risk < 1000, a forced hold's placement at most 1000
        if forced or score >= thresholds.hold:
            decision = "hold"
        elif score >= thresholds.warn:
            decision = "warn"
        else:
            decision = "allow"

        reasons = [(r.weight, _REASONS[r.code]) for r in fired] if fired else []
        if model_points >= thresholds.warn:
            reasons.append((model_points, _MODEL_REASON))
            reasons.sort(key=lambda pair: -pair[0])
        if decision == "allow":
            typology, questions = None, ()
        else:
            typology = infer_typology(features, snap.intel)
            questions = tuple(questions_for(typology))

        return EngineDecision(
            decision=decision,
            score=score,
            reasons=tuple(reason for _, reason in reasons) if reasons else (),
            typology=typology,
            questions=questions,
            model_version=model.version,
            ruleset_version=ruleset.version,
            thresholds=thresholds,
            model_probability=None if no_model else probability,
            rule_points=rule_points,
            fired=tuple(r.code for r in fired) if fired else (),
            features=tuple(features),
            risk=exact,
            protected_until=snap.protected_until,
        )

    def remember(self, req: ScreeningRequest) -> None:
        """Add an already-decided request to the state without deciding again (rebuilding state at boot
        from stored screenings): the state depends only on the transfers recorded, in order."""
        with self._lock:
            self.store.record(transfer_of(request_facts(req)))

    def replay(
        self, requests: Iterable[ScreeningRequest], *, record: bool = True
    ) -> Iterator[tuple[ScreeningRequest, EngineDecision]]:
        """Screen requests in the order given (batch files, training replays), through `screen` itself."""
        for req in requests:
            yield req, self.screen(req, record=record)
