"""Two years of the county's grid ledger for the demo: information collected and verified, joint patrols
walked and verified, publicity events held and verified in every grid (3,000+, 500+ and 1,000+ a year, more
this year than last). Thousands of records through the services would slow the demo down, so they are
written in bulk — the rows the services write: the record (its first version; the patrol's people and
check-ins), its mention at the address (linked to the one before it there within the repeat window), and the
audit trail of each step, at the time the step was taken."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.grid import service
from pingan.grid.models import (
    CheckIn,
    CheckPoint,
    Collection,
    CollectionKind,
    CollectionVersion,
    Member,
    MemberKind,
    Patrol,
    PatrolMember,
    PatrolStatus,
    Publicity,
    PublicityTopic,
)
from pingan.grid.patrol import service as patrols
from pingan.grid.schemas import CheckPointIn, MemberIn
from pingan.grid.vocabulary import Action
from pingan.platform.audit.models import AuditEvent
from pingan.platform.demo.history import Season, insert_with_ids, last_and_this_year
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places.models import Address, Mention
from pingan.platform.places.settings import get_places_settings
from pingan.platform.users.models import User

# Last year's count and this year's change to date against the same dates last year.
COLLECTION = (2950, 0.15)
PATROLS = (480, 0.18)
PUBLICITY = (980, 0.16)
# The festival: collection pauses in its week; patrols (春节安保) and anti-fraud publicity peak before it.
QUIET = Season(before=1.0, holiday=0.3)
BUSY = Season(before=2.0, holiday=1.2)
TOPICS = [(PublicityTopic.ANTI_FRAUD, "反诈宣传进村"), (PublicityTopic.FIRE, "消防安全入户"),
          (PublicityTopic.ROAD_SAFETY, "交通安全课堂"), (PublicityTopic.DRUGS, "禁毒宣传")]
KINDS = (CollectionKind.RENTAL_HOUSE, CollectionKind.SHOP, CollectionKind.HAZARD)
# Station → the demo police account that walks its joint patrols (elsewhere the station's officer by name).
POLICE = {"331003-01": "officer_toutuo", "331003-02": "duty_jiangkou", "331003-05": "officer_ningxi"}


@dataclass
class _Grid:
    unit: OrgUnit
    worker: Member
    worker_user: User | None
    officer: User | None
    points: list[CheckPoint]
    addresses: list[Address]


def _who(user: User | None) -> dict:
    return {"actor_id": user.id if user else None, "actor_name": user.display_name if user else "system"}


def _audit(at: dt.datetime, user: User | None, action: str, entity: str, entity_id: int, unit_id: int,
           data: dict | None = None) -> dict:
    return {"at": at, **_who(user), "action": action, "entity_type": entity, "entity_id": str(entity_id),
            "unit_id": unit_id, "note": None, "data": data, "ip": None}


def _grids(db: Session) -> list[_Grid]:
    """Every grid of the county, in tree order, with its grid worker (a member is added where the demo has
    none), its check-in points (two added where it has none) and the police account of its station."""
    users = {u.id: u for u in db.scalars(select(User))}
    by_name = {u.username: u for u in users.values()}
    chain = {u.id: u for u in db.scalars(select(OrgUnit))}
    units = sorted((u for u in chain.values() if u.kind is UnitKind.GRID), key=lambda u: u.path)
    workers = {m.grid_id: m for m in db.scalars(select(Member).where(Member.kind == MemberKind.GRID_WORKER)
                                                .order_by(Member.id.desc()))}
    points: dict[int, list[CheckPoint]] = {}
    for point in db.scalars(select(CheckPoint).order_by(CheckPoint.id)):
        points.setdefault(point.grid_id, []).append(point)
    addresses: dict[int, list[Address]] = {}
    for address in db.scalars(select(Address).order_by(Address.id)):
        addresses.setdefault(address.grid_id, []).append(address)
    out = []
    for n, unit in enumerate(units):
        worker = workers.get(unit.id) or service.add_member(db, actor=None, data=MemberIn(
            grid_code=unit.code, name=f"{unit.name}网格员", kind=MemberKind.GRID_WORKER, phone=f"1390579{n:04d}"))
        if unit.id not in points:
            here = addresses.get(unit.id, [])
            points[unit.id] = [patrols.add_checkpoint(db, actor=None, data=CheckPointIn(
                grid_code=unit.code, name=name, address_code=here[k].code if len(here) > k else None))
                for k, name in enumerate(("村口", "村委会"))]
        station = chain[chain[unit.parent_id].parent_id]
        out.append(_Grid(unit, worker, users.get(worker.user_id), by_name.get(POLICE.get(station.code, "")),
                         points[unit.id], addresses.get(unit.id, [])))
    db.flush()
    return out


def _times(rng: random.Random, spec: tuple[int, float], season: Season) -> list[dt.datetime]:
    last, this = last_and_this_year(rng, spec[0], spec[1], season=season, hours=(8, 18))
    return [t.astimezone(dt.UTC) for t in last + this]


def _checked(rng: random.Random, at: dt.datetime, now: dt.datetime, hours: tuple[float, float]) -> dt.datetime | None:
    """When the officer verified it (None: not yet, for the newest)."""
    verified = at + dt.timedelta(hours=rng.uniform(*hours))
    return verified if verified < now else None


def _collections(db: Session, rng: random.Random, grids: list[_Grid], now: dt.datetime) -> None:
    taken = set(db.execute(select(Collection.address_id, Collection.kind)).tuples())
    slots = [(g, a, kind) for g in grids for a in g.addresses for kind in KINDS if (a.id, kind) not in taken]
    rng.shuffle(slots)
    times = _times(rng, COLLECTION, QUIET)[:len(slots)]  # one record per subject: each slot once
    rows, done = [], []
    for (g, address, kind), at in zip(slots, times, strict=False):
        verified = _checked(rng, at, now, (2, 72))
        data = {"checked": f"{clock.local(at):%Y-%m-%d}"}
        rows.append({"grid_id": g.unit.id, "kind": kind, "address_id": address.id, "subject": "", "name": None,
                     "data": data, "version": 1, "collected_at": at,
                     "collected_by_id": g.worker_user.id if g.worker_user else None, "needs_review": False,
                     "review_note": None, "verified_at": verified,
                     "verified_by_id": g.officer.id if g.officer and verified else None})
        done.append((g, address, kind, at, verified))
    ids = insert_with_ids(db, Collection, rows)
    db.execute(insert(CollectionVersion), [
        {"collection_id": i, "version": 1, "base_version": None, "name": None, "data": r["data"],
         "at": r["collected_at"], "by_id": r["collected_by_id"]} for i, r in zip(ids, rows, strict=True)])
    _mentions(db, [(address.id, i, g.unit.id, at) for i, (g, address, _, at, _) in zip(ids, done, strict=True)])
    audit = []
    for i, (g, _, kind, at, verified) in zip(ids, done, strict=True):
        audit.append(_audit(at, g.worker_user, Action.COLLECTION_CREATED, "grid_collection", i, g.unit.id,
                            {"kind": kind.value, "version": 1, "review": False}))
        if verified:
            audit.append(_audit(verified, g.officer, Action.COLLECTION_VERIFIED, "grid_collection", i, g.unit.id,
                                {"version": 1}))
    db.execute(insert(AuditEvent), audit)


def _mentions(db: Session, found: list[tuple[int, int, int, dt.datetime]]) -> None:
    """(address, collection, grid, at) → the mentions, each linked to the one before it at its address within
    the repeat window, as `places.mentioned` links them."""
    found = sorted(found, key=lambda f: f[3])
    ids = insert_with_ids(db, Mention, [
        {"address_id": a, "module": "grid", "record_kind": "collection", "record_id": str(c), "unit_id": g,
         "link": None, "at": at, "repeat_of_id": None} for a, c, g, at in found])
    window = dt.timedelta(days=get_places_settings().repeat_window_days)
    latest: dict[int, tuple[int, dt.datetime]] = {}
    links = []
    for mention_id, (address, _, _, at) in zip(ids, found, strict=True):
        before = latest.get(address)
        if before is not None and at - before[1] <= window:
            links.append({"id": mention_id, "repeat_of_id": before[0]})
        latest[address] = (mention_id, at)
    if links:
        db.execute(update(Mention), links)


def _patrols(db: Session, rng: random.Random, grids: list[_Grid], now: dt.datetime) -> None:
    times = _times(rng, PATROLS, BUSY)
    plan = [(grids[rng.randrange(len(grids))], at) for at in times]
    rows = []
    for g, at in plan:
        verified = _checked(rng, at + dt.timedelta(hours=2), now, (12, 48))
        rows.append({"grid_id": g.unit.id, "title": "警网联动巡逻", "status": PatrolStatus.ENDED, "planned_at": at,
                     "started_at": at + dt.timedelta(minutes=5), "ended_at": at + dt.timedelta(hours=2), "note": None,
                     "created_by_id": g.worker_user.id if g.worker_user else None, "verified_at": verified,
                     "verified_by_id": g.officer.id if g.officer and verified else None})
    ids = insert_with_ids(db, Patrol, rows)
    people, checks, audit = [], [], []
    for i, (g, at), row in zip(ids, plan, rows, strict=True):
        people.append({"patrol_id": i, "member_id": g.worker.id, "user_id": g.worker.user_id, "name": g.worker.name})
        people.append({"patrol_id": i, "member_id": None, "user_id": g.officer.id if g.officer else None,
                       "name": g.officer.display_name if g.officer else "社区民警"})
        actor = g.worker_user
        audit.append(_audit(at, actor, Action.PATROL_PLANNED, "grid_patrol", i, g.unit.id, {"people": 2}))
        audit.append(_audit(row["started_at"], actor, Action.PATROL_STARTED, "grid_patrol", i, g.unit.id))
        for k, point in enumerate(g.points):
            when = at + dt.timedelta(minutes=20 + 40 * k)
            checks.append({"patrol_id": i, "checkpoint_id": point.id, "at": when, "by_id": actor.id if actor else None})
            audit.append(_audit(when, actor, Action.PATROL_CHECKED_IN, "grid_patrol", i, g.unit.id,
                                {"point": point.name}))
        audit.append(_audit(row["ended_at"], actor, Action.PATROL_ENDED, "grid_patrol", i, g.unit.id,
                            {"check_ins": len(g.points)}))
        if row["verified_at"]:
            audit.append(_audit(row["verified_at"], g.officer, Action.PATROL_VERIFIED, "grid_patrol", i, g.unit.id))
    db.execute(insert(PatrolMember), people)
    db.execute(insert(CheckIn), checks)
    db.execute(insert(AuditEvent), audit)


def _publicity(db: Session, rng: random.Random, grids: list[_Grid], now: dt.datetime) -> None:
    times = _times(rng, PUBLICITY, BUSY)
    rows, plan = [], []
    for n, at in enumerate(times):
        g = grids[rng.randrange(len(grids))]
        topic, title = TOPICS[0] if rng.random() < 0.4 else TOPICS[n % len(TOPICS)]
        verified = _checked(rng, at, now, (6, 48))
        rows.append({"grid_id": g.unit.id, "topic": topic, "title": title, "place": f"{g.unit.name}文化礼堂",
                     "address_id": None, "held_at": at, "audience": rng.randint(15, 150),
                     "materials": rng.randint(20, 200), "held_by_id": g.worker_user.id if g.worker_user else None,
                     "verified_at": verified, "verified_by_id": g.officer.id if g.officer and verified else None})
        plan.append(g)
    ids = insert_with_ids(db, Publicity, rows)
    audit = []
    for i, g, row in zip(ids, plan, rows, strict=True):
        audit.append(_audit(row["held_at"], g.worker_user, Action.PUBLICITY_RECORDED, "grid_publicity", i, g.unit.id,
                            {"topic": row["topic"].value, "audience": row["audience"], "materials": row["materials"]}))
        if row["verified_at"]:
            audit.append(_audit(row["verified_at"], g.officer, Action.PUBLICITY_VERIFIED, "grid_publicity", i,
                                g.unit.id))
    db.execute(insert(AuditEvent), audit)


def load_ledger(db: Session) -> None:
    """The two years' ledger of every grid (the caller loads it once)."""
    rng = random.Random(17)
    now = clock.now()
    grids = _grids(db)
    for part in (_collections, _patrols, _publicity):
        part(db, rng, grids, now)
