import math

import lightgbm as lgb
import numpy as np
import pytest

from pingan.antifraud.engine import Engine, InMemoryStateStore
from pingan.antifraud.engine.features import FEATURE_NAMES
from pingan.antifraud.engine.lightgbm_native import NativeBooster
from pingan.antifraud.engine.model import (
    IsotonicCalibration,
    PlattCalibration,
    RulesOnlyModel,
    TreeEnsembleModel,
    UnsupportedModel,
    calibration_from_dict,
)

N_FEATURES = 8


def training_data(seed: int, *, nan_share: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2000, N_FEATURES))
    x[:, 3] = rng.integers(0, 3, size=2000)  # a feature with many exact zeros
    logit = 1.5 * x[:, 0] - x[:, 1] + 0.8 * (x[:, 3] == 0) + np.where(np.isnan(x[:, 2]), 1.0, x[:, 2])
    y = (logit + rng.normal(size=2000) > 0).astype(int)
    x[rng.random(x.shape) < nan_share] = np.nan
    return x, y


def train(x, y, **params) -> lgb.Booster:
    params = {
        "objective": "binary",
        "num_leaves": 15,
        "min_data_in_leaf": 10,
        "verbose": -1,
        "seed": 1,
        **params,
    }
    return lgb.train(params, lgb.Dataset(x, y), num_boost_round=20)


def probe_rows(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1000, N_FEATURES)) * 2
    x[:, 3] = rng.integers(0, 3, size=1000)
    x[rng.random(x.shape) < 0.15] = np.nan
    x[rng.random(x.shape) < 0.05] = 0.0
    return x


def missing_types(dump: dict) -> set[str]:
    found = set()
    stack = [tree["tree_structure"] for tree in dump["tree_info"]]
    while stack:
        node = stack.pop()
        if "split_feature" in node:
            found.add(node["missing_type"])
            stack += [node["left_child"], node["right_child"]]
    return found


def assert_matches(booster: lgb.Booster, model: TreeEnsembleModel) -> None:
    rows = probe_rows(99)
    expected = booster.predict(rows)
    raw = booster.predict(rows, raw_score=True)
    for row, p, r in zip(rows.tolist(), expected, raw, strict=True):
        assert model.raw_score(row) == pytest.approx(r, abs=1e-9)
        assert model.score(row) == pytest.approx(p, abs=1e-9)


@pytest.mark.parametrize(
    ("nan_share", "params", "missing_type"),
    [
        (0.1, {}, "NaN"),  # NaNs seen in training: learned default directions
        (0.0, {}, "None"),  # no NaNs in training: a NaN is read as 0.0
        (0.1, {"zero_as_missing": True}, "Zero"),
        (0.1, {"use_missing": False}, "None"),
    ],
)
def test_tree_model_equals_lightgbm_predict(nan_share, params, missing_type):
    booster = train(*training_data(3, nan_share=nan_share), **params)
    dump = booster.dump_model()
    assert missing_types(dump) == {missing_type}
    assert_matches(booster, TreeEnsembleModel(booster.model_to_string(), version="t1"))


@pytest.mark.parametrize("params", [{}, {"zero_as_missing": True}, {"use_missing": False}])
def test_scoring_many_at_once_gives_exactly_the_probabilities_of_one_by_one(params):
    booster = train(*training_data(7, nan_share=0.1), **params)
    model = TreeEnsembleModel(booster.model_to_string(), version="many")
    rows = probe_rows(500).tolist()
    assert model.score_many(rows) == [model.score(row) for row in rows]
    assert model.score_many(rows[:1]) == [model.score(rows[0])] and model.score_many([]) == []


def test_native_library_gives_what_the_lightgbm_package_gives():
    booster = train(*training_data(11, nan_share=0.1), zero_as_missing=True)
    native = NativeBooster(booster.model_to_string())
    rows = probe_rows(13)
    expected = booster.predict(rows, raw_score=True).tolist()
    assert native.raw_scores(rows.tolist()) == expected
    assert [native.raw_score(row) for row in rows.tolist()] == expected
    with pytest.raises(ValueError, match="features"):
        native.raw_scores([[0.0, 1.0]])


def test_loads_from_a_model_file(tmp_path):
    booster = train(*training_data(5, nan_share=0.1), objective="binary", sigmoid=0.7)
    booster.save_model(tmp_path / "model.txt")
    model = TreeEnsembleModel.load(tmp_path / "model.txt", version="t2")
    assert_matches(booster, model)
    assert model.version == "t2" and model.feature_names == tuple(booster.feature_name())


def test_single_leaf_trees_are_handled():
    x = np.zeros((200, 2))
    booster = lgb.train(
        {"objective": "binary", "verbose": -1}, lgb.Dataset(x, np.r_[np.ones(50), np.zeros(150)]), 3
    )
    model = TreeEnsembleModel(booster.model_to_string(), version="flat")
    assert model.score([0.0, 0.0]) == pytest.approx(booster.predict(np.zeros((1, 2)))[0], abs=1e-12)


def test_unsupported_models_are_refused_clearly():
    x, y = training_data(1, nan_share=0.0)
    multi = lgb.train({"objective": "multiclass", "num_class": 3, "verbose": -1}, lgb.Dataset(x, y % 3), 2)
    with pytest.raises(UnsupportedModel, match="single-output"):
        TreeEnsembleModel(multi.model_to_string(), version="m")
    regression = lgb.train({"objective": "regression", "verbose": -1}, lgb.Dataset(x, y), 2)
    with pytest.raises(UnsupportedModel, match="objective"):
        TreeEnsembleModel(regression.model_to_string(), version="r")


def test_calibrations():
    platt = PlattCalibration(a=-2.0, b=0.5)
    assert platt.apply(1.0, 0.0) == pytest.approx(1 / (1 + math.exp(-2.0 + 0.5)))
    iso = calibration_from_dict({"kind": "isotonic", "x": [0.0, 0.5, 1.0], "y": [0.0, 0.1, 0.9]})
    assert iso == IsotonicCalibration((0.0, 0.5, 1.0), (0.0, 0.1, 0.9))
    assert iso.apply(0.0, 0.25) == pytest.approx(0.05)
    assert iso.apply(0.0, 0.75) == pytest.approx(0.5)
    assert (iso.apply(0.0, -1.0), iso.apply(0.0, 2.0)) == (0.0, 0.9)
    with pytest.raises(ValueError):
        IsotonicCalibration((1.0, 0.0), (0.0, 1.0))
    with pytest.raises(ValueError):
        calibration_from_dict({"kind": "beta"})


def test_calibration_is_applied_after_the_sigmoid():
    booster = train(*training_data(3, nan_share=0.1))
    iso = IsotonicCalibration((0.0, 1.0), (0.0, 0.5))
    model = TreeEnsembleModel(booster.model_to_string(), version="cal", calibration=iso)
    row = probe_rows(1)[0].tolist()
    assert model.score(row) == pytest.approx(booster.predict(np.array([row]))[0] / 2, abs=1e-9)


def test_rules_only_model_has_no_opinion():
    assert math.isnan(RulesOnlyModel().score([0.0] * len(FEATURE_NAMES)))


def test_engine_refuses_a_model_trained_on_other_features():
    booster = train(*training_data(3, nan_share=0.1))
    with pytest.raises(ValueError, match="other features"):
        Engine(InMemoryStateStore(), model=TreeEnsembleModel(booster.model_to_string(), version="x"))
