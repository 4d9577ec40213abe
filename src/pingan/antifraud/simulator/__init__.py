"""An agent-based county to learn from: customers, their ordinary remittances and the fraud that hits
them, written as screening requests (contract v1), labels, the intel known before day 0 and the org file.

`simulate(out_dir, customers=…, days=…, seed=…, config=…)`; the parameters and the published figures
they rest on are in default.yaml and docs/antifraud/model.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import yaml

from pingan.antifraud.simulator.behaviour import Payees, ordinary_events
from pingan.antifraud.simulator.config import county_names, load_config
from pingan.antifraud.simulator.events import TZ, to_request
from pingan.antifraud.simulator.fraud import fraud_events
from pingan.antifraud.simulator.population import build_population, org_document

__all__ = ["SimulationSummary", "county_names", "load_config", "simulate"]


@dataclass
class SimulationSummary:
    requests: int = 0
    fraud_requests: int = 0
    cases: int = 0
    intel_rows: int = 0
    typologies: Counter = field(default_factory=Counter)  # cases by typology
    files: dict[str, Path] = field(default_factory=dict)


def simulate(out_dir: str | Path, *, customers: int = 20_000, days: int = 30, seed: int = 1,
             config: dict | str | Path | None = None) -> SimulationSummary:
    """Simulate `days` days of a county of `customers` bank customers into `out_dir`; `config` is a dict, a
    YAML file overriding default.yaml, or the name of a shipped county ("a", "b")."""
    cfg = config if isinstance(config, dict) else load_config(config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = dt.date.fromisoformat(str(cfg["start"]))
    start_ts = dt.datetime.combine(start, dt.time(), TZ).timestamp()

    people = build_population(rng, cfg, customers, start)
    payees = Payees(rng, cfg, start)
    events = ordinary_events(rng, cfg, people, payees, start_ts, days)
    frauds, mules = fraud_events(rng, cfg, people, start, start_ts, days)
    events.extend(frauds)
    events.sort(key=lambda e: e.at)

    summary = SimulationSummary()
    paths = {name: out / name for name in ("requests.jsonl", "labels.jsonl", "labelled.jsonl", "intel.csv",
                                           "org.yaml")}
    with paths["requests.jsonl"].open("wb") as req_out, paths["labels.jsonl"].open("wb") as lab_out, \
            paths["labelled.jsonl"].open("wb") as both_out:
        for n, event in enumerate(events):
            request = to_request(event, f"sim{seed}-{n:08d}", rng, cfg["behaviour"])
            label = {"is_fraud": event.typology is not None, "typology": event.typology}
            req_out.write(orjson.dumps(request) + b"\n")
            lab_out.write(orjson.dumps({"request_id": request["request_id"], "label": label,
                                        "case_id": event.case_id}) + b"\n")
            both_out.write(orjson.dumps({**request, "label": label}) + b"\n")
            summary.requests += 1
            if event.typology is not None:
                summary.fraud_requests += 1
    cases = {e.case_id: e.typology for e in frauds}
    summary.cases = len(cases)
    summary.typologies = Counter(cases.values())

    with paths["intel.csv"].open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["kind", "value", "typology", "source", "listed_on"])
        for mule in mules:
            if mule.listed_before_start:
                listed = start - dt.timedelta(days=rng.randrange(1, 45))
                writer.writerow(["account", mule.account.account_no, "", "省反诈中心预警", listed.isoformat()])
                summary.intel_rows += 1
    paths["org.yaml"].write_text(
        "# Simulated county (pingan antifraud simulate): load with `pingan org load`.\n"
        + yaml.safe_dump(org_document(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    summary.files = paths
    return summary
