"""租安心 at phone width (390 × 844) in headless Chromium: a tenant opens the unit's code and declares without
an account; the landlord signs in, sees the tenant with the running 3-working-day clock on the portal, confirms
and later declares the move-out. Neither page shows a horizontal scroll bar."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.rental.models import Property, UnitCode

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]
PHONE = {"width": 390, "height": 844}


def _flat_token() -> str:
    """The code of landlord_li's flat, as the demo loaded it."""
    with unit_of_work() as db:
        prop = db.scalar(select(Property).where(Property.name == "新下岙村12号"))
        return db.scalar(select(UnitCode.token).where(UnitCode.unit_id == prop.units[0].id,
                                                      UnitCode.revoked_at.is_(None)))


@pytest.fixture
def phone(chromium, live_server, traffic):
    context = chromium.new_context(base_url=live_server, viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai",
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    traffic.watch(context, page)
    try:
        yield page
    finally:
        context.close()


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
