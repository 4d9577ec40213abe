"""Fugitives: registered on a case through the people register and onto the fugitives watch list; the same
person then taken in as a mediation party is a silent hit for the fugitive's station (its duty officers, not
the mediator who entered the dispute); an arrest ends the record, detains the suspect and solves the case."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.cases.fugitive import service as fugitives
from pingan.cases.models import CaseStatus, FugitiveStatus, SuspectStatus
from pingan.cases.schemas import FugitiveEndIn, FugitiveIn
from pingan.core import clock
from pingan.core.errors import Conflict
from pingan.mediation import service as mediation
from pingan.mediation.schemas import DisputeIn
from pingan.platform.notify.models import Event
from pingan.platform.people.models import Appearance
from pingan.platform.users.models import Role
from pingan.platform.watch.models import WatchEntry, WatchHit
from tests.cases.factories import SUSPECT
from tests.mediation.factories import LI


@pytest.fixture
def cold_homicide(db, cs):
    """A homicide of 2006 at 头陀, filed and under investigation, with its suspect registered as a fugitive."""
    case = cs.case(category="homicide", title="2006年新下岙村命案",
                   occurred_at=dt.datetime(2006, 7, 14, 23, 0, tzinfo=clock.LOCAL_TZ).isoformat())
    cs.step(case, "file")
    cs.step(case, "investigate")
    fugitive = fugitives.register_fugitive(db, actor=cs.duty, data=FugitiveIn(
        name="陈某", id_number=SUSPECT, case_id=case.id, wanted_since="2006-07-20", danger="high",
        last_known_places=["山东省临沂市"]))
    return case, fugitive


def test_registered_fugitive_is_a_suspect_in_the_register_and_on_the_watch_list(db, cs, cold_homicide):
    case, fugitive = cold_homicide
    assert [(p.kind, p.suspect_status) for p in case.persons] == [("suspect", SuspectStatus.AT_LARGE)]
    roles = set(db.scalars(select(Appearance.role).where(Appearance.id_number == SUSPECT)))
    assert roles == {"suspect", "fugitive"}
    entry = db.scalar(select(WatchEntry).where(WatchEntry.id_number == SUSPECT))
    assert entry.removed_at is None and entry.also_unit_id == case.station_id
    with pytest.raises(Conflict):
        fugitives.register_fugitive(db, actor=cs.duty, data=FugitiveIn(
            name="陈某", id_number=SUSPECT, case_id=case.id, wanted_since="2006-07-20"))


def test_fugitive_taken_in_as_a_mediation_party_is_a_silent_hit_for_the_station(db, cs, make_user, cold_homicide):
    case, _ = cold_homicide
    mediator = make_user(Role.MEDIATOR, unit="331003-02")
    dispute = mediation.take_in(db, actor=mediator, data=DisputeIn.model_validate({
        "source": "walk_in", "category": "neighbour", "summary": "宅基地纠纷", "station_code": "331003-02",
        "parties": [{"name": "陈某", "id_number": SUSPECT}, {"name": "李小水", "id_number": LI}]}))
    hits = list(db.scalars(select(WatchHit).where(WatchHit.id_number == SUSPECT)))
    assert {(h.owner_unit_id, h.owner_role) for h in hits} >= {(case.station_id, Role.DUTY_OFFICER)}
    assert all(h.module == "mediation" and h.record_id == str(dispute.id) for h in hits)
    told = list(db.scalars(select(Event.user_id).where(Event.topic == "watch.hit.recorded")))
    assert cs.duty.id in told and mediator.id not in told and cs.other.id not in told


def test_arrest_ends_the_record_detains_the_suspect_and_solves_the_case(db, cs, cold_homicide):
    case, fugitive = cold_homicide
    fugitives.end(db, fugitive=fugitive, how="arrest", data=FugitiveEndIn(place="山东省临沂市"), actor=cs.duty)
    assert fugitive.status is FugitiveStatus.CAUGHT and fugitive.caught_place == "山东省临沂市"
    assert case.status is CaseStatus.SOLVED and case.persons[0].suspect_status is SuspectStatus.DETAINED
    assert db.scalar(select(WatchEntry.removed_at).where(WatchEntry.id_number == SUSPECT)) is not None
    assert [e.kind for e in case.events][-2:] == ["fugitive.caught", "solved"]
    with pytest.raises(Conflict):
        fugitives.end(db, fugitive=fugitive, how="dead", data=FugitiveEndIn(), actor=cs.duty)


def test_fugitive_api_with_case_age_and_scoping(db, cs, clients, cold_homicide):
    case, fugitive = cold_homicide
    db.commit()
    listed = clients.duty.get("/api/v1/cases/fugitives").json()
    assert listed[0]["case_age_years"] >= 20 and listed[0]["status"] == "at_large"
    assert clients.other.get("/api/v1/cases/fugitives").json() == []
    assert clients.other.post(f"/api/v1/cases/fugitives/{fugitive.id}/arrest", json={}).status_code == 404
    bad = clients.duty.post("/api/v1/cases/fugitives", json={"name": "x", "id_number": "123", "case_id": case.id,
                                                              "wanted_since": "2020-01-01"})
    assert bad.status_code == 422
    arrested = clients.duty.post(f"/api/v1/cases/fugitives/{fugitive.id}/arrest", json={"place": "临沂"})
    assert arrested.json()["status"] == "caught"
