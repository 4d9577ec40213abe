"""Registry: register, activate (audited), roll back along the chain to the shipped default, shadow."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from pingan.antifraud.engine import FEATURE_NAMES, DecisionThresholds, Engine, InMemoryStateStore
from pingan.antifraud.modeling import registry
from pingan.antifraud.modeling.shadow import shadow_score
from pingan.core.errors import Conflict, NotFound
from pingan.platform.audit.models import AuditEvent
from tests.antifraud.engine.factories import request


def _actions(db) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("antifraud.model.%"))
                           .order_by(AuditEvent.id)))


def test_fresh_database_screens_with_the_shipped_default(db, models_dir):
    model = registry.load_active_model(db)
    assert model is not None and model.version == registry.default_model_id()
    assert tuple(model.feature_names) == FEATURE_NAMES
    Engine(InMemoryStateStore(), model=model)  # the engine accepts it


def test_activate_and_roll_back_along_the_chain(db, models_dir, make_artefact):
    for name in ("m-a", "m-b", "m-c"):
        registry.register(db, make_artefact(name))
    assert (models_dir / "m-a" / "model.txt").is_file()
    registry.activate(db, model_id="m-a", actor=None)
    registry.activate(db, model_id="m-b", actor=None, note="better recall")
    registry.activate(db, model_id="m-c", actor=None)
    assert registry.load_active_model(db).version == "m-c"
    assert [r.model_id for r in registry.list_models(db) if r.is_active] == ["m-c"]

    assert registry.rollback(db, actor=None).model_id == "m-b"
    assert registry.load_active_model(db).version == "m-b"
    assert registry.rollback(db, actor=None).model_id == "m-a"
    assert registry.rollback(db, actor=None) is None  # before m-a came the shipped default
    assert registry.active_row(db) is None
    assert registry.load_active_model(db).version == registry.default_model_id()
    with pytest.raises(Conflict):
        registry.rollback(db, actor=None)
    assert _actions(db) == ["antifraud.model.registered"] * 3 + ["antifraud.model.activated"] * 3 + \
        ["antifraud.model.rolled_back"] * 3


def test_activation_refuses_unknown_and_incompatible_models(db, models_dir, make_artefact):
    with pytest.raises(NotFound):
        registry.activate(db, model_id="nope", actor=None)
    registry.register(db, make_artefact("old-features", feature_set_version="f1-00000000"))
    with pytest.raises(Conflict):
        registry.activate(db, model_id="old-features", actor=None)
    with pytest.raises(Conflict):
        registry.register(db, make_artefact("old-features"))


def test_a_missing_artefact_falls_back_to_the_default(db, models_dir, make_artefact):
    registry.register(db, make_artefact("m-gone"))
    registry.activate(db, model_id="m-gone", actor=None)
    (models_dir / "m-gone" / "model.txt").unlink()
    assert registry.load_active_model(db).version == registry.default_model_id()


def test_shadow_challenger_is_scored_but_never_decides(db, models_dir, make_artefact):
    registry.register(db, make_artefact("challenger"))
    registry.set_shadow(db, model_id="challenger", actor=None)
    challenger = registry.load_shadow_model(db)
    assert challenger.version == "challenger"
    engine = Engine(InMemoryStateStore(), thresholds=DecisionThresholds(300, 700))
    decision = engine.screen(request())
    result = shadow_score(challenger, decision)
    assert result.model_version == "challenger" and decision.model_version == "rules-only"
    assert 0 <= result.probability <= 1 and not math.isnan(result.probability)
    assert result.decision in ("allow", "warn", "hold")
    registry.set_shadow(db, model_id=None, actor=None)
    assert registry.load_shadow_model(db) is None


def test_reactivating_a_model_moves_it_to_the_front_of_the_chain(db, models_dir, make_artefact):
    for name in ("m-a", "m-b", "m-c"):
        registry.register(db, make_artefact(name))
    for name in ("m-a", "m-b", "m-a"):  # A → B → A
        registry.activate(db, model_id=name, actor=None)
    assert registry.rollback(db, actor=None).model_id == "m-b"
    assert registry.rollback(db, actor=None) is None  # A is not visited twice: no A ↔ B loop
    assert registry.active_row(db) is None

    for name in ("m-a", "m-b", "m-c", "m-a"):  # A → B → C → A
        registry.activate(db, model_id=name, actor=None)
    assert [registry.rollback(db, actor=None) for _ in range(3)] == [
        registry.get_model(db, "m-c"), registry.get_model(db, "m-b"), None]
    with pytest.raises(Conflict):
        registry.rollback(db, actor=None)


def test_rollback_ends_a_cycle_left_in_the_chain(db, models_dir, make_artefact):
    a, b = (registry.register(db, make_artefact(name)) for name in ("m-a", "m-b"))
    registry.activate(db, model_id="m-a", actor=None)
    a.previous_id, b.previous_id = b.id, a.id  # as the chain was stored before it held each model once
    db.flush()
    assert registry.rollback(db, actor=None).model_id == "m-b"
    assert registry.rollback(db, actor=None) is None
