"""A live video call between two headless Chromium pages with fake camera and microphone: the grid worker calls
from a report, the community officer's browser rings on the board, the officer answers, both connect peer to
peer (Pingan relays only the signalling), the officer takes a snapshot, the worker hangs up; the call (who, when,
how long) and the snapshot are on the report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.core.db import unit_of_work
from pingan.grid import timeline
from pingan.grid.models import Report, VideoCall, VideoStatus
from tests.browser.conftest import CHROMIUM_ARGS, _chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              "--disable-features=WebRtcHideLocalIpsWithMdns"]


@pytest.fixture
def media_browser(chromium):
    browser = chromium.browser_type.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS + MEDIA_ARGS,
                                           headless=True)
    try:
        yield browser
    finally:
        browser.close()


def _signed_in(browser, base_url: str, log_in, username: str, viewport: dict):
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.grant_permissions(["camera", "microphone"])
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, username)
    return page


def test_worker_calls_the_officer_from_a_report_and_the_call_is_on_the_report(media_browser, live_server, log_in):
    worker = _signed_in(media_browser, live_server, log_in, "grid_toutuo", {"width": 390, "height": 844})
    officer = _signed_in(media_browser, live_server, log_in, "officer_toutuo", {"width": 1280, "height": 900})
    officer.goto("/grid")
    expect(officer.locator("#grid-video[data-stream='open']")).to_be_attached()

    worker.goto("/grid/reports/new")
    worker.locator('select[name="category"]').select_option("wildlife")
    worker.locator('input[name="fields.species"]').fill("画眉")
    worker.locator('select[name="fields.situation"]').select_option("kept")
    worker.get_by_label("情况描述").fill("浏览器测试：出租房内笼养疑似野生画眉")
    worker.locator('input[name="address_text"]').fill("新下岙村6号")
    worker.get_by_role("button", name="提交上报").click()
    expect(worker).to_have_url(re.compile(r"/grid/reports/\d+$"))
    report_id = int(worker.url.rsplit("/", 1)[1])
    expect(worker.locator("#grid-video[data-stream='open']")).to_be_attached()
    worker.get_by_role("button", name="视频通话").click()

    ring = officer.locator(".video-call[data-ringing]")
    expect(ring).to_be_visible()
    ring.get_by_role("button", name="接听").click()
    expect(officer.locator(".video-call[data-connection='connected']")).to_be_attached()
    expect(worker.locator(".video-call[data-connection='connected']")).to_be_attached()
    expect(officer.locator(".video-call[data-remote-video='playing']")).to_be_attached()
    officer.locator(".video-call").get_by_role("button", name="截图").click()
    expect(officer.locator(".video-call[data-snapshot='saved']")).to_be_attached()
    worker.locator(".video-call").get_by_role("button", name="挂断").click()
    expect(officer.locator(".video-call[data-ended]")).to_be_attached()

    with unit_of_work() as db:
        call = db.scalar(select(VideoCall).where(VideoCall.report_id == report_id))
        report = db.get(Report, report_id)
        assert call.status is VideoStatus.ENDED and call.seconds is not None and call.snapshot_id is not None
        assert [p.id for p in report.photos] == [call.snapshot_id]
        assert "video" in [e.kind for e in timeline.of(db, report)]
    officer.goto(f"/grid/reports/{report_id}")
    expect(officer.locator(f'[data-video-call-row="{call.id}"]')).to_contain_text("秒")
