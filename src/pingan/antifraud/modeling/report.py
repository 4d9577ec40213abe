"""The evaluation report: Markdown with PNG plots (score distributions, recall against the legitimate
hold rate, loss prevented by typology) from `metrics.evaluate`."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from pingan.antifraud.engine.scoring import IDENTITY, RiskScale
from pingan.antifraud.modeling.dataset import Dataset
from pingan.antifraud.modeling.metrics import engine_scores

_NAMES = {
    "legit_hold_rate": "hold rate among legitimate transfers",
    "fraud_recall": "fraud recall (transfers held)",
    "money_held": "money held (share of fraud amount)",
    "case_interception": "case interception (cases with at least one hold)",
    "loss_prevented": "loss prevented (money from each case's first hold on)",
}


def _pct(v: float) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v * 100:.2f}%"


def _threshold(v: float) -> str:
    return "always (intel)" if v == math.inf else "–" if v == -math.inf else f"{v:.1f}"


def _plots(out: Path, ds: Dataset, probability: np.ndarray, result: dict, scale: RiskScale) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = np.minimum(engine_scores(ds, probability, scale), 1050)
    legit, fraud = scores[ds.y == 0], scores[ds.y == 1]
    files = []
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(0, 1050, 43)
    ax.hist(legit, bins=bins, alpha=0.6, label="legitimate", density=True, log=True)
    ax.hist(fraud, bins=bins, alpha=0.6, label="fraud", density=True, log=True)
    ax.set_xlabel("engine score (model × 1000 or rule points; 1050 = intel hold)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "scores.png", dpi=100)
    files.append("scores.png")
    plt.close(fig)

    order = np.sort(legit)[::-1]
    rates = np.logspace(-4, -1, 40)
    recalls = [(fraud >= np.nextafter(order[min(int(r * len(order)), len(order) - 1)], np.inf)).mean()
               for r in rates]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.semilogx(rates * 100, recalls, marker=".")
    ax.set_xlabel("legitimate hold rate (%)")
    ax.set_ylabel("fraud recall")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "recall_vs_hold_rate.png", dpi=100)
    files.append("recall_vs_hold_rate.png")
    plt.close(fig)

    table = result["by_typology"]
    if table:
        fig, ax = plt.subplots(figsize=(7, 4))
        names = list(table)
        ax.barh(names, [table[n]["loss_prevented"] for n in names], label="loss prevented")
        ax.barh(names, [table[n]["case_interception"] for n in names], alpha=0.5, label="cases intercepted")
        ax.set_xlim(0, 1)
        ax.legend(loc="lower right")
        fig.tight_layout()
        fig.savefig(out / "by_typology.png", dpi=100)
        files.append("by_typology.png")
        plt.close(fig)
    return files


def write_report(out: Path, *, model_id: str, input_name: str, ds: Dataset, probability: np.ndarray,
                 result: dict, hold_threshold: float, caveat: str | None = None, scale: RiskScale = IDENTITY) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    plots = _plots(out, ds, probability, result, scale)
    op = result["at_hold_threshold"]
    lines = [
        f"# Model evaluation — `{model_id}`", "",
        f"Data: `{input_name}` — {result['rows']:,} screenings, {result['frauds']:,} fraud transfers in "
        f"{op['cases']:,} cases, ¥{result['fraud_amount']:,.0f} of fraud.",
        "Scores are the engine's risk: the model's and the fired rules' points combined (the larger plus a "
        "quarter of the smaller) through the model's risk scale; a payee account on an intel list is held at "
        "any threshold.", "",
        *([f"**{caveat}**", ""] if caveat else []),
        f"AUC of the model alone: **{result['auc_model']:.4f}**; of the engine score: {result['auc_engine']:.4f}.",
        "", f"## At the configured hold threshold ({hold_threshold:g})", "", "| figure | value |", "|---|---|",
    ]
    lines += [f"| {label} | {_pct(op[key])} |" for key, label in _NAMES.items()]
    lines += ["", "## At fixed legitimate hold rates", "",
              "| legitimate hold rate | threshold | actual rate | fraud recall | money held | cases intercepted "
              "| loss prevented |", "|---|---|---|---|---|---|---|"]
    for rate, row in result["at_hold_rates"].items():
        lines.append(f"| {float(rate) * 100:g}% | {_threshold(row['threshold'])} | {_pct(row['legit_hold_rate'])} | "
                     f"{_pct(row['fraud_recall'])} | {_pct(row['money_held'])} | {_pct(row['case_interception'])} "
                     f"| {_pct(row['loss_prevented'])} |")
    chosen = result["chosen_threshold"]
    lines += ["", f"**Threshold for a {result['chosen_rate'] * 100:g}% legitimate hold rate: "
              f"{_threshold(chosen)}** — set the hold threshold (rules page) to "
              f"{math.ceil(chosen) if math.isfinite(chosen) else '–'} to hold at most that share.", "",
              f"## By typology (at the {result['chosen_rate'] * 100:g}% operating point)", "",
              "| typology | cases | transfers | loss per case (¥) | fraud recall | cases intercepted "
              "| loss prevented |",
              "|---|---|---|---|---|---|---|"]
    for name, row in result["by_typology"].items():
        lines.append(f"| {name} | {row['cases']} | {row['transfers']} | {row['loss_per_case']:,.0f} | "
                     f"{_pct(row['fraud_recall'])} | {_pct(row['case_interception'])} | "
                     f"{_pct(row['loss_prevented'])} |")
    lines += ["", "## Plots", ""] + [f"![{p}]({p})" for p in plots] + [""]
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
