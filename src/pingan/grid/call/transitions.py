"""The handed-call status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.grid.models import CallStatus as S
from pingan.grid.status_table import StatusTable

# Events: accept (the grid takes it), handle, feedback (to the caller and the station), close, call_back (the
# day after closure), return (police work after all: back to the station, with a reason).
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.RECEIVED, "accept"): S.ACCEPTED,
    (S.ACCEPTED, "handle"): S.HANDLED,
    (S.HANDLED, "feedback"): S.FED_BACK,
    (S.FED_BACK, "close"): S.CLOSED,
    (S.CLOSED, "call_back"): S.CALLED_BACK,
    (S.RECEIVED, "return"): S.RETURNED,
    (S.ACCEPTED, "return"): S.RETURNED,
    (S.HANDLED, "return"): S.RETURNED,
}
EVENTS = ("accept", "handle", "feedback", "close", "call_back", "return")


_REFUSALS = {
    S.RECEIVED: ("call.not_accepted", "该警情尚未签收 / the call has not been accepted"),
    S.ACCEPTED: ("call.not_handled", "该警情尚未处置 / the call is not handled yet"),
    S.HANDLED: ("call.handled", "该警情已处置，请反馈 / the call is handled: feed back"),
    S.FED_BACK: ("call.fed_back", "该警情已反馈，请办结 / the call has had its feedback: close it"),
    S.CLOSED: ("call.closed", "该警情已办结 / the call is closed"),
    S.CALLED_BACK: ("call.called_back", "该警情已回访 / the call has had its call-back"),
    S.RETURNED: ("call.returned", "该警情已退回派出所 / the call went back to the station"),
}

TABLE = StatusTable(TRANSITIONS, _REFUSALS)
allowed, next_status = TABLE.allowed, TABLE.next_status
