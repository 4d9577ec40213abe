"""The lifecycle steps the CLI runs: train from a file or from alert outcomes, evaluate into a report, and
rebuild the shipped default model from the simulator."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from pingan.antifraud.engine import InMemoryStateStore
from pingan.antifraud.engine.state import KnownPayee
from pingan.antifraud.intel import repository as intel_repo
from pingan.antifraud.modeling import registry
from pingan.antifraud.modeling.artefact import Artefact
from pingan.antifraud.modeling.dataset import Dataset, build_dataset, load_dataset
from pingan.antifraud.modeling.metrics import evaluate
from pingan.antifraud.modeling.report import write_report
from pingan.antifraud.modeling.train import train_model
from pingan.core.errors import ValidationFailed

# The shipped default: one fixed simulation, so `pingan antifraud train-default` rebuilds the same trees.
DEFAULT_SIMULATION = {"customers": 20_000, "days": 30, "seed": 20261001}


class OutcomesUnavailable(RuntimeError):
    pass


def outcome_rows(db: Session) -> list[dict]:
    """Labelled rows from closed alerts (alert workflow's `outcome_labels`)."""
    try:
        from pingan.antifraud.alert.service import outcome_labels
    except ImportError as exc:
        raise OutcomesUnavailable(
            "learning from outcomes needs pingan.antifraud.alert.service.outcome_labels, which this installation "
            f"does not have yet ({exc})") from None
    return list(outcome_labels(db))


def intel_rows_from_db(db: Session) -> list[tuple]:
    return [(e.kind.value, e.value, e.typology, e.source, e.listed_on, e.expires_on)
            for e in intel_repo.active_intel(db)]


def dataset_from_outcomes(db: Session) -> Dataset:
    rows = outcome_rows(db)
    if not rows:
        raise ValidationFailed("model.no_outcomes", "还没有已办结并有结论的预警 / no closed alerts with outcomes yet")
    intel = intel_rows_from_db(db)
    vouched = [KnownPayee(e.account_no, e.name, e.source, e.reason, e.listed_on, e.expires_on)
               for e in intel_repo.active_known_payees(db)]

    def prime(store: InMemoryStateStore) -> None:
        # Listings carry their dates, so one made after a screening does not count for it (no leakage).
        for kind, value, typology, source, listed_on, expires_on in intel:
            store.list_entry(kind, value, typology=typology, source=source, listed_on=listed_on,
                             expires_on=expires_on)
        for entry in vouched:  # the known-payee list too, as the live engine has it
            store.vouch_payee(entry)

    return build_dataset(rows, prime=prime)


def train_and_register(db: Session, ds: Dataset, *, source: str, activate: bool, note: str | None = None,
                       seed: int = 7, exclude: tuple[str, ...] = ()) -> Artefact:
    if exclude:
        ds = ds.subset(~((ds.y == 1) & _is_in(ds, exclude)))
    artefact = train_model(ds, seed=seed, source=source, note=note)
    if exclude:
        artefact.meta["excluded_typologies"] = list(exclude)
    registry.register(db, artefact, actor=None)
    if activate:
        registry.activate(db, model_id=artefact.model_id, actor=None, note=note)
    return artefact


def _is_in(ds: Dataset, typologies: tuple[str, ...]):
    import numpy as np

    return np.isin(ds.typology.astype(str), list(typologies))


def resolve_artefact(db: Session, model_id: str | None) -> Artefact:
    """The registered model with this ID; without one, the active model, else the shipped default."""
    if model_id:
        return registry.artefact_of(registry.get_model(db, model_id))
    row = registry.active_row(db)
    if row is not None:
        return registry.artefact_of(row)
    shipped = registry.shipped_default()
    if shipped is None:
        raise ValidationFailed("model.none", "没有可评估的模型 / no model to evaluate: train one first")
    return shipped


# Said in the report of an evaluation on alert outcomes, whose figures read differently.
OUTCOMES_CAVEAT = ("Labels from closed alerts: every screening here was held by the model deciding at the "
                   "time, so the legitimate ones are its false alarms and hold rates are shares of those "
                   "alerts, not of all transfers; frauds it let through are not in the data.")


def evaluate_dataset(artefact: Artefact, ds: Dataset, *, input_name: str, out: Path, hold_threshold: float = 700,
                     hold_rate: float = 0.005, caveat: str | None = None) -> tuple[Path, dict]:
    probability = artefact.probabilities(ds.X)
    result = evaluate(ds, probability, hold_threshold=hold_threshold, chosen_rate=hold_rate,
                      scale=artefact.risk_scale)
    report = write_report(out, model_id=artefact.model_id, input_name=input_name, ds=ds, probability=probability,
                          result=result, hold_threshold=hold_threshold, caveat=caveat, scale=artefact.risk_scale)
    return report, result


def evaluate_file(artefact: Artefact, input_path: Path, *, out: Path, intel: Path | None = None,
                  hold_threshold: float = 700, hold_rate: float = 0.005) -> tuple[Path, dict]:
    return evaluate_dataset(artefact, load_dataset(input_path, intel=intel), input_name=str(input_path), out=out,
                            hold_threshold=hold_threshold, hold_rate=hold_rate)


def evaluate_outcomes(db: Session, artefact: Artefact, *, out: Path, hold_threshold: float = 700,
                      hold_rate: float = 0.005) -> tuple[Path, dict]:
    """Evaluate on the labels of closed alerts (as `train --from-outcomes` learns from them)."""
    return evaluate_dataset(artefact, dataset_from_outcomes(db), input_name="alert outcomes", out=out,
                            hold_threshold=hold_threshold, hold_rate=hold_rate, caveat=OUTCOMES_CAVEAT)


def build_default(out: Path = registry.DEFAULT_MODEL_DIR) -> Artefact:
    """Simulate the default county and train the shipped model into `out` (model.txt + meta.json)."""
    from pingan.antifraud.simulator import simulate

    work = Path(tempfile.mkdtemp(prefix="pingan-default-model-"))
    try:
        simulate(work, **DEFAULT_SIMULATION)
        ds = load_dataset(work)
        artefact = train_model(ds, source="simulator", model_id=f"default-{ds.data_hash[:8]}",
                               note=f"simulator {DEFAULT_SIMULATION}")
        # Reproducible bytes: the same simulation gives the same file, whenever it is rebuilt.
        artefact.meta["created_at"] = dt.date.fromisoformat("2026-11-29").isoformat()
        artefact.meta.pop("train_seconds", None)
        if out.exists():
            shutil.rmtree(out)
        artefact.save(out)
        return artefact
    finally:
        shutil.rmtree(work, ignore_errors=True)
