"""One risk from the rules and the model together, on the 0–1000 scale, that keeps ranking at the top.

The model's points (its margin put on the rules' point scale when it was trained) and the fired rules'
points (summed, not capped) combine as the larger plus a quarter of the smaller: a strong rule is never
watered down by a calm model, a model alarm stands without any rule, and the two agreeing weigh more than
either. That combined value goes through the risk scale fitted on the training data's legitimate
transfers (so a score means the same share of legitimate traffic whatever mix of rules and model made
it), which rises ever more slowly towards 1000 and never reaches it: distinct risks keep distinct scores.
A forced hold (payee account on the fraud list) is placed above the hold threshold by its own risk, so
the held still rank among themselves.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Weight of the smaller of model and rule points in the combined value.
AGREEMENT = 0.25
# Past the last knot the scale approaches 1000 as 1000 - gap * exp(-(v - last) / tail); the tail is at
# least this many points of combined value, so very different risks stay apart.
MIN_TAIL = 400.0


@dataclass(frozen=True, slots=True)
class RiskScale:
    """Piecewise linear through (x, y) knots (x: combined points, y: score), 0 below the first, then the
    tail towards 1000. The identity up to 900 (rules alone, no model) is `RiskScale.identity()`."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    tail: float = MIN_TAIL

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y) or len(self.x) < 2:
            raise ValueError("a risk scale needs at least two (x, y) knots of equal count")
        if any(b <= a for a, b in zip(self.x, self.x[1:], strict=False)) or \
                any(b < a for a, b in zip(self.y, self.y[1:], strict=False)) or not self.y[-1] < 1000:
            raise ValueError("risk scale knots must rise (x strictly, y never falling, below 1000)")

    @classmethod
    def identity(cls) -> RiskScale:
        return cls((0.0, 900.0), (0.0, 900.0))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskScale:
        return cls(tuple(map(float, data["x"])), tuple(map(float, data["y"])), float(data.get("tail", MIN_TAIL)))

    def to_dict(self) -> dict:
        return {"x": list(self.x), "y": list(self.y), "tail": self.tail}

    def apply(self, value: float) -> float:
        x, y = self.x, self.y
        if value <= x[0]:
            return y[0]
        if value >= x[-1]:
            return 1000.0 - (1000.0 - y[-1]) * math.exp(-(value - x[-1]) / self.tail)
        i = bisect.bisect_right(x, value)
        x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
        return y0 + (y1 - y0) * (value - x0) / (x1 - x0)


IDENTITY = RiskScale.identity()


def combined_points(model_points: float | None, rule_points: float) -> float:
    """The larger of model and rule points plus AGREEMENT × the smaller (rules alone without a model)."""
    if model_points is None:
        return float(rule_points)
    high, low = (model_points, rule_points) if model_points >= rule_points else (rule_points, model_points)
    return high + AGREEMENT * low


def risk(model_points: float | None, rule_points: float, scale: RiskScale = IDENTITY) -> float:
    """The calibrated risk, 0 ≤ risk < 1000, strictly rising in both kinds of points past the first knot."""
    return scale.apply(combined_points(model_points, rule_points))


def placed(risk_value: float, *, forced: bool, hold: int) -> float:
    """The score before rounding: the risk, or for a forced hold the risk placed between hold and 1000."""
    return hold + (1000 - hold) * risk_value / 1000 if forced else risk_value


def to_score(value: float) -> int:
    """The integer score of the contract."""
    return min(1000, max(0, round(value)))


def fit_scale(combined_legit: Sequence[float], anchors: Sequence[tuple[float, float]],
              shares: Sequence[float]) -> RiskScale:
    """The scale putting `points_for_share(share)` (log-linear between `anchors`) at the combined value that
    `share` of these legitimate transfers exceed, for each of `shares`."""
    ordered = sorted(combined_legit, reverse=True)
    n = len(ordered)
    x, y = [0.0], [0.0]
    for share in shares:
        value = ordered[min(int(share * n), n - 1)]
        points = points_for_share(share, anchors)
        if value > x[-1] and points >= y[-1]:
            x.append(float(value))
            y.append(round(points, 3))
    if len(x) < 2:
        return IDENTITY
    # The tail continues the last segment's slope, or is wider still.
    slope = (y[-1] - y[-2]) / (x[-1] - x[-2]) if x[-1] > x[-2] else 1.0
    tail = max(MIN_TAIL, (1000 - y[-1]) / slope if slope > 0 else MIN_TAIL)
    return RiskScale(tuple(x), tuple(y), tail)


def points_for_share(share: float, anchors: Sequence[tuple[float, float]]) -> float:
    """Points of a value that `share` of legitimate transfers exceed (anchors (share, points), log-linear)."""
    for (s0, p0), (s1, p1) in zip(anchors, anchors[1:], strict=False):
        if share >= s1:
            return p0 + (p1 - p0) * math.log(s0 / share) / math.log(s0 / s1)
    return float(anchors[-1][1])
