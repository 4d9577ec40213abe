"""One-window settings (prefix ``PINGAN_ONEWINDOW_``): warnings ahead of the legal limits, the rectification
clock and the PDF font of the one-time notice."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class OnewindowSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_ONEWINDOW_", env_file=".env", extra="ignore")

    # The item's legal clock warns this many of its own days (calendar or working) before the limit.
    item_warn_days: int = 1
    # A bad rating is fixed within 15 working days (Sichuan's 好差评 rule), warned 3 working days before.
    rectification_working_days: int = 15
    rectification_warn_days: int = 3
    # The catalogue the demo loads (an operator edits and loads their own with `pingan onewindow catalogue load`).
    catalogue_file: Path = Path(__file__).resolve().parent.parent / "data" / "onewindow_catalogue.yaml"


@functools.cache
def get_onewindow_settings() -> OnewindowSettings:
    return OnewindowSettings()
