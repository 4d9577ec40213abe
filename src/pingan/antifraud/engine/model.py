"""The score model behind one interface: none (rules only), or a LightGBM binary model evaluated in pure
Python from its dumped trees, so screening one request calls nothing outside Python. Scoring many vectors
at once (batch replays) goes through LightGBM's library when the model came from its text, which gives the
very same margins."""

from __future__ import annotations

import bisect
import json
import math
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pingan.antifraud.engine.lightgbm_native import NativeBooster

_NAN = math.nan
# Below this many rows a call into LightGBM costs more than walking the trees in Python.
_VECTOR_MIN = 32
# LightGBM's kZeroThreshold is the float 1e-35f; compare against the same number it uses.
_ZERO = struct.unpack("f", struct.pack("f", 1e-35))[0]


class ScoreModel(Protocol):
    version: str
    # Names of the features the model expects, in order; None when it reads no features.
    feature_names: tuple[str, ...] | None

    def score(self, features: Sequence[float]) -> float:
        """Probability of fraud in [0, 1], or NaN when the model has no opinion."""
        ...

    def score_many(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """`score` of each vector, in order."""
        ...


class UnsupportedModel(ValueError):
    """The dumped model uses something this evaluator does not implement."""


class RulesOnlyModel:
    """No model: the score comes from the rules alone."""

    version = "rules-only"
    feature_names = None

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


Calibration = PlattCalibration | IsotonicCalibration


def calibration_from_dict(data: Mapping[str, Any]) -> Calibration:
    """`{"kind": "platt", "a": .., "b": ..}` or `{"kind": "isotonic", "x": [..], "y": [..]}`."""
    kind = data.get("kind")
    if kind == "platt":
        return PlattCalibration(float(data["a"]), float(data["b"]))
    if kind == "isotonic":
        return IsotonicCalibration(tuple(map(float, data["x"])), tuple(map(float, data["y"])))
    raise ValueError(f"unknown calibration kind {kind!r}")


# A tree is its root and a tuple of nodes (feature, threshold, left, right, child when missing); a child
# >= 0 is a node index, a child < 0 is ~leaf index.
_Tree = tuple[int, tuple[tuple[int, float, int, int, int], ...], tuple[float, ...]]


def _flatten(structure: Mapping[str, Any], missing_modes: dict[int, str]) -> _Tree:
    if "split_index" not in structure:
        return -1, (), (float(structure["leaf_value"]),)
    nodes: list[list] = []
    leaves: list[float] = []

    def visit(node: Mapping[str, Any]) -> int:
        if "leaf_value" in node:
            leaves.append(float(node["leaf_value"]))
            return ~(len(leaves) - 1)
        if node.get("decision_type") != "<=":
            raise UnsupportedModel(f"categorical split ({node.get('decision_type')}) is not supported")
        feature, mode = int(node["split_feature"]), node.get("missing_type", "None")
        if missing_modes.setdefault(feature, mode) != mode:
            raise UnsupportedModel(f"feature {feature} has splits with different missing types")
        index = len(nodes)
        nodes.append([feature, float(node["threshold"]), 0, 0, 0])
        left, right = visit(node["left_child"]), visit(node["right_child"])
        default = left if node.get("default_left", True) else right
        # LightGBM reads a missing value as 0.0 when the split has no missing type of its own.
        missing = (left if nodes[index][1] >= 0.0 else right) if mode == "None" else default
        nodes[index][2:] = [left, right, missing]
        return index

    root = visit(structure)
    return root, tuple(tuple(n) for n in nodes), tuple(leaves)


def _compile(trees: Sequence[_Tree]) -> Callable[[Sequence[float]], float]:
    """The ensemble as one generated Python function of nested ifs. It makes LightGBM's comparisons in
    LightGBM's order and adds the leaves in tree order, so it returns the same sum to the last bit as
    walking the trees would, in well under half the time (no tuple unpacking or index arithmetic per node)."""
    lines = ["def raw(x):", "    t = 0.0"]

    def literal(value: float) -> str:
        if math.isnan(value):
            raise UnsupportedModel("a split threshold or leaf value is NaN")
        if math.isinf(value):
            return "1e999" if value > 0 else "-1e999"  # repr() would give a bare name, inf
        return repr(value)

    def emit(n: int, nodes, leaves, depth: int) -> None:
        pad = "    " * depth
        if n < 0:
            lines.append(f"{pad}t += {literal(leaves[~n])}")
            return
        feature, threshold, left, right, missing = nodes[n]
        # NaN fails both comparisons: `not v > t` sends it left, `v <= t` sends it right.
        value = literal(threshold)
        test = f"not x[{feature}] > {value}" if missing == left else f"x[{feature}] <= {value}"
        lines.append(f"{pad}if {test}:")
        emit(left, nodes, leaves, depth + 1)
        lines.append(f"{pad}else:")
        emit(right, nodes, leaves, depth + 1)

    for root, nodes, leaves in trees:
        emit(root, nodes, leaves, 1)
    lines.append("    return t")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<lightgbm-ensemble>", "exec"), namespace)  # noqa: S102 - our own source
    return namespace["raw"]


class TreeEnsembleModel:
    """A LightGBM binary classifier from `Booster.dump_model()`, matching `Booster.predict` exactly.

    Numerical splits only, with LightGBM's missing-value handling (`missing_type` None/Zero/NaN and
    `default_left`), then the sigmoid and an optional calibration.
    """

    def __init__(self, dump: Mapping[str, Any], *, version: str, calibration: Calibration | None = None):
        if dump.get("num_class", 1) != 1 or dump.get("num_tree_per_iteration", 1) != 1:
            raise UnsupportedModel("only single-output (binary) models are supported")
        objective, *params = (dump.get("objective") or "").split()
        if objective not in ("binary", "cross_entropy"):
            raise UnsupportedModel(f"objective {objective!r} is not supported; train with 'binary'")
        self._sigmoid_scale = 1.0
        for param in params:
            if param.startswith("sigmoid:"):
                self._sigmoid_scale = float(param.split(":", 1)[1])
        self.version = version
        self.feature_names: tuple[str, ...] | None = tuple(dump["feature_names"])
        self.calibration = calibration
        self._average = bool(dump.get("average_output", False))

        modes: dict[int, str] = {}
        trees = []
        for info in dump["tree_info"]:
            if info.get("is_linear"):
                raise UnsupportedModel("linear trees are not supported")
            trees.append(_flatten(info["tree_structure"], modes))
        self._trees: tuple[_Tree, ...] = tuple(trees)
        # Under missing_type Zero, zero and NaN both take the default branch: mapping zeros to NaN up front
        # keeps that test out of the per-node loop.
        self._zero_missing = tuple(sorted(f for f, mode in modes.items() if mode == "Zero"))
        self._sum: Callable[[Sequence[float]], float] = _compile(self._trees)
        self._booster = None  # LightGBM's own booster, when built from model text (see score_many)

    @classmethod
    def from_model_text(cls, text: str, **kwargs: Any) -> TreeEnsembleModel:
        """From LightGBM's text format (`Booster.save_model`), through LightGBM's library."""
        booster = NativeBooster(text)
        model = cls(booster.dump(), **kwargs)
        model._booster = booster
        return model

    @classmethod
    def load(cls, path: str | Path, **kwargs: Any) -> TreeEnsembleModel:
        """A `.json` file holds `dump_model()` output; anything else is LightGBM's text format."""
        text = Path(path).read_text(encoding="utf-8")
        if str(path).endswith(".json"):
            return cls(json.loads(text), **kwargs)
        return cls.from_model_text(text, **kwargs)

    def raw_score(self, features: Sequence[float]) -> float:
        x = features
        if self._zero_missing:
            x = list(features)
            for i in self._zero_missing:
                v = x[i]
                if v != v or -_ZERO <= v <= _ZERO:
                    x[i] = _NAN
        total = self._sum(x)
        return total / len(self._trees) if self._average else total

    def score(self, features: Sequence[float]) -> float:
        return self._probability(self.raw_score(features))

    def score_many(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """LightGBM's predict over all rows in one call (its margins are the ones `raw_score` sums to the
        bit, tests/antifraud/engine/test_model.py), then the same sigmoid and calibration as `score`."""
        if self._booster is None or len(rows) < _VECTOR_MIN:
            return [self.score(row) for row in rows]
        return [self._probability(m) for m in self._booster.raw_scores(rows)]

    def _probability(self, margin: float) -> float:
        probability = _sigmoid(self._sigmoid_scale * margin)
        if self.calibration is not None:
            return self.calibration.apply(margin, probability)
        return probability
