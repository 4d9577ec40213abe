"""Rental escalation handlers: a landlord's report not made in time is marked late and goes to the grid
worker's to-do, then the community officer's, then to the station (each step once: the platform's scanner
fires each clock's breach exactly once, across restarts). And the job that deletes ID card photos whose
retention is over."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.platform import jobs
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockMode, DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import Role
from pingan.rental import clocks, id_photos
from pingan.rental import repository as repo
from pingan.rental.models import Property, Tenancy
from pingan.rental.settings import get_rental_settings
from pingan.rental.vocabulary import PHASE_LABELS, Clock, Topic


def _chase(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    """A report breached: marked late, then the grid worker's to-do, the community officer's, the station."""
    if level is not EscalationLevel.BREACH:
        return
    tenancy_id, phase = deadline.owner_id.split(".")
    tenancy = db.get(Tenancy, int(tenancy_id))
    if tenancy is None:
        return
    prop = db.get(Property, tenancy.property_id)
    setattr(tenancy, f"move_{phase}_on_time", False)
    grid = db.get(OrgUnit, prop.grid_id)
    s = get_rental_settings()
    if deadline.kind == Clock.REPORT:
        worker = repo.grid_user(db, grid.id, Role.GRID_WORKER)
        deadlines.start(db, owner_type=clocks.OWNER, owner_id=deadline.owner_id, kind=Clock.CHASE,
                        title=clocks.title(tenancy, Clock.CHASE, phase), due_in=s.chase_working_hours * clocks.HOUR,
                        mode=ClockMode.WORKING, unit_id=grid.id, assignee_id=worker.id if worker else None,
                        link=clocks.link(prop))
    elif deadline.kind == Clock.CHASE:
        community = grid.parent_id
        officer = repo.grid_user(db, community, Role.COMMUNITY_OFFICER) if community else None
        deadlines.start(db, owner_type=clocks.OWNER, owner_id=deadline.owner_id, kind=Clock.AUDIT,
                        title=clocks.title(tenancy, Clock.AUDIT, phase), due_in=s.audit_working_hours * clocks.HOUR,
                        mode=ClockMode.WORKING, unit_id=community or grid.id,
                        assignee_id=officer.id if officer else None, link=clocks.link(prop))
    else:
        station = db.get(OrgUnit, grid.parent_id).parent_id if grid.parent_id else grid.id
        notify.publish(db, topic=Topic.REPORT_ESCALATED, unit_id=station, link=clocks.link(prop),
                       title=f"房东逾期未报送：{prop.name} {tenancy.unit.label}（{PHASE_LABELS[phase]}）",
                       body=f"截止 {clock.format_local(deadline.due_at)}，网格员、社区民警督办未果，请所领导督办",
                       payload={"tenancy_id": tenancy.id, "phase": phase})


for _kind in (Clock.REPORT, Clock.CHASE, Clock.AUDIT):
    deadlines.on_escalation(_kind)(_chase)


@jobs.register("rental.id_photos", every_seconds=3600,
               description="delete tenants' ID card photos whose retention after deregistration is over")
def purge_id_photos(db: Session, now: dt.datetime) -> str:
    return f"{id_photos.purge(db, now)} photos deleted"
