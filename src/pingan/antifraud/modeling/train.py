"""LightGBM on replayed features: a time-based split (train on the past, tune and calibrate on what came
next, report on the latest), Platt calibration of the margin, and the artefact with its metadata."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import lightgbm
import numpy as np
from sklearn.linear_model import LogisticRegression

from pingan.antifraud.engine import FEATURE_NAMES, FEATURE_SET_VERSION
from pingan.antifraud.modeling.artefact import Artefact
from pingan.antifraud.modeling.dataset import Dataset
from pingan.antifraud.modeling.metrics import evaluate

# Kept small on purpose: the engine walks every tree in pure Python on each screening, so the number of
# trees times their depth is latency on the hot path.
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
    # Platt scaling on the validation period's margins: p = 1 / (1 + exp(a·margin + b)); it keeps the
    # order of scores (unlike isotonic steps), which the low hold rates depend on.
    margins = lightgbm.Booster(model_str=text).predict(ds.X[valid], raw_score=True)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(margins.reshape(-1, 1), ds.y[valid])
    calibration = {"kind": "platt", "a": -float(platt.coef_[0][0]), "b": -float(platt.intercept_[0])}

    artefact = Artefact(model_id or new_model_id(ds.data_hash), text, {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "feature_names": list(FEATURE_NAMES),
        "feature_set_version": FEATURE_SET_VERSION,
        "data_hash": ds.data_hash,
        "source": source,
        "note": note,
        "params": {**params, "num_boost_round": best, "early_stopping": EARLY_STOPPING},
        "calibration": calibration,
        "rows": {"train": int(train.sum()), "valid": int(valid.sum()), "test": int(test.sum()),
                 "frauds": int(ds.y.sum())},
        "split_at": [float(ds.at[valid].min()), float(ds.at[test].min()) if test.any() else None],
    })
    metrics = {}
    if test.any() and len(np.unique(ds.y[test])) == 2:
        part = ds.subset(test)
        full = evaluate(part, artefact.probabilities(part.X))
        metrics = {"auc": full["auc_model"], "at_0.5%": full["at_hold_rates"]["0.005"],
                   "at_hold_threshold": full["at_hold_threshold"], "frauds": full["frauds"]}
    artefact.meta["metrics"] = metrics
    artefact.meta["train_seconds"] = round(time.perf_counter() - started, 2)
    return artefact
