"""The legal clock on the platform scanner with real commits: the breach is escalated to the station once,
also when the scanner runs twice and after a restart."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.db import reset_engine, unit_of_work
from pingan.onewindow import clocks
from pingan.onewindow import jobs as jobs_module
from pingan.onewindow.application import service
from pingan.onewindow.catalogue import service as catalogue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.schemas import ApplicationIn, RatingIn
from pingan.onewindow.settings import get_onewindow_settings
from pingan.platform import jobs
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import EscalationLevel
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from tests.factories import COUNTY_YAML, PASSWORD
from tests.onewindow.factories import application_body


def _breaches() -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(Event).where(Event.topic == "onewindow.item.escalated"))


@pytest.mark.usefixtures("committed_db")
def test_a_late_item_is_escalated_to_the_station_once_across_runs_and_a_restart():
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        catalogue.load_file(db, get_onewindow_settings().catalogue_file)
        clerk = auth.create_user(db, username="c1", password=PASSWORD, role=Role.WINDOW_CLERK,
                                 unit_code="331003-01")
        service.create(db, data=ApplicationIn.model_validate(application_body(items=["passport"])), actor=clerk)
    clock.shift(dt.timedelta(days=30))
    jobs.run_once("deadlines.scan")
    jobs.run_once("deadlines.scan")
    reset_engine()
    jobs.run_once("deadlines.scan")
    assert _breaches() == 1


def test_the_warnings_say_what_nears_its_end_in_the_modules_own_words(db, ow):
    application = ow.apply(items=["passport", "booklet_replacement"])
    passport, booklet = application.items
    ow.step(booklet, "issue_on_spot")
    rating = ratings.rate(db, item=booklet, data=RatingIn(grade=2), actor=None)
    fix = ratings.rectification_of(db, rating)
    jobs_module.escalate_item(db, clocks.clocks_of(db, passport)[-1], EscalationLevel.WARNING)
    jobs_module.escalate_rectification(db, clocks.rectification_clock(db, fix), EscalationLevel.WARNING)
    events = {e.topic: e for e in db.scalars(select(Event).where(Event.topic.like("onewindow.%.warned")))}
    item_warning = events["onewindow.item.warned"]
    assert "普通护照申领" in item_warning.title and "7个工作日" in item_warning.body
    assert item_warning.link == f"/onewindow/applications/{application.id}"
    fix_warning = events["onewindow.rectification.warned"]
    assert "不满意" in fix_warning.title and "尚未回访" in fix_warning.body
    assert fix_warning.link == f"/onewindow/rectifications/{fix.id}"
