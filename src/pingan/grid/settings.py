"""Grid settings (prefix ``PINGAN_GRID_``): the durations of the report and handed-call clocks, photo limits."""

from __future__ import annotations

import functools

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GridSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_GRID_", env_file=".env", extra="ignore")

    # A grid report reaches the community officer of its grid, who accepts it within this many wall hours
    # (a grid worker at the door waits for a decision; the branch asks for the same half-day as mediation).
    accept_hours: float = 4
    accept_warn_hours: float = 1
    # Feedback to the reporter: non-police matters within 24 hours (workflow anchors: ≤24 h) ...
    feedback_hours: float = 24
    feedback_warn_hours: float = 4
    # ... a complex matter within 5 days (workflow anchors: complex ≤5 days).
    complex_feedback_days: float = 5
    # A handed-over 110 call is accepted by the grid within this many wall hours (the caller is waiting).
    call_accept_hours: float = 2
    call_accept_warn_hours: float = 0.5
    # A clock that ran out sends a chase notice (催办); still out this many working days later, it is escalated
    # to the station (a police bureau's 12345 rule: 5 working days further overdue → 通报批评).
    chase_working_days: float = 5
    # The same category at the same standard address this recently is offered as a possible duplicate.
    duplicate_window_days: float = 7
    # The same phone or address calling again this recently is flagged as a repeat, on both sides.
    repeat_window_days: float = 30
    # Photos: JPEG or PNG (checked by content), at most this many bytes each and this many per report.
    photo_max_bytes: int = 5 * 1024 * 1024
    photos_per_report: int = 9
    # The branch's yearly figures (the article: 3,000+ pieces of information, 500+ joint patrols, 1,000+
    # publicity events): the county targets the figures page measures verified work against.
    county_collection_target: int = 3000
    county_patrol_target: int = 500
    county_publicity_target: int = 1000
    # Video calls run peer to peer on the police network (host candidates); a TURN server, if the branch runs
    # one, relays where two browsers cannot reach each other (e.g. turn:turn.example:3478).
    turn_url: str = ""
    turn_username: str = ""
    turn_credential: str = ""
    # The video calls' event stream (rings and signals) is a long request polling the database, like the
    # platform's feed (PINGAN_EVENTS_MAX_STREAMS_*): a worker or officer has two or three grid pages open, more
    # is a leak or an attack (429 video.too_many_streams); the whole process holds at most this many
    # (429 video.server_busy), each polling every 0.3 s.
    video_max_streams_per_user: int = Field(5, ge=1)
    video_max_streams: int = Field(200, ge=1)
    # Free address text is tied to a standard address when the matcher is at least this sure (0-100).
    address_match_score: int = 80


@functools.cache
def get_grid_settings() -> GridSettings:
    return GridSettings()
