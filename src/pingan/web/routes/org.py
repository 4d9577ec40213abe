"""Organisation pages and API: browse the jurisdiction tree and the banks within scope."""

from __future__ import annotations

from collections import Counter, defaultdict

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select

from pingan.core.schemas import ERROR_RESPONSES
from pingan.platform import access
from pingan.platform.org import service as org_service
from pingan.platform.org.models import BankBranch, OrgUnit, UnitKind
from pingan.web.deps import CurrentUser, DbSession
from pingan.web.templating import render

router = APIRouter()


class UnitOut(BaseModel):
    code: str
    name: str
    kind: UnitKind
    parent: str | None


class BranchOut(BaseModel):
    code: str
    name: str
    bank: str
    station: str


def _visible_tree(db, user) -> dict:
    """The part of the tree the user may see, read in one query: tops, children by parent, counts below each unit."""
    ids = access.visible_unit_ids(db, user)
    visible = None if ids is None else set(ids)
    units = [u for u in db.scalars(select(OrgUnit).order_by(OrgUnit.sort_order, OrgUnit.code))
             if visible is None or u.id in visible]
    by_id = {u.id: u for u in units}
    children: dict[int, list[OrgUnit]] = defaultdict(list)
    below: dict[int, Counter] = defaultdict(Counter)
    for u in units:
        if u.parent_id in by_id:
            children[u.parent_id].append(u)
        parent = by_id.get(u.parent_id)
        while parent is not None:
            below[parent.id][u.kind.value] += 1
            parent = by_id.get(parent.parent_id)
    return {"tops": [u for u in units if u.parent_id not in by_id], "children": children, "below": below,
            "totals": Counter(u.kind.value for u in units)}


@router.get("/org", include_in_schema=False)
def org_page(request: Request, db: DbSession, user: CurrentUser):
    stmt = access.scope(db, select(BankBranch).order_by(BankBranch.code), user,
                        unit_column=BankBranch.station_id, bank_column=BankBranch.bank_id,
                        branch_column=BankBranch.id)
    branches = list(db.scalars(stmt))
    return render(request, "org/tree.html", {
        **_visible_tree(db, user), "branches": branches,
        "branches_at": Counter(b.station_id for b in branches),
    })


@router.get("/api/v1/org/units", tags=["platform"], response_model=list[UnitOut], responses=ERROR_RESPONSES)
def list_units(db: DbSession, user: CurrentUser) -> list[dict]:
    ids = access.visible_unit_ids(db, user)
    units = [u for root in org_service.roots(db) for u in org_service.subtree(db, root)
             if ids is None or u.id in ids]
    return [{"code": u.code, "name": u.name, "kind": u.kind.value,
             "parent": u.parent.code if u.parent else None} for u in units]


@router.get("/api/v1/org/branches", tags=["platform"], response_model=list[BranchOut],
            responses=ERROR_RESPONSES)
def list_branches(db: DbSession, user: CurrentUser) -> list[dict]:
    stmt = access.scope(db, select(BankBranch).order_by(BankBranch.code), user,
                        unit_column=BankBranch.station_id, bank_column=BankBranch.bank_id,
                        branch_column=BankBranch.id)
    return [{"code": b.code, "name": b.name, "bank": b.bank.code, "station": b.station.code}
            for b in db.scalars(stmt)]
