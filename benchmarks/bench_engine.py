"""Speed and memory of the in-memory screening engine: per-screening latency (with and without JSON
validation, rules only and with a LightGBM model) and the state's size at county scale."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence

import orjson

from pingan.antifraud.engine import Engine, InMemoryStateStore, TreeEnsembleModel
from pingan.antifraud.engine.contract import SIGNALS, ScreeningRequest, parse_screening_request
from pingan.antifraud.engine.features import FEATURE_NAMES
from pingan.antifraud.engine.state import DAY, Transfer, stable_key
from pingan.core.identity import make_resident_id

REGIONS = ("331003", "331002", "331004", "330102", "330110", "310104", "320505", "510104", "440305", "350203")
BENIGN_PURPOSES = (None, None, None, "生活费", "货款", "还款", "装修", "给家人", "学费", "房租")
SCAM_PURPOSES = ("刷单返利", "投资理财", "贷款验证金", "安全账户", "客服退款")
CHANNELS = ("counter", "atm", "mobile", "mobile", "mobile", "online")
START = dt.datetime(2025, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("VmRSS not found")


def synthetic_bodies(n: int, customers: int, payees: int, seed: int) -> list[dict]:
    """Remittances in time order: most to a few usual payees, some to new ones, a few with scam signs."""
    rng = random.Random(seed)
    people = [
        make_resident_id(
            rng.choice(REGIONS),
            dt.date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            i % 100,
            "MF"[i % 2],
        )
        for i in range(customers)
    ]
    at = START
    bodies = []
    for i in range(n):
        at += dt.timedelta(seconds=rng.expovariate(1 / 20))
        c = rng.randrange(customers)
        # Each customer has a handful of usual payees; one transfer in five goes somewhere new.
        p = (c * 7 + rng.randrange(3)) % payees if rng.random() < 0.8 else rng.randrange(payees)
        body = {
            "request_id": f"b{seed}-{i}",
            "bank_code": "TZB",
            "branch_code": "TZB-01",
            "channel": rng.choice(CHANNELS),
            "occurred_at": at.isoformat(),
            "amount": f"{math.exp(rng.gauss(7.5, 1.5)):.2f}",
            "customer": {
                "id_number": people[c],
                "name": "客户",
                "phone": f"138{c:08d}",
                "account_no": f"6222{c:012d}",
                "balance": f"{math.exp(rng.gauss(10.5, 1.5)):.2f}",
            },
            "payee": {"account_no": f"6217{p:012d}", "region_code": REGIONS[p % len(REGIONS)]},
            "signals": rng.sample(SIGNALS, 2) if rng.random() < 0.03 else [],
        }
        purpose = rng.choice(SCAM_PURPOSES if rng.random() < 0.02 else BENIGN_PURPOSES)
        if purpose:
            body["purpose"] = purpose
        bodies.append(body)
    return bodies


def timed(label: str, items: Sequence, work: Callable) -> None:
    gc.collect()
    durations = []
    clock = time.perf_counter_ns
    started = clock()
    for item in items:
        t0 = clock()
        work(item)
        durations.append(clock() - t0)
    total = (clock() - started) / 1e9
    durations.sort()
    median = statistics.median(durations) / 1000
    p99 = durations[int(len(durations) * 0.99)] / 1000
    print(f"{label} median_us={median:.1f} p99_us={p99:.1f} per_s={len(items) / total:,.0f} n={len(items)}")


def train_model(warm: Engine, requests: list[ScreeningRequest], trees: int) -> TreeEnsembleModel:
    """A LightGBM model of realistic shape, trained on the features the engine itself computes."""
    import lightgbm as lgb
    import numpy as np

    rng = np.random.default_rng(1)
    decisions = [d for _, d in warm.replay(requests, record=False)]
    x = np.array([d.features for d in decisions])
    # Rule decisions with some label noise: enough signal for trees of realistic depth.
    y = np.array([d.decision != "allow" for d in decisions]) ^ (rng.random(len(decisions)) < 0.05)
    params = {"objective": "binary", "num_leaves": 31, "verbose": -1, "seed": 1}
    booster = lgb.train(params, lgb.Dataset(x, y.astype(int), feature_name=list(FEATURE_NAMES)), trees)
    return TreeEnsembleModel(booster.model_to_string(), version=f"bench-lgbm-{trees}x31")


def bench_screening(n: int, customers: int, payees: int, trees: int) -> None:
    pool_customers, pool_payees = min(customers, 20_000), min(payees, 60_000)
    warmup = synthetic_bodies(2 * n, pool_customers, pool_payees, seed=1)
    probe = synthetic_bodies(n, pool_customers, pool_payees, seed=2)
    for body in probe:  # carry on in time after the warm-up
        at = dt.datetime.fromisoformat(body["occurred_at"]) + dt.timedelta(days=2)
        body["occurred_at"] = at.isoformat()
    warm_requests = [parse_screening_request(b) for b in warmup]
    probe_requests = [parse_screening_request(b) for b in probe]
    probe_raw = [orjson.dumps(b) for b in probe]

    def warmed(model: TreeEnsembleModel | None = None) -> Engine:
        engine = Engine(InMemoryStateStore(), model=model)
        for req in warm_requests:
            engine.remember(req)
        return engine

    engine = warmed()
    timed("engine.screen model=rules-only", probe_requests, engine.screen)
    mix = [d.decision for _, d in warmed().replay(probe_requests)]
    print(
        "engine.decisions model=rules-only "
        + " ".join(f"{d}={mix.count(d)}" for d in ("allow", "warn", "hold"))
    )
    engine = warmed()
    timed(
        "engine.parse+screen model=rules-only",
        probe_raw,
        lambda raw: engine.screen(parse_screening_request(raw)),
    )
    model = train_model(warmed(), warm_requests[-20_000:], trees)
    engine = warmed(model)
    timed(f"engine.screen model={model.version}", probe_requests, engine.screen)
    engine = warmed(model)
    timed(
        f"engine.parse+screen model={model.version}",
        probe_raw,
        lambda raw: engine.screen(parse_screening_request(raw)),
    )


def bench_memory(customers: int, payees: int) -> None:
    """Fill the store through its own `record` path: every payee account paid at least once, some
    several times, about six transfers per customer over a month."""
    rng = random.Random(3)
    regions = [int(r) for r in REGIONS]
    gc.collect()
    before = rss_bytes()
    store = InMemoryStateStore()
    start = int(START.timestamp())
    transfers = payees + payees // 5
    t0 = time.perf_counter()
    for i in range(transfers):
        p = i if i < payees else rng.randrange(payees)
        c = rng.randrange(customers)
        store.record(
            Transfer(
                stable_key("customer", f"c{c}"),
                stable_key("account", f"p{p}"),
                start + rng.randrange(30 * DAY),
                int(math.exp(rng.gauss(11, 1.5))),
                regions[p % len(regions)],
            )
        )
    elapsed = time.perf_counter() - t0
    gc.collect()
    grown = rss_bytes() - before
    print(
        f"state.memory customers={store.customer_count} payees={store.payee_count} transfers={transfers} "
        f"rss_gb={grown / 1e9:.2f} bytes_per_entity={grown / len(store):.0f} "
        f"record_per_s={transfers / elapsed:,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--payees", type=int, default=5_000_000)
    parser.add_argument("--screenings", type=int, default=20_000)
    parser.add_argument("--trees", type=int, default=100, help="size of the LightGBM model timed")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    bench_screening(args.screenings, args.customers, args.payees, args.trees)
    if not args.skip_memory:
        bench_memory(args.customers, args.payees)


if __name__ == "__main__":
    main()
