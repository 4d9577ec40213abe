"""The custody chain as one explicit table: (item status, movement) → next status; a movement out of order is
refused (409) and nothing is written."""

from __future__ import annotations

from pingan.cases.models import ItemStatus
from pingan.core.errors import InvalidTransition

S = ItemStatus
TRANSITIONS: dict[tuple[ItemStatus, str], ItemStatus] = {
    (S.SEIZED, "handed_over"): S.IN_CUSTODY,
    (S.IN_CUSTODY, "lent"): S.LENT,
    (S.LENT, "returned"): S.IN_CUSTODY,
    (S.IN_CUSTODY, "disposed"): S.DISPOSED,
}
MOVEMENTS = ("handed_over", "lent", "returned", "disposed")
_REFUSALS = {
    S.SEIZED: ("custody.not_handed_over", "财物尚未移交保管 / the item has not been handed to the custodian"),
    S.IN_CUSTODY: ("custody.in_custody", "财物在保管中，未被调用 / the item is in custody, not out on loan"),
    S.LENT: ("custody.lent", "财物已被调用，须先归还 / the item is out on loan: return it first"),
    S.DISPOSED: ("custody.disposed", "财物已处置 / the item has been disposed of"),
}


def allowed(status: ItemStatus, movement: str) -> bool:
    return (status, movement) in TRANSITIONS


def next_status(status: ItemStatus, movement: str) -> ItemStatus:
    try:
        return TRANSITIONS[(status, movement)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
