"""The case status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.cases.models import CaseStatus
from pingan.core.errors import InvalidTransition

S = CaseStatus
# Events: file / not_file (the filing decision), investigate, solve (破案), transfer (移送起诉), close (结案),
# withdraw (撤销案件). A case may be solved straight from filing (a small case solved the same day).
TRANSITIONS: dict[tuple[CaseStatus, str], CaseStatus] = {
    (S.RECEIVED, "file"): S.FILED,
    (S.RECEIVED, "not_file"): S.NOT_FILED,
    (S.FILED, "investigate"): S.INVESTIGATING,
    (S.FILED, "solve"): S.SOLVED,
    (S.INVESTIGATING, "solve"): S.SOLVED,
    (S.SOLVED, "transfer"): S.TRANSFERRED,
    (S.SOLVED, "close"): S.CLOSED,
    (S.TRANSFERRED, "close"): S.CLOSED,
    (S.NOT_FILED, "close"): S.CLOSED,
    (S.RECEIVED, "withdraw"): S.WITHDRAWN,
    (S.FILED, "withdraw"): S.WITHDRAWN,
    (S.INVESTIGATING, "withdraw"): S.WITHDRAWN,
}
EVENTS = ("file", "not_file", "investigate", "solve", "transfer", "close", "withdraw")
# The status word each event leaves on the timeline and in the audit trail.
EVENT_NAMES = {"file": "filed", "not_file": "not_filed", "investigate": "investigating", "solve": "solved",
               "transfer": "transferred", "close": "closed", "withdraw": "withdrawn"}

_REFUSALS = {
    S.RECEIVED: ("case.not_filed_yet", "案件尚未立案 / the case has not been filed"),
    S.FILED: ("case.filed", "案件已立案，不能再作立案决定 / the case is already filed"),
    S.NOT_FILED: ("case.not_filed", "案件不予立案，只能结案 / a case not filed can only be closed"),
    S.INVESTIGATING: ("case.investigating", "案件侦查中，尚未破案 / the case is under investigation, not solved"),
    S.SOLVED: ("case.solved", "案件已破 / the case is already solved"),
    S.TRANSFERRED: ("case.transferred", "案件已移送起诉 / the case has been transferred for prosecution"),
    S.CLOSED: ("case.closed", "案件已结案 / the case is closed"),
    S.WITHDRAWN: ("case.withdrawn", "案件已撤销 / the case has been withdrawn"),
}


def allowed(status: CaseStatus, event: str) -> bool:
    """Whether the table has the step: pages show only the steps allowed."""
    return (status, event) in TRANSITIONS


def next_status(status: CaseStatus, event: str) -> CaseStatus:
    """The status after ``event``; raises InvalidTransition (409) when the table has no such step."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        code, message = _REFUSALS[status]
        raise InvalidTransition(code, message) from None
