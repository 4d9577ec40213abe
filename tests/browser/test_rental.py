"""租安心 at phone width (390 × 844) in headless Chromium: a tenant opens the unit's code and declares without
an account (with a photo of the ID card the page shrinks before sending); the landlord signs in, sees the
tenant with the running 3-working-day clock on the portal, confirms and later declares the move-out. Neither
page shows a horizontal scroll bar."""

from __future__ import annotations

import datetime as dt
import struct
import time
import zlib

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.rental.models import IdPhoto, Property, Tenancy, UnitCode
from pingan.rental.settings import get_rental_settings
from tests.browser.conftest import PHONE, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


def _flat_token() -> str:
    """The code of landlord_li's flat, as the demo loaded it."""
    with unit_of_work() as db:
        prop = db.scalar(select(Property).where(Property.name == "新下岙村12号"))
        return db.scalar(select(UnitCode.token).where(UnitCode.unit_id == prop.units[0].id,
                                                      UnitCode.revoked_at.is_(None)))


@pytest.fixture
def phone(chromium, live_server, traffic):
    with browser_page(chromium, live_server, traffic, timeout_ms=None, viewport=PHONE, is_mobile=True,
                      has_touch=True) as page:
        yield page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_tenant_declares_through_the_code_and_the_landlord_confirms_on_the_portal(phone, log_in, traffic,
                                                                                   screenshots):
    phone.goto(f"/r/{_flat_token()}")
    expect(phone.get_by_role("heading", name="居住登记自主申报")).to_be_visible()
    _fits(phone)
    phone.get_by_label("姓名").fill("浏览器租客")
    phone.get_by_label("身份证号").fill(make_resident_id("331003", dt.date(1999, 9, 19), 77, "F"))
    phone.get_by_label("手机号").fill("13905767777")
    phone.screenshot(path=str(screenshots / "rental-declare-390.png"), full_page=True)
    phone.get_by_role("button", name="提交申报").click()
    expect(phone.get_by_role("heading", name="申报已提交")).to_be_visible()

    log_in(phone, "landlord_li")
    expect(phone.get_by_role("heading", name="我的出租房", level=1)).to_be_visible()
    row = phone.locator("[data-tenancy]", has_text="浏览器租客")
    expect(row.locator('[data-clock="rental.tenancy.reported"]')).to_be_visible()
    phone.screenshot(path=str(screenshots / "rental-portal-390.png"), full_page=True)
    _fits(phone)
    row.locator('[data-step="confirm"]').click()
    row = phone.locator("[data-tenancy]", has_text="浏览器租客")
    expect(row.locator('[data-clock="rental.tenancy.reported"]')).to_have_count(0)
    expect(row.locator('[data-step="confirm"]')).to_have_count(0)
    assert traffic.failures == [] and traffic.errors == []
    assert traffic.hosts <= {"127.0.0.1"}


def _uncompressed_png(width: int, height: int) -> bytes:
    """A smooth picture stored without compression: megabytes as a PNG, a few kilobytes as a JPEG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (x * 255 // width, y * 255 // height, 128))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))


def test_a_tenant_attaches_a_camera_sized_id_photo_which_the_page_shrinks_before_sending(phone, traffic):
    picture = _uncompressed_png(1100, 1000)
    limit = get_rental_settings().id_photo_max_bytes
    assert len(picture) > limit
    phone.goto(f"/r/{_flat_token()}")
    phone.get_by_label("姓名").fill("带照片租客")
    phone.get_by_label("身份证号").fill(make_resident_id("331003", dt.date(1998, 8, 18), 78, "M"))
    phone.get_by_label("手机号").fill("13905767778")
    phone.get_by_label("身份证照片（选填）").set_input_files(
        {"name": "IMG_0001.png", "mimeType": "image/png", "buffer": picture})
    # The page shrinks the picture in place (a string predicate is refused by the page's CSP: poll instead).
    deadline = time.monotonic() + 10
    while phone.evaluate("() => document.getElementById('f-id-photo').files[0].size") > limit:
        assert time.monotonic() < deadline, "the page did not shrink the photo within 10 s"
        phone.wait_for_timeout(100)
    _fits(phone)
    phone.get_by_role("button", name="提交申报").click()
    expect(phone.get_by_role("heading", name="申报已提交")).to_be_visible()
    with unit_of_work() as db:
        tenancy = db.scalar(select(Tenancy).where(Tenancy.name == "带照片租客"))
        photo = db.scalar(select(IdPhoto).where(IdPhoto.tenancy_id == tenancy.id))
        assert photo.content_type == "image/jpeg" and photo.size <= limit
    assert traffic.failures == [] and traffic.errors == []
