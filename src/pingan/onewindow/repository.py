"""One-window queries: the catalogue, applications and items in a user's jurisdiction (another station's are
404), a person's materials on file, tickets of a station, ratings and rectifications."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from pingan.core.errors import not_found
from pingan.onewindow.models import (
    Application,
    ApplicationItem,
    Bureau,
    CatalogueItem,
    ItemStatus,
    Material,
    PartnerDesk,
    Rating,
    Rectification,
    RectificationStatus,
    ServicePoint,
    ServicePointStatus,
    Ticket,
    TicketStatus,
)
from pingan.platform import access
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.users.models import User


def in_scope(db: Session, user: User, column=Application.station_id) -> ColumnElement:
    """A station's users see the station's applications (and their items, tickets, ratings)."""
    return access.unit_condition(db, user, column)


def stations(db: Session) -> list[OrgUnit]:
    return list(db.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.STATION).order_by(OrgUnit.code)))


def communities(db: Session) -> list[OrgUnit]:
    return list(db.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.COMMUNITY).order_by(OrgUnit.code)))


def points(db: Session, user: User, *, status: ServicePointStatus | None = None) -> list[ServicePoint]:
    """The village service points of the user's stations, by village."""
    stmt = (select(ServicePoint).where(in_scope(db, user, ServicePoint.station_id))
            .options(selectinload(ServicePoint.community), selectinload(ServicePoint.station))
            .order_by(ServicePoint.code))
    if status is not None:
        stmt = stmt.where(ServicePoint.status == status)
    return list(db.scalars(stmt))


def get_point(db: Session, user: User, point_id: int) -> ServicePoint:
    point = db.scalar(select(ServicePoint).where(ServicePoint.id == point_id,
                                                 in_scope(db, user, ServicePoint.station_id)))
    if point is None:
        raise not_found("service_point", "代办点")
    return point


def point_by_code(db: Session, code: str) -> ServicePoint | None:
    return db.scalar(select(ServicePoint).where(ServicePoint.code == code))


def points_of_village(db: Session, community_id: int) -> list[ServicePoint]:
    return list(db.scalars(select(ServicePoint).where(ServicePoint.community_id == community_id)))


def villages_with_active_points(db: Session, user: User | None) -> int:
    """Villages that can apply online: an active service point (one a village) taking at least one service;
    in the user's stations, or the whole county without one."""
    scope = [] if user is None else [in_scope(db, user, ServicePoint.station_id)]
    return sum(1 for services in db.scalars(select(ServicePoint.services).where(
        ServicePoint.status == ServicePointStatus.ACTIVE, *scope)) if services)


def bureaus(db: Session) -> dict[str, Bureau]:
    return {b.code: b for b in db.scalars(select(Bureau))}


def desk_of(db: Session, user: User) -> PartnerDesk | None:
    return db.scalar(select(PartnerDesk).where(PartnerDesk.user_id == user.id))


def partner_items(db: Session, bureau_id: int, *, status: ItemStatus | None = None,
                  limit: int = 200) -> list[ApplicationItem]:
    """The items routed to a partner bureau, the most recent first: all a partner desk may see."""
    stmt = (select(ApplicationItem).where(ApplicationItem.bureau_id == bureau_id)
            .options(selectinload(ApplicationItem.application))
            .order_by(ApplicationItem.id.desc()).limit(limit))
    if status is not None:
        stmt = stmt.where(ApplicationItem.status == status)
    return list(db.scalars(stmt))


def get_partner_item(db: Session, bureau_id: int, item_id: int) -> ApplicationItem:
    """An item of the partner's bureau; any other item is 404, as another station's record is."""
    item = db.scalar(select(ApplicationItem).where(ApplicationItem.id == item_id,
                                                   ApplicationItem.bureau_id == bureau_id))
    if item is None:
        raise not_found("item", "办理事项")
    return item


def catalogue(db: Session) -> list[CatalogueItem]:
    return list(db.scalars(select(CatalogueItem).order_by(CatalogueItem.department, CatalogueItem.id)))


def catalogue_by_code(db: Session, codes: list[str] | None = None) -> dict[str, CatalogueItem]:
    stmt = select(CatalogueItem)
    if codes is not None:
        stmt = stmt.where(CatalogueItem.code.in_(codes))
    return {c.code: c for c in db.scalars(stmt)}


def get_application(db: Session, user: User, application_id: int) -> Application:
    application = db.scalar(select(Application).where(Application.id == application_id, in_scope(db, user))
                            .options(selectinload(Application.items), selectinload(Application.notices)))
    if application is None:
        raise not_found("application", "申请")
    return application


def get_item(db: Session, user: User, item_id: int, *, application_id: int | None = None) -> ApplicationItem:
    stmt = select(ApplicationItem).where(ApplicationItem.id == item_id,
                                         in_scope(db, user, ApplicationItem.station_id))
    if application_id is not None:
        stmt = stmt.where(ApplicationItem.application_id == application_id)
    item = db.scalar(stmt)
    if item is None:
        raise not_found("item", "办理事项")
    return item


def recent_applications(db: Session, user: User, *, limit: int = 50) -> list[Application]:
    stmt = (select(Application).where(in_scope(db, user)).options(selectinload(Application.items))
            .order_by(Application.submitted_at.desc(), Application.id.desc()).limit(limit))
    return list(db.scalars(stmt))


def materials_on_file(db: Session, id_number: str) -> set[str]:
    return set(db.scalars(select(Material.code).where(Material.id_number == id_number)))


def get_rectification(db: Session, user: User, rectification_id: int) -> Rectification:
    rectification = db.scalar(select(Rectification).where(Rectification.id == rectification_id,
                                                          in_scope(db, user, Rectification.unit_id)))
    if rectification is None:
        raise not_found("rectification", "整改")
    return rectification


def rectifications(db: Session, user: User, *, status: RectificationStatus | None = None,
                   limit: int = 200) -> list[Rectification]:
    """The rectifications of the user's units, the most recent first (the list page)."""
    stmt = (select(Rectification).where(in_scope(db, user, Rectification.unit_id))
            .options(selectinload(Rectification.rating).selectinload(Rating.item), selectinload(Rectification.unit))
            .order_by(Rectification.opened_at.desc(), Rectification.id.desc()).limit(limit))
    if status is not None:
        stmt = stmt.where(Rectification.status == status)
    return list(db.scalars(stmt))


def rectification_of(db: Session, rating: Rating) -> Rectification | None:
    return db.scalar(select(Rectification).where(Rectification.rating_id == rating.id))


def get_ticket(db: Session, user: User, ticket_id: int) -> Ticket:
    ticket = db.scalar(select(Ticket).where(Ticket.id == ticket_id, in_scope(db, user, Ticket.station_id)))
    if ticket is None:
        raise not_found("ticket", "号票")
    return ticket


def next_waiting(db: Session, station_id: int) -> Ticket | None:
    return db.scalar(select(Ticket).where(Ticket.station_id == station_id, Ticket.status == TicketStatus.WAITING)
                     .order_by(Ticket.taken_at, Ticket.id).limit(1))


def waiting_ahead(db: Session, ticket: Ticket) -> int:
    return db.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.station_id == ticket.station_id, Ticket.status == TicketStatus.WAITING,
        Ticket.taken_at < ticket.taken_at)) or 0


def tickets_taken_since(db: Session, station_id: int, since: dt.datetime, prefix: str) -> int:
    return db.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.station_id == station_id, Ticket.taken_at >= since, Ticket.number.startswith(prefix))) or 0


def board(db: Session, station_id: int, since: dt.datetime) -> list[Ticket]:
    """Today's tickets of a station still waiting or being served (the TV board; no names on it)."""
    stmt = (select(Ticket).where(Ticket.station_id == station_id, Ticket.taken_at >= since,
                                 Ticket.status.in_((TicketStatus.WAITING, TicketStatus.CALLED)))
            .order_by(Ticket.taken_at, Ticket.id))
    return list(db.scalars(stmt))
