"""The status machines of an application item and of a rectification, each one explicit table:
(status, event) → next status; anything else is refused with 409."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.onewindow.models import ItemStatus, RectificationStatus

# Item events: supplied (the missing materials are brought: the item is accepted and its clock starts),
# start (work begins), ready (the result is ready), collect / post (handed over), issue_on_spot, reject.
ITEM_TRANSITIONS: dict[tuple[ItemStatus, str], ItemStatus] = {
    (ItemStatus.AWAITING_MATERIALS, "supplied"): ItemStatus.ACCEPTED,
    (ItemStatus.ACCEPTED, "start"): ItemStatus.IN_PROGRESS,
    (ItemStatus.IN_PROGRESS, "ready"): ItemStatus.READY,
    (ItemStatus.READY, "collect"): ItemStatus.HANDED_OVER,
    (ItemStatus.READY, "post"): ItemStatus.HANDED_OVER,
    (ItemStatus.ACCEPTED, "issue_on_spot"): ItemStatus.ISSUED_ON_SPOT,
    (ItemStatus.AWAITING_MATERIALS, "reject"): ItemStatus.REJECTED,
    (ItemStatus.ACCEPTED, "reject"): ItemStatus.REJECTED,
    (ItemStatus.IN_PROGRESS, "reject"): ItemStatus.REJECTED,
}
ITEM_EVENTS = ("supplied", "start", "ready", "collect", "post", "issue_on_spot", "reject")
# A completed item can be rated.
COMPLETED = frozenset({ItemStatus.HANDED_OVER, ItemStatus.ISSUED_ON_SPOT})

ITEM_STATUS_LABELS = {
    ItemStatus.AWAITING_MATERIALS: "待补材料", ItemStatus.ACCEPTED: "已受理", ItemStatus.IN_PROGRESS: "办理中",
    ItemStatus.READY: "待领取", ItemStatus.HANDED_OVER: "已交付", ItemStatus.ISSUED_ON_SPOT: "当场办结",
    ItemStatus.REJECTED: "不予受理",
}
_ITEM_REFUSALS = {
    ItemStatus.AWAITING_MATERIALS: ("item.awaiting_materials", "材料未补齐，尚未受理 / materials still missing"),
    ItemStatus.ACCEPTED: ("item.not_started", "该事项尚未开始办理 / the item is not in progress yet"),
    ItemStatus.IN_PROGRESS: ("item.in_progress", "该事项正在办理中 / the item is in progress"),
    ItemStatus.READY: ("item.ready", "该事项已办好，待交付 / the item is ready to hand over"),
    ItemStatus.HANDED_OVER: ("item.completed", "该事项已办结 / the item is completed"),
    ItemStatus.ISSUED_ON_SPOT: ("item.completed", "该事项已办结 / the item is completed"),
    ItemStatus.REJECTED: ("item.rejected", "该事项已不予受理 / the item was rejected"),
}

# Rectification events: call_back (the resident was called back), close (only after the call-back),
# appeal (the unit says the rating was mistaken or malicious), uphold / dismiss (the review of the appeal).
RECTIFICATION_TRANSITIONS: dict[tuple[RectificationStatus, str], RectificationStatus] = {
    (RectificationStatus.OPEN, "call_back"): RectificationStatus.CALLED_BACK,
    (RectificationStatus.CALLED_BACK, "close"): RectificationStatus.CLOSED,
    (RectificationStatus.OPEN, "appeal"): RectificationStatus.APPEALED,
    (RectificationStatus.CALLED_BACK, "appeal"): RectificationStatus.APPEALED,
    (RectificationStatus.APPEALED, "uphold"): RectificationStatus.ANNULLED,
    (RectificationStatus.APPEALED, "dismiss"): RectificationStatus.OPEN,
}
RECTIFICATION_EVENTS = ("call_back", "close", "appeal", "uphold", "dismiss")

RECTIFICATION_STATUS_LABELS = {
    RectificationStatus.OPEN: "整改中", RectificationStatus.CALLED_BACK: "已回访",
    RectificationStatus.CLOSED: "已办结", RectificationStatus.APPEALED: "申诉复核中",
    RectificationStatus.ANNULLED: "申诉成立，差评撤销",
}
_RECTIFICATION_REFUSALS = {
    RectificationStatus.OPEN: ("rectification.no_call_back",
                               "须先记录对群众的回访 / record the call-back to the resident first"),
    RectificationStatus.CALLED_BACK: ("rectification.called_back", "已回访，可办结或申诉 / already called back"),
    RectificationStatus.CLOSED: ("rectification.closed", "该整改已办结 / the rectification is closed"),
    RectificationStatus.APPEALED: ("rectification.appealed", "申诉复核中 / the appeal is under review"),
    RectificationStatus.ANNULLED: ("rectification.annulled", "差评已撤销 / the rating was annulled"),
}


def item_allowed(status: ItemStatus, event: str) -> bool:
    return (status, event) in ITEM_TRANSITIONS


def next_item_status(status: ItemStatus, event: str) -> ItemStatus:
    """The item's status after ``event``; InvalidTransition (409) when the table has no such step."""
    try:
        return ITEM_TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _ITEM_REFUSALS[status]
        raise InvalidTransition(code, message) from None


def rectification_allowed(status: RectificationStatus, event: str) -> bool:
    return (status, event) in RECTIFICATION_TRANSITIONS


def next_rectification_status(status: RectificationStatus, event: str) -> RectificationStatus:
    """The rectification's status after ``event``; InvalidTransition (409) otherwise (the closure gate)."""
    try:
        return RECTIFICATION_TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _RECTIFICATION_REFUSALS[status]
        raise InvalidTransition(code, message) from None
