"""What 租安心 adds to the person's file (一人一档): each residence registration of the person in the reader's
scope, with the day they may apply for a residence permit (imported at load, registering the source)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.platform.people import service as people
from pingan.platform.users.models import User
from pingan.rental import clocks, service
from pingan.rental import repository as repo
from pingan.rental.models import Property, Tenancy


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
