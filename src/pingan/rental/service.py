"""Rental steps: register a property with its units and keepers, issue and revoke unit codes, declare
tenancies (tenant, landlord side or officer), the landlord's confirmation or dispute, the door check, the
move-out and deregistration, inspections; every step through the status table, its clocks and the audit.

Every tenant goes through the people register (``people.seen``), which checks every watch list in the same
transaction: a listed tenant is a silent hit for the list's owner, and nothing here changes because of it."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, PermissionDenied, ValidationFailed, not_found
from pingan.core.schemas import invalid_request
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.places import service as places
from pingan.platform.records import Record
from pingan.platform.users.models import Role, User
from pingan.rental import clocks, id_photos, plate_pdf, risk
from pingan.rental import repository as repo
from pingan.rental.models import (
    CheckItem,
    DeclaredBy,
    Hazard,
    Inspection,
    Keeper,
    KeeperRole,
    Property,
    RentalUnit,
    Tenancy,
    TenancyStatus,
    UnitCode,
)
from pingan.rental.permissions import KEEPER_STEPS, can_write
from pingan.rental.schemas import DeclarationIn, EndIn, InspectionIn, MandateIn, PersonIn, PropertyIn, TenancyIn
from pingan.rental.settings import get_rental_settings
from pingan.rental.transitions import next_status
from pingan.rental.vocabulary import KEEPER_LABELS, KEEPER_STEP_LABELS, Action

_KEEPER_DECLARES = {KeeperRole.LANDLORD: DeclaredBy.LANDLORD, KeeperRole.MANAGER: DeclaredBy.MANAGER,
                    KeeperRole.AGENT: DeclaredBy.AGENT}


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _record(tenancy: Tenancy) -> Record:
    return Record("rental", "tenancy", tenancy.id)


def register_property(db: Session, *, data: PropertyIn, actor: User) -> Property:
    """A rented property at a standard address of the actor's area, its keepers (people register) and units,
    each unit with its code."""
    address = places.resolve(db, data.address_code)
    visible = access.visible_unit_ids(db, actor)
    if visible is not None and address.grid_id not in visible:
        raise _invalid("address_code", "address.out_of_area",
                       "该标准地址不在您的辖区 / the address is not in your area")
    now = clock.now()
    prop = Property(address=address, grid_id=address.grid_id, kind=data.kind, name=data.name or address.text,
                    created_at=now, created_by_id=actor.id)
    for i, k in enumerate(data.keepers):
        user = None
        if k.username:
            user = db.scalar(select(User).where(User.username == k.username, User.role == Role.LANDLORD))
            if user is None:
                raise _invalid(f"keepers[{i}].username", "user.unknown", "没有这个房东账号 / no such landlord account")
        prop.keepers.append(Keeper(role=k.role, name=k.name, id_number=k.id_number, phone=k.phone,
                                   user_id=user.id if user else None))
    for u in data.units:
        prop.units.append(RentalUnit(label=u.label, rooms=u.rooms, beds=u.beds, area=u.area))
    db.add(prop)
    db.flush()
    for i, k in enumerate(data.keepers):
        people.seen(db, id_number=k.id_number, name=k.name, role=PersonRole.LANDLORD,
                    record=Record("rental", "property", prop.id), unit=prop.grid_id, at=now, phone=k.phone,
                    link=clocks.link(prop), actor=actor, field=f"keepers[{i}].id_number")
    places.mentioned(db, address=address, record=Record("rental", "property", prop.id), unit_id=prop.grid_id,
                     at=now, link=clocks.link(prop))
    for unit in prop.units:
        _issue(db, unit)
    audit.record(db, actor=actor, action=Action.PROPERTY_CREATED, entity=prop, unit_id=prop.grid_id,
                 data={"kind": data.kind.value, "units": len(data.units)})
    return prop


def view_property(db: Session, *, user: User, property_id: int) -> Property:
    """A property with its tenants for a person to read: the read is audited."""
    prop = repo.get_property(db, user, property_id)
    audit.record(db, actor=user, action=Action.PROPERTY_VIEWED, entity=prop, unit_id=prop.grid_id)
    return prop


# --- codes -----------------------------------------------------------------------------------------------

def active_code(unit: RentalUnit) -> UnitCode | None:
    return next((c for c in unit.codes if c.revoked_at is None), None)


def _issue(db: Session, unit: RentalUnit) -> UnitCode:
    code = UnitCode(unit_id=unit.id, token=secrets.token_urlsafe(24), issued_at=clock.now())
    unit.codes.append(code)
    db.flush()
    return code


def revoke_code(db: Session, *, unit: RentalUnit, actor: User) -> None:
    """The unit's plate opens nothing any more (until a code is reissued)."""
    now = clock.now()
    for code in unit.codes:
        if code.revoked_at is None:
            code.revoked_at = now
    audit.record(db, actor=actor, action=Action.CODE_REVOKED, entity=unit, unit_id=unit.property.grid_id)


def reissue_code(db: Session, *, unit: RentalUnit, actor: User) -> UnitCode:
    """A new code for the unit; the old one is revoked (a new plate is printed)."""
    revoke_code(db, unit=unit, actor=actor)
    code = _issue(db, unit)
    audit.record(db, actor=actor, action=Action.CODE_ISSUED, entity=unit, unit_id=unit.property.grid_id)
    return code


# --- tenancies --------------------------------------------------------------------------------------------

def keeper_of(prop: Property, user: User | None) -> Keeper | None:
    """The user's keeper row on the property whose mandate is in force (the landlord's row first)."""
    if user is None or user.role is not Role.LANDLORD:
        return None
    today = clock.today_local()
    mine = [k for k in prop.keepers if k.user_id == user.id and k.in_force(today)]
    return min(mine, key=lambda k: (k.role is not KeeperRole.LANDLORD, k.id), default=None)


def keeper_steps(prop: Property, user: User) -> frozenset[str]:
    """What the user may do on the property as its keeper (nothing if they keep it not, or no longer)."""
    keeper = keeper_of(prop, user)
    return KEEPER_STEPS[keeper.role] if keeper else frozenset()


def _as_keeper(prop: Property, actor: User, step: str) -> Keeper | None:
    """The keeper the actor acts as (None for an officer); 403 if their role on the property may not do it."""
    if actor.role is not Role.LANDLORD:
        return None
    keeper = keeper_of(prop, actor)
    if keeper is None:  # the mandate ended while the page was open: as if the property were not theirs
        raise not_found("property", "出租房")
    if step not in KEEPER_STEPS[keeper.role]:
        label = KEEPER_LABELS[keeper.role]
        raise PermissionDenied("keeper.not_allowed", f"{label}不能{KEEPER_STEP_LABELS[step]} / a {keeper.role.value} "
                                                     f"may not do this ({step})")
    return keeper


def _keeper_data(keeper: Keeper | None) -> dict:
    return {"keeper": keeper.role.value, "keeper_id": keeper.id} if keeper else {}


# --- managers and agents (委托) ------------------------------------------------------------------------------

def appoint(db: Session, *, prop: Property, data: MandateIn, actor: User) -> Keeper:
    """The landlord (or an officer of the area) appoints a manager or agent, by their portal account, to act for
    the landlord on this property until ``until`` or until withdrawn; appointing them again renews it."""
    if not can_write(actor):
        _as_keeper(prop, actor, "appoint")
    user = db.scalar(select(User).where(User.username == data.username, User.role == Role.LANDLORD,
                                        User.is_active))
    if user is None:
        raise _invalid("username", "user.unknown", "没有这个房东端账号 / no such landlords' portal account")
    if user.id == actor.id:
        raise _invalid("username", "user.self", "不能委托自己 / you cannot appoint yourself")
    keeper = next((k for k in prop.keepers if k.id_number == data.id_number and k.role is data.role), None)
    if keeper is None:
        keeper = Keeper(role=data.role, id_number=data.id_number, name=data.name)
        prop.keepers.append(keeper)
    keeper.name, keeper.phone, keeper.user_id, keeper.until = data.name, data.phone, user.id, data.until
    keeper.withdrawn_at, keeper.appointed_by_id = None, actor.id
    db.flush()
    people.seen(db, id_number=data.id_number, name=data.name, role=PersonRole.LANDLORD,
                record=Record("rental", "property", prop.id), unit=prop.grid_id, phone=data.phone,
                link=clocks.link(prop), actor=actor)
    audit.record(db, actor=actor, action=Action.KEEPER_APPOINTED, entity=prop, unit_id=prop.grid_id,
                 data={"keeper_id": keeper.id, "role": data.role.value, "user": user.username,
                       "until": data.until.isoformat() if data.until else None})
    return keeper


def withdraw(db: Session, *, prop: Property, keeper_id: int, actor: User) -> Keeper:
    """The mandate ends now: the manager's or agent's account no longer sees the property."""
    if not can_write(actor):
        _as_keeper(prop, actor, "appoint")
    keeper = next((k for k in prop.keepers if k.id == keeper_id), None)
    if keeper is None:
        raise not_found("keeper", "委托")
    if keeper.role is KeeperRole.LANDLORD:
        raise Conflict("keeper.is_landlord", "房东本人不能撤销委托 / the landlord is no mandate to withdraw")
    if keeper.withdrawn_at is not None:
        raise Conflict("keeper.withdrawn", "该委托已撤销 / the mandate is already withdrawn")
    keeper.withdrawn_at = clock.now()
    audit.record(db, actor=actor, action=Action.KEEPER_WITHDRAWN, entity=prop, unit_id=prop.grid_id,
                 data={"keeper_id": keeper.id, "role": keeper.role.value})
    return keeper


def _new_tenancy(db: Session, *, prop: Property, unit: RentalUnit, person: PersonIn | DeclarationIn,
                 moved_in_on: dt.date, declared_by: DeclaredBy, actor: User | None, field: str) -> Tenancy:
    living = [t for t in unit.tenancies if t.id_number == person.id_number
              and t.status in (TenancyStatus.DECLARED, TenancyStatus.VERIFIED, TenancyStatus.ACTIVE,
                               TenancyStatus.DISPUTED)]
    if living:
        raise Conflict("tenancy.already_declared", "该租户已在本房间登记 / the tenant is already declared here")
    now = clock.now()
    tenancy = Tenancy(unit=unit, property_id=prop.id, status=TenancyStatus.DECLARED, name=person.name,
                      id_number=person.id_number, phone=person.phone, moved_in_on=moved_in_on,
                      declared_by=declared_by, declared_at=now,
                      declared_by_user_id=actor.id if actor else None)
    db.add(tenancy)
    db.flush()
    people.seen(db, id_number=person.id_number, name=person.name, role=PersonRole.TENANT, record=_record(tenancy),
                unit=prop.grid_id, at=now, phone=person.phone, link=clocks.link(prop), actor=actor, field=field)
    return tenancy


def declare(db: Session, *, prop: Property, data: TenancyIn, actor: User) -> Tenancy:
    """A tenant declared by the landlord side (their report, made now) or by an officer (the landlord's report
    is then owed within 3 working days of the move-in)."""
    unit = next((u for u in prop.units if u.label == data.unit), None)
    if unit is None:
        raise _invalid("unit", "unit.unknown", "该出租房没有这个房间 / no such unit in the property")
    keeper = _as_keeper(prop, actor, "declare")
    by = _KEEPER_DECLARES[keeper.role] if keeper else DeclaredBy.OFFICER
    tenancy = _new_tenancy(db, prop=prop, unit=unit, person=data.tenant, moved_in_on=data.moved_in_on,
                           declared_by=by, actor=actor, field="tenant.id_number")
    if keeper is not None:
        tenancy.move_in_reported_at, tenancy.move_in_on_time = clock.now(), clocks.reported(db, tenancy, "in")
    else:
        clocks.start_report(db, prop, tenancy, "in", data.moved_in_on)
    audit.record(db, actor=actor, action=Action.TENANCY_DECLARED, entity=tenancy, unit_id=prop.grid_id,
                 data={"by": by.value, "unit": unit.label, "on_time": tenancy.move_in_on_time,
                       **_keeper_data(keeper)})
    return tenancy


def declare_public(db: Session, *, unit: RentalUnit, data: DeclarationIn, id_photo: bytes | None = None
                   ) -> Tenancy:
    """The tenant's own declaration through the unit's code, with the optional photo of their ID card (checked
    before anything is written): the landlord's report clock starts."""
    prop = unit.property
    photo_type = id_photos.checked(id_photo) if id_photo else None
    tenancy = _new_tenancy(db, prop=prop, unit=unit, person=data, moved_in_on=data.moved_in_on,
                           declared_by=DeclaredBy.TENANT, actor=None, field="id_number")
    if id_photo and photo_type:
        id_photos.attach(db, tenancy=tenancy, data=id_photo, content_type=photo_type)
    clocks.start_report(db, prop, tenancy, "in", data.moved_in_on)
    audit.record(db, actor=None, action=Action.TENANCY_DECLARED, entity=tenancy, unit_id=prop.grid_id,
                 data={"by": DeclaredBy.TENANT.value, "unit": unit.label, "id_photo": bool(id_photo)})
    return tenancy


def _property(db: Session, tenancy: Tenancy) -> Property:
    return db.get(Property, tenancy.property_id)


def confirm(db: Session, *, tenancy: Tenancy, actor: User) -> Tenancy:
    """The landlord's report: of the move-in while the tenant lives there, of the move-out once ended."""
    keeper = _as_keeper(_property(db, tenancy), actor, "confirm")
    phase = "out" if tenancy.status is TenancyStatus.ENDED else "in"
    status = next_status(tenancy.status, "confirm")
    if getattr(tenancy, f"move_{phase}_reported_at") is not None:
        raise Conflict("tenancy.already_reported", "已报送 / already reported")
    on_time = clocks.reported(db, tenancy, phase)
    setattr(tenancy, f"move_{phase}_reported_at", clock.now())
    setattr(tenancy, f"move_{phase}_on_time", on_time)
    tenancy.status = status
    audit.record(db, actor=actor, action=Action.TENANCY_CONFIRMED, entity=tenancy,
                 unit_id=_property(db, tenancy).grid_id,
                 data={"phase": phase, "on_time": on_time, **_keeper_data(keeper)})
    return tenancy


def dispute(db: Session, *, tenancy: Tenancy, reason: str, actor: User) -> Tenancy:
    """The landlord says the declaration is wrong: their report clock stops; the door check decides."""
    keeper = _as_keeper(_property(db, tenancy), actor, "dispute")
    tenancy.status = next_status(tenancy.status, "dispute")
    tenancy.disputed_note = reason
    clocks.cancel(db, tenancy, "in")
    audit.record(db, actor=actor, action=Action.TENANCY_DISPUTED, entity=tenancy,
                 unit_id=_property(db, tenancy).grid_id, note=reason, data=_keeper_data(keeper) or None)
    return tenancy


def verify(db: Session, *, tenancy: Tenancy, actor: User, note: str = "") -> Tenancy:
    """The grid worker met the tenant at the door: residence registered today; active at once if the landlord
    has reported the tenant, else when they do (their clock is running again after a dispute)."""
    was_disputed = tenancy.status is TenancyStatus.DISPUTED
    tenancy.status = next_status(tenancy.status, "verify")
    tenancy.verified_at, tenancy.verified_by_id = clock.now(), actor.id
    tenancy.registered_on = clock.today_local()
    prop = _property(db, tenancy)
    if tenancy.move_in_reported_at is not None:
        tenancy.status = next_status(tenancy.status, "activate")
    elif was_disputed:
        clocks.start_report(db, prop, tenancy, "in", tenancy.moved_in_on)
    audit.record(db, actor=actor, action=Action.TENANCY_VERIFIED, entity=tenancy, unit_id=prop.grid_id,
                 note=note or None)
    return tenancy


def reject(db: Session, *, tenancy: Tenancy, actor: User, note: str = "") -> Tenancy:
    tenancy.status = next_status(tenancy.status, "reject")
    clocks.cancel(db, tenancy, "in")
    id_photos.schedule_purge(db, tenancy)
    audit.record(db, actor=actor, action=Action.TENANCY_REJECTED, entity=tenancy,
                 unit_id=_property(db, tenancy).grid_id, note=note or None)
    return tenancy


def end(db: Session, *, tenancy: Tenancy, data: EndIn, actor: User) -> Tenancy:
    """The move-out: the landlord side's declaration is their report; an officer's starts their clock."""
    if data.moved_out_on < tenancy.moved_in_on:
        raise _invalid("moved_out_on", "date.before_move_in",
                       "退租日期早于入住日期 / the move-out is before the move-in")
    if data.moved_out_on > clock.today_local():
        raise _invalid("moved_out_on", "date.future", "日期不能晚于今天 / the date is in the future")
    prop = _property(db, tenancy)
    keeper = _as_keeper(prop, actor, "end")
    status = next_status(tenancy.status, "end")
    tenancy.status, tenancy.moved_out_on, tenancy.ended_at = status, data.moved_out_on, clock.now()
    clocks.cancel(db, tenancy, "in")
    if keeper is not None:
        tenancy.move_out_reported_at, tenancy.move_out_on_time = clock.now(), clocks.reported(db, tenancy, "out")
    else:
        clocks.start_report(db, prop, tenancy, "out", data.moved_out_on)
    audit.record(db, actor=actor, action=Action.TENANCY_ENDED, entity=tenancy, unit_id=prop.grid_id,
                 note=data.note or None, data={"on_time": tenancy.move_out_on_time, **_keeper_data(keeper)})
    return tenancy


def deregister(db: Session, *, tenancy: Tenancy, actor: User) -> Tenancy:
    tenancy.status = next_status(tenancy.status, "deregister")
    tenancy.deregistered_at = clock.now()
    id_photos.schedule_purge(db, tenancy)
    audit.record(db, actor=actor, action=Action.TENANCY_DEREGISTERED, entity=tenancy,
                 unit_id=_property(db, tenancy).grid_id)
    return tenancy


def permit_eligible_on(registered_on: dt.date | None) -> dt.date | None:
    """The day registered residence reaches ``permit_months`` (a 31st falls back to the month's last day)."""
    if registered_on is None:
        return None
    months = registered_on.month - 1 + get_rental_settings().permit_months
    year, month = registered_on.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(registered_on.day, calendar.monthrange(year, month)[1]))


# --- inspections ------------------------------------------------------------------------------------------

def inspect(db: Session, *, prop: Property, data: InspectionIn, actor: User) -> Inspection:
    """Record the checklist: each failed item a hazard with its rectification deadline (unless one is still
    open for it); each open hazard whose item now passes is rectified by this re-inspection."""
    now = clock.now()
    inspection = Inspection(property_id=prop.id, at=now, by_id=actor.id, by_name=actor.display_name,
                            results={k.value: v for k, v in data.results.items()}, note=data.note or None)
    db.add(inspection)
    db.flush()
    open_by_item = {h.item: h for h in repo.open_hazards(db, prop.id)}
    days = data.rectify_days or get_rental_settings().rectify_days
    found = rectified = 0
    for item in CheckItem:
        passed = data.results[item]
        earlier = open_by_item.get(item)
        if passed and earlier is not None:
            earlier.rectified_at, earlier.reinspection_id = now, inspection.id
            clocks.rectified(db, earlier)
            rectified += 1
        elif not passed and earlier is None:
            hazard = Hazard(inspection_id=inspection.id, property_id=prop.id, item=item,
                            due_on=clock.today_local() + dt.timedelta(days=days))
            db.add(hazard)
            db.flush()
            clocks.start_rectify(db, prop, hazard)
            found += 1
    audit.record(db, actor=actor, action=Action.INSPECTION_RECORDED, entity=prop, unit_id=prop.grid_id,
                 data={"inspection": inspection.id, "hazards": found, "rectified": rectified})
    db.refresh(prop, ["inspections"])
    return inspection


def print_plate(db: Session, *, unit: RentalUnit, actor: User) -> bytes:
    """The unit's plate with its current code and inspection status (audited)."""
    code = active_code(unit)
    if code is None:
        raise Conflict("code.revoked", "该房间的房屋码已作废，请先重新签发 / the unit's code is revoked: reissue it")
    prop = unit.property
    pdf = plate_pdf.render_plate(unit, code.token, risk.inspection_status(prop, repo.open_hazards(db, prop.id)))
    audit.record(db, actor=actor, action=Action.PLATE_PRINTED, entity=unit, unit_id=prop.grid_id)
    return pdf
