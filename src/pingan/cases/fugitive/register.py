"""打击's part of the 一标三实 register: fugitives at large as a watch list. A fugitive seen anywhere (a
mediation party, a bank customer, a tenant) is a silent hit for the fugitive's station (its duty officers)
and for the county's command (the list's owner), never for whoever entered the record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.cases.models import Fugitive
from pingan.platform.org import service as org_service
from pingan.platform.org.models import UnitKind
from pingan.platform.users.models import Role, User
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchList

FUGITIVE_LIST = "cases.fugitives"


def fugitive_list(db: Session) -> WatchList:
    bureau = next(u for u in org_service.roots(db) if u.kind is UnitKind.BUREAU)
    return watch.ensure_list(db, code=FUGITIVE_LIST, name="在逃人员", kind=ListKind.WATCH, owner_unit=bureau,
                             owner_role=Role.ANALYST)


def watch_for(db: Session, fugitive: Fugitive, *, actor: User | None) -> None:
    watch.add_entry(db, watch_list=fugitive_list(db), id_number=fugitive.id_number, actor=actor,
                    note=f"在逃人员 #{fugitive.id} 案件 {fugitive.case.number}", also_unit_id=fugitive.station_id,
                    also_role=Role.DUTY_OFFICER)


def stop_watching(db: Session, fugitive: Fugitive, *, actor: User | None) -> None:
    watch.remove_entry(db, watch_list=fugitive_list(db), id_number=fugitive.id_number, actor=actor)
