"""Standard-address settings (prefix ``PINGAN_PLACES_``)."""

from __future__ import annotations

import functools

from pydantic_settings import BaseSettings, SettingsConfigDict


class PlacesSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_PLACES_", env_file=".env", extra="ignore")

    # Two records at one address this close together are linked as a repeat (the 90 days, the same
    # window mediation uses for secondary disputes).
    repeat_window_days: float = 90
    # Roads and villages whose written form scores below this (0-100) are not offered: below it a typo and
    # a different village look alike.
    min_road_score: float = 60
    # Candidates offered for one free-text address; a clerk reads a short list, not a directory.
    match_limit: int = 10


@functools.cache
def get_places_settings() -> PlacesSettings:
    return PlacesSettings()
