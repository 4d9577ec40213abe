"""A partner desk (人社) with its API key sees and moves only the items routed to its bureau: not the police
items of the same application, not another bureau's, not the police endpoints; its reads and steps are
audited and the applicant is masked in its list."""

from __future__ import annotations

from sqlalchemy import select

from pingan.onewindow.partner import service as partners
from pingan.platform.audit.models import AuditEvent
from tests.onewindow.factories import CHEN

API = "/api/v1/onewindow"


def test_a_partner_desk_sees_and_moves_only_its_bureaus_items(db, ow, app):
    from fastapi.testclient import TestClient  # lazy: only this test drives the app with a bare key

    _, key = partners.add(db, username="rsj_desk", display_name="人社联办", bureau_code="rsj", password=None)
    _, other_key = partners.add(db, username="mzj_desk", display_name="民政联办", bureau_code="mzj", password=None)
    application = ow.apply(items=["passport", "social_security_card_replacement"])
    passport, card = application.items
    db.commit()  # a refused request rolls its transaction back: the desks and the application stay
    rsj = TestClient(app, headers={"Authorization": f"Bearer {key}"})
    mzj = TestClient(app, headers={"Authorization": f"Bearer {other_key}"})
    listed = rsj.get(f"{API}/partner/items")
    assert listed.status_code == 200, listed.text
    (row,) = listed.json()
    assert row["id"] == card.id and row["steps"] == ["start", "reject"]
    assert row["applicant_id_number"] != CHEN and row["applicant_id_number"][:6] == CHEN[:6]
    assert mzj.get(f"{API}/partner/items").json() == []
    assert rsj.post(f"{API}/partner/items/{passport.id}/start").status_code == 404
    assert mzj.post(f"{API}/partner/items/{card.id}/start").status_code == 404
    assert rsj.post(f"{API}/partner/items/{card.id}/ready").status_code == 409
    assert rsj.post(f"{API}/partner/items/{card.id}/start").json()["status"] == "in_progress"
    assert rsj.get(f"{API}/applications/{application.id}").status_code == 403
    assert rsj.post(f"{API}/applications/{application.id}/items/{passport.id}/start").status_code == 403
    assert rsj.get(f"{API}/figures").status_code == 403
    actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(
        ("onewindow.partner.viewed", "onewindow.item.started")))))
    assert actions.count("onewindow.partner.viewed") == 2 and actions.count("onewindow.item.started") == 1


def test_the_police_cannot_use_the_partner_desk(db, ow, api_client):
    client = api_client(ow.clerk)
    db.commit()  # a refused request rolls its transaction back: the key stays
    assert client.get(f"{API}/partner/items").status_code == 403
