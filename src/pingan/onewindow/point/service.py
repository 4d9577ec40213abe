"""The register of village service points: a point in a village of the station's area, its agent, its
standard address, the services it may take online, its status; an agent's application names its point,
which must be active and take every item applied for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail, ValidationFailed
from pingan.core.schemas import invalid_request
from pingan.onewindow import repository as repo
from pingan.onewindow.models import CatalogueItem, ServicePoint, ServicePointStatus
from pingan.onewindow.point.transitions import next_status
from pingan.onewindow.schemas import ServicePointIn
from pingan.onewindow.vocabulary import POINT_ACTIONS, Action
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import service as places
from pingan.platform.users.models import User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _village(db: Session, actor: User, code: str) -> tuple[OrgUnit, OrgUnit]:
    """The village (community) by code, in the actor's jurisdiction, and its station."""
    community = next((u for u in repo.communities(db) if u.code == code), None)
    if community is None:
        raise _invalid("community_code", "community.unknown", "村（社区）不存在 / no such village")
    station = community.parent
    while station is not None and station.kind is not UnitKind.STATION:
        station = station.parent
    if station is None:
        raise _invalid("community_code", "community.no_station", "该村不属于任何派出所 / no station above it")
    access.ensure_unit_visible(db, actor, station.id, "unit", "单位")
    return community, station


def _services(db: Session, codes: list[str]) -> list[str]:
    known = repo.catalogue_by_code(db, codes)
    faults = [ErrorDetail(f"services[{i}]", "item.unknown", f"事项目录中没有 {c} / unknown item")
              for i, c in enumerate(codes) if c not in known]
    faults += [ErrorDetail(f"services[{i}]", "item.not_online", f"{known[c].name}不支持网上办理 / not online")
               for i, c in enumerate(codes) if c in known and not known[c].online]
    if faults:
        raise invalid_request(faults)
    return list(dict.fromkeys(codes))


def register(db: Session, *, data: ServicePointIn, actor: User) -> ServicePoint:
    community, station = _village(db, actor, data.community_code)
    address = places.resolve(db, data.address_code) if data.address_code else None
    now = clock.now()
    count = len(repo.points_of_village(db, community.id))
    point = ServicePoint(code=f"{community.code}-D{count + 1}", station_id=station.id, community_id=community.id,
                         name=data.name, agent_name=data.agent_name, agent_phone=data.agent_phone,
                         address_id=address.id if address else None,
                         address_text=data.address or (address.text if address else ""),
                         services=_services(db, data.services), status=ServicePointStatus.ACTIVE,
                         created_at=now, updated_at=now)
    if not point.address_text:
        raise _invalid("address", "required", "请填写代办点地址 / give the address")
    db.add(point)
    db.flush()
    audit.record(db, actor=actor, action=Action.POINT_REGISTERED, entity=point, unit_id=station.id,
                 data={"community": community.code, "services": point.services})
    return point


def update(db: Session, *, point: ServicePoint, data: ServicePointIn, actor: User) -> ServicePoint:
    """The agent, address and services change; the village stays (a point that moves is a new point)."""
    if data.community_code != point.community.code:
        raise _invalid("community_code", "service_point.village_fixed",
                       "代办点所在村不能变更 / a point stays in its village")
    address = places.resolve(db, data.address_code) if data.address_code else None
    point.name, point.agent_name, point.agent_phone = data.name, data.agent_name, data.agent_phone
    point.address_id = address.id if address else None
    point.address_text = data.address or (address.text if address else point.address_text)
    point.services, point.updated_at = _services(db, data.services), clock.now()
    db.flush()
    audit.record(db, actor=actor, action=Action.POINT_UPDATED, entity=point, unit_id=point.station_id,
                 data={"services": point.services})
    return point


def step(db: Session, *, point: ServicePoint, event: str, actor: User) -> ServicePoint:
    point.status = next_status(point.status, event)
    point.updated_at = clock.now()
    audit.record(db, actor=actor, action=POINT_ACTIONS[event], entity=point, unit_id=point.station_id)
    db.flush()
    return point


def for_application(db: Session, code: str | None, station: OrgUnit, entries: list[CatalogueItem]) -> ServicePoint:
    """The point an agent applies through: active, in the station's area, taking every item applied for."""
    if not code:
        raise _invalid("service_point_code", "required", "村级代办须填写代办点编号 / name the service point")
    point = repo.point_by_code(db, code)
    if point is None or point.station_id != station.id:
        raise _invalid("service_point_code", "service_point.not_in_station",
                       "该代办点不属于所选派出所 / the service point is not in the station's area")
    if point.status is not ServicePointStatus.ACTIVE:
        raise _invalid("service_point_code", "service_point.not_active", "代办点未在服务 / the point is not active")
    faults = [ErrorDetail(f"items[{i}]", "item.not_at_point", f"代办点不能代办{e.name} / the point does not take it")
              for i, e in enumerate(entries) if e.code not in point.services]
    if faults:
        raise invalid_request(faults)
    return point

