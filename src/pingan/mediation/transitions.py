"""The dispute status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.mediation.models import DisputeStatus as S

# Events: start (a session opens), settled / unsettled / absent (a session's outcome), follow_up (the
# community officer's follow-up of what was not settled), return_visit (after a settlement), close.
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.PENDING, "start"): S.IN_SESSION,
    (S.FOLLOW_UP, "start"): S.IN_SESSION,
    (S.PENDING, "settled"): S.SETTLED,
    (S.IN_SESSION, "settled"): S.SETTLED,
    (S.FOLLOW_UP, "settled"): S.SETTLED,
    (S.PENDING, "unsettled"): S.FOLLOW_UP,
    (S.IN_SESSION, "unsettled"): S.FOLLOW_UP,
    (S.FOLLOW_UP, "unsettled"): S.FOLLOW_UP,
    (S.PENDING, "absent"): S.FOLLOW_UP,
    (S.IN_SESSION, "absent"): S.FOLLOW_UP,
    (S.FOLLOW_UP, "absent"): S.FOLLOW_UP,
    (S.FOLLOW_UP, "follow_up"): S.PENDING,
    (S.SETTLED, "return_visit"): S.SETTLED,
    (S.PENDING, "close"): S.CLOSED,
    (S.FOLLOW_UP, "close"): S.CLOSED,
    (S.SETTLED, "close"): S.CLOSED,
}
EVENTS = ("start", "settled", "unsettled", "absent", "follow_up", "return_visit", "close")

STATUS_LABELS = {S.PENDING: "待调解", S.IN_SESSION: "调解中", S.FOLLOW_UP: "待民警跟进", S.SETTLED: "已达成协议",
                 S.CLOSED: "已结案"}
_REFUSALS = {
    S.CLOSED: ("dispute.closed", "该纠纷已结案 / the dispute is closed"),
    S.SETTLED: ("dispute.settled", "该纠纷已达成协议 / the dispute is already settled"),
    S.IN_SESSION: ("dispute.in_session", "该纠纷正在调解中，请先记录本次调解结果 / record the session's outcome first"),
    S.PENDING: ("dispute.not_following_up", "该纠纷不在待跟进或回访阶段 / nothing to follow up on this dispute"),
    S.FOLLOW_UP: ("dispute.not_settled", "该纠纷尚未达成协议 / the dispute is not settled"),
}


def allowed(status: S, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: S, event: str) -> S:
    """The status after ``event``; raises InvalidTransition (409) when the table has no such step."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
