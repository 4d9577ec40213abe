"""The queue: a ticket taken at the kiosk for the service wanted, called to a window, finished; waiting time
(called − taken) and serving time (finished − called) per ticket and per service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, InvalidTransition, NotFound
from pingan.core.schemas import invalid_request
from pingan.onewindow import repository as repo
from pingan.onewindow.models import Ticket, TicketStatus
from pingan.onewindow.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.users.models import User


def _start_of_day(at: dt.datetime) -> dt.datetime:
    day = clock.local(at).date()
    return dt.datetime.combine(day, dt.time(), clock.LOCAL_TZ).astimezone(dt.UTC)


def public_station(db: Session, code: str) -> OrgUnit:
    """A station named on a public page (kiosk, TV board): 422 when there is none."""
    try:
        station = org_service.get_unit(db, code)
    except NotFound:
        station = None
    if station is None or station.kind is not UnitKind.STATION:
        raise invalid_request([ErrorDetail("station_code", "station.unknown", "派出所不存在 / no such station")])
    return station


def stations(db: Session) -> list[OrgUnit]:
    """The stations a resident may choose on the citizen portal."""
    return repo.stations(db)


def take(db: Session, *, station: OrgUnit, service_code: str, actor: User | None = None) -> Ticket:
    """A numbered ticket (the service's letter and the day's count at the station)."""
    entry = repo.catalogue_by_code(db, [service_code]).get(service_code)
    if entry is None:
        raise invalid_request([ErrorDetail("service_code", "item.unknown", "事项目录中没有该事项 / unknown item")])
    now = clock.now()
    count = repo.tickets_taken_since(db, station.id, _start_of_day(now), entry.ticket_prefix)
    ticket = Ticket(station_id=station.id, number=f"{entry.ticket_prefix}{count + 1:03d}", service_code=entry.code,
                    status=TicketStatus.WAITING, taken_at=now)
    db.add(ticket)
    db.flush()
    audit.record(db, actor=actor, action=Action.TICKET_TAKEN, entity=ticket, data={"service": entry.code})
    return ticket


def call_next(db: Session, *, station: OrgUnit | None, window: str, actor: User) -> Ticket | None:
    """Call the longest-waiting ticket of the station to the window; None when nobody waits."""
    if station is None or station.kind is not UnitKind.STATION:
        raise Conflict("ticket.no_station", "只有派出所窗口可以叫号 / only a station's window calls tickets")
    ticket = repo.next_waiting(db, station.id)
    if ticket is None:
        return None
    ticket.status, ticket.called_at, ticket.window, ticket.clerk_id = TicketStatus.CALLED, clock.now(), window, actor.id
    audit.record(db, actor=actor, action=Action.TICKET_CALLED, entity=ticket, data={"window": window})
    db.flush()
    return ticket


def finish(db: Session, *, ticket: Ticket, actor: User) -> Ticket:
    if ticket.status is not TicketStatus.CALLED:
        raise InvalidTransition("ticket.not_called", "该号尚未叫号 / the ticket has not been called")
    ticket.status, ticket.finished_at = TicketStatus.DONE, clock.now()
    audit.record(db, actor=actor, action=Action.TICKET_FINISHED, entity=ticket)
    db.flush()
    return ticket


def waiting_seconds(ticket: Ticket) -> float | None:
    return (ticket.called_at - ticket.taken_at).total_seconds() if ticket.called_at else None


def serving_seconds(ticket: Ticket) -> float | None:
    if ticket.called_at and ticket.finished_at:
        return (ticket.finished_at - ticket.called_at).total_seconds()
    return None


def board(db: Session, station: OrgUnit) -> list[Ticket]:
    return repo.board(db, station.id, _start_of_day(clock.now()))
