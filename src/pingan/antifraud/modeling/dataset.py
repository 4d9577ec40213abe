"""Labelled screenings turned into training rows by replaying them, in time order, through the same
`Engine` the live service runs — so a model learns from exactly the features it will be given online."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from pingan.antifraud.engine import FEATURE_NAMES, Engine, InMemoryStateStore
from pingan.antifraud.engine.contract import LabelledRequest, parse_labelled_request


@dataclass
class Dataset:
    """One row per labelled screening, in time order."""

    X: np.ndarray  # float64, FEATURE_NAMES order, NaN where missing
    y: np.ndarray  # 1 for fraud
    amount: np.ndarray  # yuan
    typology: np.ndarray  # object: typology or None
    case: np.ndarray  # object: victim ID number + typology for fraud rows, None otherwise
    at: np.ndarray  # epoch seconds
    rule_points: np.ndarray  # points of the fired rules (capped at 1000)
    forced: np.ndarray  # bool: a rule that forces hold fired (payee account on an intel list)
    data_hash: str  # SHA-256 of the input lines, in order

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, mask: np.ndarray) -> Dataset:
        return Dataset(self.X[mask], self.y[mask], self.amount[mask], self.typology[mask], self.case[mask],
                       self.at[mask], self.rule_points[mask], self.forced[mask], self.data_hash)


def read_labelled(path: Path) -> Iterator[bytes]:
    """Lines of labelled requests: a labelled JSONL file, or a simulator directory (labelled.jsonl in it)."""
    if path.is_dir():
        path = path / "labelled.jsonl"
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                yield line


def load_intel(store: InMemoryStateStore, path: Path) -> int:
    """List the rows of an intel CSV (DESIGN.md format) in a state store; returns how many."""
    count = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            store.list_entry(row["kind"], row["value"], typology=row.get("typology") or None,
                             source=row.get("source") or "import", listed_on=dt.date.fromisoformat(row["listed_on"]))
            count += 1
    return count


def default_intel_path(input_path: Path) -> Path | None:
    candidate = (input_path if input_path.is_dir() else input_path.parent) / "intel.csv"
    return candidate if candidate.is_file() else None


def build_dataset(lines: Iterable[bytes | dict], *, intel: Path | None = None,
                  prime: Callable[[InMemoryStateStore], None] | None = None) -> Dataset:
    """Parse, sort by time (stable), and replay through a fresh engine with the intel list loaded (from a
    CSV file, or by `prime`, which lists entries in the store)."""
    digest = hashlib.sha256()
    requests: list[LabelledRequest] = []
    for raw in lines:
        if isinstance(raw, dict):
            raw = orjson.dumps(raw)
        digest.update(raw.rstrip(b"\n") + b"\n")
        requests.append(parse_labelled_request(raw))
    requests.sort(key=lambda r: r.occurred_at)
    store = InMemoryStateStore()
    if intel is not None:
        load_intel(store, intel)
    if prime is not None:
        prime(store)
    engine = Engine(store)
    n = len(requests)
    X = np.empty((n, len(FEATURE_NAMES)), dtype=np.float64)
    y = np.zeros(n, dtype=np.int8)
    amount, at = np.empty(n), np.empty(n)
    rule_points = np.empty(n)
    forced = np.zeros(n, dtype=bool)
    typology = np.empty(n, dtype=object)
    case = np.empty(n, dtype=object)
    for i, (req, decision) in enumerate(engine.replay(requests)):
        X[i] = decision.features
        label = req.label
        y[i] = label.is_fraud
        amount[i] = float(req.amount)
        at[i] = req.occurred_at.timestamp()
        rule_points[i] = decision.rule_points
        forced[i] = "intel.payee_account" in decision.fired
        typology[i] = (label.typology or "other") if label.is_fraud else None
        # A case is one victim's transfers to one scam: outcome data has no case numbers, so neither
        # does the definition.
        case[i] = f"{req.customer.id_number}|{typology[i]}" if label.is_fraud else None
    return Dataset(X, y, amount, typology, case, at, rule_points, forced, digest.hexdigest())


def load_dataset(path: Path, *, intel: Path | None = None) -> Dataset:
    return build_dataset(read_labelled(path), intel=intel if intel is not None else default_intel_path(path))
