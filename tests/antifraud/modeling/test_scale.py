"""The model's output on the engine's point scale: the share of legitimate transfers above a score sets its
points (700, the rules' hold level, where 0.5% of them score higher; 300, warn, where 3% do); past the last
knot the points keep rising, so the model never saturates."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pingan.antifraud.engine.model import calibration_from_dict
from pingan.antifraud.engine.scoring import points_for_share
from pingan.antifraud.modeling.train import SCORE_ANCHORS, score_scale


def test_points_follow_the_anchors_log_linearly():
    for share, points in SCORE_ANCHORS:
        assert points_for_share(share, SCORE_ANCHORS) == pytest.approx(points)
    assert points_for_share(0.01, SCORE_ANCHORS) == pytest.approx(300 + 400 * math.log(3) / math.log(6))
    assert points_for_share(0.0001, SCORE_ANCHORS) == SCORE_ANCHORS[-1][1]


def test_the_scale_holds_the_anchored_shares_of_legitimate_transfers():
    margins = np.random.default_rng(5).normal(-6.0, 1.5, 200_000)
    scale = score_scale(margins)
    calibration = calibration_from_dict(scale)
    points = np.array([calibration.apply(m, math.nan) for m in margins]) * 1000
    for share, anchor in SCORE_ANCHORS[1:]:
        assert (points >= anchor).mean() == pytest.approx(share, rel=0.02)
    ordered = points[np.argsort(margins)]
    assert (np.diff(ordered) >= 0).all()  # the order of scores is kept
    assert scale["legitimate_rows"] == len(margins)
    top = [calibration.apply(m, math.nan) for m in (5.0, 10.0, 20.0, 40.0)]
    assert top == sorted(set(top)) and top[0] > 0.9  # still rising far past the last knot
