"""Seized goods: quantity, unit and value; an append-only custody chain, each movement signed by both sides;
a movement out of order is 409 and writes nothing; no movement is ever edited or deleted; an overdue loan is
flagged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pingan.cases.models import CustodyMovement
from pingan.core import clock
from pingan.core.errors import Conflict
from tests.cases.factories import case_body, movement, seizure_body

URL = "/api/v1/cases"


def _loan(due: str) -> dict:
    return movement("lent", "保管员陈", "王警官", reason="送检", approver="副所长", due_back_at=due)


def _seized(clients, **body):
    case = clients.duty.post(URL, json=case_body(category="counterfeit", title="制售假兽药案")).json()
    item = clients.duty.post(f"{URL}/{case['id']}/seizures", json=seizure_body(**body))
    assert item.status_code == 201, item.text
    return case, item.json()


def test_the_chain_seized_custodian_lent_returned_disposed(db, cs, clients):
    _, item = _seized(clients)
    assert (Decimal(item["quantity"]), item["unit"], item["status"]) == (1800, "box", "seized")
    assert [d["kind"] for d in item["deadlines"]] == ["cases.item.handed_over"]
    path = f"{URL}/seizures/{item['id']}/custody"
    api = clients.duty
    assert api.post(path, json=movement("handed_over", "李警官", "保管员陈")).json()["status"] == "in_custody"
    due = (clock.now() + dt.timedelta(days=1)).isoformat()
    lent = api.post(path, json=_loan(due))
    assert lent.json()["status"] == "lent" and lent.json()["overdue"] is False
    assert api.post(path, json=movement("returned", "王警官", "保管员陈")).json()["status"] == "in_custody"
    done = api.post(path, json=movement("disposed", "保管员陈", "环保处置公司", disposal="destroyed")).json()
    assert done["status"] == "disposed"
    assert [m["kind"] for m in done["movements"]] == ["seized", "handed_over", "lent", "returned", "disposed"]
    assert [m["seq"] for m in done["movements"]] == [1, 2, 3, 4, 5]
    assert {d["status"] for d in done["deadlines"]} == {"met"}


def test_out_of_order_is_409_and_writes_nothing(db, cs, clients):
    _, item = _seized(clients)
    path = f"{URL}/seizures/{item['id']}/custody"
    for kind in ("lent", "returned", "disposed"):
        body = movement(kind, "a", "b", reason="送检", approver="副所长", disposal="destroyed",
                        due_back_at=(clock.now() + dt.timedelta(days=1)).isoformat())
        refused = clients.duty.post(path, json=body)
        assert refused.status_code == 409, (kind, refused.text)
    again = clients.duty.get(f"{URL}/seizures/{item['id']}").json()
    assert again["status"] == "seized" and len(again["movements"]) == 1


def test_a_movement_is_signed_by_both_sides_and_a_loan_says_who_why_approver_due(db, cs, clients):
    _, item = _seized(clients)
    path = f"{URL}/seizures/{item['id']}/custody"
    unsigned = {**movement("handed_over", "李警官", "保管员陈"), "to_signed": "别人"}
    assert clients.duty.post(path, json=unsigned).status_code == 422
    clients.duty.post(path, json=movement("handed_over", "李警官", "保管员陈"))
    assert clients.duty.post(path, json=movement("lent", "保管员陈", "王警官")).status_code == 422
    assert clients.duty.post(f"{URL}/{item['case_id']}/seizures", json=seizure_body(quantity="-3")).status_code == 422
    assert clients.duty.post(f"{URL}/{item['case_id']}/seizures", json=seizure_body(unit="barrel")).status_code == 422
    assert clients.other.get(f"{URL}/seizures/{item['id']}").status_code == 404
    assert clients.other.post(path, json=movement("lent", "a", "b")).status_code in (404, 422)


def test_an_overdue_loan_is_flagged(db, cs, clients):
    _, item = _seized(clients)
    path = f"{URL}/seizures/{item['id']}/custody"
    clients.duty.post(path, json=movement("handed_over", "李警官", "保管员陈"))
    due = (clock.now() + dt.timedelta(hours=2)).isoformat()
    clients.duty.post(path, json=_loan(due))
    clock.shift(dt.timedelta(hours=3))
    assert clients.duty.get(f"{URL}/seizures/{item['id']}").json()["overdue"] is True


def test_movements_are_never_edited_or_deleted(db, cs, clients):
    _, item = _seized(clients)
    stored = db.scalar(select(CustodyMovement).where(CustodyMovement.item_id == item["id"]))
    stored.to_name = "改过的名字"
    with pytest.raises(Conflict):
        db.flush()
    db.rollback()
    stored = db.scalar(select(CustodyMovement).where(CustodyMovement.item_id == item["id"]))
    db.delete(stored)
    with pytest.raises(Conflict):
        db.flush()
    db.rollback()
    assert db.scalar(select(func.count()).select_from(CustodyMovement)) == 1
    assert db.scalar(select(CustodyMovement.to_name)) == "李警官"
    # No API route edits or deletes a movement.
    path = f"{URL}/seizures/{item['id']}/custody"
    assert clients.duty.put(path, json={}).status_code == 405
    assert clients.duty.delete(path).status_code == 405
