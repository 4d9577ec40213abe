"""The demo: the issue's path at 城南 (booklet issued on the spot, passport and licence accepted, the bad
rating's rectification open), two years across the stations with the joint service station issuing on the spot
(this year's more often on time, in one visit and to the applicant's satisfaction), the demo county's villages,
and loading it twice adds nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from sqlalchemy import func, select

from pingan.core import clock
from pingan.onewindow import figures
from pingan.onewindow import repository as repo
from pingan.onewindow.demo import JOINT_STATION, RESIDENT
from pingan.onewindow.models import (
    Application,
    ApplicationItem,
    Channel,
    ItemStatus,
    RectificationStatus,
    ServicePoint,
    ServicePointStatus,
)
from pingan.onewindow.rating import service as ratings
from pingan.platform.auth import service as auth
from pingan.platform.demo import load_demo
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind

VILLAGES = Path(figures.__file__).resolve().parents[1] / "data" / "demo_villages.yaml"


def test_the_demo_path_and_a_year_across_the_stations(demo_db):
    db = demo_db
    path = db.scalar(select(Application).where(Application.applicant_id_number == RESIDENT))
    statuses = {i.item_code: i.status for i in path.items}
    assert statuses == {"booklet_replacement": ItemStatus.ISSUED_ON_SPOT, "passport": ItemStatus.ACCEPTED,
                        "driving_licence_replacement": ItemStatus.ACCEPTED,
                        "social_security_card_replacement": ItemStatus.ACCEPTED}
    booklet = path.items[0]
    assert booklet.rating.grade == 2
    assert ratings.rectification_of(db, booklet.rating).status is RectificationStatus.OPEN
    joint = org_service.get_unit(db, JOINT_STATION)
    on_the_spot = db.scalar(select(func.count()).select_from(ApplicationItem).where(
        ApplicationItem.station_id == joint.id, ApplicationItem.status == ItemStatus.ISSUED_ON_SPOT))
    assert on_the_spot > 0
    stations = db.scalar(select(func.count(func.distinct(Application.station_id))))
    assert stations >= 10
    # Applications through an agent name an active point of the register, which takes each of their items.
    for application in db.scalars(select(Application).where(Application.channel == Channel.VILLAGE_AGENT)):
        point = application.service_point
        assert point.community_id == application.community_id
        assert {i.item_code for i in application.items} <= set(point.services)
    active = db.scalar(select(func.count(func.distinct(ServicePoint.community_id))).where(
        ServicePoint.status == ServicePointStatus.ACTIVE))
    assert 0 < active < db.scalar(select(func.count()).select_from(ServicePoint))
    before = db.scalar(select(func.count()).select_from(Application))
    load_demo(db)
    assert db.scalar(select(func.count()).select_from(Application)) == before


def _year_end() -> int:
    """The last evening of this year: the demo's year is whole and compares with last year's whole."""
    year = clock.today_local().year
    clock.shift(dt.datetime(year, 12, 31, 20, tzinfo=clock.LOCAL_TZ) - clock.now())
    return year


def test_two_years_of_applications_done_better_this_year(year_end_demo_db):
    db = year_end_demo_db
    year = _year_end()
    leader = auth.get_user(db, "leader")
    this, last = figures.compute(db, leader, year), figures.compute(db, leader, year - 1)
    assert last.applications > 100 and this.applications > last.applications
    assert last.within_limit_share < this.within_limit_share
    assert last.one_visit_share + 0.05 < this.one_visit_share
    assert last.satisfaction + 0.03 < this.satisfaction
    assert this.villages_online == 111  # every village of the demo county but the one whose agent left
    # 11 high-frequency services can be applied for online (the provincial app); 111 villages can apply through
    # their village service point, each in a community of the demo county.
    assert sum(1 for e in repo.catalogue(db) if e.online) == 11
    villages = yaml.safe_load(VILLAGES.read_text(encoding="utf-8"))["villages"]
    communities = {u.code for u in db.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.COMMUNITY))}
    assert len({v["code"] for v in villages if v["online"]}) == 111
    assert {v["community"] for v in villages} <= communities
