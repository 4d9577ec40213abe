"""The dispute status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.mediation.models import DisputeStatus

# Events: start (a session opens), settled / unsettled / absent (a session's outcome), follow_up (the
# community officer's follow-up of what was not settled), return_visit (after a settlement), close.
TRANSITIONS: dict[tuple[DisputeStatus, str], DisputeStatus] = {
    (DisputeStatus.PENDING, "start"): DisputeStatus.IN_SESSION,
    (DisputeStatus.FOLLOW_UP, "start"): DisputeStatus.IN_SESSION,
    (DisputeStatus.PENDING, "settled"): DisputeStatus.SETTLED,
    (DisputeStatus.IN_SESSION, "settled"): DisputeStatus.SETTLED,
    (DisputeStatus.FOLLOW_UP, "settled"): DisputeStatus.SETTLED,
    (DisputeStatus.PENDING, "unsettled"): DisputeStatus.FOLLOW_UP,
    (DisputeStatus.IN_SESSION, "unsettled"): DisputeStatus.FOLLOW_UP,
    (DisputeStatus.FOLLOW_UP, "unsettled"): DisputeStatus.FOLLOW_UP,
    (DisputeStatus.PENDING, "absent"): DisputeStatus.FOLLOW_UP,
    (DisputeStatus.IN_SESSION, "absent"): DisputeStatus.FOLLOW_UP,
    (DisputeStatus.FOLLOW_UP, "absent"): DisputeStatus.FOLLOW_UP,
    (DisputeStatus.FOLLOW_UP, "follow_up"): DisputeStatus.PENDING,
    (DisputeStatus.SETTLED, "return_visit"): DisputeStatus.SETTLED,
    (DisputeStatus.PENDING, "close"): DisputeStatus.CLOSED,
    (DisputeStatus.FOLLOW_UP, "close"): DisputeStatus.CLOSED,
    (DisputeStatus.SETTLED, "close"): DisputeStatus.CLOSED,
}
EVENTS = ("start", "settled", "unsettled", "absent", "follow_up", "return_visit", "close")

STATUS_LABELS = {DisputeStatus.PENDING: "待调解", DisputeStatus.IN_SESSION: "调解中",
                 DisputeStatus.FOLLOW_UP: "待民警跟进", DisputeStatus.SETTLED: "已达成协议",
                 DisputeStatus.CLOSED: "已结案"}
_REFUSALS = {
    DisputeStatus.CLOSED: ("dispute.closed", "该纠纷已结案 / the dispute is closed"),
    DisputeStatus.SETTLED: ("dispute.settled", "该纠纷已达成协议 / the dispute is already settled"),
    DisputeStatus.IN_SESSION: ("dispute.in_session",
                               "该纠纷正在调解中，请先记录本次调解结果 / record the session's outcome first"),
    DisputeStatus.PENDING: ("dispute.not_following_up",
                            "该纠纷不在待跟进或回访阶段 / nothing to follow up on this dispute"),
    DisputeStatus.FOLLOW_UP: ("dispute.not_settled", "该纠纷尚未达成协议 / the dispute is not settled"),
}


def allowed(status: DisputeStatus, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: DisputeStatus, event: str) -> DisputeStatus:
    """The status after ``event``; raises InvalidTransition (409) when the table has no such step."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
