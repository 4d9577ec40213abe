"""The status machine of a village service point as one explicit table: (status, event) → next status;
anything else is refused with 409. A closed point stays closed (a new one is registered instead)."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.onewindow.models import ServicePointStatus

S = ServicePointStatus
TRANSITIONS: dict[tuple[ServicePointStatus, str], ServicePointStatus] = {
    (S.ACTIVE, "suspend"): S.SUSPENDED,
    (S.SUSPENDED, "resume"): S.ACTIVE,
    (S.ACTIVE, "close"): S.CLOSED,
    (S.SUSPENDED, "close"): S.CLOSED,
}
EVENTS = ("suspend", "resume", "close")

_REFUSALS = {
    S.ACTIVE: ("service_point.active", "代办点正在服务 / the service point is active"),
    S.SUSPENDED: ("service_point.suspended", "代办点已暂停 / the service point is suspended"),
    S.CLOSED: ("service_point.closed", "代办点已撤销 / the service point is closed"),
}


def allowed(status: ServicePointStatus, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: ServicePointStatus, event: str) -> ServicePointStatus:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
