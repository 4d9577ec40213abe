"""Handed calls through the service (what cases calls): the grid of the address, the grid worker's clocks,
received → accepted → handled → feedback → closed → call-back, a return to the station with a reason, the same
phone or address again within 30 days flagged on both sides."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from pingan.grid import clocks, timeline
from pingan.grid.call import service as calls
from pingan.grid.models import CallStatus
from pingan.grid.vocabulary import Clock, Topic
from pingan.platform.deadlines.models import ClockStatus
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service


def _clock(db, call, kind):
    return next(c for c in clocks.all_clocks(db, call) if c.kind == kind)


def _events(db, topic):
    return list(db.scalars(select(Event).where(Event.topic == topic).order_by(Event.id)))


def test_a_call_goes_to_the_grid_of_its_address_and_its_worker(db, g):
    call = g.call()
    assert call.grid.code == "331003-01-01-01" and call.status is CallStatus.RECEIVED
    accept = _clock(db, call, Clock.CALL_ACCEPT)
    assert accept.assignee_id == g.worker.id and accept.due_at - call.received_at == dt.timedelta(hours=2)
    assert _clock(db, call, Clock.CALL_FEEDBACK).due_at - call.received_at == dt.timedelta(hours=24)
    assert [e.user_id for e in _events(db, Topic.CALL_RECEIVED)] == [g.worker.id]


def test_free_text_is_matched_and_an_unplaceable_call_is_422(db, g):
    assert g.call(address_code=None, address_text="新下岙村32号").address.code == "T-032"
    with pytest.raises(ValidationFailed) as refused:
        g.call(call_no="110-2", address_code=None, address_text="火星基地1号")
    assert refused.value.details[0].field == "address_text"
    with pytest.raises(ValidationFailed):
        g.call(call_no="110-3", station_code="999")


def test_the_whole_path_comes_back_with_feedback_and_a_call_back_the_next_day(db, g):
    call = g.call()
    calls.accept(db, call=call, note="", actor=g.worker)
    calls.handle(db, call=call, handling="上门劝说，已停工", actor=g.worker)
    calls.feedback(db, call=call, text="已协调装修时间", actor=g.worker)
    assert call.feedback_on_time is True
    station = org_service.get_unit(db, "331003-01")
    assert [e.unit_id for e in _events(db, Topic.CALL_FED_BACK)] == [station.id]
    calls.close(db, call=call, note="", actor=g.worker)
    back = _clock(db, call, Clock.CALL_BACK)
    local = clock.local(back.due_at)
    assert back.assignee_id == g.officer.id and (local.hour, local.minute) == (0, 0)
    assert local.date() == clock.local(call.closed_at).date() + dt.timedelta(days=2)
    calls.call_back(db, call=call, note="来电人满意", satisfied=True, actor=g.officer)
    assert call.status is CallStatus.CALLED_BACK and back.status is ClockStatus.MET
    assert [e.kind for e in timeline.of(db, call)] == ["received", "accepted", "handled", "fed_back", "closed",
                                                       "called_back"]


def test_a_return_goes_back_to_the_station_with_its_reason(db, g):
    heard = []
    handler = calls.on_returned(lambda db, call: heard.append(call.call_no))
    try:
        call = g.call()
        calls.accept(db, call=call, note="", actor=g.worker)
        calls.return_call(db, call=call, reason="现场发现有人受伤，属警务事项", actor=g.worker)
    finally:
        calls._return_handlers.remove(handler)
    assert call.status is CallStatus.RETURNED and heard == [call.call_no]
    returned = _events(db, Topic.CALL_RETURNED)
    assert returned[0].unit_id == call.station_id and returned[0].payload["reason"].startswith("现场")
    assert all(c.status is not ClockStatus.RUNNING for c in clocks.all_clocks(db, call))
    with pytest.raises(InvalidTransition):
        calls.feedback(db, call=call, text="x", actor=g.worker)
    with pytest.raises(Conflict):
        g.call()


def test_the_same_call_handed_twice_is_one_call(db, g):
    assert g.call().id == g.call().id


def test_the_same_phone_or_address_within_30_days_is_flagged_on_both_sides(db, g):
    first = g.call()
    clock.shift(dt.timedelta(days=10))
    by_phone = g.call(call_no="110-B", address_code="T-032")
    by_address = g.call(call_no="110-C", phone="13905769999")
    assert by_phone.is_repeat and by_phone.repeat_of_id == first.id
    assert by_address.repeat_of_id == by_phone.id or by_address.repeat_of_id == first.id
    assert "repeat_linked" in [e.kind for e in timeline.of(db, first)]
    repeats = _events(db, Topic.CALL_REPEATED)
    assert {e.unit_id for e in repeats} == {first.station_id, first.grid_id}
    clock.shift(dt.timedelta(days=31))
    assert not g.call(call_no="110-D", phone="13905768888", address_code="T-001").is_repeat


def test_a_duty_officer_of_another_station_cannot_hand_over_for_this_one(db, g, make_user):
    with pytest.raises(NotFound):
        g.call(actor=make_user("duty_officer", unit="331003-02"))
