"""The model registry: trained models as rows (metadata, metrics) with their artefacts under the models
directory; exactly one active model or none (then the shipped default scores), an optional shadow
challenger, audited activation and rollback, and what the screening runtime loads at boot."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pingan.antifraud.engine import ScoreModel, changes
from pingan.antifraud.modeling.artefact import Artefact, IncompatibleModel
from pingan.antifraud.models import ScoreModelVersion
from pingan.antifraud.vocabulary import Action
from pingan.core import clock
from pingan.core.db import after_commit
from pingan.core.errors import Conflict, not_found
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User

log = logging.getLogger("pingan.antifraud.models")
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models" / "default"


class ModelSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_ANTIFRAUD_", env_file=".env", extra="ignore")

    # Where artefacts live (one directory per model); every API process must see the same files.
    models_dir: Path = Path("var/models")


@functools.cache
def models_dir() -> Path:
    return ModelSettings().models_dir


def list_models(db: Session) -> list[ScoreModelVersion]:
    return list(db.scalars(select(ScoreModelVersion).order_by(ScoreModelVersion.id.desc())))


def get_model(db: Session, model_id: str) -> ScoreModelVersion:
    row = db.scalar(select(ScoreModelVersion).where(ScoreModelVersion.model_id == model_id))
    if row is None:
        raise not_found("model", "模型")
    return row


def active_row(db: Session) -> ScoreModelVersion | None:
    return db.scalar(select(ScoreModelVersion).where(ScoreModelVersion.is_active.is_(True)))


def shadow_row(db: Session) -> ScoreModelVersion | None:
    return db.scalar(select(ScoreModelVersion).where(ScoreModelVersion.is_shadow.is_(True)))


def artefact_of(row: ScoreModelVersion) -> Artefact:
    artefact = Artefact.load(models_dir() / row.path)
    if artefact.sha256 != row.model_sha256:
        raise ValueError(f"artefact of {row.model_id} does not match its registry checksum")
    return artefact


def register(db: Session, artefact: Artefact, *, actor: User | None = None) -> ScoreModelVersion:
    """Save the artefact under the models directory and add its registry row (not active)."""
    if db.scalar(select(ScoreModelVersion.id).where(ScoreModelVersion.model_id == artefact.model_id)):
        raise Conflict("model.exists", f"模型 {artefact.model_id} 已登记 / model already registered")
    artefact.save(models_dir() / artefact.model_id)
    meta = artefact.meta
    row = ScoreModelVersion(
        model_id=artefact.model_id, path=artefact.model_id, model_sha256=artefact.sha256,
        feature_set_version=meta["feature_set_version"], data_hash=meta["data_hash"],
        source=meta.get("source") or "file", params=meta.get("params") or {}, metrics=meta.get("metrics") or {},
        note=meta.get("note"), created_at=clock.now(), created_by_id=actor.id if actor else None)
    db.add(row)
    db.flush()
    audit.record(db, actor=actor, action=Action.MODEL_REGISTERED, entity=row,
                 data={"model_id": row.model_id, "data_hash": row.data_hash})
    return row


def activate(db: Session, *, model_id: str, actor: User | None, note: str | None = None) -> ScoreModelVersion:
    """Make a registered model the one that decides (audited); the one it replaces is where rollback goes."""
    row = get_model(db, model_id)
    try:
        artefact_of(row).check_features()
    except (OSError, ValueError) as exc:
        raise Conflict("model.unusable", f"模型无法启用 / model cannot be activated: {exc}") from None
    current = active_row(db)
    if current is not None and current.id != row.id:
        # The rollback chain holds each model once: activating one already in it (A → B → A) moves it to
        # the front instead of making a cycle, so rollback goes A → B → shipped default and stops.
        _unlink(db, start=current, row=row, then=row.previous_id)
        row.previous_id = current.id
    _make_active(db, row)
    audit.record(db, actor=actor, action=Action.MODEL_ACTIVATED, entity=row, note=note,
                 data={"model_id": row.model_id, "replaced": current.model_id if current else None})
    return row


def rollback(db: Session, *, actor: User | None, note: str | None = None) -> ScoreModelVersion | None:
    """Go back to the model active before the current one (or to the shipped default when there was none)."""
    current = active_row(db)
    if current is None:
        raise Conflict("model.nothing_to_roll_back",
                       "没有启用中的模型，无法回退 / no active model to roll back")
    previous = db.get(ScoreModelVersion, current.previous_id) if current.previous_id else None
    if previous is not None:
        # A chain written before it held each model once may lead back here: end it at this model.
        _unlink(db, start=previous, row=current, then=None)
        _make_active(db, previous)
    else:
        current.is_active = False
        db.flush()
        after_commit(db, lambda: changes.publish("model"))
    audit.record(db, actor=actor, action=Action.MODEL_ROLLED_BACK, entity=current, note=note,
                 data={"from": current.model_id, "to": previous.model_id if previous else "default"})
    return previous


def set_shadow(db: Session, *, model_id: str | None, actor: User | None) -> ScoreModelVersion | None:
    """Choose the challenger scored in shadow beside the active model (None: no challenger)."""
    db.execute(update(ScoreModelVersion).where(ScoreModelVersion.is_shadow.is_(True)).values(is_shadow=False))
    row = get_model(db, model_id) if model_id else None
    if row is not None:
        row.is_shadow = True
    db.flush()
    after_commit(db, lambda: changes.publish("shadow"))
    audit.record(db, actor=actor, action=Action.MODEL_SHADOWED, entity=row,
                 entity_type=None if row else "antifraud_model", data={"model_id": model_id})
    return row


def _unlink(db: Session, *, start: ScoreModelVersion, row: ScoreModelVersion, then: int | None) -> None:
    """Take `row` out of the rollback chain that starts at `start`: whatever pointed back to it points to
    `then` instead. Walks each model once, so even a chain with a cycle ends."""
    seen: set[int] = set()
    node: ScoreModelVersion | None = start
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.previous_id == row.id:
            node.previous_id = then if then != node.id else None
            db.flush()
            return
        node = db.get(ScoreModelVersion, node.previous_id) if node.previous_id else None


def _make_active(db: Session, row: ScoreModelVersion) -> None:
    db.execute(update(ScoreModelVersion).where(ScoreModelVersion.is_active.is_(True)).values(is_active=False))
    row.is_active = True
    row.activated_at = clock.now()
    db.flush()
    after_commit(db, lambda: changes.publish("model"))


@functools.cache
def _shipped_default() -> Artefact | None:
    if not (DEFAULT_MODEL_DIR / "model.txt").is_file():
        return None
    return Artefact.load(DEFAULT_MODEL_DIR)


def default_model_id() -> str | None:
    artefact = _shipped_default()
    return artefact.model_id if artefact else None


def default_model() -> ScoreModel | None:
    """The model shipped with the package (trained on the simulator), or None if absent or incompatible."""
    artefact = _shipped_default()
    if artefact is None:
        return None
    try:
        return artefact.engine_model()
    except IncompatibleModel as exc:
        log.error("shipped default model not used: %s", exc)
        return None


def load_active_model(db: Session) -> ScoreModel | None:
    """What the screening engine should score with: the active registry model, else the shipped default,
    else None (rules only). An active model whose artefact is missing or broken is logged and skipped."""
    row = active_row(db)
    if row is not None:
        try:
            return artefact_of(row).engine_model()
        except (OSError, ValueError) as exc:
            log.error("active model %s cannot be loaded, using the shipped default: %s", row.model_id, exc)
    return default_model()


def load_shadow_model(db: Session) -> ScoreModel | None:
    row = shadow_row(db)
    if row is None:
        return None
    try:
        return artefact_of(row).engine_model()
    except (OSError, ValueError) as exc:
        log.error("shadow model %s cannot be loaded: %s", row.model_id, exc)
        return None
