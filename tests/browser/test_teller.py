"""The teller's main path in headless Chromium: enter a risky counter remittance, see it held with the
caring questions to ask, the branch's list updated and the form ready for the next customer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pingan.antifraud.engine.typology import QUESTIONS
from tests.antifraud.engine.factories import ELDERLY_WOMAN

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

BAD_CHECK_DIGIT = ELDERLY_WOMAN[:-1] + ("0" if ELDERLY_WOMAN[-1] != "0" else "1")


def _fill_risky(page, id_number: str = ELDERLY_WOMAN) -> None:
    page.get_by_label("客户姓名").fill("王阿婆")
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("付款账号").fill("6222 0200 0000 0011")
    page.get_by_label("账户余额（元，选填）").fill("200,000")
    page.get_by_label("转账金额（元）").fill("180000")
    page.get_by_label("用途（客户所述，选填）").fill("公安局说我的账户涉嫌洗钱，要转到安全账户")
    page.get_by_label("收款账号").fill("6217000000009999")
    page.get_by_label("收款账户开户地（选填）").fill("510104")
    for signal in ("通话中", "电话另一端有人指挥", "提前支取定期存款"):
        page.get_by_label(signal, exact=True).check()


def test_teller_screens_a_risky_remittance_and_sees_hold_with_caring_questions(page, log_in, traffic, screenshots):
    log_in(page, "teller_tzb")
    page.locator(".mainnav").get_by_role("link", name="柜面筛查").click()
    expect(page).to_have_url(re.compile(r"/antifraud/counter$"))
    expect(page.get_by_role("heading", name="柜面筛查", level=1)).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("台州银行头陀支行")  # the branch comes from the teller

    # A wrong check digit is refused beside the field, with what was typed kept for correcting.
    _fill_risky(page, BAD_CHECK_DIGIT)
    page.get_by_role("button", name="提交筛查").click()
    expect(page.locator('[data-error-for="customer.id_number"]')).to_have_text("身份证号码校验位错误")
    expect(page.get_by_label("身份证号")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("客户姓名")).to_have_value("王阿婆")
    expect(page.locator("#recent tbody")).to_contain_text("暂无筛查记录")  # nothing was stored

    page.get_by_label("身份证号").fill(ELDERLY_WOMAN)
    page.get_by_role("button", name="提交筛查").click()
    result = page.locator("#counter-result")
    expect(result.locator(".stat-value[data-decision=hold]")).to_have_text("止付")
    expect(result.get_by_role("alert")).to_contain_text("已止付，已通知辖区派出所")
    expect(result.get_by_role("alert")).to_contain_text(re.compile(r"预警编号 #\d+"))
    expect(result.locator("[data-typology]")).to_have_text("冒充公检法")
    # The reasons are listed by weight: the model's and the rules' together.
    expect(result.locator("ol.reasons li", has_text="老年客户在柜面提前支取定期存款并大额转账")).to_have_count(1)
    questions = result.locator(".questions input[type=checkbox]")
    expect(questions).to_have_count(len(QUESTIONS["impersonating_authorities"]))
    expect(result.locator(".questions")).to_contain_text(QUESTIONS["impersonating_authorities"][0])
    questions.first.check()  # a checklist the teller works through with the customer
    expect(questions.first).to_be_checked()

    # The page was updated in place (htmx): the branch's list has the screening, masked; the form is clear.
    expect(page).to_have_url(re.compile(r"/antifraud/counter$"))
    first_row = page.locator("#recent tbody tr").first
    expect(first_row).to_contain_text("止付")
    expect(first_row).to_contain_text("331003********0326")
    expect(page.locator("body")).not_to_contain_text(ELDERLY_WOMAN)
    expect(page.get_by_label("身份证号")).to_have_value("")
    expect(page.get_by_label("通话中", exact=True)).not_to_be_checked()
    page.screenshot(path=screenshots / "antifraud-counter-hold.png", full_page=True)

    # The screening's record opens from the result.
    result.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("筛查详情"))).to_be_visible()
    expect(page.locator(".stat-value[data-decision=hold]")).to_have_text("止付")
    assert not traffic.errors, "\n".join(traffic.errors)
    assert not traffic.failures, traffic.failures
