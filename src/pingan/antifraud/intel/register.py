"""警银通's part of the 一标三实 register: the customers of stored screenings, the intel list's ID numbers as a
watch list, and customers dissuaded from paying as protected persons (warned at their next transfer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import orjson
from sqlalchemy.orm import Session

from pingan.antifraud.engine import changes
from pingan.antifraud.models import Alert, Decision, IntelEntry, IntelKind, IntelStatus, Screening
from pingan.core import clock
from pingan.core.db import after_commit
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.people import service as people
from pingan.platform.records import Sighting
from pingan.platform.users.models import Role, User
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchList

INTEL_LIST = "antifraud.intel"
PROTECTED_LIST = "antifraud.protected"


def _bureau(db: Session) -> OrgUnit:
    return next(u for u in org_service.roots(db) if u.kind is UnitKind.BUREAU)


def intel_list(db: Session) -> WatchList:
    """The intel list's ID numbers as a watch list: hits go to the anti-fraud centre's analysts."""
    return watch.ensure_list(db, code=INTEL_LIST, name="涉诈人员名单", kind=ListKind.WATCH, owner_unit=_bureau(db),
                             owner_role=Role.ANALYST)


def protected_list(db: Session) -> WatchList:
    return watch.ensure_list(db, code=PROTECTED_LIST, name="近期被劝阻客户", kind=ListKind.PROTECTED,
                             owner_unit=_bureau(db), owner_role=Role.ANALYST)


def follow_intel(db: Session, entries: Iterable[IntelEntry], *, actor: User | None) -> None:
    """Mirror listed and removed ID-number entries onto the watch list (their expiry too)."""
    numbers = [e for e in entries if e.kind is IntelKind.ID_NUMBER]
    if not numbers:
        return
    watch_list = intel_list(db)
    today = clock.today_local()
    for entry in numbers:
        if entry.status is IntelStatus.REMOVED:
            watch.remove_entry(db, watch_list=watch_list, id_number=entry.value, actor=actor)
            continue
        days = (entry.expires_on - today).days if entry.expires_on is not None else None
        watch.add_entry(db, watch_list=watch_list, id_number=entry.value, actor=actor, note=entry.source,
                        days=max(days, 1) if days is not None else None)


def protect(db: Session, *, alert: Alert, screening: Screening, actor: User) -> None:
    """A customer dissuaded at this alert stays protected (``PINGAN_WATCH_PROTECTED_DAYS``); the station that
    dissuaded them is told when they turn up again."""
    entry = watch.add_entry(db, watch_list=protected_list(db), id_number=screening.customer_id_number,
                            actor=actor, note=f"预警 #{alert.id} 劝阻成功", also_unit_id=alert.station_id,
                            also_role=Role.DUTY_OFFICER)
    # This process's screening engine warns at once; the others within seconds (the antifraud.sync job).
    after_commit(db, lambda: changes.publish("protected", [entry]))


def record_customers(db: Session, rows: Sequence[dict]) -> None:
    """The register's part of storing screenings, in their transaction. The customer of a warned or held
    screening joins the register (an appearance in their file: the bank or the police acted); the customer
    of an allowed transfer is only checked against the watch lists, so a listed person still makes a hit.
    An allowed transfer is the bank's own business and no police record; an appearance for each of them
    (19 in 20 screenings) would also take a third of the store's speed."""
    listed = watch.listed(db, {row["customer_id_number"] for row in rows})  # one look-up for the batch
    acted, allowed = [], []
    for row in rows:
        (allowed if row["decision"] == Decision.ALLOW else acted).append(row)
    people.seen_many(db, customers(acted), listed=listed)
    watch.check(db, customers([row for row in allowed if row["customer_id_number"] in listed]))


def customers(rows: Sequence[dict]) -> list[Sighting]:
    """The customer of each screening row about to be stored, as plain values for `people.seen_many`."""
    out = []
    for row in rows:
        customer = orjson.loads(row["request"]).get("customer") or {}
        at = row["received_at"]
        out.append(Sighting(row["customer_id_number"], str(customer.get("name") or "")[:64], "customer", "antifraud",
                            "screening", row["id"], row["station_id"],
                            at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at),
                            _phone(customer.get("phone")), f"/antifraud/screenings/{row['id']}",
                            row["submitted_by_id"]))
    return out


def _phone(value) -> str | None:
    text = str(value or "")
    return text if len(text) == 11 and text.isdigit() else None
