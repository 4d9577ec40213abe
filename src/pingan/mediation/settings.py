"""Mediation settings (prefix ``PINGAN_MEDIATION_``): every duration of the mediation clocks."""

from __future__ import annotations

import functools

from pydantic_settings import BaseSettings, SettingsConfigDict


class MediationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_MEDIATION_", env_file=".env", extra="ignore")

    # Same-day mediation: the first session by this local time of the intake day ("24:00" = midnight).
    same_day_until: str = "24:00"
    same_day_warn_hours: float = 2
    # Not settled on the spot: the community officer follows up within this many wall-clock hours.
    follow_up_hours: float = 12
    follow_up_warn_hours: float = 2
    # After a settlement: the return visit to the parties.
    return_visit_days: float = 7
    return_visit_warn_days: float = 1
    # Every dispute is closed within this many days of intake.
    close_days: float = 30
    close_warn_days: float = 3
    # Agreement performance: warned this long before its deadline.
    performance_warn_days: float = 1
    # A new dispute sharing a party's ID number or phone with one this recent is a secondary dispute.
    secondary_window_days: float = 90


@functools.cache
def get_mediation_settings() -> MediationSettings:
    return MediationSettings()
