"""Cases fixtures: officers of two stations, a leader, and shortcuts for the steps through the service."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pingan.cases.calls import service as calls
from pingan.cases.case import service as cases
from pingan.cases.schemas import CallIn, CaseIn, StepIn, parse
from pingan.platform.users.models import Role
from tests.cases.factories import call_body, case_body


@pytest.fixture
def cs(db, county, make_user):
    """头陀: a duty officer and the 头陀社区 community officer; 江口: a duty officer; a bureau leader."""
    ns = SimpleNamespace(
        duty=make_user(Role.DUTY_OFFICER, unit="331003-01"),
        officer=make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01"),
        other=make_user(Role.DUTY_OFFICER, unit="331003-02"),
        leader=make_user(Role.LEADER),
    )

    def case(actor=None, **overrides):
        return cases.register(db, data=parse(CaseIn, case_body(**overrides)), actor=actor or ns.duty)

    def step(case_, name: str, note: str = "", **kw):
        return cases.step(db, case=case_, name=name, data=StepIn(note=note, **kw), actor=ns.duty)

    def call(actor=None, **overrides):
        return calls.record(db, data=parse(CallIn, call_body(**overrides)), actor=actor or ns.duty)

    ns.case, ns.step, ns.call = case, step, call
    return ns


@pytest.fixture
def clients(db, cs, api_client) -> SimpleNamespace:
    """API clients of the test users, committed: a refused request rolls back only its own work."""
    made = SimpleNamespace(duty=api_client(cs.duty), officer=api_client(cs.officer), other=api_client(cs.other),
                           leader=api_client(cs.leader))
    db.commit()
    return made

