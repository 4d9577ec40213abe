"""LightGBM on replayed features: a time-based split (train on the past, tune and scale on what came
next, report on the latest), the model's output put on the engine's point scale, and the artefact with its
metadata."""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

import lightgbm
import numpy as np

from pingan.antifraud.engine import FEATURE_NAMES, FEATURE_SET_VERSION
from pingan.antifraud.engine.model import calibration_from_dict
from pingan.antifraud.engine.scoring import combined_points, fit_scale, points_for_share
from pingan.antifraud.modeling.artefact import Artefact
from pingan.antifraud.modeling.dataset import Dataset
from pingan.antifraud.modeling.metrics import evaluate

# Kept small on purpose: every tree is walked on each screening (in LightGBM's library, a few
# microseconds), so the number of trees times their depth is latency on the hot path.
DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.08,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "scale_pos_weight": 3.0,
    "max_bin": 63,
    # One thread: on a shared two-core machine LightGBM's spinning threads made training 5x slower.
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}
MAX_ROUNDS = 300
EARLY_STOPPING = 40
SPLIT = (0.7, 0.85)  # shares of the time range: train before the first, validate before the second, test after

# Two scales. The model's points: its margin mapped so that a model score means what the same rule points
# mean — the share of legitimate transfers (validation period) scoring higher is SCORE_ANCHORS' share for
# those points (the rules' warn and hold levels among them), log-linear in between, still rising past the
# last knot. Then the risk scale (`engine.scoring`) of the model and rule points combined, fitted the same
# way on RISK_ANCHORS, which are stricter: a county the model never saw shifts the legitimate traffic up,
# so the default warn (300) and hold (700) thresholds sit at 1% and 0.1% of the training county's
# legitimate transfers to stay within 3% and 0.5% on another (county B measured 2.6× county A's rate).
SCORE_ANCHORS: tuple[tuple[float, int], ...] = ((1.0, 0), (0.03, 300), (0.005, 700), (0.0005, 900))
RISK_ANCHORS: tuple[tuple[float, int], ...] = ((1.0, 0), (0.01, 300), (0.001, 700), (0.0002, 900))
# Shares of legitimate transfers at which the scales have a knot (piecewise linear in between).
_KNOT_SHARES = (0.5, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.007, 0.005, 0.003, 0.002, 0.0015, 0.001, 0.0007,
                0.0005, 0.0002)


class NotEnoughData(ValueError):
    pass


def new_model_id(data_hash: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"gbm-{now:%Y%m%d-%H%M%S}-{data_hash[:6]}"


def time_split(ds: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks for train, validation and test by time (rows at one instant never straddle a boundary)."""
    lo, hi = ds.at.min(), ds.at.max()
    t1, t2 = lo + (hi - lo) * SPLIT[0], lo + (hi - lo) * SPLIT[1]
    return ds.at < t1, (ds.at >= t1) & (ds.at < t2), ds.at >= t2


def score_scale(legit_margins: np.ndarray) -> dict[str, Any]:
    """The calibration (`MarginCalibration`, piecewise linear on the raw margin) that puts the model on the
    point scale: the margin that a given share of these legitimate transfers exceed is mapped to
    `points_for_share(share)` / 1000."""
    ordered = np.sort(legit_margins)[::-1]
    x, y = [float(ordered[-1]) - 1.0], [0.0]
    for share in _KNOT_SHARES:
        margin = float(ordered[min(int(share * len(ordered)), len(ordered) - 1)])
        points = round(points_for_share(share, SCORE_ANCHORS) / 1000, 6)
        if margin > x[-1]:
            x.append(margin)
            y.append(points)
    return {"kind": "margin", "x": x, "y": y, "anchors": [list(a) for a in SCORE_ANCHORS],
            "legitimate_rows": len(ordered)}


def risk_scale(legit_model_points: np.ndarray, legit_rule_points: np.ndarray) -> dict[str, Any]:
    """The risk scale of model and rule points combined, fitted on legitimate transfers (RISK_ANCHORS)."""
    combined = [combined_points(float(m), float(r)) for m, r in zip(legit_model_points, legit_rule_points,
                                                                       strict=True)]
    scale = fit_scale(combined, RISK_ANCHORS, _KNOT_SHARES)
    return {**scale.to_dict(), "anchors": [list(a) for a in RISK_ANCHORS]}


def _check(ds: Dataset, mask: np.ndarray, name: str) -> None:
    positives = int(ds.y[mask].sum())
    if positives < 5 or positives == int(mask.sum()):
        raise NotEnoughData(f"the {name} period has {positives} fraud rows of {int(mask.sum())}: "
                            "need both classes, at least 5 frauds (more days or customers)")


def train_model(ds: Dataset, *, params: dict | None = None, seed: int = 7, source: str = "file",
                model_id: str | None = None, note: str | None = None) -> Artefact:
    started = time.perf_counter()
    train, valid, test = time_split(ds)
    for mask, name in ((train, "training"), (valid, "validation")):
        _check(ds, mask, name)
    params = {**DEFAULT_PARAMS, **(params or {}), "seed": seed}
    train_set = lightgbm.Dataset(ds.X[train], ds.y[train], feature_name=list(FEATURE_NAMES), free_raw_data=True)
    valid_set = lightgbm.Dataset(ds.X[valid], ds.y[valid], reference=train_set)
    booster = lightgbm.train(params, train_set, num_boost_round=MAX_ROUNDS, valid_sets=[valid_set],
                             callbacks=[lightgbm.early_stopping(EARLY_STOPPING, verbose=False)])
    best = booster.best_iteration or booster.current_iteration()
    text = booster.model_to_string(num_iteration=best)
    # Scaled on the validation period's legitimate transfers, which the trees have not seen. The map never
    # decreases, so it keeps the order of scores that the low hold rates depend on.
    legit_valid = valid & (ds.y == 0)
    margins = lightgbm.Booster(model_str=text).predict(ds.X[legit_valid], raw_score=True)
    calibration = score_scale(margins)
    cal = calibration_from_dict(calibration)
    model_points = np.array([cal.apply(float(m), math.nan) * 1000 for m in margins])
    scale = risk_scale(model_points, ds.rule_points[legit_valid])

    artefact = Artefact(model_id or new_model_id(ds.data_hash), text, {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "feature_names": list(FEATURE_NAMES),
        "feature_set_version": FEATURE_SET_VERSION,
        "data_hash": ds.data_hash,
        "source": source,
        "note": note,
        "params": {**params, "num_boost_round": best, "early_stopping": EARLY_STOPPING},
        "calibration": calibration,
        "risk_scale": scale,
        "rows": {"train": int(train.sum()), "valid": int(valid.sum()), "test": int(test.sum()),
                 "frauds": int(ds.y.sum())},
        "input": ds.report.as_dict(),
        "split_at": [float(ds.at[valid].min()), float(ds.at[test].min()) if test.any() else None],
    })
    metrics = {}
    if test.any() and len(np.unique(ds.y[test])) == 2:
        part = ds.subset(test)
        full = evaluate(part, artefact.probabilities(part.X), scale=artefact.risk_scale)
        metrics = {"auc": full["auc_model"], "at_0.5%": full["at_hold_rates"]["0.005"],
                   "at_hold_threshold": full["at_hold_threshold"], "frauds": full["frauds"]}
    artefact.meta["metrics"] = metrics
    artefact.meta["train_seconds"] = round(time.perf_counter() - started, 2)
    return artefact
