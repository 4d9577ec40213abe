"""Watch-list steps: keep lists and their entries, check appearances against them (silent hits told to the
list's owner, never to the user who entered the record), and read hits (every read audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail
from pingan.core.identity import mask_id_number
from pingan.core.schemas import invalid_request
from pingan.platform.audit import service as audit
from pingan.platform.deadlines import service as deadlines
from pingan.platform.notify import service as notify
from pingan.platform.org.models import OrgUnit
from pingan.platform.records import Sighting
from pingan.platform.users.models import Role, User
from pingan.platform.watch import repository as repo
from pingan.platform.watch.models import ListKind, WatchEntry, WatchHit, WatchList
from pingan.platform.watch.settings import get_watch_settings
from pingan.platform.watch.vocabulary import MODULE_LABELS

HIT_TOPIC = "watch.hit.recorded"
REVIEW = "watch.hit.review"
OWNER = "watch_hit"


def ensure_list(db: Session, *, code: str, name: str, kind: ListKind, owner_unit: OrgUnit, owner_role: Role
                ) -> WatchList:
    """The list with this code, created (or its owner brought up to date) as the feeding module says."""
    found = db.scalar(repo.select_list(code))
    if found is None:
        found = WatchList(code=code, name=name, kind=kind, owner_unit_id=owner_unit.id, owner_role=owner_role,
                          created_at=clock.now())
        db.add(found)
        db.flush()
        audit.record(db, actor=None, action="watch.list.created", entity=found, unit_id=owner_unit.id,
                     data={"code": code, "kind": kind.value})
    else:
        found.name, found.kind, found.owner_unit_id, found.owner_role = name, kind, owner_unit.id, owner_role
    return found


def create_list(db: Session, *, name: str, owner: User) -> WatchList:
    """A list of the owner's own (本单位布控名单): its hits go to the owner's role in the owner's unit."""
    if owner.unit_id is None:
        raise invalid_request([ErrorDetail("name", "list.no_unit", "没有所属单位的用户不能建立名单 / "
                                                                   "a user of no unit cannot keep a list")])
    prefix = f"local.{owner.unit.code}."
    taken = db.scalars(repo.select_lists_with_prefix(prefix)).all()
    code = f"{prefix}{len(taken) + 1}"
    watch_list = WatchList(code=code, name=name, kind=ListKind.WATCH, owner_unit_id=owner.unit_id,
                           owner_role=owner.role, created_at=clock.now())
    db.add(watch_list)
    db.flush()
    audit.record(db, actor=owner, action="watch.list.created", entity=watch_list, unit_id=owner.unit_id,
                 data={"code": code, "kind": ListKind.WATCH.value})
    return watch_list


def fed_by(watch_list: WatchList) -> str | None:
    """The module that keeps the list from its own records (its entries change there too), if any."""
    return MODULE_LABELS.get(watch_list.code.split(".", 1)[0])


def add_entry(db: Session, *, watch_list: WatchList, id_number: str, actor: User | None, note: str = "",
              days: float | None = None, also_unit_id: int | None = None, also_role: Role | None = None
              ) -> WatchEntry:
    """Put a (validated) ID number on the list, or renew it; a protected list's entry lapses after
    ``protected_days`` unless ``days`` says otherwise."""
    now = clock.now()
    if days is None and watch_list.kind is ListKind.PROTECTED:
        days = get_watch_settings().protected_days
    expires_at = now + dt.timedelta(days=days) if days is not None else None
    entry = repo.entry(db, watch_list, id_number)
    if entry is None:
        entry = WatchEntry(list_id=watch_list.id, id_number=id_number)
        db.add(entry)
    entry.note, entry.listed_at, entry.expires_at, entry.removed_at = note or None, now, expires_at, None
    entry.listed_by_id = actor.id if actor else None
    entry.also_unit_id, entry.also_role = also_unit_id, also_role
    db.flush()
    audit.record(db, actor=actor, action="watch.entry.added", entity=entry, unit_id=watch_list.owner_unit_id,
                 data={"list": watch_list.code, "expires_at": expires_at.isoformat() if expires_at else None})
    return entry


def remove_entry(db: Session, *, watch_list: WatchList, id_number: str, actor: User | None) -> WatchEntry | None:
    """Take the number off the list (kept, with the time, for the hits it caused); again is harmless."""
    entry = repo.entry(db, watch_list, id_number)
    if entry is not None and entry.removed_at is None:
        entry.removed_at = clock.now()
        audit.record(db, actor=actor, action="watch.entry.removed", entity=entry, unit_id=watch_list.owner_unit_id,
                     data={"list": watch_list.code})
    return entry


def protected_entry(db: Session, id_number: str) -> WatchEntry | None:
    """The person's entry in force on a protected list, if any (the screening's 近期被劝阻客户)."""
    found = repo.active_entries(db, [id_number], now=clock.now(), kind=ListKind.PROTECTED)
    return found[0][0] if found else None


def protected_changes(db: Session, *, since: dt.datetime | None = None) -> list[WatchEntry]:
    """Protected-list entries for a cache to follow: all not removed, or those changed since ``since``
    (`in_force` says whether each one counts now)."""
    return repo.protected_changes(db, since=since)


def in_force(entry: WatchEntry, now: dt.datetime) -> bool:
    return entry.removed_at is None and (entry.expires_at is None or entry.expires_at > now)


def _owners(entry: WatchEntry, watch_list: WatchList) -> list[tuple[int, Role]]:
    owners = [(watch_list.owner_unit_id, watch_list.owner_role)]
    if entry.also_unit_id is not None and (entry.also_unit_id, entry.also_role or watch_list.owner_role) != owners[0]:
        owners.append((entry.also_unit_id, entry.also_role or watch_list.owner_role))
    return owners


# fn(db, sighting, watch_list) -> the (unit id, role) pairs near the record who are told as well.
LocalOwners = Callable[[Session, Sighting, WatchList], list[tuple[int, Role]]]
_LOCAL: dict[str, LocalOwners] = {}


def tell_locally(kind_code: str, fn: LocalOwners) -> LocalOwners:
    """A module's records of ``kind_code`` (``rental.tenancy``) make hits for the police near the record too (the
    community officer, the station), as ``fn`` says, besides the list's owners (called once, at load)."""
    _LOCAL[kind_code] = fn
    return fn


def _all_owners(db: Session, s: Sighting, entry: WatchEntry, watch_list: WatchList) -> list[tuple[int, Role]]:
    owners = _owners(entry, watch_list)
    local = _LOCAL.get(f"{s.module}.{s.kind}")
    for owner in (local(db, s, watch_list) if local else []):
        if owner not in owners:
            owners.append(owner)
    return owners


def listed(db: Session, id_numbers: set[str]) -> set[str]:
    """Those of these ID numbers that are on a list in force: one look-up for a batch."""
    return repo.listed_numbers(db, list(id_numbers), now=clock.now())


def check(db: Session, sightings: Sequence[Sighting]) -> list[WatchHit]:
    """Hits for the sightings of listed persons: one look-up for the batch, then, for each new hit, the
    owners are told (live feed and to-do, each addressed to the owner user) and nobody else."""
    found = repo.active_entries(db, list({s.id_number for s in sightings}), now=clock.now())
    if not found:
        return []
    by_number: dict[str, list[tuple[WatchEntry, WatchList]]] = {}
    for entry, watch_list in found:
        by_number.setdefault(entry.id_number, []).append((entry, watch_list))
    hits = []
    for s in sightings:
        for entry, watch_list in by_number.get(s.id_number, []):
            for unit_id, role in _all_owners(db, s, entry, watch_list):
                if not repo.hit_exists(db, entry.id, s.module, s.kind, s.record_id, unit_id):
                    hits.append(_record_hit(db, s, entry, watch_list, unit_id, role))
    return hits


def _record_hit(db: Session, s: Sighting, entry: WatchEntry, watch_list: WatchList, owner_unit_id: int,
                owner_role: Role) -> WatchHit:
    entered_by = db.get(User, s.entered_by_id) if s.entered_by_id is not None else None
    hit = WatchHit(entry_id=entry.id, list_id=watch_list.id, id_number=s.id_number, name=s.name, role=s.role,
                   module=s.module, record_kind=s.kind, record_id=s.record_id, link=s.link, where_unit_id=s.unit_id,
                   entered_by_id=s.entered_by_id, entered_by_name=entered_by.display_name if entered_by else None,
                   owner_unit_id=owner_unit_id, owner_role=owner_role, seen_at=s.at, created_at=clock.now())
    db.add(hit)
    db.flush()
    where = db.get(OrgUnit, s.unit_id).name if s.unit_id is not None else "—"
    title = f"布控比中：{watch_list.name}"
    body = (f"{s.name}（{mask_id_number(s.id_number)}）出现在{MODULE_LABELS.get(s.module, s.module)}记录 "
            f"#{s.record_id}，{where}，录入人 {hit.entered_by_name or '系统'}")
    review = dt.timedelta(hours=get_watch_settings().review_hours)
    for user in repo.recipients(db, owner_unit_id, owner_role, exclude_id=s.entered_by_id):
        # Addressed to the user alone (no unit): the feed and to-do of the entering user's colleagues and
        # superiors stay silent.
        notify.publish(db, topic=HIT_TOPIC, title=title, body=body, link=link(hit), user_id=user.id,
                       payload={"hit_id": hit.id, "list": watch_list.code})
        deadlines.start(db, owner_type=OWNER, owner_id=f"{hit.id}.{user.id}", kind=REVIEW,
                        title=f"核查{title}", due_in=review, assignee_id=user.id, link=link(hit), new_owner=True)
    audit.record(db, actor=None, action=HIT_TOPIC, entity=hit, unit_id=owner_unit_id,
                 data={"list": watch_list.code, "module": s.module, "record": s.record_id})
    return hit


def link(hit: WatchHit) -> str:
    return f"/watch/hits/{hit.id}"


def list_hits(db: Session, *, user: User, limit: int = 100, before_id: int | None = None) -> list[WatchHit]:
    """The hits told to the user, newest first; reading them is audited with the hits read."""
    hits = repo.hits_for(db, user, limit=limit, before_id=before_id)
    audit.record(db, actor=user, action="watch.hit.listed", entity_type=OWNER,
                 data={"hits": [h.id for h in hits]})
    return hits


def view_hit(db: Session, *, user: User, hit_id: int) -> WatchHit:
    """One hit, read by one of its owners: audited, and the owner's review on the to-do is done."""
    hit = repo.get_hit(db, user, hit_id)
    now = clock.now()
    if hit.first_viewed_at is None:
        hit.first_viewed_at = now
    deadlines.stop(db, owner_type=OWNER, owner_id=f"{hit.id}.{user.id}", kind=REVIEW)
    audit.record(db, actor=user, action="watch.hit.viewed", entity=hit, unit_id=hit.owner_unit_id)
    return hit
