"""Applications: items bundled in one visit with a legal clock each and the combined due date; working days
across a real holiday; the one-time notice listing everything missing; materials on file reused; steps,
the ready message through the outbox, the applicant in the people register."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.errors import Conflict, InvalidTransition, ValidationFailed
from pingan.onewindow.application import service
from pingan.onewindow.models import ItemStatus, Material
from pingan.platform.audit.models import AuditEvent
from pingan.platform.notify.models import Event
from pingan.platform.people.models import Appearance
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import WatchHit
from tests.onewindow.factories import CHEN

LOCAL = clock.LOCAL_TZ


def _at(local: dt.datetime) -> None:
    clock.shift(local.replace(tzinfo=LOCAL) - clock.now())


def _items(application) -> dict:
    return {i.item_code: i for i in application.items}


def test_passport_due_in_working_days_across_national_day_and_id_card_in_calendar_days(db, ow):
    _at(dt.datetime(2026, 9, 30, 10, 0))
    application = ow.apply(items=["passport", "id_card_renewal", "no_criminal_record"])
    items = _items(application)
    # 7 working days, the day of acceptance not counted: 1–7 October are the holiday, 10 October a make-up
    # working Saturday, so Oct 8, 9, 10, 12, 13, 14, 15.
    assert clock.local(items["passport"].due_at) == dt.datetime(2026, 10, 15, 17, 30, tzinfo=LOCAL)
    assert clock.local(items["no_criminal_record"].due_at) == dt.datetime(2026, 10, 10, 17, 30, tzinfo=LOCAL)
    assert clock.local(items["id_card_renewal"].due_at) == dt.datetime(2026, 11, 30, tzinfo=LOCAL)
    assert service.due_at(application) == items["id_card_renewal"].due_at
    assert all(i.status is ItemStatus.ACCEPTED for i in application.items)


def test_the_demo_bundle_issues_the_booklet_on_the_spot_and_hands_the_passport_over(db, ow):
    application = ow.apply()
    items = _items(application)
    ow.step(items["booklet_replacement"], "issue_on_spot")
    assert items["booklet_replacement"].status is ItemStatus.ISSUED_ON_SPOT
    assert items["booklet_replacement"].within_limit is True
    passport = items["passport"]
    for event in ("start", "ready"):
        ow.step(passport, event)
    ready = db.scalar(select(Event).where(Event.topic == "onewindow.item.readied"))
    assert ready.payload["phone"] == "13905761234" and ready.payload["item"] == "passport"
    ow.step(passport, "post", tracking_no="SF1234567890")
    assert (passport.status, passport.tracking_no) == (ItemStatus.HANDED_OVER, "SF1234567890")
    assert application.visits == 1


def test_a_passport_is_not_issued_on_the_spot_and_steps_out_of_order_are_409(db, ow):
    passport = _items(ow.apply())["passport"]
    with pytest.raises(Conflict):
        ow.step(passport, "issue_on_spot")
    with pytest.raises(InvalidTransition) as exc:
        ow.step(passport, "ready")
    assert exc.value.code == "item.not_started"
    assert passport.status is ItemStatus.ACCEPTED


def test_only_the_joint_service_station_issues_a_driving_licence_on_the_spot(db, ow):
    licence = _items(ow.apply())["driving_licence_replacement"]
    with pytest.raises(Conflict) as exc:
        ow.step(licence, "issue_on_spot")
    assert exc.value.code == "item.not_on_the_spot"


def test_missing_materials_are_listed_once_on_one_notice_and_the_item_waits_without_a_clock(db, ow):
    application = ow.apply(items=["passport", "hk_macao_permit"], materials=["id_card"])
    (notice,) = application.notices
    assert sorted((m["item"], m["code"]) for m in notice.missing) == [
        ("hk_macao_permit", "photo"), ("passport", "passport_form"), ("passport", "photo")]
    items = _items(application)
    assert items["passport"].status is ItemStatus.AWAITING_MATERIALS and items["passport"].due_at is None
    _at(clock.local(clock.now()) + dt.timedelta(days=1))
    ow.step(items["passport"], "supplied")
    assert items["passport"].status is ItemStatus.ACCEPTED and items["passport"].due_at is not None
    assert application.visits == 2


def test_materials_on_file_are_reused_and_the_notice_says_so(db, ow):
    ow.apply(items=["passport"])
    later = ow.apply(items=["hk_macao_permit", "no_criminal_record"], materials=[])
    (notice,) = later.notices
    assert {m["code"] for m in notice.reused} == {"id_card", "photo"}
    assert [m["code"] for m in notice.missing] == ["purpose_letter"]
    items = _items(later)
    assert items["hk_macao_permit"].status is ItemStatus.ACCEPTED
    assert db.scalars(select(Material.code).where(Material.id_number == CHEN)).all()


def test_the_applicant_is_in_the_people_register(db, ow):
    application = ow.apply()
    appearance = db.scalar(select(Appearance).where(Appearance.module == "onewindow",
                                                    Appearance.record_id == str(application.id)))
    assert appearance.id_number == CHEN and appearance.role.value == "applicant"


def test_an_unknown_item_is_refused_and_nothing_is_written(db, ow):
    before = db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    with pytest.raises(ValidationFailed) as exc:
        ow.apply(items=["passport", "moon_visa"])
    assert [(d.field, d.code) for d in exc.value.details] == [("items[1]", "item.unknown")]
    assert db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == before


def test_an_item_not_online_is_refused_online(db, ow):
    with pytest.raises(ValidationFailed) as exc:
        ow.apply(channel="online", items=["passport", "move_in"])
    assert [(d.field, d.code) for d in exc.value.details] == [("items[1]", "item.not_online")]


def test_a_rejection_needs_a_reason_and_cancels_the_clock(db, ow):
    passport = _items(ow.apply())["passport"]
    with pytest.raises(ValidationFailed):
        ow.step(passport, "reject")
    ow.step(passport, "reject", reason="照片不合格")
    assert (passport.status, passport.reject_reason) == (ItemStatus.REJECTED, "照片不合格")


def test_a_watch_listed_applicant_is_a_silent_hit_the_clerk_does_not_see(db, ow, make_user, api_client):
    owner = make_user(Role.DUTY_OFFICER, unit="331003-02")
    watch.add_entry(db, watch_list=watch.create_list(db, name="在逃关注", owner=owner), id_number=CHEN,
                    actor=owner, note="关注")
    answer = api_client(ow.clerk).post("/api/v1/onewindow/applications",
                                       json={"applicant": {"name": "陈春归", "id_number": CHEN},
                                             "station_code": "331003-01", "items": ["passport"]})
    assert answer.status_code == 201 and "watch" not in answer.text and "布控" not in answer.text
    hit = db.scalar(select(WatchHit).where(WatchHit.module == "onewindow"))
    assert hit.id_number == CHEN and hit.record_id == str(answer.json()["id"])
