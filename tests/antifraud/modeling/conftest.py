"""Modeling fixtures: a models directory of the test's own and registrable copies of the shipped model."""

from __future__ import annotations

import pytest

from pingan.antifraud.modeling import registry
from pingan.antifraud.modeling.artefact import Artefact


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PINGAN_ANTIFRAUD_MODELS_DIR", str(tmp_path / "models"))
    registry.models_dir.cache_clear()
    yield tmp_path / "models"
    registry.models_dir.cache_clear()


@pytest.fixture
def make_artefact():
    shipped = Artefact.load(registry.DEFAULT_MODEL_DIR)

    def make(model_id: str, **meta) -> Artefact:
        return Artefact(model_id, shipped.model_text, {**shipped.meta, "source": "test", **meta})

    return make
