"""Shadow scoring: a challenger model scored on the very features the active model saw, logged beside the
decision, never deciding. The runtime calls `shadow_score` after it has answered the bank."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass

from pingan.antifraud.engine import EngineDecision, ScoreModel
from pingan.antifraud.engine.rules import RULES_BY_CODE

log = logging.getLogger("pingan.antifraud.shadow")


@dataclass(frozen=True, slots=True)
class ShadowScore:
    model_version: str
    probability: float | None
    score: int
    decision: str  # what the challenger would have decided with the same rules and thresholds
    active_decision: str
    active_model_version: str


def shadow_score(challenger: ScoreModel, decision: EngineDecision, *, screening_id: str | None = None) -> ShadowScore:
    """Score `decision.features` with the challenger, combine with the same rule points and thresholds the
    engine used, and log one JSON line on the ``pingan.antifraud.shadow`` logger."""
    probability = challenger.score(decision.features)
    model_points = -1 if math.isnan(probability) else round(probability * 1000)
    score = max(model_points, decision.rule_points, 0)
    thresholds = decision.thresholds
    if any(RULES_BY_CODE[code].forces_hold for code in decision.fired if code in RULES_BY_CODE):
        score = max(score, thresholds.hold)
    would = "hold" if score >= thresholds.hold else "warn" if score >= thresholds.warn else "allow"
    result = ShadowScore(challenger.version, None if model_points < 0 else probability, score, would,
                         decision.decision, decision.model_version)
    log.info(json.dumps({"screening_id": screening_id, **asdict(result)}, ensure_ascii=False))
    return result
