"""Grid fixtures: the test county's 头陀 grid with its worker, officer and standard addresses; a 江口 worker."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pingan.grid import service as force
from pingan.grid.call import service as calls
from pingan.grid.models import MemberKind
from pingan.grid.report import service as reports
from pingan.grid.schemas import CallIn, CoverageIn, MemberIn, ReportIn, parse
from pingan.platform.places import service as places
from pingan.platform.users.models import Role
from tests.grid.factories import ADDRESS_CSV, JIANGKOU_GRID, TOUTUO_GRID, call_body, report_body


@pytest.fixture
def g(db, county, make_user):
    """头陀第1网格: its worker (a member), the officer covering it, the station's duty officer; 江口: a worker and
    an officer; a leader."""
    places.import_csv(db, ADDRESS_CSV)
    ns = SimpleNamespace(
        worker=make_user(Role.GRID_WORKER, unit=TOUTUO_GRID),
        officer=make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01"),
        duty=make_user(Role.DUTY_OFFICER, unit="331003-01"),
        other_worker=make_user(Role.GRID_WORKER, unit=JIANGKOU_GRID),
        other_officer=make_user(Role.COMMUNITY_OFFICER, unit="331003-02-01"),
        leader=make_user(Role.LEADER),
    )
    force.assign_coverage(db, data=CoverageIn(grid_code=TOUTUO_GRID, officer_username=ns.officer.username),
                          actor=None)
    force.add_member(db, data=MemberIn(grid_code=TOUTUO_GRID, name="周网格", kind=MemberKind.GRID_WORKER,
                                       phone="13905761001", username=ns.worker.username), actor=None)
    db.flush()

    def report(actor=None, **overrides):
        return reports.submit(db, data=parse(ReportIn, report_body(**overrides)), actor=actor or ns.worker)[0]

    def call(actor=None, **overrides):
        data = parse(CallIn, call_body(**overrides))
        return calls.receive_call(db, actor=actor or ns.duty, **data.model_dump())

    ns.report, ns.call = report, call
    return ns
