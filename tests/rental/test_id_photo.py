"""The optional photo of the ID card on the public declaration page: JPEG or PNG by content (a renamed file is
refused), the size limit (413, nothing stored), police officers only (each view audited; grid workers,
landlords and the administrator refused), deleted after deregistration plus the retention, never before."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.images import image_type
from pingan.platform.audit.models import AuditEvent
from pingan.platform.users.models import Role
from pingan.rental import id_photos, service
from pingan.rental.models import IdPhoto, Tenancy
from pingan.rental.schemas import DeclarationIn, EndIn, parse
from pingan.rental.settings import get_rental_settings
from tests.rental.factories import TENANT_ID

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x11" * 200 + b"\xff\xd9"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00\xff\xff\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


PNG = _png()


def _declare(client: TestClient, token: str, photo: tuple[str, bytes, str] | None):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/r/{token}").text).group(1)
    data = {"csrf_token": csrf, "name": "王租客", "id_number": TENANT_ID, "phone": "13905762001",
            "moved_in_on": clock.today_local().isoformat()}
    return client.post(f"/r/{token}", data=data, files={"id_photo": photo} if photo else None)


def _token(rent) -> str:
    return service.active_code(rent.prop.units[0]).token


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("photo", [("id.jpg", JPEG, "image/jpeg"), ("id.png", PNG, "image/png")])
def test_a_jpeg_or_png_is_stored_with_the_declaration_by_its_content(app, db, rent, photo):
    # The declared type is not trusted: the PNG is sent as "image/jpeg" with a .jpg name and kept as a PNG.
    name, data, _ = photo
    r = _declare(TestClient(app), _token(rent), (name.replace("png", "jpg"), data, "image/jpeg"))
    assert r.status_code == 200 and "data-declared" in r.text
    stored = db.scalar(select(IdPhoto))
    assert (stored.content_type, stored.size, stored.data) == (photo[2], len(data), data)
    assert stored.tenancy_id == db.scalar(select(Tenancy.id)) and stored.purge_after is None


def test_the_photo_is_optional(app, db, rent):
    assert _declare(TestClient(app), _token(rent), None).status_code == 200
    assert (_count(db, Tenancy), _count(db, IdPhoto)) == (1, 0)


@pytest.mark.parametrize("photo", [
    ("id.jpg", b"GIF89a" + b"\x00" * 100, "image/jpeg"),            # a GIF named .jpg
    ("id.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),    # a PNG signature and nothing of a PNG
    ("id.jpg", b"<svg onload=alert(1)>", "image/jpeg"),
    ("id.jpg", JPEG[:-2], "image/jpeg"),                              # a JPEG cut short
])
def test_anything_else_is_422_on_the_field_and_nothing_is_stored(app, db, rent, photo):
    r = _declare(TestClient(app), _token(rent), photo)
    assert r.status_code == 422 and 'data-error-for="id_photo"' in r.text
    assert (_count(db, Tenancy), _count(db, IdPhoto)) == (0, 0)


def test_a_photo_over_the_limit_is_413_and_nothing_is_stored(app, db, rent, monkeypatch):
    monkeypatch.setattr(get_rental_settings(), "id_photo_max_bytes", 100)
    r = _declare(TestClient(app), _token(rent), ("id.jpg", JPEG, "image/jpeg"))
    assert r.status_code == 413 and 'data-error-for="id_photo"' in r.text
    assert (_count(db, Tenancy), _count(db, IdPhoto)) == (0, 0)


def test_the_sniffer_reads_structure_not_names():
    assert (image_type(JPEG), image_type(PNG)) == ("image/jpeg", "image/png")
    assert image_type(b"") is None and image_type(b"\xff\xd8\xff") is None


def test_only_police_officers_of_the_area_see_the_photo_and_each_view_is_audited(app, db, rent, client_for,
                                                                                  make_user):
    _declare(TestClient(app), _token(rent), ("id.jpg", JPEG, "image/jpeg"))
    tenancy_id = db.scalar(select(Tenancy.id))
    officer = client_for(rent.officer)
    page = officer.get(f"/rental/properties/{rent.prop.id}")
    assert f'data-id-photo="{tenancy_id}"' in page.text
    for path in (f"/rental/tenancies/{tenancy_id}/id-photo", f"/api/v1/rental/tenancies/{tenancy_id}/id-photo"):
        r = officer.get(path)
        assert (r.status_code, r.content, r.headers["content-type"]) == (200, JPEG, "image/jpeg")
        assert r.headers["cache-control"] == "no-store"
    assert client_for(rent.duty).get(f"/api/v1/rental/tenancies/{tenancy_id}/id-photo").status_code == 200
    views = db.scalars(select(AuditEvent).where(AuditEvent.action == "rental.id_photo.viewed")).all()
    assert sorted(v.actor_id for v in views) == sorted([rent.officer.id, rent.officer.id, rent.duty.id])
    for user in (rent.grid, rent.landlord, make_user(Role.ADMIN), rent.leader):
        client = client_for(user)
        assert client.get(f"/api/v1/rental/tenancies/{tenancy_id}/id-photo").status_code == 403
        if user is rent.grid or user is rent.landlord:
            assert "data-id-photo" not in client.get(f"/rental/properties/{rent.prop.id}").text
    other = make_user(Role.COMMUNITY_OFFICER, unit="331003-02-01")  # police, another community: not found
    assert client_for(other).get(f"/api/v1/rental/tenancies/{tenancy_id}/id-photo").status_code == 404
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "rental.id_photo.viewed")).all()) == 3


def test_the_photo_is_deleted_after_deregistration_and_the_retention(db, rent):
    unit = rent.prop.units[0]
    tenancy = service.declare_public(db, unit=unit, id_photo=JPEG, data=parse(DeclarationIn, {
        "name": "王租客", "id_number": TENANT_ID, "phone": "13905762001",
        "moved_in_on": (clock.today_local() - dt.timedelta(days=30)).isoformat()}))
    service.verify(db, tenancy=tenancy, actor=rent.grid)
    assert id_photos.purge(db, clock.now() + dt.timedelta(days=3650)) == 0  # not while the tenant lives there
    service.end(db, tenancy=tenancy, actor=rent.grid, data=EndIn(moved_out_on=clock.today_local()))
    service.deregister(db, tenancy=tenancy, actor=rent.grid)
    days = get_rental_settings().id_photo_retention_days
    assert id_photos.purge(db, clock.now() + dt.timedelta(days=days - 1)) == 0
    assert id_photos.purge(db, clock.now() + dt.timedelta(days=days, minutes=1)) == 1
    assert _count(db, IdPhoto) == 0 and _count(db, Tenancy) == 1  # the registration itself stays
    purged = db.scalar(select(AuditEvent).where(AuditEvent.action == "rental.id_photo.purged"))
    assert purged.entity_id == str(tenancy.id)


def test_a_rejected_declaration_starts_the_retention_too(db, rent):
    tenancy = service.declare_public(db, unit=rent.prop.units[0], id_photo=PNG, data=parse(DeclarationIn, {
        "name": "王租客", "id_number": TENANT_ID, "phone": "13905762001",
        "moved_in_on": clock.today_local().isoformat()}))
    service.reject(db, tenancy=tenancy, actor=rent.grid)
    assert db.scalar(select(IdPhoto.purge_after)) is not None
