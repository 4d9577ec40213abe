"""Shadow scoring: a challenger model scored on the very features the active model saw, stored beside the
decision (the screening's ``shadow`` column), never deciding; `modeling.challenger` compares the two."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pingan.antifraud.engine import EngineDecision, ScoreModel
from pingan.antifraud.engine.rules import RULES_BY_CODE
from pingan.antifraud.engine.scoring import combined_points, placed, to_score


@dataclass(frozen=True, slots=True)
class ShadowScore:
    model_version: str
    probability: float | None
    score: int
    decision: str  # what the challenger would have decided with the same rules and thresholds

    def stored(self) -> dict:
        return {"model_version": self.model_version, "probability": self.probability, "score": self.score,
                "decision": self.decision}


def shadow_score(challenger: ScoreModel, decision: EngineDecision) -> ShadowScore:
    """Score `decision.features` with the challenger and combine with the same rule points and thresholds
    the engine used: what the challenger would have decided."""
    probability = challenger.score(decision.features)
    no_model = math.isnan(probability)
    risk = challenger.risk_scale.apply(combined_points(None if no_model else probability * 1000,
                                                       decision.rule_points))
    thresholds = decision.thresholds
    forced = any(RULES_BY_CODE[code].forces_hold for code in decision.fired if code in RULES_BY_CODE)
    score = to_score(placed(risk, forced=forced, hold=thresholds.hold))
    would = "hold" if forced or score >= thresholds.hold else "warn" if score >= thresholds.warn else "allow"
    return ShadowScore(challenger.version, None if no_model else probability, score, would)
