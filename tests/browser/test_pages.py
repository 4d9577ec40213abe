"""Log-in and navigation through the real pages in headless Chromium: the main path an officer takes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_log_in_browse_switch_language_and_log_out(page, log_in, traffic):
    log_in(page, "duty_toutuo")
    expect(page).to_have_url(re.compile(r"/antifraud/console$"))  # a duty officer's landing page
    expect(page.locator(".topbar .who-name")).to_have_text("头陀所值班 李警官")
    expect(page.get_by_role("heading", name="值班台", level=1)).to_be_visible()
    expect(page.locator(".mainnav a.active")).to_have_text("值班台")
    page.locator(".mainnav").get_by_role("link", name="待办").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()

    page.locator(".mainnav").get_by_role("link", name="组织机构").click()
    expect(page).to_have_url(re.compile(r"/org$"))
    expect(page.get_by_role("heading", name="组织机构", level=1)).to_be_visible()
    expect(page.locator(".mainnav a[aria-current=page]")).to_have_text("组织机构")
    station = page.locator("details.station", has_text="头陀派出所")
    expect(station).to_have_count(1)
    expect(station).to_have_attribute("open", "")  # the only station of a station officer is open
    expect(station.get_by_text("头陀社区")).to_be_visible()
    # A station officer sees only their own station, and only the bank branches inside it.
    expect(page.locator("details.station")).to_have_count(1)
    expect(page.get_by_text("江口派出所")).to_have_count(0)
    expect(page.locator("table.branches")).to_contain_text("台州银行头陀支行")
    expect(page.locator("table.branches")).not_to_contain_text("江口支行")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/org$"))  # back on the page the switch was clicked on
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Organisation", level=1)).to_be_visible()
    nav = page.locator(".mainnav")
    expect(nav.get_by_role("link", name="To-do")).to_be_visible()
    expect(nav.get_by_role("link", name="Duty console")).to_be_visible()
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()
    expect(nav.get_by_role("heading", name="Anti-fraud")).to_be_visible()
    expect(page.locator(".who-role")).to_have_text("Station duty officer")
    expect(page.locator("details.station .badge.kind-station")).to_have_text("Station")
    # Everything but names of people and places is English.
    chrome = page.locator(".mainnav").inner_text() + page.locator(".page-head h1").inner_text()
    assert not CJK.search(chrome), chrome

    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="组织机构", level=1)).to_be_visible()

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.goto("/")  # the session really ended
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    assert not traffic.errors, "\n".join(traffic.errors)
    assert not traffic.failures, traffic.failures


def test_wrong_password_shows_chinese_error_and_stays_on_login(page, log_in):
    log_in(page, "duty_jiangkou", "not-the-password")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
    expect(page.get_by_label("用户名")).to_have_value("duty_jiangkou")
    expect(page.locator(".mainnav")).to_have_count(0)


def test_audit_page_lists_log_ins_and_keeps_filters_when_paging(page, log_in):
    log_in(page, "analyst")
    page.locator(".mainnav").get_by_role("link", name="审计日志").click()
    expect(page).to_have_url(re.compile(r"/audit$"))
    rows = page.locator("table.audit tbody tr")
    login_row = page.locator('table.audit tbody tr[data-action="platform.session.started"]')
    expect(login_row.filter(has_text="反诈中心 王研判").first).to_be_visible()
    expect(login_row.first.locator(".action-label")).to_have_text("登录")  # a label, not the raw code
    expect(login_row.first).to_contain_text("用户 #")
    page.goto("/audit?action=mediation.dispute.created")
    intake = page.locator('table.audit tbody tr[data-action="mediation.dispute.created"]').first
    expect(intake).to_contain_text("受理纠纷")
    expect(intake.locator(".note")).to_contain_text(re.compile(r"来源 (来访|110警情|网格上报)"))
    expect(page.locator("table.audit")).not_to_contain_text("source=")
    page.goto("/audit")

    page.get_by_label("操作", exact=True).fill("platform.session.started")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"/audit\?action=platform\.session\.started"))
    expect(page.get_by_label("操作", exact=True)).to_have_value("platform.session.started")
    actions = page.locator("table.audit tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert actions and set(actions) == {"platform.session.started"}, actions

    # Pager links carry the filters (the demo has fewer than a page of log-ins, so ask for page 2 directly).
    page.goto("/audit?action=platform.session.started&actor=%E7%8E%8B&page=2")
    prev = page.get_by_role("link", name=re.compile("上一页"))
    href = prev.get_attribute("href")
    assert href is not None and "action=platform.session.started" in href
    assert "actor=%E7%8E%8B" in href and "page=1" in href
    prev.click()
    expect(page.get_by_label("操作人")).to_have_value("王")
    expect(rows.first).to_contain_text("反诈中心 王研判")


def test_org_tree_filters_and_expands(page, log_in):
    log_in(page, "leader")
    page.goto("/org")
    stations = page.locator("details.station")
    expect(stations).to_have_count(10)  # the whole county, every station closed at first
    expect(page.locator("details.station[open]")).to_have_count(0)

    page.get_by_role("button", name="全部展开").click()
    expect(page.locator("details.station[open]")).to_have_count(10)
    page.get_by_role("button", name="全部收起").click()
    expect(page.locator("details.station[open]")).to_have_count(0)

    page.get_by_placeholder("按名称或代码筛选").fill("断江")  # a community of 头陀
    visible = page.locator("details.station:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("头陀派出所")
    expect(visible).to_have_attribute("open", "")
    expect(visible.locator("[data-node=community]:visible")).to_have_count(1)
    expect(visible.locator(".chip.hit")).to_have_count(3)  # 断江第1..3网格

    page.get_by_placeholder("按名称或代码筛选").fill("没有这个单位")
    expect(visible).to_have_count(0)
    expect(page.get_by_text("没有匹配的单位")).to_be_visible()
    page.get_by_placeholder("按名称或代码筛选").fill("")
    expect(page.locator("details.station:visible")).to_have_count(10)

    stations.filter(has_text="江口派出所").locator("summary").click()
    expect(stations.filter(has_text="江口派出所").get_by_text("下洋社区")).to_be_visible()


def test_error_pages_keep_the_frame_and_say_what_went_wrong(page, log_in):
    log_in(page, "duty_toutuo")
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面或记录不存在")).to_be_visible()
    expect(page.locator(".mainnav").get_by_role("link", name="组织机构")).to_be_visible()
    # A request that fails validation (its transaction rolled back) still renders the page for the user.
    response = page.goto("/audit?since=not-a-date")
    assert response is not None and response.status == 422
    expect(page.get_by_role("heading", name="提交的内容不合法")).to_be_visible()
    expect(page.locator("table.data")).to_contain_text("since")
    expect(page.locator(".topbar .who-name")).to_have_text("头陀所值班 李警官")
    # A role without access to the audit trail is told so, in the page's language.
    page.get_by_role("button", name="退出").click()
    log_in(page, "grid_toutuo")
    response = page.goto("/audit")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_have_text("您的角色无权执行此操作")
    expect(page.locator(".mainnav").get_by_role("link", name="审计日志")).to_have_count(0)


def test_pages_ask_nothing_from_outside_the_server(page, log_in, traffic, live_server):
    page.goto("/login")
    log_in(page, "admin")
    for path in ("/", "/org", "/audit", "/no-such-page", "/lang/en", "/org", "/audit", "/lang/zh"):
        page.goto(path)
        page.wait_for_load_state("load")
    assert page.evaluate("typeof htmx") == "object"  # the vendored htmx loaded
    echarts = page.request.get("/vendor/echarts/dist/echarts.min.js")
    assert echarts.ok, echarts.status
    assert traffic.hosts == {"127.0.0.1"}, traffic.hosts
    assert not traffic.failures, traffic.failures
    assert not traffic.errors, "\n".join(traffic.errors)


def test_screenshots_of_the_main_pages(page, log_in, screenshots):
    page.goto("/login")
    page.screenshot(path=screenshots / "login.png", full_page=True)
    log_in(page, "admin", "wrong-password")
    page.screenshot(path=screenshots / "login-error.png", full_page=True)
    log_in(page, "leader")
    page.screenshot(path=screenshots / "home.png", full_page=True)
    page.goto("/org")
    page.locator("details.station").first.locator("summary").click()
    page.screenshot(path=screenshots / "org.png", full_page=True)
    page.goto("/audit")
    page.screenshot(path=screenshots / "audit.png", full_page=True)
    page.get_by_role("button", name="退出").click()
    log_in(page, "duty_toutuo")
    page.goto("/org")
    page.screenshot(path=screenshots / "org-station.png", full_page=True)
    page.goto("/org/nothing-here")
    page.screenshot(path=screenshots / "error.png", full_page=True)
    page.goto("/lang/en")
    page.goto("/org")
    page.screenshot(path=screenshots / "org-en.png", full_page=True)
    for name in ("login", "home", "org", "audit", "org-station", "error", "org-en"):
        assert (screenshots / f"{name}.png").stat().st_size > 10_000
