"""The mediator's main path in headless Chromium: take in a dispute, record the session unsettled, and see
the community officer's 12-hour follow-up on the board and on the officer's to-do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.platform.org.models import OrgUnit
from pingan.platform.places.models import Address

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


def _an_address_of(station_code: str) -> Address:
    """A house (no building or room) in the station's first grid, as the demo loaded it."""
    with unit_of_work() as db:
        return db.scalar(select(Address).join(OrgUnit, OrgUnit.id == Address.grid_id)
                         .where(OrgUnit.path.contains(f"/{station_code}/"), Address.building == "")
                         .order_by(Address.code).limit(1))


def test_intake_session_unsettled_and_the_follow_up_on_the_board(page, log_in, traffic, screenshots):
    log_in(page, "mediator_ningxi")
    page.locator(".mainnav").get_by_role("link", name="纠纷受理").click()
    expect(page.get_by_role("heading", name="纠纷受理", level=1)).to_be_visible()
    page.locator('select[name="category"]').select_option("family")
    page.locator('select[name="community_code"]').select_option("331003-05-01")
    address = _an_address_of("331003-05")
    page.get_by_label("地点").fill(f"宁溪镇{address.road}{address.number}号")  # typed as people say it
    choice = page.locator(f'input[name="address_code"][value="{address.code}"]')
    expect(choice).to_be_visible()
    choice.check()
    page.get_by_label("纠纷概要").fill("浏览器测试：兄弟分家争执")
    page.locator('input[name="parties[0].name"]').fill("周大哥")
    page.locator('input[name="parties[0].id_number"]').fill(make_resident_id("331003", dt.date(1975, 1, 9), 41, "M"))
    page.locator('input[name="parties[1].name"]').fill("周小弟")
    page.locator('input[name="parties[1].phone"]').fill("13905769999")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page).to_have_url(re.compile(r"/mediation/disputes/\d+$"))
    dispute_id = page.url.rsplit("/", 1)[1]
    expect(page.locator(f'a[href="/places/{address.code}"]')).to_have_text(address.text)
    expect(page.locator('[data-clock="mediation.dispute.mediated"]')).to_be_visible()

    page.get_by_label("未调解成功").check()
    page.get_by_label("调解情况").fill("双方对房产份额分歧较大")
    page.get_by_role("button", name="保存调解结果").click()
    expect(page.locator('[data-status="follow_up"]').first).to_be_visible()
    expect(page.locator('[data-event="session.unsettled"]')).to_be_visible()

    page.locator(".mainnav").get_by_role("link", name="调解看板").click()
    row = page.locator(f'tr[data-dispute="{dispute_id}"]')
    expect(row).to_have_count(1)
    expect(row.locator('[data-clock="mediation.dispute.followed_up"]')).to_contain_text("社区民警跟进")
    page.screenshot(path=str(screenshots / "mediation-board.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)

    page.context.clear_cookies()
    log_in(page, "officer_ningxi")
    page.goto("/todo")
    expect(page.get_by_role("link", name=re.compile(f"社区民警跟进：纠纷 #{dispute_id} "))).to_be_visible()
