"""The video-call status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.grid.models import VideoStatus as S

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


def allowed(status: S, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: S, event: str) -> S:
    """The status after ``event``; raises InvalidTransition (409) when the table has no such step."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise InvalidTransition(*_REFUSALS[status]) from None
