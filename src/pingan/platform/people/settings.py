"""People settings (prefix ``PINGAN_PEOPLE_``)."""

from __future__ import annotations

import functools

from pydantic_settings import BaseSettings, SettingsConfigDict


class PeopleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_PEOPLE_", env_file=".env", extra="ignore")

    # The same person in two such records this close together is a repeat (the 90 days, as
    # mediation's secondary disputes).
    repeat_window_days: float = 90
    # Record kinds (module.kind) that count for repeats: disputes, calls and reports. A bank customer's
    # transfers are not repeats, so screenings are not in the list.
    repeat_kinds: str = "mediation.dispute,cases.call,grid.report"
    # The shortest 查询事由 (look-up reason) accepted: enough for "诈骗研判", not for "查".
    reason_min_chars: int = 4
    # The most appearances one file shows at once (newest first).
    file_limit: int = 2000

    @property
    def repeat_kind_set(self) -> frozenset[str]:
        return frozenset(k.strip() for k in self.repeat_kinds.split(",") if k.strip())


@functools.cache
def get_people_settings() -> PeopleSettings:
    return PeopleSettings()
