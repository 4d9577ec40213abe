"""Mediation rules a user notices: clocks started and met, the follow-up on the community officer's to-do,
secondary disputes linked and flagged, bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.errors import ValidationFailed
from pingan.mediation import clocks, service
from pingan.mediation.models import Dispute, DisputeStatus, Party
from pingan.mediation.schemas import DisputeIn, FollowUpIn, SessionIn, parse
from pingan.mediation.vocabulary import Clock
from pingan.platform.audit.models import AuditEvent
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockStatus
from pingan.platform.places import service as places
from pingan.platform.places.models import Mention
from tests.mediation.factories import BAD_CHECK_DIGIT, ZHAO, agreement, dispute_body


def _clocks(db, d) -> dict[str, ClockStatus]:
    return {c.kind: c.status for c in deadlines.clocks_for(db, clocks.OWNER, d.id)}


def test_intake_starts_same_day_and_close_clocks_and_is_audited(db, med):
    d = med.take_in(room_id=med.room.id, mediator_ids=[med.elder.id])
    assert d.status is DisputeStatus.PENDING and d.room is med.room and d.mediators == [med.elder]
    assert _clocks(db, d) == {Clock.SAME_DAY: ClockStatus.RUNNING, Clock.CLOSE: ClockStatus.RUNNING}
    same_day = deadlines.clocks_for(db, clocks.OWNER, d.id)[0]
    assert clock.local(same_day.due_at).date() == clock.today_local() + dt.timedelta(days=1)
    assert clock.local(same_day.due_at).time() == dt.time(0, 0)
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "mediation.dispute.created",
                                              AuditEvent.entity_id == str(d.id))) is not None


def test_unsettled_session_lands_the_12_hour_follow_up_on_the_community_officers_todo(db, med, settings):
    d = med.take_in()
    med.session(d, "unsettled", note="双方分歧大")
    assert d.status is DisputeStatus.FOLLOW_UP and d.first_session_at is not None
    assert _clocks(db, d)[Clock.SAME_DAY] is ClockStatus.MET
    todo = deadlines.todo_for(db, med.officer)
    follow = [c for c in todo.due_soon if c.kind == Clock.FOLLOW_UP and c.owner_id == str(d.id)]
    assert len(follow) == 1 and follow[0].assignee_id == med.officer.id
    assert follow[0].due_at - follow[0].started_at == dt.timedelta(hours=12)

    service.record_follow_up(db, dispute=d, data=FollowUpIn(note="已上门沟通"), actor=med.officer)
    assert d.status is DisputeStatus.PENDING and d.follow_ups[0].on_time is True
    assert not [c for c in deadlines.todo_for(db, med.officer).due_soon if c.kind == Clock.FOLLOW_UP]


def test_follow_up_hours_is_a_setting(db, med, monkeypatch):
    from pingan.mediation import settings as mediation_settings

    monkeypatch.setenv("PINGAN_MEDIATION_FOLLOW_UP_HOURS", "6")
    mediation_settings.get_mediation_settings.cache_clear()
    try:
        d = med.take_in()
        med.session(d, "absent")
        follow = next(c for c in deadlines.clocks_for(db, clocks.OWNER, d.id) if c.kind == Clock.FOLLOW_UP)
        assert follow.due_at - follow.started_at == dt.timedelta(hours=6)
    finally:
        mediation_settings.get_mediation_settings.cache_clear()


def test_settlement_records_agreement_and_starts_return_visit_and_performance(db, med):
    d = med.take_in()
    med.session(d, "settled")
    assert d.status is DisputeStatus.SETTLED and d.agreement.signatures[0]["name"] == "王大山"
    assert _clocks(db, d)[Clock.RETURN_VISIT] is ClockStatus.RUNNING
    assert _clocks(db, d)[Clock.PERFORMANCE] is ClockStatus.RUNNING
    service.record_follow_up(db, dispute=d, actor=med.officer,
                             data=FollowUpIn(note="回访：已道歉", agreement_performed=True))
    assert d.agreement.performed_on == clock.today_local()
    assert _clocks(db, d)[Clock.RETURN_VISIT] is ClockStatus.MET
    assert _clocks(db, d)[Clock.PERFORMANCE] is ClockStatus.MET
    service.close(db, dispute=d, reason="协议履行完毕", actor=med.mediator)
    assert set(_clocks(db, d).values()) == {ClockStatus.MET}


def test_closing_cancels_what_was_still_owed(db, med):
    d = med.take_in()
    med.session(d, "unsettled")
    service.close(db, dispute=d, reason="当事人起诉至法院", actor=med.mediator)
    assert _clocks(db, d)[Clock.FOLLOW_UP] is ClockStatus.CANCELLED
    assert _clocks(db, d)[Clock.CLOSE] is ClockStatus.MET


@pytest.mark.parametrize("match", ["id_number", "phone"])
def test_secondary_dispute_is_linked_and_flagged_by_id_number_or_phone(db, med, match):
    first = med.take_in()
    party = {"name": "王大山", "id_number": ZHAO} if match == "phone" else {"name": "王大山"}
    party["phone" if match == "phone" else "id_number"] = first.parties[0].phone if match == "phone" \
        else first.parties[0].id_number
    second = med.take_in(actor=med.other_mediator, station_code="331003-02", community_code=None,
                         summary="再次因噪音争吵",
                         parties=[party])
    assert second.is_secondary and second.secondary_of_id == first.id
    assert [e.kind for e in first.events] == ["intake", "secondary_linked"]
    assert "secondary" in [e.kind for e in second.events]
    # The two lie at different stations: each side is told, but neither learns the other's dispute id.
    assert service.linked_secondary_of(second) is None
    links = [e for e in first.events + second.events if e.kind in ("secondary", "secondary_linked")]
    assert len(links) == 2
    assert not any(f"#{first.id}" in e.note or f"#{second.id}" in e.note for e in links)
    assert not any({first.id, second.id} & set((e.data or {}).values()) for e in links)


def test_a_secondary_dispute_at_the_same_station_names_the_earlier_one(db, med):
    first = med.take_in()
    party = {"name": "王大山", "id_number": first.parties[0].id_number}
    second = med.take_in(summary="再次因噪音争吵", parties=[party])
    assert service.linked_secondary_of(second) == first.id
    assert any(f"#{first.id}" in (e.note or "") for e in second.events)


def test_dispute_older_than_90_days_is_not_secondary(db, med):
    clock.shift(-dt.timedelta(days=91))
    med.take_in()
    clock.reset()
    assert med.take_in().is_secondary is False


def test_bad_id_number_is_refused_with_its_path_and_nothing_is_written(db, med):
    before = db.scalar(select(func.count()).select_from(Dispute))
    body = dispute_body(parties=[{"name": "王大山", "id_number": BAD_CHECK_DIGIT}])
    with pytest.raises(ValidationFailed) as refused:
        service.take_in(db, data=parse(DisputeIn, body), actor=med.mediator)
    assert [(d.field, d.code) for d in refused.value.details] == [("parties[0].id_number", "id_number.check_digit")]
    assert db.scalar(select(func.count()).select_from(Dispute)) == before
    assert db.scalar(select(func.count()).select_from(Party)) == 0


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"community_code": "331003-02-01"}, "community_code", "community.not_in_station"),
    ({"station_code": "331003-01-01"}, "station_code", "station.not_station"),
    ({"room_id": 999999}, "room_id", "room.unknown"),
])
def test_intake_refuses_places_outside_the_station(db, med, change, field, code):
    with pytest.raises(ValidationFailed) as refused:
        service.take_in(db, data=parse(DisputeIn, dispute_body(**change)), actor=med.mediator)
    assert (refused.value.details[0].field, refused.value.details[0].code) == (field, code)


def test_agreement_must_be_signed_by_every_party_and_a_mediator(db, med):
    d = med.take_in()
    unsigned = agreement(signatures=[{"name": "王大山", "role": "party"}, {"name": "王伯", "role": "mediator"}])
    with pytest.raises(ValidationFailed) as refused:
        service.record_session(db, dispute=d, actor=med.mediator,
                               data=parse(SessionIn, {"outcome": "settled", "agreement": unsigned}))
    assert refused.value.details[0].code == "agreement.unsigned_party"
    assert d.status is DisputeStatus.PENDING and d.sessions == []
    with pytest.raises(ValidationFailed) as missing:
        parse(SessionIn, {"outcome": "settled"})
    assert missing.value.details[0].code == "agreement.required"


def _addresses(db) -> None:
    places.import_csv(db, "code,grid,road,number,building,unit,room\n"
                          "TT-32,331003-01-01-01,新下岙村,32,,,\nJK-8,331003-02-01-01,江口街道,8,,,\n")


def test_a_dispute_at_a_standard_address_is_recorded_there_and_a_second_within_90_days_is_linked(db, med):
    _addresses(db)
    first = med.take_in(address_code="TT-32")
    assert (first.address.code, first.place) == ("TT-32", first.address.text)  # the text defaults to the address
    second = med.take_in(address_code="TT-32", place="新下岙村32号门口",
                         parties=[{"name": "何某", "phone": "13905760101"}])
    assert second.place == "新下岙村32号门口"
    mentions = db.scalars(select(Mention).where(Mention.module == "mediation").order_by(Mention.id)).all()
    assert [m.record_id for m in mentions] == [str(first.id), str(second.id)]
    assert mentions[1].repeat_of_id == mentions[0].id


@pytest.mark.parametrize(("code", "reason"), [("NO-SUCH", "address.unknown"), ("JK-8", "address.not_in_station")])
def test_an_unknown_address_or_one_outside_the_station_is_refused_on_its_field(db, med, code, reason):
    _addresses(db)
    with pytest.raises(ValidationFailed) as refused:
        med.take_in(address_code=code)
    assert [(d.field, d.code) for d in refused.value.details] == [("address_code", reason)]
    assert db.scalar(select(func.count()).select_from(Dispute)) == 0


def test_a_party_who_gave_only_a_phone_is_not_lost_for_secondary_disputes(db, med):
    first = med.take_in(parties=[{"name": "王先生", "phone": "13905760009"}])
    second = med.take_in(summary="再次因噪音争吵", parties=[{"name": "王先生", "phone": "+86 139 0576 0009"}])
    assert second.is_secondary and second.secondary_of_id == first.id
    third = med.take_in(summary="第三次争吵", parties=[{"name": "王大山", "id_number": ZHAO, "phone": "13905760009"}])
    assert third.secondary_of_id == second.id


def test_an_id_number_match_wins_over_a_more_recent_phone_only_match(db, med):
    first = med.take_in(parties=[{"name": "王大山", "id_number": ZHAO}])
    med.take_in(parties=[{"name": "李小水", "phone": "13905760008"}])
    third = med.take_in(parties=[{"name": "王大山", "id_number": ZHAO, "phone": "13905760008"}])
    assert third.secondary_of_id == first.id
