"""The grid worker's pages with no signal, in headless Chromium at phone width: after a first visit the service
worker keeps the entry forms and their script on the phone; offline (DevTools protocol) the publicity form still
opens on reload, is filled and kept in IndexedDB; back online it is sent once — one record, with its photo."""

from __future__ import annotations

import base64
import json
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pingan.core.db import unit_of_work
from pingan.grid.models import Collection, Publicity
from tests.browser.conftest import PHONE, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA"
                       "WjR9awAAAABJRU5ErkJggg==")
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


@pytest.fixture
def phone(chromium, live_server, traffic):
    with browser_page(chromium, live_server, traffic, timeout_ms=15_000, viewport=PHONE, is_mobile=True,
                      has_touch=True, service_workers="allow") as page:
        yield page


def _events_titled(title: str) -> list[int]:
    """The photo count of each publicity event with this title, read from the live server's database."""
    with unit_of_work() as db:
        return [len(e.photos) for e in db.scalars(select(Publicity).where(Publicity.title == title))]


_WORKER_STATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration('/grid/');
  const state = (w) => (w ? w.state : null);
  const cache = await caches.open('pingan-grid-v3');
  return {controlled: navigator.serviceWorker.controller !== null,
          installing: state(registration && registration.installing),
          waiting: state(registration && registration.waiting), active: state(registration && registration.active),
          kept: (await cache.keys()).map((r) => new URL(r.url).pathname)};
}"""


def _taken_over(page, traffic, *paths: str, seconds: float = 60) -> None:
    """Wait until the service worker controls the page and keeps ``paths`` (polled: the pages' CSP forbids the
    string predicates of wait_for_function); on time-out say where the worker stopped and what failed."""
    deadline = time.monotonic() + seconds
    while True:
        state = page.evaluate(_WORKER_STATE)
        if state["controlled"] and set(paths) <= set(state["kept"]):
            return
        assert time.monotonic() < deadline, f"the service worker did not take the pages over: {state}, " \
                                            f"failures {traffic.failures}, errors {traffic.errors}"
        time.sleep(0.2)


class Signal:
    """The phone's network through the DevTools protocol: the page's target and the service worker's (its own
    target: a page's emulation does not reach the worker's fetches)."""

    def __init__(self, chromium, page) -> None:
        self.page = page.context.new_cdp_session(page)
        self.page.send("Network.enable")
        self.browser = chromium.new_browser_cdp_session()
        worker = next(t for t in self.browser.send("Target.getTargets")["targetInfos"]
                      if t["type"] == "service_worker" and t["url"].endswith("/grid/sw.js"))
        self.worker = self.browser.send("Target.attachToTarget", {"targetId": worker["targetId"],
                                                                  "flatten": False})["sessionId"]
        self._to_worker("Network.enable", {})

    def _to_worker(self, method: str, params: dict) -> None:
        message = json.dumps({"id": int(time.monotonic() * 1000), "method": method, "params": params})
        self.browser.send("Target.sendMessageToTarget", {"sessionId": self.worker, "message": message})

    def set(self, conditions: dict) -> None:
        self.page.send("Network.emulateNetworkConditions", conditions)
        self._to_worker("Network.emulateNetworkConditions", conditions)


def test_the_publicity_form_opens_offline_and_its_event_is_sent_once_when_back(chromium, phone, log_in, traffic):
    page = phone
    dropped = []

    def drop_twice(route):  # the signal drops twice as the worker keeps the photo script: it is tried again
        if route.request.service_worker is not None and len(dropped) < 2:
            dropped.append(route.request.url)
            return route.abort("connectionreset")
        return route.continue_()

    page.context.route("**/static/photos.js", drop_twice)
    log_in(page, "grid_toutuo")
    page.goto("/grid/reports/new")  # the first visit: the service worker installs and keeps the pages
    _taken_over(page, traffic, "/grid/publicity/new", "/grid/collections/new", "/static/grid.js", "/static/photos.js")
    assert len(dropped) == 2

    signal = Signal(chromium, page)
    signal.set(OFFLINE)
    failed = []
    page.context.on("requestfailed", lambda r: failed.append(r.url) if r.service_worker else None)
    answer = page.goto("/grid/publicity/new")  # no signal: the page comes from the phone
    assert answer.status == 200 and answer.from_service_worker
    assert any(url.endswith("/grid/publicity/new") for url in failed)  # the worker did try the network
    expect(page.get_by_role("heading", name="宣防活动", level=1)).to_be_visible()
    assert page.evaluate("fetch('/healthz').then(() => 'online', () => 'offline')") == "offline"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    title = "浏览器测试：无信号时的反诈宣传"
    page.get_by_label("活动名称").fill(title)
    page.get_by_label("活动地点").fill("新下岙村文化礼堂")
    page.get_by_label("受众人数").fill("45")
    page.get_by_label("发放资料（份）").fill("60")
    page.locator('input[type="file"]').set_input_files({"name": "talk.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="提交活动").click()
    expect(page.locator("[data-send-status]")).to_contain_text("已保存在本机")
    expect(page.locator("[data-outbox]")).to_be_visible()
    assert _events_titled(title) == []

    signal.set(ONLINE)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second signal sends nothing more
    expect(page.locator("[data-outbox]")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert _events_titled(title) == [1]
    # Offline, the standard-address search (htmx) cannot reach the server: the typed place is kept as text.
    assert [e for e in traffic.errors if not e.startswith("htmx:")] == []


def test_a_registration_whose_script_did_not_come_is_tried_again_on_the_same_page(chromium, phone, log_in, traffic):
    page = phone
    refused = []

    def refuse_twice(route):  # the signal drops as the phone asks for the worker's script, twice
        if len(refused) < 2:
            refused.append(route.request.url)
            return route.abort("connectionreset")
        return route.continue_()

    page.context.route("**/grid/sw.js", refuse_twice)
    log_in(page, "grid_toutuo")
    page.goto("/grid/reports/new")
    deadline = time.monotonic() + 15
    while len(refused) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert len(refused) == 2
    _taken_over(page, traffic, "/grid/reports/new", "/grid/publicity/new")  # no other page opened meanwhile
    assert [e for e in traffic.errors if "fetching the script" not in e] == []  # Chromium's word on each refusal


def _collections_noting(text: str) -> list[str]:
    with unit_of_work() as db:
        return [c.address.code for c in db.scalars(select(Collection)) if c.data.get("hazard") == text]


def test_collections_kept_offline_are_sent_in_order_and_a_refused_one_stays_on_the_phone(chromium, phone, log_in,
                                                                                       traffic):
    page = phone
    log_in(page, "grid_toutuo")
    page.goto("/grid/collections/new")
    _taken_over(page, traffic, "/grid/collections/new")
    signal = Signal(chromium, page)
    signal.set(OFFLINE)
    page.reload()  # from the phone
    unsure, sure = "浏览器测试：地址不明的隐患", "浏览器测试：村口配电箱隐患"
    for address, text in (("不知哪里的地方", unsure), ("头陀镇新下岙村3号", sure)):
        page.get_by_label("采集类别").select_option("hazard")
        page.get_by_label("标准地址（必选）").fill(address)
        page.get_by_label("隐患情况").fill(text)
        page.get_by_role("button", name="提交采集").click()
        expect(page.locator("[data-send-status]")).to_contain_text("已保存在本机")
    expect(page.locator("[data-outbox-count]")).to_have_text("(2)")

    signal.set(ONLINE)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator("[data-outbox-refused]")
    expect(refused).to_be_visible()  # the server could not tell the standard address: kept, with its reason
    expect(refused).to_contain_text("请选择标准地址")
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert _collections_noting(sure) == ["331003010101-003"] and _collections_noting(unsure) == []
    refused.get_by_role("button").click()
    expect(refused).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert _collections_noting(sure) == ["331003010101-003"]
    assert [e for e in traffic.errors if not e.startswith("htmx:")] == []
