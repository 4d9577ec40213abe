"""Watch-list settings (prefix ``PINGAN_WATCH_``)."""

from __future__ import annotations

import functools

from pydantic_settings import BaseSettings, SettingsConfigDict


class WatchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_WATCH_", env_file=".env", extra="ignore")

    # A customer dissuaded from paying stays protected this long (the 30 days): long enough for the
    # fraudster's second attempt, which usually follows within days, short enough not to flag them for ever.
    protected_days: float = 30
    # An owner reviews a hit within this many hours (it waits on their to-do until they open it).
    review_hours: float = 24


@functools.cache
def get_watch_settings() -> WatchSettings:
    return WatchSettings()
