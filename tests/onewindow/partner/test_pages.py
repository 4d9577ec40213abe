"""The partner desk's page: the clerk of a bureau lands on it, sees only their bureau's items (masked), moves one
through the steps its status offers, and a refused step names its reason and changes nothing; police users and
administrators have no such page in their side bar."""

from __future__ import annotations

from pingan.onewindow.models import ItemStatus
from pingan.onewindow.partner import service as partners
from pingan.platform.users.models import Role
from pingan.web import nav
from tests.factories import PASSWORD
from tests.onewindow.factories import CHEN


def test_the_partner_clerk_works_their_bureaus_items_on_their_page(db, ow, client_for):
    clerk, _ = partners.add(db, username="rsj_desk", display_name="人社联办", bureau_code="rsj", password=PASSWORD)
    partners.add(db, username="mzj_desk", display_name="民政联办", bureau_code="mzj", password=PASSWORD)
    application = ow.apply(items=["passport", "social_security_card_replacement"])
    passport, card = application.items
    web = client_for(clerk)
    landing = web.get("/", follow_redirects=False)
    assert landing.headers["location"] == "/onewindow/partner"
    desk = web.get("/onewindow/partner")
    assert desk.status_code == 200
    assert f'data-partner-item="{card.id}"' in desk.text and f'data-partner-item="{passport.id}"' not in desk.text
    assert CHEN not in desk.text and CHEN[:6] in desk.text
    assert f'action="/onewindow/partner/items/{card.id}/start"' in desk.text
    assert f'action="/onewindow/partner/items/{card.id}/ready"' not in desk.text

    refused = web.post(f"/onewindow/partner/items/{card.id}/ready", data={"csrf_token": web.headers["X-CSRF-Token"]})
    assert refused.status_code == 409 and "data-refusal" in refused.text
    db.refresh(card)
    assert card.status is ItemStatus.ACCEPTED
    moved = web.post(f"/onewindow/partner/items/{card.id}/start", data={"csrf_token": web.headers["X-CSRF-Token"]},
                     follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/onewindow/partner"
    db.refresh(card)
    assert card.status is ItemStatus.IN_PROGRESS
    assert web.post(f"/onewindow/partner/items/{passport.id}/start",
                    data={"csrf_token": web.headers["X-CSRF-Token"]}).status_code == 404
    in_progress = web.get("/onewindow/partner", params={"status": "in_progress"}).text
    assert f'action="/onewindow/partner/items/{card.id}/ready"' in in_progress


def test_only_partner_clerks_have_the_desk_page(db, ow, client_for, make_user):
    admin = make_user(Role.ADMIN)
    for user in (ow.clerk, admin):
        assert "/onewindow/partner" not in {e.href for e in nav.entries_for(user)}
    assert client_for(ow.clerk).get("/onewindow/partner").status_code == 403
