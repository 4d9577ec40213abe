"""The register of village service points: a village counts as able to apply online only while it has an
active point taking services; an agent's application names its point, which must be active, in the station
and take every item; another station's point is 404; every step is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pingan.core.errors import InvalidTransition, NotFound, ValidationFailed
from pingan.onewindow import figures
from pingan.onewindow import repository as repo
from pingan.onewindow.models import ServicePointStatus
from pingan.onewindow.point import service as points
from pingan.onewindow.point.transitions import EVENTS, TRANSITIONS, next_status
from pingan.onewindow.schemas import ServicePointIn, parse
from pingan.platform.audit.models import AuditEvent
from tests.onewindow.factories import point_body


def _register(db, ow, **overrides):
    return points.register(db, data=parse(ServicePointIn, point_body(**overrides)), actor=ow.clerk)


@pytest.mark.parametrize("status", list(ServicePointStatus))
@pytest.mark.parametrize("event", EVENTS)
def test_point_pair(status, event):
    if (status, event) in TRANSITIONS:
        assert next_status(status, event) is TRANSITIONS[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as exc:
            next_status(status, event)
        assert exc.value.code.startswith("service_point.")


def test_only_an_active_point_taking_services_makes_its_village_able_to_apply(db, ow):
    point = _register(db, ow)
    assert point.code == "331003-01-01-D1" and point.station.code == "331003-01"
    assert repo.villages_with_active_points(db, ow.clerk) == 1
    assert repo.villages_with_active_points(db, ow.other_clerk) == 0
    points.step(db, point=point, event="suspend", actor=ow.clerk)
    assert figures.compute(db, ow.clerk, 2026).villages_online == 0
    with pytest.raises(ValidationFailed) as exc:
        ow.apply(channel="village_agent", service_point_code=point.code, items=["passport"])
    assert exc.value.details[0].code == "service_point.not_active"
    points.step(db, point=point, event="resume", actor=ow.clerk)
    points.update(db, point=point, data=parse(ServicePointIn, point_body(services=[])), actor=ow.clerk)
    assert repo.villages_with_active_points(db, ow.clerk) == 0
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(point.id),
                                                             AuditEvent.entity_type == "onewindow_service_point")))
    assert {"onewindow.point.registered", "onewindow.point.suspended", "onewindow.point.resumed",
            "onewindow.point.updated"} <= actions


def test_an_agents_application_names_its_point_which_must_take_every_item(db, ow):
    point = _register(db, ow)
    application = ow.apply(channel="village_agent", service_point_code=point.code, items=["passport"])
    assert application.service_point_id == point.id and application.community_id == point.community_id
    with pytest.raises(ValidationFailed) as exc:
        ow.apply(channel="village_agent", service_point_code=point.code, items=["passport", "booklet_change"])
    assert (exc.value.details[0].field, exc.value.details[0].code) == ("items[1]", "item.not_at_point")
    with pytest.raises(ValidationFailed) as exc:
        ow.apply(channel="village_agent", items=["passport"])
    assert exc.value.details[0].field == "service_point_code"
    with pytest.raises(ValidationFailed) as exc:
        ow.apply(actor=ow.other_clerk, station_code="331003-02", channel="village_agent",
                 service_point_code=point.code, items=["passport"])
    assert exc.value.details[0].code == "service_point.not_in_station"


def test_bad_points_are_refused_and_another_station_cannot_register_or_see_them(db, ow):
    with pytest.raises(ValidationFailed) as exc:
        _register(db, ow, services=["booklet_replacement"])
    assert exc.value.details[0].code == "item.not_online"
    with pytest.raises(NotFound):
        points.register(db, data=parse(ServicePointIn, point_body()), actor=ow.other_clerk)
    point = _register(db, ow)
    with pytest.raises(NotFound):
        repo.get_point(db, ow.other_clerk, point.id)
    points.step(db, point=point, event="close", actor=ow.clerk)
    with pytest.raises(InvalidTransition):
        points.step(db, point=point, event="resume", actor=ow.clerk)
