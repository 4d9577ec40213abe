"""Publicity events: record one (topic, place, audience, materials), attach its photos, verify it."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, ValidationFailed
from pingan.core.schemas import invalid_request
from pingan.grid import repository as repo
from pingan.grid.models import Photo, Publicity
from pingan.grid.report import photos
from pingan.grid.schemas import PublicityIn
from pingan.grid.settings import get_grid_settings
from pingan.grid.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.places import service as places
from pingan.platform.users.models import User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def record(db: Session, *, data: PublicityIn, actor: User) -> Publicity:
    """A new event; the same idempotency key from the same user again is the first one."""
    if data.idempotency_key:
        earlier = repo.publicity_by_key(db, actor, data.idempotency_key)
        if earlier is not None:
            return earlier
    if repo.grid_by_code(db, data.grid_code) is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    grid = repo.get_grid(db, actor, data.grid_code)
    address = places.resolve(db, data.address_code) if data.address_code else None
    event = Publicity(grid_id=grid.id, topic=data.topic, title=data.title, place=data.place,
                      address_id=address.id if address else None, held_at=data.held_at or clock.now(),
                      audience=data.audience, materials=data.materials, held_by_id=actor.id,
                      idempotency_key=data.idempotency_key)
    db.add(event)
    audit.record(db, actor=actor, action=Action.PUBLICITY_RECORDED, entity=event, unit_id=grid.id,
                 data={"topic": data.topic.value, "audience": data.audience, "materials": data.materials})
    return event


def add_photo(db: Session, *, event: Publicity, data: bytes, actor: User, field: str = "photo") -> Photo:
    """Attach a JPEG or PNG (checked by content); the same picture twice is kept once."""
    kind = photos.content_type(data, field=field)
    digest = hashlib.sha256(data).hexdigest()
    existing = next((p for p in event.photos if p.sha256 == digest), None)
    if existing is not None:
        return existing
    if len(event.photos) >= get_grid_settings().photos_per_report:
        raise _invalid(field, "photo.too_many", "照片数量已达上限 / as many photos as allowed")
    photo = Photo(content_type=kind, size=len(data), sha256=digest, data=data, added_at=clock.now(),
                  added_by_id=actor.id)
    event.photos.append(photo)
    db.flush()
    audit.record(db, actor=actor, action=Action.PHOTO_ADDED, entity=event, unit_id=event.grid_id,
                 data={"photo": photo.id, "size": photo.size})
    return photo


def verify(db: Session, *, event: Publicity, actor: User) -> Publicity:
    if event.verified_at is not None:
        raise Conflict("publicity.verified", "该活动已核实 / the event is verified already")
    event.verified_at, event.verified_by_id = clock.now(), actor.id
    audit.record(db, actor=actor, action=Action.PUBLICITY_VERIFIED, entity=event, unit_id=event.grid_id)
    return event
