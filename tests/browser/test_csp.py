"""Every page a user can reach from the navigation works under the Content-Security-Policy: no violation,
no script error, htmx and the live console running."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
    assert not traffic.errors, traffic.errors


def test_the_console_goes_live_under_the_csp(page, log_in, traffic):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/login")
    log_in(page, "duty_toutuo")
    page.goto("/antifraud/console")
    expect(page.locator("#live-status")).to_have_attribute("data-live", "on")
    assert page.evaluate("window.__csp") == []
    assert not traffic.errors, traffic.errors
