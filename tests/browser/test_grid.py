"""The grid's main path at phone width (390 × 844) in headless Chromium: the grid worker reports a hazard with a
photo, the community officer accepts it from the board, feeds back and closes it; a report typed with no signal
is kept on the phone and sent once when the network returns."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.core.db import unit_of_work
from pingan.grid.models import Report
from tests.browser.conftest import PHONE
from tests.grid.factories import camera_png

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA"
                       "WjR9awAAAABJRU5ErkJggg==")
def _reports_with(text: str) -> list[int]:
    """The photo count of each report with this description, read from the live server's database."""
    with unit_of_work() as db:
        return [len(r.photos) for r in db.scalars(select(Report).where(Report.description == text))]


def _photos_of(text: str) -> list[tuple[str, int]]:
    with unit_of_work() as db:
        report = db.scalars(select(Report).where(Report.description == text)).one()
        return [(photo.content_type, len(photo.data)) for photo in report.photos]


def _fill_hazard(page, description: str) -> None:
    page.goto("/grid/reports/new")
    expect(page.get_by_role("heading", name="网格上报", level=1)).to_be_visible()
    page.locator('select[name="category"]').select_option("safety_hazard")
    page.locator('select[name="fields.hazard_kind"]').first.select_option("electric")
    page.locator('select[name="fields.urgent"]').first.select_option("yes")
    page.get_by_label("情况描述").fill(description)
    page.locator('input[name="address_text"]').fill("新下岙村3号")
    page.locator('input[type="file"]').set_input_files({"name": "hazard.png", "mimeType": "image/png", "buffer": PNG})


def test_report_with_photo_accepted_fed_back_and_closed_at_phone_width(phone, log_in, traffic, screenshots):
    page = phone
    log_in(page, "grid_toutuo")
    _fill_hazard(page, "浏览器测试：村口电线裸露")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="提交上报").click()
    expect(page).to_have_url(re.compile(r"/grid/reports/\d+$"))
    report_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("img[data-photo]")).to_have_count(1)
    page.screenshot(path=str(screenshots / "grid-report-phone.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, "officer_toutuo")
    page.goto("/grid")
    row = page.locator(f'tr[data-report="{report_id}"]')
    expect(row.locator('[data-clock="grid.report.accepted"]')).to_contain_text("上报受理")
    row.get_by_role("link").first.click()
    page.locator('[data-step="accept"]').get_by_role("button", name="受理").click()
    expect(page.locator('[data-status="accepted"]')).to_be_visible()
    page.get_by_label("处置情况").fill("已联系供电所抢修")
    page.get_by_role("button", name="记录处置").click()
    page.get_by_label("反馈内容").fill("供电所已更换电线")
    page.locator('[data-step="feedback"]').get_by_role("button", name="反馈").click()
    page.locator('[data-step="close"]').get_by_role("button", name="办结").click()
    expect(page.locator('[data-status="closed"]')).to_be_visible()
    expect(page.locator('[data-event="fed_back"]')).to_be_visible()
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)


def test_a_report_typed_with_no_signal_is_sent_once_when_the_network_returns(phone, log_in, traffic):
    page = phone
    log_in(page, "grid_toutuo")
    text = "浏览器测试：无信号时上报的隐患"
    _fill_hazard(page, text)
    page.context.set_offline(True)
    page.get_by_role("button", name="提交上报").click()
    expect(page.locator("[data-send-status]")).to_contain_text("已保存在本机")
    expect(page.locator("[data-outbox]")).to_be_visible()
    assert _reports_with(text) == []
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second signal sends nothing more
    expect(page.locator("[data-outbox]")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert _reports_with(text) == [1]
    assert not traffic.errors


def test_a_camera_sized_photo_is_shrunk_on_the_phone_and_stored(phone, log_in, traffic):
    """A phone's picture (~4 MB) is made a JPEG under the form's limit before it is queued, and arrives."""
    page = phone
    log_in(page, "grid_toutuo")
    text = "浏览器测试：相机原图"
    _fill_hazard(page, text)
    photo = camera_png()
    field = page.locator('input[type="file"]')
    limit = int(field.get_attribute("data-max-bytes"))
    assert len(photo) > 4 * limit
    field.set_input_files({"name": "IMG_0001.png", "mimeType": "image/png", "buffer": photo})
    page.wait_for_function("() => { const f = document.getElementById('f-photos').files[0];"
                           " return f && f.type === 'image/jpeg'; }")
    page.get_by_role("button", name="提交上报").click()
    expect(page).to_have_url(re.compile(r"/grid/reports/\d+$"))
    expect(page.locator("img[data-photo]")).to_have_count(1)
    [(kind, size)] = _photos_of(text)
    assert kind == "image/jpeg" and size <= limit
    assert not traffic.errors and not traffic.failures, "\n".join(traffic.errors + traffic.failures)


def test_a_photo_the_server_refuses_is_named_on_the_phone_not_dropped_without_a_word(phone, log_in, traffic):
    """The report is stored; the photo the server refuses (not an image) stays listed with its reason until
    the worker dismisses it, and is not sent again."""
    page = phone
    log_in(page, "grid_toutuo")
    text = "浏览器测试：退回的照片"
    _fill_hazard(page, text)
    page.locator('input[type="file"]').set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": "这不是图片".encode()})
    page.get_by_role("button", name="提交上报").click()
    expect(page).to_have_url(re.compile(r"/grid/reports/\d+$"))
    assert _reports_with(text) == [0]
    page.goto("/grid/reports/new")
    notice = page.locator("[data-outbox-refused]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("notes.png")
    expect(notice).to_contain_text("不是 JPEG 或 PNG 图片")
    expect(page.locator("[data-outbox]")).to_be_hidden()  # nothing left to send
    notice.get_by_role("button", name="知道了 / Dismiss").click()
    expect(notice).to_be_hidden()
    page.reload()
    expect(page.locator("[data-outbox-refused]")).to_be_hidden()
    assert _reports_with(text) == [0]
    assert not traffic.errors
