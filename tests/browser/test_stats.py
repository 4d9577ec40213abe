"""数据看板 in headless Chromium: the leader signs in and lands on the dashboard, the charts and the map draw
(ECharts from npm, no other host), and a click on a figure reaches the records behind it, as many as the figure
says."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_the_leader_lands_on_the_dashboard_and_clicks_through_to_the_records(page, log_in, traffic, live_server,
                                                                           screenshots):
    log_in(page, "leader")
    expect(page).to_have_url(f"{live_server}/stats")
    expect(page.locator("h1")).to_have_text("数据看板")
    expect(page.locator('[data-chart="months"] svg')).to_be_visible()
    expect(page.locator('[data-chart="map"] svg path').first).to_be_attached()
    page.screenshot(path=str(screenshots / "stats-dashboard.png"), full_page=True)
    figure = page.locator('table[data-period="ytd"] a[data-figure="cases.dispute_calls"]')
    shown = int(figure.inner_text().replace(",", ""))
    assert shown > 0  # the demo's two years of calls
    figure.click()
    expect(page.locator("h1")).to_have_text("矛盾纠纷警情")
    expect(page.locator("[data-record]")).to_have_count(shown)
    page.locator("[data-record] a").first.click()
    page.wait_for_url("**/cases/calls/*")
    assert traffic.hosts <= {urlparse(live_server).hostname}
    assert not traffic.failures and not traffic.errors, traffic.failures + traffic.errors
