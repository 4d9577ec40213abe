"""The status machine of an application item as one explicit table: (status, event) → next status; anything
else is refused with 409."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.onewindow.models import ItemStatus

S = ItemStatus
# Events: supplied (the missing materials are brought: the item is accepted and its clock starts),
# start (work begins), ready (the result is ready), collect / post (handed over), issue_on_spot, reject.
TRANSITIONS: dict[tuple[ItemStatus, str], ItemStatus] = {
    (S.AWAITING_MATERIALS, "supplied"): S.ACCEPTED,
    (S.ACCEPTED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "ready"): S.READY,
    (S.READY, "collect"): S.HANDED_OVER,
    (S.READY, "post"): S.HANDED_OVER,
    (S.ACCEPTED, "issue_on_spot"): S.ISSUED_ON_SPOT,
    (S.AWAITING_MATERIALS, "reject"): S.REJECTED,
    (S.ACCEPTED, "reject"): S.REJECTED,
    (S.IN_PROGRESS, "reject"): S.REJECTED,
}
EVENTS = ("supplied", "start", "ready", "collect", "post", "issue_on_spot", "reject")
# A completed item can be rated.
COMPLETED = frozenset({S.HANDED_OVER, S.ISSUED_ON_SPOT})

_REFUSALS = {
    S.AWAITING_MATERIALS: ("item.awaiting_materials", "材料未补齐，尚未受理 / materials still missing"),
    S.ACCEPTED: ("item.not_started", "该事项尚未开始办理 / the item is not in progress yet"),
    S.IN_PROGRESS: ("item.in_progress", "该事项正在办理中 / the item is in progress"),
    S.READY: ("item.ready", "该事项已办好，待交付 / the item is ready to hand over"),
    S.HANDED_OVER: ("item.completed", "该事项已办结 / the item is completed"),
    S.ISSUED_ON_SPOT: ("item.completed", "该事项已办结 / the item is completed"),
    S.REJECTED: ("item.rejected", "该事项已不予受理 / the item was rejected"),
}


def allowed(status: ItemStatus, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: ItemStatus, event: str) -> ItemStatus:
    """The item's status after ``event``; InvalidTransition (409) when the table has no such step."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
