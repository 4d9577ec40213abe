"""The window clerk's main path in headless Chromium: a resident takes a ticket at the kiosk, the clerk calls
it, takes one application for a booklet replacement and a passport, sees each due date and issues the
booklet on the spot; then the resident rates it on the rating pad at phone width (390 × 844)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pingan.core.identity import make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


def test_ticket_call_application_on_the_spot_and_the_rating_pad_on_a_phone(page, log_in, traffic, screenshots):
    page.goto("/onewindow/kiosk/331003-03")
    page.get_by_role("button", name="普通护照申领").click()
    number = page.locator("[data-ticket]").get_attribute("data-ticket")
    assert re.fullmatch(r"A\d{3}", number)

    log_in(page, "clerk")
    page.goto("/onewindow")
    page.get_by_role("button", name="叫下一位").click()
    expect(page.locator(f'[data-called="{number}"]')).to_be_visible()
    page.get_by_label("申请人姓名").fill("浏览器测试居民")
    page.get_by_label("身份证号").fill(make_resident_id("331003", dt.date(1988, 2, 3), 51, "F"))
    page.get_by_label("手机号").fill("13905760051")
    page.get_by_label("补领户口簿").check()
    page.get_by_label("普通护照申领").check()
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page).to_have_url(re.compile(r"/onewindow/applications/\d+$"))
    # 7 working days: due at the close of the 7th working day after today.
    expect(page.locator('tr[data-item="passport"] [data-due]')).to_have_text(re.compile(r"\d{4}-\d{2}-\d{2} 17:30"))
    booklet = page.locator('tr[data-item="booklet_replacement"]')
    booklet.get_by_role("button", name="当场办结").click()
    expect(booklet.locator('[data-status="issued_on_spot"]')).to_be_visible()
    application_url = page.url
    pad_link = booklet.locator("[data-pad]").get_attribute("href")
    page.screenshot(path=str(screenshots / "onewindow-application.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(pad_link)
    page.get_by_label("不满意", exact=True).check()
    page.get_by_label("意见建议（选填）").fill("等候时间太长")
    submit = page.get_by_role("button", name="提交评价")
    box = submit.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    submit.click()
    expect(page.locator('[data-rated="2"]')).to_be_visible()
    page.screenshot(path=str(screenshots / "onewindow-pad-phone.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)

    # The bad rating's rectification: the clerk calls the resident back, and only then may close it.
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, "clerk")
    page.goto(application_url)
    page.locator('tr[data-item="booklet_replacement"] [data-rectification="open"]').click()
    expect(page).to_have_url(re.compile(r"/onewindow/rectifications/\d+$"))
    expect(page.locator("[data-days-left]")).to_be_visible()
    assert page.locator('[data-step="close"]').count() == 0
    page.get_by_label("回访情况").fill("电话回访，已致歉并说明补领流程")
    page.get_by_role("button", name="记录回访").click()
    expect(page.locator("[data-call-back]")).to_contain_text("电话回访")
    page.get_by_label("整改措施").fill("窗口增设引导员")
    page.get_by_role("button", name="整改办结").click()
    expect(page.locator('h1 [data-status="closed"]')).to_be_visible()
    page.screenshot(path=str(screenshots / "onewindow-rectification.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)


def test_the_kiosk_on_a_phone(page, traffic, screenshots):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/onewindow/kiosk/331003-03")
    page.get_by_role("button", name="往来港澳通行证申领").click()
    expect(page.locator("[data-ticket]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "onewindow-kiosk-phone.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)


def test_the_citizen_portal_on_a_phone(page, traffic, screenshots):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/onewindow/portal")
    page.get_by_label("姓名").fill("手机申请居民")
    page.get_by_label("身份证号").fill(make_resident_id("331003", dt.date(1990, 4, 5), 52, "M"))
    page.get_by_label("办理派出所").select_option("331003-03")
    page.get_by_label("无犯罪记录证明").check()
    submit = page.get_by_role("button", name="提交申请")
    box = submit.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    submit.click()
    expect(page.locator("[data-submitted]")).to_contain_text("无犯罪记录证明")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "onewindow-portal-phone.png"), full_page=True)
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)
