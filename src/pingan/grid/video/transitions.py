"""The video-call status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.grid.models import VideoStatus as S
from pingan.grid.status_table import StatusTable

# Events: answer, decline (the callee), signal (offer / answer / candidate relayed), snapshot, end (either side).
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.RINGING, "answer"): S.CONNECTED,
    (S.RINGING, "decline"): S.DECLINED,
    (S.RINGING, "signal"): S.RINGING,
    (S.CONNECTED, "signal"): S.CONNECTED,
    (S.CONNECTED, "snapshot"): S.CONNECTED,
    (S.RINGING, "end"): S.ENDED,
    (S.CONNECTED, "end"): S.ENDED,
}
EVENTS = ("answer", "decline", "signal", "snapshot", "end")

_REFUSALS = {
    S.RINGING: ("video.not_connected", "通话尚未接通 / the call is not connected"),
    S.CONNECTED: ("video.connected", "通话已接通 / the call is connected"),
    S.ENDED: ("video.ended", "通话已结束 / the call has ended"),
    S.DECLINED: ("video.declined", "对方已拒接 / the call was declined"),
}

TABLE = StatusTable(TRANSITIONS, _REFUSALS)
allowed, next_status = TABLE.allowed, TABLE.next_status
