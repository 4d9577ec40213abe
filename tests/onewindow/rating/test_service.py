"""好差评: once per completed item; a bad grade opens a rectification at the station that did the work, with
15 working days; it closes only after the call-back; an appeal upheld annuls the rating."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.errors import Conflict, InvalidTransition
from pingan.onewindow.models import RectificationStatus
from pingan.onewindow.queue import service as queue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.schemas import RatingIn
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock
from pingan.platform.org import service as org_service


def _done_booklet(ow):
    booklet = ow.apply().items[0]
    ow.step(booklet, "issue_on_spot")
    return booklet


def test_a_good_grade_opens_nothing_and_rating_twice_is_refused(db, ow):
    booklet = _done_booklet(ow)
    ratings.rate(db, item=booklet, data=RatingIn(grade=5), actor=ow.clerk)
    assert ratings.rectification_of(db, booklet.rating) is None
    with pytest.raises(Conflict) as exc:
        ratings.rate(db, item=booklet, data=RatingIn(grade=1), actor=ow.clerk)
    assert exc.value.code == "rating.duplicate" and booklet.rating.grade == 5


def test_an_item_not_completed_cannot_be_rated(db, ow):
    passport = ow.apply().items[1]
    with pytest.raises(Conflict):
        ratings.rate(db, item=passport, data=RatingIn(grade=3), actor=ow.clerk)


def test_a_bad_grade_opens_a_rectification_that_closes_only_after_the_call_back(db, ow):
    booklet = _done_booklet(ow)
    rating = ratings.rate(db, item=booklet, data=RatingIn(grade=2, comment="等太久"), actor=ow.clerk)
    fix = ratings.rectification_of(db, rating)
    assert fix.unit_id == booklet.station_id and fix.status is RectificationStatus.OPEN
    deadline = db.scalar(select(DeadlineClock).where(DeadlineClock.owner_type == "onewindow_rectification"))
    assert clock.local(deadline.due_at).time().isoformat() == "17:30:00"
    with pytest.raises(InvalidTransition) as exc:
        ratings.step(db, rectification=fix, event="close", note="已整改", actor=ow.clerk)
    assert exc.value.code == "rectification.no_call_back" and fix.closed_at is None
    ratings.step(db, rectification=fix, event="call_back", note="电话回访，群众认可", actor=ow.clerk)
    ratings.step(db, rectification=fix, event="close", note="增开窗口", actor=ow.clerk)
    assert fix.status is RectificationStatus.CLOSED and deadline.status is ClockStatus.MET


def test_an_upheld_appeal_annuls_the_rating_and_a_dismissed_one_returns_to_the_fix(db, ow):
    first = ratings.rate(db, item=_done_booklet(ow), data=RatingIn(grade=1), actor=ow.clerk)
    fix = ratings.rectification_of(db, first)
    ratings.step(db, rectification=fix, event="appeal", note="评价人误操作", actor=ow.clerk)
    ratings.step(db, rectification=fix, event="uphold", note="核实为误评", actor=ow.leader)
    assert fix.status is RectificationStatus.ANNULLED and first.counts is False
    second = ratings.rate(db, item=_done_booklet(ow), data=RatingIn(grade=1), actor=ow.clerk)
    fix2 = ratings.rectification_of(db, second)
    ratings.step(db, rectification=fix2, event="appeal", note="恶意差评", actor=ow.clerk)
    ratings.step(db, rectification=fix2, event="dismiss", note="确有等候过长", actor=ow.leader)
    assert fix2.status is RectificationStatus.OPEN and second.counts is True


def test_the_rating_counts_for_the_window_that_called_the_visit(db, ow):
    station = org_service.get_unit(db, "331003-01")
    ticket = queue.take(db, station=station, service_code="booklet_replacement")
    queue.call_next(db, station=station, window="综合3号窗", actor=ow.clerk)
    booklet = ow.apply(ticket_id=ticket.id, items=["booklet_replacement"]).items[0]
    ow.step(booklet, "issue_on_spot")
    assert ratings.rate(db, item=booklet, data=RatingIn(grade=4), actor=None).window == "综合3号窗"


def test_only_a_station_calls_tickets(db, ow, make_user):
    with pytest.raises(Conflict) as exc:
        queue.call_next(db, station=make_user("admin").unit, window="1号窗", actor=ow.clerk)
    assert exc.value.code == "ticket.no_station"
