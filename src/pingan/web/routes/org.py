"""Organisation pages and API: browse the jurisdiction tree and the banks within scope."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select

from pingan.platform import access
from pingan.platform.org import service as org_service
from pingan.platform.org.models import BankBranch
from pingan.web.deps import CurrentUser, DbSession
from pingan.web.templating import render

router = APIRouter()


def _visible_tree(db, user):
    ids = access.visible_unit_ids(db, user)
    roots = org_service.roots(db)
    if ids is None:
        return roots, None
    return roots, set(ids)


@router.get("/org", include_in_schema=False)
def org_page(request: Request, db: DbSession, user: CurrentUser):
    roots, visible = _visible_tree(db, user)
    stmt = access.scope(db, select(BankBranch).order_by(BankBranch.code), user,
                        unit_column=BankBranch.station_id, bank_column=BankBranch.bank_id,
                        branch_column=BankBranch.id)
    return render(request, "org/tree.html", {"roots": roots, "visible": visible,
                                              "branches": list(db.scalars(stmt))})


@router.get("/api/v1/org/units", tags=["platform"])
def list_units(db: DbSession, user: CurrentUser) -> list[dict]:
    ids = access.visible_unit_ids(db, user)
    units = [u for root in org_service.roots(db) for u in org_service.subtree(db, root)
             if ids is None or u.id in ids]
    return [{"code": u.code, "name": u.name, "kind": u.kind.value,
             "parent": u.parent.code if u.parent else None} for u in units]


@router.get("/api/v1/org/branches", tags=["platform"])
def list_branches(db: DbSession, user: CurrentUser) -> list[dict]:
    stmt = access.scope(db, select(BankBranch).order_by(BankBranch.code), user,
                        unit_column=BankBranch.station_id, bank_column=BankBranch.bank_id,
                        branch_column=BankBranch.id)
    return [{"code": b.code, "name": b.name, "bank": b.bank.code, "station": b.station.code}
            for b in db.scalars(stmt)]
