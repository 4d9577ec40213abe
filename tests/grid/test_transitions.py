"""Both status tables, every (status, event) pair: the allowed step moves, every other one is refused (409)."""

from __future__ import annotations

import pytest

from pingan.core.errors import InvalidTransition
from pingan.grid.call import transitions as calls
from pingan.grid.models import CallStatus, ReportStatus
from pingan.grid.report import transitions as reports

REPORT_STEPS = {
    (ReportStatus.SUBMITTED, "accept"): ReportStatus.ACCEPTED,
    (ReportStatus.ACCEPTED, "handle"): ReportStatus.HANDLED,
    (ReportStatus.ACCEPTED, "handover"): ReportStatus.HANDED_OVER,
    (ReportStatus.HANDLED, "feedback"): ReportStatus.FED_BACK,
    (ReportStatus.HANDED_OVER, "feedback"): ReportStatus.FED_BACK,
    (ReportStatus.FED_BACK, "close"): ReportStatus.CLOSED,
    (ReportStatus.SUBMITTED, "link"): ReportStatus.LINKED,
    (ReportStatus.ACCEPTED, "link"): ReportStatus.LINKED,
}
CALL_STEPS = {
    (CallStatus.RECEIVED, "accept"): CallStatus.ACCEPTED,
    (CallStatus.ACCEPTED, "handle"): CallStatus.HANDLED,
    (CallStatus.HANDLED, "feedback"): CallStatus.FED_BACK,
    (CallStatus.FED_BACK, "close"): CallStatus.CLOSED,
    (CallStatus.CLOSED, "call_back"): CallStatus.CALLED_BACK,
    (CallStatus.RECEIVED, "return"): CallStatus.RETURNED,
    (CallStatus.ACCEPTED, "return"): CallStatus.RETURNED,
    (CallStatus.HANDLED, "return"): CallStatus.RETURNED,
}


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("event", reports.EVENTS)
def test_every_report_pair(status, event):
    expected = REPORT_STEPS.get((status, event))
    assert reports.allowed(status, event) is (expected is not None)
    if expected is not None:
        assert reports.next_status(status, event) is expected
        return
    with pytest.raises(InvalidTransition) as refused:
        reports.next_status(status, event)
    assert refused.value.status_code == 409 and " / " in refused.value.message


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.HANDLED,
                                    ReportStatus.HANDED_OVER])
def test_closing_before_feedback_is_refused_by_the_closure_gate(status):
    with pytest.raises(InvalidTransition) as refused:
        reports.next_status(status, "close")
    assert refused.value.code == "report.feedback_required"


@pytest.mark.parametrize("status", [ReportStatus.CLOSED, ReportStatus.LINKED])
def test_a_closed_report_or_linked_copy_takes_no_updates(status):
    with pytest.raises(InvalidTransition):
        reports.check_open(status)


@pytest.mark.parametrize("status", list(CallStatus))
@pytest.mark.parametrize("event", calls.EVENTS)
def test_every_call_pair(status, event):
    expected = CALL_STEPS.get((status, event))
    assert calls.allowed(status, event) is (expected is not None)
    if expected is not None:
        assert calls.next_status(status, event) is expected
        return
    with pytest.raises(InvalidTransition) as refused:
        calls.next_status(status, event)
    assert refused.value.status_code == 409 and " / " in refused.value.message
