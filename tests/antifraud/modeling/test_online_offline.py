"""The features a model is trained on (offline replay) are exactly the ones the live runtime computes."""

from __future__ import annotations

import math

import orjson

from pingan.antifraud.engine import restore_features
from pingan.antifraud.engine.contract import parse_screening_request
from pingan.antifraud.intel import service as intel
from pingan.antifraud.modeling.dataset import load_dataset
from pingan.antifraud.models import Screening
from pingan.antifraud.screening.runtime.boot import boot
from pingan.antifraud.simulator import load_config, simulate
from pingan.core.db import unit_of_work
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_file


def _same(a, b) -> bool:
    return len(a) == len(b) and all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


def test_live_runtime_and_training_replay_agree_exactly(committed_db, tmp_path):
    config = load_config()
    config["fraud"]["cases_per_1000_customers_per_month"] = 200
    config["fraud"]["intel_known_share"] = 0.6
    simulate(tmp_path, customers=250, days=6, seed=7, config=config)
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_file(tmp_path / "org.yaml"))
        intel.list_entries(db, intel.parse_csv((tmp_path / "intel.csv").read_text(encoding="utf-8")), actor=None)

    offline = load_dataset(tmp_path)
    lines = (tmp_path / "requests.jsonl").read_bytes().splitlines()
    with unit_of_work() as db:
        runtime = boot(db)
    try:
        live = []
        for line in lines:
            sub = runtime.submit(parse_screening_request(line), caller_bank_id=None, submitted_by_id=None)
            sub.stored.result(timeout=30)
            live.append(sub.decision.features)
    finally:
        runtime.close()

    assert len(live) == len(offline) > 300
    assert offline.y.sum() > 10 and offline.forced.any()  # frauds and intel hits are in the sample
    mismatched = [i for i, (a, b) in enumerate(zip(live, offline.X, strict=True)) if not _same(a, b)]
    assert mismatched == []
    # And what was stored with each decision reads back as the same vector.
    with unit_of_work() as db:
        stored = {s.request_id: restore_features(s.features) for s in db.query(Screening)}
    ids = [orjson.loads(line)["request_id"] for line in lines]
    assert all(_same(stored[i], offline.X[n]) for n, i in enumerate(ids))
