"""One-window fixtures: the packaged catalogue loaded, a clerk at 头陀 and one at 江口, a leader."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pingan.onewindow.application import service
from pingan.onewindow.catalogue import service as catalogue
from pingan.onewindow.schemas import ApplicationIn, StepIn, parse
from pingan.onewindow.settings import get_onewindow_settings
from pingan.platform.users.models import Role
from tests.onewindow.factories import application_body


@pytest.fixture
def ow(db, county, make_user):
    catalogue.load_file(db, get_onewindow_settings().catalogue_file)
    ns = SimpleNamespace(clerk=make_user(Role.WINDOW_CLERK, unit="331003-01"),
                         other_clerk=make_user(Role.WINDOW_CLERK, unit="331003-02"),
                         leader=make_user(Role.LEADER))
    db.flush()

    def apply(actor=None, **overrides):
        return service.create(db, data=parse(ApplicationIn, application_body(**overrides)), actor=actor or ns.clerk)

    def step(item, event, **body):
        return service.step(db, item=item, event=event, data=parse(StepIn, body), actor=ns.clerk)

    ns.apply, ns.step = apply, step
    return ns
