"""The simulator's parameters: the documented defaults in default.yaml, overridden key by key by a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG = Path(__file__).with_name("default.yaml")
COUNTIES_DIR = Path(__file__).with_name("counties")


def county_names() -> list[str]:
    """The named configurations shipped with the simulator (`counties/<name>.yaml`)."""
    return sorted(p.stem for p in COUNTIES_DIR.glob("*.yaml"))


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The defaults, with every key a YAML file at `path` gives replacing the default one; `path` may
    also name a shipped county ("a", "b": see `county_names`)."""
    config = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    if isinstance(path, str) and path in county_names():
        path = COUNTIES_DIR / f"{path}.yaml"
    if path is not None:
        override = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(override, dict):
            raise ValueError(f"{path}: a simulator config must be a YAML mapping")
        config = _merge(config, override)
    return config
