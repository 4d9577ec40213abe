"""The dispute status table: every allowed step lands where the table says, every other step is refused
(409) and changes nothing."""

from __future__ import annotations

import pytest

from pingan.core.errors import InvalidTransition
from pingan.mediation import service
from pingan.mediation.models import DisputeStatus
from pingan.mediation.schemas import FollowUpIn
from pingan.mediation.transitions import EVENTS, TRANSITIONS, next_status

ALLOWED = sorted(TRANSITIONS.items())
REFUSED = sorted((s, e) for s in DisputeStatus for e in EVENTS if (s, e) not in TRANSITIONS)


def test_the_table_covers_the_workflow():
    assert len(ALLOWED) == 16
    assert (DisputeStatus.CLOSED, "settled") in REFUSED and (DisputeStatus.IN_SESSION, "close") in REFUSED
    assert not any(s is DisputeStatus.CLOSED for s, _ in TRANSITIONS)  # closed is final


@pytest.mark.parametrize(("step", "target"), ALLOWED, ids=[f"{s}-{e}" for (s, e), _ in ALLOWED])
def test_allowed(step, target):
    assert next_status(*step) is target


@pytest.mark.parametrize("step", REFUSED, ids=[f"{s}-{e}" for s, e in REFUSED])
def test_refused(step):
    with pytest.raises(InvalidTransition):
        next_status(*step)


def _to(med, db, status: DisputeStatus):
    """A dispute brought to ``status`` through the service."""
    d = med.take_in()
    if status is DisputeStatus.IN_SESSION:
        service.start_session(db, dispute=d, actor=med.mediator)
    elif status is DisputeStatus.FOLLOW_UP:
        med.session(d, "unsettled")
    elif status is DisputeStatus.SETTLED:
        med.session(d, "settled")
    elif status is DisputeStatus.CLOSED:
        service.close(db, dispute=d, reason="当事人撤回", actor=med.mediator)
    assert d.status is status
    return d


def _apply(med, db, d, event: str):
    if event == "start":
        service.start_session(db, dispute=d, actor=med.mediator)
    elif event in ("settled", "unsettled", "absent"):
        med.session(d, event)
    elif event in ("follow_up", "return_visit"):
        service.record_follow_up(db, dispute=d, data=FollowUpIn(note="电话联系", kind=event), actor=med.officer)
    else:
        service.close(db, dispute=d, reason="结案", actor=med.mediator)


@pytest.mark.parametrize(("step", "target"), ALLOWED, ids=[f"{s}-{e}" for (s, e), _ in ALLOWED])
def test_each_allowed_step_through_the_service(db, med, step, target):
    status, event = step
    d = _to(med, db, status)
    _apply(med, db, d, event)
    assert d.status is target


@pytest.mark.parametrize("step", REFUSED, ids=[f"{s}-{e}" for s, e in REFUSED])
def test_each_refused_step_through_the_service_changes_nothing(db, med, step):
    status, event = step
    d = _to(med, db, status)
    before = (len(d.sessions), len(d.follow_ups), len(d.events))
    with pytest.raises(InvalidTransition) as refused:
        _apply(med, db, d, event)
    assert refused.value.status_code == 409
    assert d.status is status
    assert (len(d.sessions), len(d.follow_ups), len(d.events)) == before
