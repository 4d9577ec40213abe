"""Every page a user can reach from the navigation works under the Content-Security-Policy: no violation,
no script error, htmx and the live console running, and a form that asks before it is sent still asks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Recorded in the page itself: Chromium reports a violation as an event before anything else sees it.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.mark.parametrize("username", ["admin", "duty_toutuo", "teller_tzb", "mediator_ningxi", "leader"])
def test_every_page_in_the_navigation_runs_under_the_csp(page, log_in, traffic, username):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/login")
    log_in(page, username)
    links = page.locator(".mainnav a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert links
    for href in ["/", *links]:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
        assert "'nonce-" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert page.evaluate("typeof htmx") == "object", href
        assert page.evaluate("window.__csp") == [], href
    assert not traffic.errors, "\n".join(traffic.errors)


def test_the_console_goes_live_under_the_csp(page, log_in, traffic):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/login")
    log_in(page, "duty_toutuo")
    page.goto("/antifraud/console")
    expect(page.locator("#live-status")).to_have_attribute("data-live", "on")
    assert page.evaluate("window.__csp") == []
    assert not traffic.errors, "\n".join(traffic.errors)


def test_a_confirming_form_asks_first_and_is_not_sent_when_declined(page, log_in):
    page.goto("/login")
    log_in(page, "analyst")
    page.goto("/antifraud/intel")
    listing = page.locator("form[method=post][action='/antifraud/intel']")
    listing.locator("select[name=kind]").select_option("phone")
    listing.locator("input[name=value]").fill("13900000008")
    listing.locator("input[name=source]").fill("确认测试")
    listing.locator("input[name=listed_on]").fill("2026-01-05")
    listing.locator("button[type=submit]").click()
    page.wait_for_url("**notice=listed**")
    row = page.locator("tr", has_text="确认测试")
    row.locator("summary").click()
    form = row.locator("form[data-confirm]")
    form.locator("input[name=reason]").fill("确认测试")
    asked, posted = [], []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    form.locator("button[type=submit]").click()
    page.evaluate("1")  # a round trip through the page: a submission would have started by now
    assert asked == ["确认将该条目移出名单？"]
    assert posted == [] and "notice=listed" in page.url
    expect(row.get_by_text("有效")).to_be_visible()
