"""What a model (with the rules and intel lists around it) achieves on labelled screenings: hold rate
among legitimate transfers, fraud recall, money held, case interception, loss prevented, recall at fixed
legitimate hold rates, AUC, and all of it by typology."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from sklearn.metrics import roc_auc_score

from pingan.antifraud.engine.scoring import IDENTITY, RiskScale, combined_points
from pingan.antifraud.modeling.dataset import Dataset

HOLD_RATES = (0.001, 0.005, 0.01)


def engine_scores(ds: Dataset, probability: np.ndarray, scale: RiskScale = IDENTITY) -> np.ndarray:
    """The engine's risk before rounding (`engine.scoring`: model and rule points combined, through the
    model's risk scale); a rule that forces hold (payee on an intel list) holds at any threshold."""
    risk = np.array([scale.apply(combined_points(None if p != p else p * 1000, r))
                     for p, r in zip(probability.tolist(), ds.rule_points.tolist(), strict=True)])
    return np.where(ds.forced, np.inf, risk)


def saturated(scores: np.ndarray) -> dict:
    """Saturation at the top: transfers (forced holds aside) whose integer score is 1000, and the largest
    number of the riskiest 0.1% sharing one integer score."""
    finite = scores[np.isfinite(scores)]
    top = np.rint(np.sort(finite)[::-1][: max(1, len(finite) // 1000)])
    return {"at_1000": int((np.rint(finite) >= 1000).sum()),
            "top_0.1%": len(top), "largest_tie_in_top_0.1%": int(np.unique(top, return_counts=True)[1].max())}


def threshold_for_rate(scores: np.ndarray, legit: np.ndarray, rate: float) -> float:
    """The lowest threshold at which at most `rate` of legitimate transfers are held (score >= threshold)."""
    s = np.sort(scores[legit])[::-1]
    k = int(math.floor(rate * len(s)))
    if k >= len(s):
        return -math.inf
    return float(np.nextafter(s[k], math.inf))


def _cases(ds: Dataset, held: np.ndarray) -> dict[str, list]:
    """Per case: [typology, total amount, amount from the first hold on, intercepted]."""
    out: dict[str, list] = {}
    order = np.argsort(ds.at, kind="stable")
    for i in order:
        key = ds.case[i]
        if key is None:
            continue
        row = out.setdefault(key, [ds.typology[i], 0.0, 0.0, False])
        row[1] += ds.amount[i]
        row[3] = row[3] or bool(held[i])
        if row[3]:
            row[2] += ds.amount[i]
    return out


def at_threshold(ds: Dataset, scores: np.ndarray, threshold: float) -> dict:
    held = scores >= threshold
    fraud = ds.y == 1
    legit = ~fraud
    cases = _cases(ds, held)
    total_loss = sum(c[1] for c in cases.values())
    return {
        "threshold": threshold,
        "legit_hold_rate": float(held[legit].mean()) if legit.any() else math.nan,
        "fraud_recall": float(held[fraud].mean()) if fraud.any() else math.nan,
        "money_held": float(ds.amount[held & fraud].sum() / ds.amount[fraud].sum()) if fraud.any() else math.nan,
        "case_interception": float(np.mean([c[3] for c in cases.values()])) if cases else math.nan,
        "loss_prevented": float(sum(c[2] for c in cases.values()) / total_loss) if total_loss else math.nan,
        "cases": len(cases),
    }


def by_typology(ds: Dataset, scores: np.ndarray, threshold: float) -> dict[str, dict]:
    held = scores >= threshold
    cases = _cases(ds, held)
    grouped: dict[str, list] = defaultdict(list)
    for c in cases.values():
        grouped[c[0]].append(c)
    out = {}
    for typology, rows in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        mask = ds.typology == typology
        total = sum(r[1] for r in rows)
        out[typology] = {
            "cases": len(rows),
            "transfers": int(mask.sum()),
            "loss_per_case": total / len(rows),
            "fraud_recall": float(held[mask].mean()),
            "case_interception": float(np.mean([r[3] for r in rows])),
            "loss_prevented": sum(r[2] for r in rows) / total if total else math.nan,
        }
    return out


def evaluate(ds: Dataset, probability: np.ndarray, *, hold_threshold: float = 700, warn_threshold: float = 300,
             hold_rates: tuple[float, ...] = HOLD_RATES, chosen_rate: float = 0.005,
             scale: RiskScale = IDENTITY) -> dict:
    """Every figure of the evaluation report, as plain numbers."""
    scores = engine_scores(ds, probability, scale)
    legit = ds.y == 0
    both = len(np.unique(ds.y)) == 2
    model_ok = both and not np.isnan(probability).all()
    result = {
        "rows": len(ds), "frauds": int(ds.y.sum()), "fraud_amount": float(ds.amount[ds.y == 1].sum()),
        "auc_model": float(roc_auc_score(ds.y, np.nan_to_num(probability))) if model_ok else math.nan,
        "auc_engine": float(roc_auc_score(ds.y, np.minimum(scores, 2000))) if both else math.nan,
        "at_hold_threshold": at_threshold(ds, scores, hold_threshold),
        "legit_warn_or_hold_rate": float((scores[legit] >= warn_threshold).mean()) if legit.any() else math.nan,
        "saturated": saturated(scores),
        "at_hold_rates": {f"{r:g}": at_threshold(ds, scores, threshold_for_rate(scores, legit, r))
                          for r in hold_rates},
    }
    chosen = threshold_for_rate(scores, legit, chosen_rate)
    result["chosen_rate"] = chosen_rate
    result["chosen_threshold"] = chosen
    result["by_typology"] = by_typology(ds, scores, chosen)
    return result
