"""The tenancy status machine as one explicit table: (status, event) → next status; anything else is refused.

A tenancy is declared (by the tenant through the unit's code, or by the landlord, manager, agent or an
officer), verified at the door by the grid worker, active once the landlord has reported it too, ended when
the move-out is declared and deregistered when the residence registration is closed. The landlord confirms
a tenant's declaration (their report) or disputes it; a disputed one is verified or rejected at the door."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.rental.models import TenancyStatus as S

# Events: verify (door check), confirm (the landlord's report: of the move-in before the end, of the move-out
# after it), activate (verify of a tenancy the landlord has already reported), dispute, reject, end, deregister.
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.DECLARED, "verify"): S.VERIFIED,
    (S.DISPUTED, "verify"): S.VERIFIED,
    (S.DECLARED, "confirm"): S.DECLARED,
    (S.VERIFIED, "confirm"): S.ACTIVE,
    (S.ENDED, "confirm"): S.ENDED,
    (S.VERIFIED, "activate"): S.ACTIVE,
    (S.DECLARED, "dispute"): S.DISPUTED,
    (S.VERIFIED, "dispute"): S.DISPUTED,
    (S.DECLARED, "reject"): S.REJECTED,
    (S.DISPUTED, "reject"): S.REJECTED,
    (S.VERIFIED, "end"): S.ENDED,
    (S.ACTIVE, "end"): S.ENDED,
    (S.ENDED, "deregister"): S.DEREGISTERED,
}
EVENTS = ("verify", "confirm", "activate", "dispute", "reject", "end", "deregister")

# Tenancies that count as living in the unit (occupancy, overcrowding, the landlord's tenants).
LIVING = frozenset({S.DECLARED, S.VERIFIED, S.ACTIVE, S.DISPUTED})

STATUS_LABELS = {S.DECLARED: "已申报", S.VERIFIED: "已核实", S.ACTIVE: "在住", S.DISPUTED: "房东有异议",
                 S.REJECTED: "核实不符", S.ENDED: "已退租", S.DEREGISTERED: "已注销"}
_REFUSALS = {
    S.DECLARED: ("tenancy.not_verified", "该租住登记尚未上门核实 / the tenancy has not been verified at the door"),
    S.VERIFIED: ("tenancy.verified", "该租住登记已核实 / the tenancy is already verified"),
    S.ACTIVE: ("tenancy.active", "该租户在住 / the tenant is living there"),
    S.DISPUTED: ("tenancy.disputed", "房东有异议，待网格员上门核实 / disputed: waiting for the door check"),
    S.REJECTED: ("tenancy.rejected", "该申报核实不符，已作废 / the declaration was rejected"),
    S.ENDED: ("tenancy.ended", "该租户已退租 / the tenant has moved out"),
    S.DEREGISTERED: ("tenancy.deregistered", "该租住登记已注销 / the tenancy is deregistered"),
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
