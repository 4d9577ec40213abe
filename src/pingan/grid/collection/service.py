"""Information collection: the first collection of a subject at a standard address creates its record, a second
one updates it (every version kept, never a duplicate). An edit made from an older version that changes a field
another edit changed in between is kept, and flagged for the officer's review. The officer verifies records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail
from pingan.core.schemas import invalid_request
from pingan.grid import repository as repo
from pingan.grid.models import Collection, CollectionVersion
from pingan.grid.schemas import CollectionIn
from pingan.grid.settings import get_grid_settings
from pingan.grid.vocabulary import Action, Topic
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.places import matching
from pingan.platform.places import service as places
from pingan.platform.places.models import Address
from pingan.platform.records import Record
from pingan.platform.users.models import User


def _changed(before: dict, after: dict) -> dict:
    return {k: after.get(k) for k in set(before) | set(after) if before.get(k) != after.get(k)}


def _conflicts(record: Collection, data: CollectionIn) -> list[str]:
    """Fields this edit changes that another edit changed since its base version, to something else."""
    if data.base_version is None or data.base_version >= record.version:
        return []
    base = next((v for v in record.versions if v.version == data.base_version), None)
    if base is None:
        return []
    theirs = _changed(base.data, record.data)
    if base.name != record.name:
        theirs["name"] = record.name
    mine = _changed(base.data, {**base.data, **data.data})
    if data.name is not None and data.name != base.name:
        mine["name"] = data.name
    return sorted(k for k in mine if k in theirs and theirs[k] != mine[k])


def _address(db: Session, actor: User, data: CollectionIn) -> Address:
    """The standard address picked, or the matcher's sure pick for the text typed (as a report's)."""
    if data.address_code:
        return places.resolve(db, data.address_code)
    if data.address_text:
        best = matching.match(db, actor, data.address_text, limit=1)
        if best and best[0].score >= get_grid_settings().address_match_score:
            return best[0].address
    raise invalid_request([ErrorDetail("address_code", "address.required",
                                       "请选择标准地址（所填地址未能确定） / pick the standard address (the text "
                                       "typed matches none for sure)")])


def collect(db: Session, *, data: CollectionIn, actor: User) -> tuple[Collection, bool]:
    """The record and whether it is new; the same idempotency key from the same collector again is the version it
    made (no new one)."""
    if data.idempotency_key:
        earlier = repo.collection_by_key(db, actor, data.idempotency_key)
        if earlier is not None:
            return earlier, False
    address = _address(db, actor, data)
    grid = repo.get_grid(db, actor, address.grid.code)
    subject = data.id_number or ""
    now = clock.now()
    record = db.scalar(select(Collection).where(Collection.address_id == address.id, Collection.kind == data.kind,
                                                Collection.subject == subject))
    created = record is None
    if record is None:
        record = Collection(grid_id=grid.id, kind=data.kind, address_id=address.id, subject=subject, name=data.name,
                            data=dict(data.data), version=1, collected_at=now, collected_by_id=actor.id)
        db.add(record)
        db.flush()
    else:
        conflicts = _conflicts(record, data)
        record.data = {**record.data, **data.data}
        record.name = data.name if data.name is not None else record.name
        record.version += 1
        record.collected_at, record.collected_by_id, record.verified_at = now, actor.id, None
        if conflicts:
            record.needs_review = True
            record.review_note = f"与他人修改冲突：{'、'.join(conflicts)}（基于第{data.base_version}版）"
            notify.publish(db, topic=Topic.COLLECTION_CONFLICTED, unit_id=grid.parent_id or grid.id,
                           link=f"/grid/collections/{record.id}", title=f"采集信息冲突待核：{address.text}",
                           payload={"collection_id": record.id, "fields": conflicts})
    record.versions.append(CollectionVersion(version=record.version, base_version=data.base_version,
                                             name=record.name, data=dict(record.data), at=now, by_id=actor.id,
                                             idempotency_key=data.idempotency_key))
    if data.id_number:
        people.seen(db, id_number=data.id_number, name=data.name or "", role=PersonRole.RESIDENT,
                    record=Record("grid", "collection", record.id), unit=grid, at=now, actor=actor,
                    link=f"/grid/collections/{record.id}")
    places.mentioned(db, address=address, record=Record("grid", "collection", record.id), unit_id=grid.id, at=now)
    audit.record(db, actor=actor, action=Action.COLLECTION_CREATED if created else Action.COLLECTION_UPDATED,
                 entity=record, unit_id=grid.id,
                 data={"kind": data.kind.value, "version": record.version, "review": record.needs_review})
    return record, created


def view(db: Session, *, user: User, collection_id: int) -> Collection:
    """A collected record for a person to read (a resident's name and ID number): the read is audited."""
    record = repo.get_collection(db, user, collection_id)
    audit.record(db, actor=user, action=Action.COLLECTION_VIEWED, entity=record, unit_id=record.grid_id)
    return record


def verify(db: Session, *, record: Collection, actor: User) -> Collection:
    """The officer has checked it (at the door, or against the register): it now counts, and any review is done."""
    record.verified_at, record.verified_by_id = clock.now(), actor.id
    record.needs_review, record.review_note = False, None
    audit.record(db, actor=actor, action=Action.COLLECTION_VERIFIED, entity=record, unit_id=record.grid_id,
                 data={"version": record.version})
    return record
