"""The demo: the issue's path at 城南 (booklet issued on the spot, passport and licence accepted, the bad
rating's rectification open), a year across the stations with the joint service station issuing on the spot,
and loading it twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

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
from pingan.platform.demo import load_demo
from pingan.platform.org import service as org_service


def test_the_demo_path_and_a_year_across_the_stations(db):
    load_demo(db)
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
