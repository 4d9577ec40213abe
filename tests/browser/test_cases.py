"""The duty officer's main path in headless Chromium: record a 110 call, turn it into a case, file it, add a
suspect, solve it; then the figures page draws its charts from the local ECharts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pingan.core import clock
from pingan.core.identity import make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


def test_call_to_case_filed_suspect_solved(page, log_in, traffic, screenshots):
    log_in(page, "duty_toutuo")
    page.locator(".mainnav").get_by_role("link", name="接处警").click()
    expect(page.get_by_role("heading", name="接处警", level=1)).to_be_visible()
    page.get_by_label("警情编号").fill("110-BROWSER-1")
    page.locator('select[name="category"]').select_option("criminal")
    page.get_by_label("报警电话").fill("13905761234")
    page.get_by_label("警情内容").fill("浏览器测试：便利店收银台现金被盗")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/calls/\d+$"))

    page.get_by_label("立案侦办", exact=True).check()
    page.locator('select[name="category"]').select_option("theft")
    page.get_by_label("案件名称").fill("便利店盗窃案")
    occurred = clock.local(clock.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("案发时间").fill(occurred)
    page.locator("#dispose-form").get_by_role("button", name="处置").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.locator('[data-status="received"]').first).to_be_visible()
    expect(page.locator('[data-clock="cases.case.decided"]')).to_be_visible()

    page.locator('form[data-step="file"]').get_by_role("button").click()
    expect(page.locator('[data-status="filed"]').first).to_be_visible()
    form = page.locator("#person-form")
    form.get_by_label("身份", exact=True).select_option("suspect")
    form.get_by_label("姓名", exact=True).fill("浏览器嫌疑人")
    form.get_by_label("身份证号", exact=True).fill(make_resident_id("331003", dt.date(1990, 3, 3), 77, "M"))
    form.get_by_role("button", name="添加").click()
    expect(page.locator('[data-person="suspect"]')).to_contain_text("浏览器嫌疑人")
    expect(page.locator('[data-suspect-status="at_large"]')).to_be_visible()

    page.locator('form[data-step="solve"]').get_by_role("button").click()
    expect(page.locator('[data-status="solved"]').first).to_be_visible()
    for kind in ("received", "filed", "person", "solved"):
        expect(page.locator(f'[data-event="{kind}"]').first).to_be_visible()
    expect(page.locator('[data-clock="cases.case.decided"]')).to_have_attribute("data-clock-status", "met")
    page.screenshot(path=str(screenshots / "cases-detail.png"), full_page=True)

    page.locator(".mainnav").get_by_role("link", name="打击统计").click()
    expect(page.locator('[data-chart="months"] svg')).to_be_visible()
    page.screenshot(path=str(screenshots / "cases-figures.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)
