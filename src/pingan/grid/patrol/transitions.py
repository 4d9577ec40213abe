"""The patrol status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.grid.models import PatrolStatus as S

# Events: start, check_in (at a point on the way), finding (a report from the patrol), end.
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.PLANNED, "start"): S.UNDER_WAY,
    (S.UNDER_WAY, "check_in"): S.UNDER_WAY,
    (S.UNDER_WAY, "finding"): S.UNDER_WAY,
    (S.UNDER_WAY, "end"): S.ENDED,
    (S.ENDED, "finding"): S.ENDED,
}
EVENTS = ("start", "check_in", "finding", "end")

_REFUSALS = {
    S.PLANNED: ("patrol.not_started", "巡逻尚未开始 / the patrol has not started"),
    S.UNDER_WAY: ("patrol.under_way", "巡逻正在进行 / the patrol is under way"),
    S.ENDED: ("patrol.ended", "巡逻已结束 / the patrol has ended"),
}


def allowed(status: S, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: S, event: str) -> S:
    """The status after ``event``; raises InvalidTransition (409) when the table has no such step."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise InvalidTransition(*_REFUSALS[status]) from None
