"""The score model behind one interface: none (rules only), or a LightGBM binary model scored by LightGBM's
own library (one row for a request, a whole chunk at once for a batch replay)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pingan.antifraud.engine.lightgbm_native import NativeBooster
from pingan.antifraud.engine.scoring import IDENTITY, RiskScale

_NAN = math.nan


class ScoreModel(Protocol):
    version: str
    # Names of the features the model expects, in order; None when it reads no features.
    feature_names: tuple[str, ...] | None
    # How the combined model and rule points become the 0–1000 risk (`engine.scoring`).
    risk_scale: RiskScale

    def score(self, features: Sequence[float]) -> float:
        """The model's points on the rules' scale / 1000 (≥ 0; past 1 for the rarest margins, so the top
        keeps its order), or NaN when the model has no opinion."""
        ...

    def score_many(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """`score` of each vector, in order."""
        ...


class UnsupportedModel(ValueError):
    """The model is not a single-output binary classifier."""


class RulesOnlyModel:
    """No model: the score comes from the rules alone."""

    version = "rules-only"
    feature_names = None
    risk_scale = IDENTITY

    def score(self, features: Sequence[float]) -> float:
        return _NAN

    def score_many(self, rows: Sequence[Sequence[float]]) -> list[float]:
        return [_NAN] * len(rows)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # the mirrored form cannot overflow for very negative margins
    return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class PlattCalibration:
    """p = 1 / (1 + exp(a * margin + b)), fitted on the model's raw margin."""

    a: float
    b: float

    def apply(self, margin: float, probability: float) -> float:
        return _sigmoid(-(self.a * margin + self.b))


@dataclass(frozen=True, slots=True)
class IsotonicCalibration:
    """Piecewise-linear map of the model probability through (x, y) knots, flat beyond the ends."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y) or len(self.x) < 2:
            raise ValueError("isotonic calibration needs at least two (x, y) knots of equal count")
        if any(b < a for a, b in zip(self.x, self.x[1:], strict=False)):
            raise ValueError("isotonic calibration x must be non-decreasing")

    def apply(self, margin: float, probability: float) -> float:
        x, y = self.x, self.y
        if probability <= x[0]:
            return y[0]
        if probability >= x[-1]:
            return y[-1]
        i = bisect.bisect_right(x, probability)
        x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (probability - x0) / (x1 - x0)


@dataclass(frozen=True, slots=True)
class MarginCalibration:
    """Piecewise-linear map of the raw margin through (x, y) knots, 0 below the first; past the last knot
    it keeps rising with the last segment's slope, so the model never saturates at the top."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y) or len(self.x) < 2:
            raise ValueError("margin calibration needs at least two (x, y) knots of equal count")
        if any(b <= a for a, b in zip(self.x, self.x[1:], strict=False)):
            raise ValueError("margin calibration x must be strictly increasing")

    def apply(self, margin: float, probability: float) -> float:
        x, y = self.x, self.y
        if margin <= x[0]:
            return y[0]
        if margin >= x[-1]:
            slope = max((y[-1] - y[-2]) / (x[-1] - x[-2]), 1e-3)
            return y[-1] + slope * (margin - x[-1])
        i = bisect.bisect_right(x, margin)
        x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
        return y0 + (y1 - y0) * (margin - x0) / (x1 - x0)


Calibration = PlattCalibration | IsotonicCalibration | MarginCalibration


def calibration_from_dict(data: Mapping[str, Any]) -> Calibration:
    """`{"kind": "platt", "a": .., "b": ..}`, `{"kind": "isotonic", "x": [..], "y": [..]}` (on the
    probability) or `{"kind": "margin", "x": [..], "y": [..]}` (on the raw margin)."""
    kind = data.get("kind")
    if kind == "platt":
        return PlattCalibration(float(data["a"]), float(data["b"]))
    if kind == "isotonic":
        return IsotonicCalibration(tuple(map(float, data["x"])), tuple(map(float, data["y"])))
    if kind == "margin":
        return MarginCalibration(tuple(map(float, data["x"])), tuple(map(float, data["y"])))
    raise ValueError(f"unknown calibration kind {kind!r}")


class TreeEnsembleModel:
    """A LightGBM binary classifier from its text format (`Booster.save_model`), scored by LightGBM's own
    library: the sigmoid of the raw margin, then an optional calibration."""

    def __init__(self, model_text: str, *, version: str, calibration: Calibration | None = None,
                 risk_scale: RiskScale = IDENTITY):
        header = _header(model_text)
        if header.get("num_class", "1") != "1" or header.get("num_tree_per_iteration", "1") != "1":
            raise UnsupportedModel("only single-output (binary) models are supported")
        objective, *params = header.get("objective", "").split()
        if objective not in ("binary", "cross_entropy"):
            raise UnsupportedModel(f"objective {objective!r} is not supported; train with 'binary'")
        self._sigmoid_scale = 1.0
        for param in params:
            if param.startswith("sigmoid:"):
                self._sigmoid_scale = float(param.split(":", 1)[1])
        self.version = version
        self.feature_names: tuple[str, ...] | None = tuple(header.get("feature_names", "").split())
        self.calibration = calibration
        self.risk_scale = risk_scale
        self._booster = NativeBooster(model_text)

    @classmethod
    def load(cls, path: str | Path, **kwargs: Any) -> TreeEnsembleModel:
        return cls(Path(path).read_text(encoding="utf-8"), **kwargs)

    def raw_score(self, features: Sequence[float]) -> float:
        return self._booster.raw_score(features)

    def score(self, features: Sequence[float]) -> float:
        return self._probability(self._booster.raw_score(features))

    def score_many(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """`score` of every row, from one call into LightGBM."""
        return [self._probability(m) for m in self._booster.raw_scores(rows)] if rows else []

    def _probability(self, margin: float) -> float:
        probability = _sigmoid(self._sigmoid_scale * margin)
        if self.calibration is not None:
            return self.calibration.apply(margin, probability)
        return probability


def _header(model_text: str) -> dict[str, str]:
    """The `key=value` lines LightGBM writes before the first tree."""
    header = {}
    for line in model_text.splitlines():
        if line.startswith("Tree="):
            break
        key, sep, value = line.partition("=")
        if sep:
            header[key.strip()] = value.strip()
    return header
