"""A trained model as files: LightGBM's text format (`model.txt`) and its metadata (`meta.json`: feature
list, feature-set version, data hash, parameters, calibration, metrics), and the ways to score with it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pingan.antifraud.engine import FEATURE_NAMES, FEATURE_SET_VERSION, TreeEnsembleModel
from pingan.antifraud.engine.model import calibration_from_dict
from pingan.antifraud.engine.scoring import IDENTITY, RiskScale

MODEL_FILE = "model.txt"
META_FILE = "meta.json"


class IncompatibleModel(ValueError):
    """The artefact was trained on other features than the engine computes."""


@dataclass
class Artefact:
    model_id: str
    model_text: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.model_text.encode()).hexdigest()

    def check_features(self) -> None:
        if self.meta.get("feature_set_version") != FEATURE_SET_VERSION or \
                tuple(self.meta.get("feature_names", ())) != FEATURE_NAMES:
            raise IncompatibleModel(
                f"model {self.model_id} uses feature set {self.meta.get('feature_set_version')}, "
                f"the engine computes {FEATURE_SET_VERSION}; retrain it")

    def engine_model(self) -> TreeEnsembleModel:
        """The model the screening engine runs (through LightGBM's library), calibration included."""
        self.check_features()
        calibration = self.meta.get("calibration")
        scale = self.meta.get("risk_scale")
        return TreeEnsembleModel(
            self.model_text, version=self.model_id,
            calibration=calibration_from_dict(calibration) if calibration else None,
            risk_scale=RiskScale.from_dict(scale) if scale else IDENTITY)

    @property
    def risk_scale(self) -> RiskScale:
        scale = self.meta.get("risk_scale")
        return RiskScale.from_dict(scale) if scale else IDENTITY

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """Calibrated scores for many rows at once (LightGBM's own predict, the margins the engine gets)."""
        import lightgbm

        margins = lightgbm.Booster(model_str=self.model_text).predict(X, raw_score=True)
        calibration = self.meta.get("calibration")
        if not calibration:
            return 1 / (1 + np.exp(-margins))
        cal = calibration_from_dict(calibration)
        probabilities = 1 / (1 + np.exp(-np.clip(margins, -500, 500)))
        return np.array([cal.apply(float(m), float(p)) for m, p in zip(margins, probabilities, strict=True)])

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MODEL_FILE).write_text(self.model_text, encoding="utf-8")
        meta = {**self.meta, "model_id": self.model_id, "model_sha256": self.sha256}
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True),
                                           encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: Path) -> Artefact:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        text = (directory / MODEL_FILE).read_text(encoding="utf-8")
        artefact = cls(meta["model_id"], text, meta)
        if meta.get("model_sha256") and meta["model_sha256"] != artefact.sha256:
            raise ValueError(f"{directory / MODEL_FILE} does not match the checksum in its metadata")
        return artefact
