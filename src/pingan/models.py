"""Imports every module's tables so metadata (migrations, tests) sees them all."""

import importlib

from pingan.registry import MODULES

_PLATFORM_MODELS = ("audit", "deadlines", "notify", "org", "users")
_PLATFORM_MODELS += ("people", "places", "watch")  # the 一标三实 register


def load_all_models() -> None:
    for name in _PLATFORM_MODELS:
        importlib.import_module(f"pingan.platform.{name}.models")
    for name in MODULES:
        importlib.import_module(f"pingan.{name}.models")
