"""The patrol status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.grid.models import PatrolStatus as S
from pingan.grid.status_table import StatusTable

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

TABLE = StatusTable(TRANSITIONS, _REFUSALS)
allowed, next_status = TABLE.allowed, TABLE.next_status
