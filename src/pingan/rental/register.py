"""What 租安心 adds to the register (imported at load): to the person's file (一人一档), each residence
registration of the person in the reader's scope with the day they may apply for a residence permit; to the
watch lists, the police near a listed tenant or keeper (the community officer, the station's duty officers),
who get the silent hit besides the list's owner."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.people import service as people
from pingan.platform.records import Sighting
from pingan.platform.users.models import Role, User
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchList
from pingan.rental import clocks, service
from pingan.rental import repository as repo
from pingan.rental.models import Property, Tenancy
from pingan.rental.settings import get_rental_settings


@people.register_facts
def residence(db: Session, user: User, id_number: str) -> list[people.Fact]:
    stmt = (select(Tenancy, Property).join(Property, Property.id == Tenancy.property_id)
            .where(Tenancy.id_number == id_number, Tenancy.registered_on.is_not(None), repo.in_scope(db, user))
            .order_by(Tenancy.registered_on.desc()))
    facts = []
    for t, p in db.execute(stmt):
        tail = (f"，{t.moved_out_on} 退租" if t.moved_out_on
                else f"；{service.permit_eligible_on(t.registered_on)} 起可申领居住证")
        facts.append(people.Fact("rental", "居住登记", f"{p.address.text} {t.unit.label}，{t.registered_on} 登记{tail}",
                                 clocks.link(p)))
    return facts


def local_police(db: Session, s: Sighting, watch_list: WatchList) -> list[tuple[int, Role]]:
    """A listed person living in (or letting) a unit is the business of the community officer and the station
    of its grid: for every watch list but protected persons and the lists whose hits stay with their owner
    (``PINGAN_RENTAL_OWNER_ONLY_LISTS``: the anti-fraud intel list goes to the anti-fraud centre alone)."""
    if watch_list.kind is not ListKind.WATCH or watch_list.code in get_rental_settings().owner_only_list_codes:
        return []
    unit = db.get(OrgUnit, s.unit_id) if s.unit_id is not None else None
    owners = []
    while unit is not None:
        if unit.kind is UnitKind.COMMUNITY:
            owners.append((unit.id, Role.COMMUNITY_OFFICER))
        elif unit.kind is UnitKind.STATION:
            owners.append((unit.id, Role.DUTY_OFFICER))
            break
        unit = db.get(OrgUnit, unit.parent_id) if unit.parent_id is not None else None
    return owners


for _kind in ("rental.tenancy", "rental.property"):
    watch.tell_locally(_kind, local_police)
