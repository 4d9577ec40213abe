"""The report status machine as one explicit table: (status, event) → next status; anything else is refused."""

from __future__ import annotations

from pingan.core.errors import InvalidTransition
from pingan.grid.models import ReportStatus as S
from pingan.grid.status_table import StatusTable

# Events: accept (the community officer takes it), handle (dealt with by the officer), handover (to mediation,
# cases or another department), feedback (to the reporter), close, link (a copy of an earlier report).
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.ACCEPTED, "handle"): S.HANDLED,
    (S.ACCEPTED, "handover"): S.HANDED_OVER,
    (S.HANDLED, "feedback"): S.FED_BACK,
    (S.HANDED_OVER, "feedback"): S.FED_BACK,
    (S.FED_BACK, "close"): S.CLOSED,
    (S.SUBMITTED, "link"): S.LINKED,
    (S.ACCEPTED, "link"): S.LINKED,
}
EVENTS = ("accept", "handle", "handover", "feedback", "close", "link")


# The closure gate: closing before the reporter has had feedback is refused with its own code.
_GATE = ("report.feedback_required", "尚未向上报人反馈，不能办结 / feed back to the reporter before closing")
_GATES = {(status, "close"): _GATE for status in (S.SUBMITTED, S.ACCEPTED, S.HANDLED, S.HANDED_OVER)}
_REFUSALS = {
    S.SUBMITTED: ("report.not_accepted", "该上报尚未受理 / the report has not been accepted"),
    S.ACCEPTED: ("report.not_handled", "该上报尚未处置或移交 / the report is not handled or handed over yet"),
    S.HANDLED: ("report.handled", "该上报已处置，请反馈 / the report is handled: feed back"),
    S.HANDED_OVER: ("report.handed_over", "该上报已移交，请反馈 / the report is handed over: feed back"),
    S.FED_BACK: ("report.fed_back", "该上报已反馈，请办结 / the report has had its feedback: close it"),
    S.CLOSED: ("report.closed", "该上报已办结 / the report is closed"),
    S.LINKED: ("report.linked", "该上报已并入原报告，不再更新 / the report is a linked copy and takes no updates"),
}

TABLE = StatusTable(TRANSITIONS, _REFUSALS, gates=_GATES)
allowed, next_status = TABLE.allowed, TABLE.next_status


def check_open(status: S) -> None:
    """A closed report or a linked copy takes no further updates (photos included): 409."""
    if status in (S.CLOSED, S.LINKED):
        raise InvalidTransition(*_REFUSALS[status])
