"""Information collection, joint patrols, publicity and yearly targets: a second collection updates (a version
kept), a conflicting offline edit is flagged, a patrol checks in once per point and its findings are reports,
only verified work counts against the targets."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.errors import Conflict, InvalidTransition, ValidationFailed
from pingan.grid.collection import service as collection
from pingan.grid.models import Collection, Member, PatrolStatus, TargetKind
from pingan.grid.patrol import service as patrols
from pingan.grid.patrol import transitions as patrol_table
from pingan.grid.publicity import service as publicity
from pingan.grid.schemas import CheckPointIn, CollectionIn, PatrolIn, PublicityIn, ReportIn, TargetIn, parse
from pingan.grid.target import service as targets
from pingan.platform.people.models import Appearance
from tests.grid.factories import PNG, TOUTUO_GRID, report_body
from tests.mediation.factories import WANG

PATROL_STEPS = {(PatrolStatus.PLANNED, "start"): PatrolStatus.UNDER_WAY,
                (PatrolStatus.UNDER_WAY, "check_in"): PatrolStatus.UNDER_WAY,
                (PatrolStatus.UNDER_WAY, "finding"): PatrolStatus.UNDER_WAY,
                (PatrolStatus.UNDER_WAY, "end"): PatrolStatus.ENDED,
                (PatrolStatus.ENDED, "finding"): PatrolStatus.ENDED}


@pytest.fixture
def w(db, g) -> SimpleNamespace:
    def collect(actor=None, **body):
        return collection.collect(db, data=parse(CollectionIn, body), actor=actor or g.worker)

    return SimpleNamespace(collect=collect, member=db.scalar(select(Member).where(Member.user_id == g.worker.id)))


def test_a_second_collection_of_the_same_house_updates_it_and_keeps_the_version(db, g, w):
    first, created = w.collect(kind="rental_house", address_code="T-001", data={"rooms": "3", "tenants": "2"})
    again, created_again = w.collect(kind="rental_house", address_code="T-001", data={"tenants": "4"})
    assert created and not created_again and again.id == first.id
    assert again.version == 2 and again.data == {"rooms": "3", "tenants": "4"}
    assert [v.data for v in again.versions] == [{"rooms": "3", "tenants": "2"}, {"rooms": "3", "tenants": "4"}]
    assert db.scalar(select(func.count()).select_from(Collection)) == 1


def test_a_resident_is_tied_to_the_people_register(db, g, w):
    record, _ = w.collect(kind="floating_population", address_code="T-002", id_number=WANG, name="王大山",
                          data={"work": "厂工"})
    seen = db.scalar(select(Appearance).where(Appearance.module == "grid", Appearance.record_id == str(record.id)))
    assert seen is not None and seen.role == "resident"
    with pytest.raises(ValidationFailed):
        w.collect(kind="floating_population", address_code="T-002", data={})


def test_an_edit_from_an_older_version_that_clashes_is_flagged_and_verifying_clears_it(db, g, w):
    w.collect(kind="shop", address_code="T-032", data={"owner": "张三", "licence": "有"})
    w.collect(kind="shop", address_code="T-032", data={"owner": "李四"}, base_version=1)
    clean, _ = w.collect(kind="shop", address_code="T-032", data={"licence": "无"}, base_version=2)
    assert not clean.needs_review  # another field: no clash
    clash, _ = w.collect(kind="shop", address_code="T-032", data={"owner": "王五"}, base_version=1)
    assert clash.needs_review and "owner" in clash.review_note and clash.version == 4
    collection.verify(db, record=clash, actor=g.officer)
    assert not clash.needs_review and clash.verified_at is not None


@pytest.mark.parametrize("status", list(PatrolStatus))
@pytest.mark.parametrize("event", patrol_table.EVENTS)
def test_every_patrol_pair(status, event):
    expected = PATROL_STEPS.get((status, event))
    assert patrol_table.allowed(status, event) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition):
            patrol_table.next_status(status, event)
    else:
        assert patrol_table.next_status(status, event) is expected


def test_a_patrol_checks_in_once_per_point_records_findings_and_is_verified(db, g, w):
    point = patrols.add_checkpoint(db, data=CheckPointIn(grid_code=TOUTUO_GRID, name="村口", address_code="T-001"),
                                   actor=g.officer)
    db.flush()
    assert "<svg" in patrols.qr_svg(point, "http://pingan.local/") and len(point.token) == 16
    patrol = patrols.plan(db, data=PatrolIn(grid_code=TOUTUO_GRID, title="夜巡", member_ids=[w.member.id],
                                            police_usernames=[g.officer.username]), actor=g.worker)
    assert [p.name for p in patrol.people] == ["周网格", g.officer.display_name]
    with pytest.raises(InvalidTransition):
        patrols.check_in(db, patrol=patrol, token=point.token, actor=g.worker)
    patrols.start(db, patrol=patrol, actor=g.worker)
    patrols.check_in(db, patrol=patrol, token=point.token, actor=g.worker)
    patrols.check_in(db, patrol=patrol, token=point.token, actor=g.worker)
    assert len(patrol.check_ins) == 1
    with pytest.raises(ValidationFailed):
        patrols.check_in(db, patrol=patrol, token="0" * 16, actor=g.worker)
    found = patrols.finding(db, patrol=patrol, data=parse(ReportIn, report_body()), actor=g.worker)
    assert found.patrol_id == patrol.id
    with pytest.raises(Conflict):
        patrols.verify(db, patrol=patrol, actor=g.officer)
    patrols.end(db, patrol=patrol, actor=g.worker)
    patrols.verify(db, patrol=patrol, actor=g.officer)
    assert patrol.verified_at is not None


def test_publicity_with_photo_and_only_verified_work_counts_against_the_targets(db, g, w):
    year = clock.today_local().year
    for kind, n in ((TargetKind.COLLECTION, 10), (TargetKind.PUBLICITY, 4)):
        targets.set_target(db, data=TargetIn(year=year, grid_code=TOUTUO_GRID, kind=kind, target=n), actor=g.officer)
    targets.set_target(db, data=TargetIn(year=year, grid_code=TOUTUO_GRID, member_id=w.member.id,
                                         kind=TargetKind.COLLECTION, target=5), actor=g.officer)
    records = [w.collect(kind="rental_house", address_code=code, data={})[0] for code in ("T-001", "T-002", "T-032")]
    event = publicity.record(db, data=PublicityIn(grid_code=TOUTUO_GRID, topic="anti_fraud", title="反诈进村",
                                                  place="村文化礼堂", audience=80, materials=120), actor=g.worker)
    publicity.add_photo(db, event=event, data=PNG, actor=g.worker)
    db.flush()
    grid = records[0].grid
    bars, members = targets.progress(db, grid, year)
    assert [(b.kind, b.done) for b in bars] == [(TargetKind.COLLECTION, 0), (TargetKind.PUBLICITY, 0)]
    for record in records[:2]:
        collection.verify(db, record=record, actor=g.officer)
    publicity.verify(db, event=event, actor=g.officer)
    db.flush()
    bars, members = targets.progress(db, grid, year)
    assert [(b.kind, b.done, b.percent) for b in bars] == [(TargetKind.COLLECTION, 2, 20),
                                                          (TargetKind.PUBLICITY, 1, 25)]
    assert [(m.name, [(b.done, b.target) for b in p]) for m, p in members] == [("周网格", [(2, 5)])]
    assert len(event.photos) == 1
