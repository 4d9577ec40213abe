"""Model targets on simulator data (issues 4 and 13): a model trained on county A is judged on county B, a
configuration it never saw (other people and habits, Spring Festival, typologies in no list), and on a
fresh seed of A; so is the shipped default model. Then the model retrained on B's first 20 days of labels
is judged on its last 10. Last, each typology left out of training in turn, with its case interception.

    .venv/bin/python benchmarks/bench_model.py [--customers N] [--days N] [--skip-loto]

Figures per judged set, at the default thresholds (warn 300, hold 700): legitimate hold rate, legitimate
warn-or-hold rate, fraud recall and loss prevented; ranked by score: recall and loss prevented at a 0.5%
legitimate hold rate; and the saturation at the top (transfers at 1000, the largest tie among the riskiest
0.1%).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from pingan.antifraud.modeling.artefact import Artefact
from pingan.antifraud.modeling.dataset import Dataset, load_dataset
from pingan.antifraud.modeling.metrics import evaluate
from pingan.antifraud.modeling.registry import shipped_default
from pingan.antifraud.modeling.train import train_model
from pingan.antifraud.simulator import simulate

# County B's seed 303 was looked at while the risk scale's anchors were chosen; 404 was not, before these
# figures were taken.
TRAIN_SEED, FRESH_SEED, OTHER_SEED, UNREAD_SEED = 101, 202, 303, 404
# Targets of issue 13 on a county the model did not see.
HOLD_MAX, WARN_MAX, RECALL_MIN, LOSS_MIN = 0.005, 0.03, 0.80, 0.95
RETRAINED_RECALL_MIN = 0.88


def judge(name: str, artefact: Artefact, ds: Dataset, *, unseen: bool) -> dict:
    r = evaluate(ds, artefact.probabilities(ds.X), scale=artefact.risk_scale)
    op, ranked = r["at_hold_threshold"], r["at_hold_rates"]["0.005"]
    sat = r["saturated"]
    print(f"  {name} ({len(ds):,} rows, {r['frauds']} fraud in {op['cases']} cases): AUC {r['auc_model']:.4f}")
    print(f"    default thresholds: legitimate holds {op['legit_hold_rate'] * 100:.3f}%, warned or held "
          f"{r['legit_warn_or_hold_rate'] * 100:.2f}%, recall {op['fraud_recall']:.3f}, loss prevented "
          f"{op['loss_prevented']:.3f}")
    print(f"    ranked by score at 0.5% legitimate holds (threshold {ranked['threshold']:.1f}): recall "
          f"{ranked['fraud_recall']:.3f}, loss prevented {ranked['loss_prevented']:.3f}, cases intercepted "
          f"{ranked['case_interception']:.3f}")
    print(f"    top: {sat['at_1000']} transfers at 1000 (forced holds aside); largest tie among the riskiest "
          f"{sat['top_0.1%']}: {sat['largest_tie_in_top_0.1%']}")
    if unseen:
        ok = (op["legit_hold_rate"] <= HOLD_MAX and r["legit_warn_or_hold_rate"] <= WARN_MAX
              and ranked["fraud_recall"] >= RECALL_MIN and op["loss_prevented"] >= LOSS_MIN)
        print(f"    targets (holds <= 0.5%, warned or held <= 3%, recall at 0.5% >= 0.80, loss prevented >= 0.95): "
              f"{'MET' if ok else 'NOT MET'}")
    return r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--skip-loto", action="store_true", help="skip the leave-one-typology-out trainings")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-model-"))
    sets = {"A": ("a", TRAIN_SEED), "A fresh seed": ("a", FRESH_SEED), "B": ("b", OTHER_SEED),
            "B seed 404": ("b", UNREAD_SEED)}
    for name, (county, seed) in sets.items():
        simulate(work / name, customers=args.customers, days=args.days, seed=seed, config=county)

    started = time.perf_counter()
    train = load_dataset(work / "A")
    replayed = time.perf_counter() - started
    artefact = train_model(train)
    total = time.perf_counter() - started
    print(f"training on county A: {len(train):,} rows ({int(train.y.sum())} fraud) replayed in {replayed:.1f} s, "
          f"trained in {total - replayed:.1f} s ({artefact.meta['params']['num_boost_round']} trees)")
    judged = {name: load_dataset(work / name) for name in ("A fresh seed", "B", "B seed 404")}
    print("model trained on A:")
    for name, ds in judged.items():
        judge(name, artefact, ds, unseen=name.startswith("B"))
    shipped = shipped_default()
    if shipped is not None:
        print(f"shipped default model {shipped.model_id} (trained on county A, seed 20261001):")
        for name, ds in judged.items():
            judge(name, shipped, ds, unseen=name.startswith("B"))

    other = judged["B"]
    day20 = other.at.min() + 20 * 86400
    first, last = other.subset(other.at < day20), other.subset(other.at >= day20)
    retrained = train_model(first)
    print(f"retrained on B's first 20 days ({len(first):,} rows, {int(first.y.sum())} fraud), judged on its last 10:")
    r = judge("B last 10 days", retrained, last, unseen=False)
    ranked = r["at_hold_rates"]["0.005"]
    ok = ranked["fraud_recall"] >= RETRAINED_RECALL_MIN and r["legit_warn_or_hold_rate"] <= WARN_MAX
    print(f"    targets (recall at 0.5% >= 0.88, warned or held <= 3%): {'MET' if ok else 'NOT MET'}")

    if args.skip_loto:
        return
    held_out = judged["A fresh seed"]
    print("typology left out of training -> its case interception on A's fresh seed at 0.5% legitimate holds:")
    for typology in sorted({t for t in held_out.typology if t is not None}):
        keep = ~((train.y == 1) & (train.typology.astype(str) == typology))
        model = train_model(train.subset(keep))
        r = evaluate(held_out, model.probabilities(held_out.X), scale=model.risk_scale)
        row = r["by_typology"].get(typology, {})
        verdict = "MET" if row.get("case_interception", 0) >= 0.7 else "NOT MET"
        print(f"  {typology:28s} cases {row.get('cases', 0):4d}  intercepted {row.get('case_interception', np.nan):.3f}"
              f"  loss prevented {row.get('loss_prevented', np.nan):.3f}  ({verdict}, target 0.70)")


if __name__ == "__main__":
    main()
