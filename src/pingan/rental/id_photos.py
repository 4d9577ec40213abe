"""The optional photo of the ID card a tenant attaches to their own declaration: checked (JPEG or PNG by its
content, at most ``PINGAN_RENTAL_ID_PHOTO_MAX_BYTES``) before anything is stored, kept as a blob in a row of its
own, shown to police roles only (each view audited), and deleted after the tenancy is deregistered or the
declaration rejected, once ``PINGAN_RENTAL_ID_PHOTO_RETENTION_DAYS`` have passed."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail, PayloadTooLarge, PermissionDenied, ValidationFailed, not_found
from pingan.core.images import image_type
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User
from pingan.rental import repository as repo
from pingan.rental.models import IdPhoto, Property, Tenancy
from pingan.rental.permissions import PHOTO_VIEWERS
from pingan.rental.settings import get_rental_settings
from pingan.rental.vocabulary import Action

FIELD = "id_photo"


def too_large() -> PayloadTooLarge:
    limit = get_rental_settings().id_photo_max_bytes // 1024
    return PayloadTooLarge("id_photo.too_large", f"身份证照片不能超过 {limit} KB / the ID card photo may be at most "
                                                 f"{limit} KB", [ErrorDetail(
        FIELD, "id_photo.too_large", "身份证照片太大，请缩小后重试 / the photo is too large: make it smaller")])


def checked(data: bytes) -> str:
    """The photo's type from its content: 413 past the limit, 422 on ``id_photo`` if not a JPEG or PNG."""
    if len(data) > get_rental_settings().id_photo_max_bytes:
        raise too_large()
    kind = image_type(data)
    if kind is None:
        raise ValidationFailed("request.invalid", "请求内容不合法 / invalid request", [ErrorDetail(
            FIELD, "id_photo.not_image", "身份证照片须为 JPEG 或 PNG 图片 / the photo must be a JPEG or PNG image")])
    return kind


def attach(db: Session, *, tenancy: Tenancy, data: bytes, content_type: str) -> IdPhoto:
    photo = IdPhoto(tenancy_id=tenancy.id, content_type=content_type, size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), data=data, added_at=clock.now())
    db.add(photo)
    db.flush()
    return photo


def has_photo(db: Session, tenancy_ids: list[int]) -> set[int]:
    """Which of these tenancies have a photo (for the officers' pages: a link, never the picture)."""
    if not tenancy_ids:
        return set()
    return set(db.scalars(select(IdPhoto.tenancy_id).where(IdPhoto.tenancy_id.in_(tenancy_ids))))


def view(db: Session, *, user: User, tenancy_id: int) -> IdPhoto:
    """The photo for a police role of the tenancy's area (not the administrator, not a grid worker, not the
    landlord side); audited. No photo, or out of scope: 404."""
    if user.role not in PHOTO_VIEWERS:
        raise PermissionDenied("auth.role", "只有民警可以查看身份证照片 / only police officers may view the ID photo")
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    photo = db.scalar(select(IdPhoto).where(IdPhoto.tenancy_id == tenancy.id))
    if photo is None:
        raise not_found("id_photo", "身份证照片")
    audit.record(db, actor=user, action=Action.ID_PHOTO_VIEWED, entity=tenancy,
                 unit_id=db.get(Property, tenancy.property_id).grid_id, data={"photo": photo.id})
    return photo


def schedule_purge(db: Session, tenancy: Tenancy) -> None:
    """The tenancy is over for the register (deregistered, or rejected at the door): the retention runs."""
    keep = dt.timedelta(days=get_rental_settings().id_photo_retention_days)
    photo = db.scalar(select(IdPhoto).where(IdPhoto.tenancy_id == tenancy.id))
    if photo is not None and photo.purge_after is None:
        photo.purge_after = clock.now() + keep


def purge(db: Session, now: dt.datetime) -> int:
    """Delete every photo whose retention is over (audited once per photo, with its tenancy)."""
    due = list(db.execute(select(IdPhoto.id, IdPhoto.tenancy_id, Property.grid_id)
                          .join(Tenancy, Tenancy.id == IdPhoto.tenancy_id)
                          .join(Property, Property.id == Tenancy.property_id).where(IdPhoto.purge_after <= now)))
    if not due:
        return 0
    db.execute(delete(IdPhoto).where(IdPhoto.id.in_([row.id for row in due])))
    for row in due:
        audit.record(db, actor=None, action=Action.ID_PHOTO_PURGED, entity_type="rental_tenancy",
                     entity_id=str(row.tenancy_id), unit_id=row.grid_id, data={"photo": row.id})
    return len(due)
