"""The platform pages render for every role that can reach them (no browser needed; the browser tests
drive the main path). Scoping is visible on the page: each user sees only their part of the tree."""

from __future__ import annotations

import pytest

from pingan.platform.users.models import Role


@pytest.mark.parametrize(("role", "kwargs", "sees", "not_sees"), [
    (Role.LEADER, {}, ["台州市公安局黄岩分局", "头陀派出所", "江口派出所", "黄岩农商银行头陀支行"], []),
    (Role.DUTY_OFFICER, {"unit": "331003-02"}, ["江口派出所", "江口第1网格", "台州银行江口支行"],
     ["头陀派出所", "台州银行头陀支行"]),
    (Role.COMMUNITY_OFFICER, {"unit": "331003-01-01"}, ["头陀社区", "头陀第1网格"], ["江口社区"]),
    (Role.GRID_WORKER, {"unit": "331003-01-01-01"}, ["头陀第1网格"], ["江口第1网格"]),
    (Role.TELLER, {"branch": "TZB-02"}, ["台州银行江口支行", "您的账号不属于任何辖区单位"], ["台州银行头陀支行"]),
])
def test_org_page_shows_the_users_part_of_the_tree(make_user, client_for, role, kwargs, sees, not_sees):
    page = client_for(make_user(role, **kwargs)).get("/org")
    assert page.status_code == 200
    for text in sees:
        assert text in page.text, text
    for text in not_sees:
        assert text not in page.text, text


def test_audit_page_filters_ignore_empty_fields_and_pager_keeps_them(make_user, client_for):
    client = client_for(make_user(Role.ANALYST))
    page = client.get("/audit", params={"action": "platform.session.started", "actor": "", "entity_type": "",
                                         "since": "", "until": "", "page": 2})
    assert page.status_code == 200
    assert 'href="/audit?action=platform.session.started&amp;page=1"' in page.text
    assert client.get("/audit", params={"since": "2024-13-01"}).status_code == 422


def test_error_page_for_a_signed_in_user_keeps_the_navigation(make_user, client_for):
    client = client_for(make_user(Role.DUTY_OFFICER))
    page = client.get("/audit", params={"since": "yesterday"}, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert 'class="mainnav"' in page.text
    assert "since" in page.text
