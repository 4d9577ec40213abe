"""Anti-fraud settings (prefix ``PINGAN_ANTIFRAUD_``): decision thresholds, write batching, state window."""

from __future__ import annotations

import functools

from pydantic_settings import BaseSettings, SettingsConfigDict


class AntifraudSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_ANTIFRAUD_", env_file=".env", extra="ignore")

    warn_threshold: int = 300
    hold_threshold: int = 700
    # A bank's target shares of holds and warnings (warn, not hold) when its thresholds do not set them;
    # its daily rates are in band from `band_low` to `band_high` times the target, on days with at least
    # `band_min_screenings` screenings.
    target_hold_rate: float = 0.005
    target_warn_rate: float = 0.02
    band_low: float = 0.25
    band_high: float = 2.0
    band_min_screenings: int = 200
    # Group commit: a batch is written when it reaches this size or has waited this long.
    write_batch_size: int = 500
    write_max_wait_ms: float = 0.5
    # Store decisions from a separate process (servers); off, the screening process writes them itself.
    store_process: bool = True
    # Validate and prepare request bodies in a separate process (servers), beside the event loop.
    prepare_process: bool = True
    # On start-up the in-memory state is rebuilt by replaying this many days of stored screenings.
    state_replay_days: int = 35
    # A bank's request_id is remembered (idempotency) for at least this many days.
    idempotency_days: int = 35
    api_key_cache_seconds: float = 30.0
    # The screening state shared by several processes: redis://host:port/db (unset: this process's memory),
    # and the prefix of its keys (several deployments or test runs in one Redis).
    state_url: str = ""
    state_prefix: str = "pingan"
    # Alert clocks: acknowledge, officer on site (or the centre's call-back for a remote hold), hold expiry.
    ack_seconds: int = 60
    arrive_minutes: int = 15
    callback_minutes: int = 10
    hold_minutes: int = 30
    # Per-station on-site time, by station code (JSON: {"331003-05": 25}) for stations with a large area.
    arrive_minutes_by_station: dict[str, int] = {}


@functools.cache
def get_antifraud_settings() -> AntifraudSettings:
    return AntifraudSettings()
