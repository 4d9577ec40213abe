"""The duty console in headless Chromium: a hold made through the bank API appears live on the right station's
console (not on another's) with its cue, and the duty officer carries it to an outcome the bank then reads."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from playwright.sync_api import expect

from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.platform.auth import service as auth
from tests.antifraud.engine.factories import body
from tests.antifraud.factories import RISKY

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def _bank_key() -> str:
    with unit_of_work() as db:
        _, key = auth.create_api_key(db, user=auth.bank_system_user(db, "HYRCB"), name="console test")
    return key


def _open_console(page, log_in, username: str) -> None:
    log_in(page, username)
    page.locator(".mainnav").get_by_role("link", name="值班台").click()
    expect(page).to_have_url(re.compile(r"/antifraud/console$"))
    expect(page.locator("#live-status")).to_have_attribute("data-live", "on")  # the live feed is connected


def test_a_hold_appears_live_on_the_station_console_and_is_carried_to_an_outcome(
        chromium, page, live_server, log_in, traffic, screenshots):
    other = chromium.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    _open_console(other, log_in, "duty_jiangkou")
    _open_console(page, log_in, "duty_toutuo")
    page.get_by_role("button", name="开启提示音").click()

    # 农商银行头陀支行 lies in 头陀派出所's area (and leaves the TZB teller's branch list to the teller test).
    key = _bank_key()
    # A customer of this test's own: once dissuaded, a customer stays protected and is warned at every transfer.
    customer = {**RISKY["customer"], "id_number": make_resident_id("331003", dt.date(1951, 4, 4), 31, "F")}
    hold = body(**{**RISKY, "request_id": "console-1", "bank_code": "HYRCB", "branch_code": "HYRCB-01",
                   "customer": customer})
    answer = httpx.post(f"{live_server}/api/v1/antifraud/screenings", json=hold,
                        headers={"Authorization": f"Bearer {key}"}, timeout=10).json()
    assert answer["decision"] == "hold"
    card = page.locator(f"#alert-{answer['alert_id']}")
    expect(card).to_be_visible()  # pushed by the live feed, no reload
    expect(card).to_have_class(re.compile(r"\bflash\b"))
    expect(page.locator("body")).to_have_attribute("data-last-beep", re.compile(r"\d+"))
    expect(card.locator("[data-role=amount]")).to_have_text("¥180,000.00")
    expect(card.locator("[data-role=typology]")).to_have_text("冒充公检法")
    expect(card.locator("[data-role=customer]")).to_contain_text("王*")  # masked
    expect(card.locator("[data-role=payee]")).to_contain_text("****")
    expect(card.locator("ol.reasons li").first).to_be_visible()
    page.screenshot(path=screenshots / "antifraud-console-new-alert.png", full_page=True)
    expect(other.locator(f"#alert-{answer['alert_id']}")).to_have_count(0)  # another station's console

    card.get_by_role("button", name="签收").click()
    expect(card.locator("[data-role=status]")).to_have_text("已签收")
    card = page.locator(f"#alert-{answer['alert_id']}")
    card.get_by_label("出警民警").fill("张警官")
    card.get_by_role("button", name="出警").click()
    expect(card.locator("[data-role=status]")).to_have_text("已出警")
    card.get_by_role("button", name="到场").click()
    expect(card.locator("[data-role=status]")).to_have_text("已到场")
    card.get_by_label("处置结果").select_option(label="劝阻成功")
    card.get_by_label("处置情况").fill("民警到场劝阻，客户已醒悟")
    card.get_by_role("button", name="办结").click()
    expect(card.locator("[data-role=status]")).to_have_text("已办结")
    expect(card.locator("[data-instruction]")).to_have_text("取消交易")

    status = httpx.get(f"{live_server}/api/v1/antifraud/screenings/{answer['screening_id']}",
                       headers={"Authorization": f"Bearer {key}"}, timeout=10).json()
    assert (status["outcome"], status["instruction"]) == ("dissuaded", "cancel")
    other.context.close()
    assert not traffic.errors, "\n".join(traffic.errors)
    assert not traffic.failures, traffic.failures
