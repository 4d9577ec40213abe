"""Labelled screenings turned into training rows by replaying them, in time order, through the same
`Engine` the live service runs — so a model learns from exactly the features it will be given online."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson
from pydantic import ValidationError

from pingan.antifraud.engine import FEATURE_NAMES, Engine, InMemoryStateStore
from pingan.antifraud.engine.contract import (
    TYPOLOGIES,
    LabelledRequest,
    error_details,
    parse_labelled_request,
)

# Share of bad lines above which a training file is refused rather than trained on without them.
DEFAULT_MAX_BAD_SHARE = 0.01
# Bad lines kept with their reason for the report; all of them are counted.
_BAD_LINES_KEPT = 20


@dataclass
class InputReport:
    """What reading the labelled lines found: lines skipped with the reason, typologies outside the list."""

    lines: int = 0
    bad: int = 0
    bad_lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason), the first few
    bad_codes: Counter = field(default_factory=Counter)
    unknown_typologies: Counter = field(default_factory=Counter)  # fraud rows by typology not in TYPOLOGIES

    @property
    def bad_share(self) -> float:
        return self.bad / self.lines if self.lines else 0.0

    def add_bad(self, number: int, code: str, why: str) -> None:
        self.bad += 1
        self.bad_codes[code] += 1
        if len(self.bad_lines) < _BAD_LINES_KEPT:
            self.bad_lines.append((number, f"{code}: {why}"))

    def as_dict(self) -> dict:
        return {"lines": self.lines, "bad": self.bad, "bad_codes": dict(self.bad_codes),
                "unknown_typologies": dict(self.unknown_typologies)}


class TooManyBadLines(ValueError):
    """More than the allowed share of the file could not be read: training on the rest would mislead."""

    def __init__(self, report: InputReport, max_share: float) -> None:
        self.report = report
        super().__init__(f"{report.bad} of {report.lines} lines are bad ({report.bad_share:.1%}, more than "
                         f"{max_share:.1%} allowed); first: " +
                         "; ".join(f"line {n}: {why}" for n, why in report.bad_lines[:5]))


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
    report: InputReport = field(default_factory=InputReport)

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, mask: np.ndarray) -> Dataset:
        return Dataset(self.X[mask], self.y[mask], self.amount[mask], self.typology[mask], self.case[mask],
                       self.at[mask], self.rule_points[mask], self.forced[mask], self.data_hash, self.report)


def read_labelled(path: Path) -> Iterator[bytes]:
    """Lines of labelled requests: a labelled JSONL file, or a simulator directory (labelled.jsonl in it).
    Every line, blank ones too, so a line's place in the iteration is its number in the file."""
    if path.is_dir():
        path = path / "labelled.jsonl"
    with path.open("rb") as fh:
        yield from fh


def _parse_lines(lines: Iterable[bytes | dict], report: InputReport, digest) -> list[LabelledRequest]:
    requests = []
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, dict):
            raw = orjson.dumps(raw)
        elif not raw.strip():
            continue
        report.lines += 1
        digest.update(raw.rstrip(b"\n") + b"\n")
        try:
            req = parse_labelled_request(raw)
        except ValidationError as exc:
            details = error_details(exc)
            first = details[0] if details else None
            code = first.code if first else "invalid"
            report.add_bad(number, code, f"{first.field}: {first.message}" if first else str(exc)[:200])
            continue
        typology = req.label.typology
        if req.label.is_fraud and typology is not None and typology not in TYPOLOGIES:
            report.unknown_typologies[typology] += 1
        requests.append(req)
    return requests


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
                  prime: Callable[[InMemoryStateStore], None] | None = None,
                  max_bad_share: float = DEFAULT_MAX_BAD_SHARE) -> Dataset:
    """Parse, sort by time (stable), and replay through a fresh engine with the intel list loaded (from a
    CSV file, or by `prime`, which lists entries in the store).

    A line that is not a valid labelled request is skipped and reported with its number (`Dataset.report`);
    past `max_bad_share` of the lines, TooManyBadLines. A typology outside TYPOLOGIES is kept as given."""
    digest = hashlib.sha256()
    report = InputReport()
    requests = _parse_lines(lines, report, digest)
    if report.bad_share > max_bad_share:
        raise TooManyBadLines(report, max_bad_share)
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
    return Dataset(X, y, amount, typology, case, at, rule_points, forced, digest.hexdigest(), report)


def load_dataset(path: Path, *, intel: Path | None = None, max_bad_share: float = DEFAULT_MAX_BAD_SHARE) -> Dataset:
    return build_dataset(read_labelled(path), intel=intel if intel is not None else default_intel_path(path),
                         max_bad_share=max_bad_share)
