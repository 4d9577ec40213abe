"""Dashboard settings (prefix ``PINGAN_STATS_``): how far back the recount job looks, how often it runs, the
boundaries the map draws and the PDF font of the monthly report."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

_DATA = Path(__file__).resolve().parent.parent / "data"


class StatsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_STATS_", env_file=".env", extra="ignore")

    # Records change after the day they count on (a dispute settled, a case solved weeks later): the job
    # recounts this many past days each run; `pingan stats rebuild --since` redoes older ones.
    recount_days: int = 62
    # Every 10 minutes: the sheet is a management view, not a live feed.
    recount_every_seconds: int = 600
    # GeoJSON FeatureCollection of the units' boundaries (properties.code = the unit's code).
    boundaries_file: Path = _DATA / "demo_org.geojson"


@functools.cache
def get_stats_settings() -> StatsSettings:
    return StatsSettings()
