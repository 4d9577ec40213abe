"""The bank-thresholds page in headless Chromium: the analyst finds it in the side bar, reads each bank's
daily rates against its band, and restores an earlier version of a bank's thresholds (asked to confirm);
the read-only leader sees the same figures with no restore button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.antifraud.thresholds import service as thresholds
from pingan.core.db import unit_of_work
from pingan.platform.org.models import Bank

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


@pytest.fixture
def two_versions(live_server):
    """台州银行 has its own thresholds: v1 at the rule set's 300/700, then v2 at 350/750 (active). The test
    restores v1, so the other browser tests decide with the thresholds they expect."""
    with unit_of_work() as db:
        bank = db.scalar(select(Bank).where(Bank.code == "TZB"))
        first = thresholds.save(db, bank=bank, warn=300, hold=700, actor=None, note="v1")
        second = thresholds.save(db, bank=bank, warn=350, hold=750, actor=None, note="v2")
        ids = first.id, second.id
    yield ids
    with unit_of_work() as db:
        thresholds.activate(db, version_id=ids[0], actor=None)


def test_the_analyst_restores_an_earlier_version_of_a_banks_thresholds(page, log_in, traffic, two_versions,
                                                                        screenshots):
    first, second = two_versions
    log_in(page, "analyst")
    page.locator(".mainnav").get_by_role("link", name="银行阈值").click()
    expect(page).to_have_url(re.compile(r"/antifraud/rates$"))
    expect(page.get_by_role("heading", name="银行阈值", level=1)).to_be_visible()

    card = page.locator('section.bank-rates[data-bank="TZB"]')
    expect(card).to_contain_text("本行阈值：提醒 350，止付 750")
    expect(card.locator("tbody tr")).to_have_count(14)  # the last 14 days, one row each

    active = page.locator(f'tr[data-version="{second}"]')
    expect(active).to_contain_text("启用中")
    earlier = page.locator(f'tr[data-version="{first}"]')
    expect(earlier.get_by_role("button", name="恢复")).to_be_visible()

    # The restore asks first; declining sends nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    earlier.get_by_role("button", name="恢复").click()
    expect(active).to_contain_text("启用中")

    page.once("dialog", lambda dialog: dialog.accept())
    earlier.get_by_role("button", name="恢复").click()
    expect(page.get_by_role("status")).to_contain_text("已恢复该阈值版本")
    expect(page.locator(f'tr[data-version="{first}"]')).to_contain_text("启用中")
    expect(page.locator(f'tr[data-version="{second}"]')).not_to_contain_text("启用中")
    expect(card).to_contain_text("本行阈值：提醒 300，止付 700")
    page.screenshot(path=str(screenshots / "antifraud-rates.png"), full_page=True)
    assert traffic.errors == [] and traffic.failures == []
    assert traffic.hosts == {"127.0.0.1"}


def test_the_leader_reads_the_rates_without_a_restore_button(page, log_in, two_versions):
    log_in(page, "leader")
    page.goto("/antifraud/rates")
    expect(page.locator('section.bank-rates[data-bank="TZB"]')).to_be_visible()
    expect(page.locator(f'tr[data-version="{two_versions[0]}"]')).to_be_visible()
    expect(page.get_by_role("button", name="恢复")).to_have_count(0)
