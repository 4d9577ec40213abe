"""The status machine of a rectification (差评整改) as one explicit table: (status, event) → next status;
anything else is refused with 409 — closing before the call-back is the closure gate."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.onewindow.models import RectificationStatus

S = RectificationStatus
# Events: call_back (the resident was called back), close (only after the call-back), appeal (the unit says
# the rating was mistaken or malicious), uphold / dismiss (the leader's review of the appeal).
TRANSITIONS: dict[tuple[RectificationStatus, str], RectificationStatus] = {
    (S.OPEN, "call_back"): S.CALLED_BACK,
    (S.CALLED_BACK, "close"): S.CLOSED,
    (S.OPEN, "appeal"): S.APPEALED,
    (S.CALLED_BACK, "appeal"): S.APPEALED,
    (S.APPEALED, "uphold"): S.ANNULLED,
    (S.APPEALED, "dismiss"): S.OPEN,
}
EVENTS = ("call_back", "close", "appeal", "uphold", "dismiss")
# The unit's steps and the leader's review of an appeal.
UNIT_EVENTS = ("call_back", "close", "appeal")
REVIEW_EVENTS = ("uphold", "dismiss")

_REFUSALS = {
    S.OPEN: ("rectification.no_call_back", "须先记录对群众的回访 / record the call-back to the resident first"),
    S.CALLED_BACK: ("rectification.called_back", "已回访，可办结或申诉 / already called back"),
    S.CLOSED: ("rectification.closed", "该整改已办结 / the rectification is closed"),
    S.APPEALED: ("rectification.appealed", "申诉复核中 / the appeal is under review"),
    S.ANNULLED: ("rectification.annulled", "差评已撤销 / the rating was annulled"),
}


def allowed(status: RectificationStatus, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: RectificationStatus, event: str) -> RectificationStatus:
    """The rectification's status after ``event``; InvalidTransition (409) otherwise (the closure gate)."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
