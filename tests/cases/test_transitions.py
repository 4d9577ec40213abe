"""The case status table: every (status, event) pair is either the step the table names or a 409 that
changes nothing; and the custody and task tables the same way."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pingan.cases.case import transitions
from pingan.cases.models import CaseEvent, CaseStatus, ItemStatus, TaskStatus
from pingan.cases.seizure import transitions as custody
from pingan.cases.taskforce import transitions as tasks
from pingan.core.errors import InvalidTransition

PAIRS = [(s, e) for s in CaseStatus for e in transitions.EVENTS]
# How to bring a fresh case to each status through the service.
PATHS = {
    CaseStatus.RECEIVED: [], CaseStatus.FILED: ["file"], CaseStatus.NOT_FILED: ["not_file"],
    CaseStatus.INVESTIGATING: ["file", "investigate"], CaseStatus.SOLVED: ["file", "investigate", "solve"],
    CaseStatus.TRANSFERRED: ["file", "investigate", "solve", "transfer"],
    CaseStatus.CLOSED: ["file", "investigate", "solve", "transfer", "close"], CaseStatus.WITHDRAWN: ["withdraw"],
}


def test_every_status_is_reachable_and_every_path_follows_the_table():
    for status, path in PATHS.items():
        current = CaseStatus.RECEIVED
        for event in path:
            current = transitions.next_status(current, event)
        assert current is status


@pytest.mark.parametrize(("status", "event"), PAIRS, ids=[f"{s.value}-{e}" for s, e in PAIRS])
def test_each_pair_through_the_service(db, cs, status, event):
    case = cs.case()
    for step in PATHS[status]:
        cs.step(case, step, note="理由")
    events_before = db.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id))
    if transitions.allowed(status, event):
        cs.step(case, event, note="理由")
        assert case.status is transitions.TRANSITIONS[(status, event)]
        assert case.events[-1].kind == transitions.EVENT_NAMES[event]
    else:
        with pytest.raises(InvalidTransition) as refused:
            cs.step(case, event, note="理由")
        assert refused.value.status_code == 409
        assert case.status is status
        after = db.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id))
        assert after == events_before


@pytest.mark.parametrize("status", list(ItemStatus))
def test_custody_table_every_pair(status):
    for movement in custody.MOVEMENTS:
        if custody.allowed(status, movement):
            assert custody.next_status(status, movement) is custody.TRANSITIONS[(status, movement)]
        else:
            with pytest.raises(InvalidTransition):
                custody.next_status(status, movement)


@pytest.mark.parametrize("status", list(TaskStatus))
def test_task_table_every_pair(status):
    for event in tasks.EVENTS:
        if tasks.allowed(status, event):
            assert tasks.next_status(status, event) is tasks.TRANSITIONS[(status, event)]
        else:
            with pytest.raises(InvalidTransition):
                tasks.next_status(status, event)
