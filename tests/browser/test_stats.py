"""数据看板 in headless Chromium: the leader signs in and lands on the dashboard, the charts and the map draw
(ECharts from npm, no other host), and a click on a figure reaches the records behind it, as many as the figure
says."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

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
    assert not traffic.failures and not traffic.errors, "\n".join(traffic.failures + traffic.errors)


def _fits(page) -> None:
    """Nothing wider than the phone: neither the page nor any sheet scrolls sideways."""
    widths = page.evaluate("""() => ({page: document.documentElement.scrollWidth, inner: window.innerWidth,
        sheets: [...document.querySelectorAll('table.sheet')]
          .map((t) => [t.scrollWidth, t.parentElement.clientWidth])})""")
    assert widths["page"] <= widths["inner"] == PHONE["width"], widths
    assert all(table <= box for table, box in widths["sheets"]), widths


def test_the_dashboard_reads_on_a_phone_without_sideways_scrolling(phone, log_in, traffic, screenshots):
    page = phone
    log_in(page, "leader")
    expect(page.locator("h1")).to_have_text("数据看板")
    expect(page.locator('[data-chart="months"] svg')).to_be_visible()
    _fits(page)
    row = page.locator('table[data-period="ytd"] tr[data-measure="cases.dispute_calls"]')
    row.scroll_into_view_if_needed()
    box, card = row.locator("td").nth(1).bounding_box(), row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # this year's figure on screen, in its card
    assert card["width"] <= PHONE["width"]
    expect(page.locator('table[data-period="ytd"] thead')).to_be_hidden()  # cards: each figure names itself
    label = row.locator("td").nth(1).evaluate("(td) => getComputedStyle(td, '::before').content")
    assert "本期" in label, label
    page.screenshot(path=str(screenshots / "stats-dashboard-phone.png"), full_page=True)
    row.locator("a[data-figure]").click()
    expect(page.locator("h1")).to_have_text("矛盾纠纷警情")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/stats/measures")  # the definitions: one card per measure
    expect(page.locator("h1")).to_have_text("指标定义")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not traffic.failures and not traffic.errors, "\n".join(traffic.failures + traffic.errors)


def test_a_chart_hidden_and_shown_again_draws_without_an_error(page, log_in, traffic):
    """ECharts 6.1's map throws on every frame once it lays itself out at 0×0 (a box not laid out yet, or
    hidden): the dashboard resizes a chart only while its box has a size."""
    log_in(page, "leader")
    expect(page.locator('[data-chart="map"] svg path').first).to_be_attached()
    box = page.locator('[data-chart="map"]')
    box.evaluate("(el) => { el.style.display = 'none'; }")
    page.set_viewport_size({"width": 1280, "height": 900})  # the window resized while the map is hidden
    page.wait_for_timeout(500)
    box.evaluate("(el) => { el.style.display = ''; }")
    page.set_viewport_size({"width": 1440, "height": 900})
    expect(page.locator('[data-chart="map"] svg path').first).to_be_visible()
    page.wait_for_timeout(500)
    assert box.evaluate("(el) => el.querySelector('svg').getBoundingClientRect().width") > 1000  # full width again
    assert not traffic.failures and not traffic.errors, "\n".join(traffic.failures + traffic.errors)
