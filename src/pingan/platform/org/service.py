"""Read the organisation and load it from the YAML organisation file (idempotent, all or nothing)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core.errors import ValidationFailed, not_found
from pingan.platform.audit import service as audit
from pingan.platform.org.loader import BankSpec, OrgFile, UnitSpec
from pingan.platform.org.models import Bank, BankBranch, OrgUnit, UnitKind
from pingan.platform.vocabulary import Action


def get_unit(db: Session, code: str) -> OrgUnit:
    unit = db.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise not_found("unit", "单位")
    return unit


def get_bank(db: Session, code: str) -> Bank:
    bank = db.scalar(select(Bank).where(Bank.code == code))
    if bank is None:
        raise not_found("bank", "银行")
    return bank


def get_branch(db: Session, code: str) -> BankBranch:
    branch = db.scalar(select(BankBranch).where(BankBranch.code == code))
    if branch is None:
        raise not_found("branch", "银行网点")
    return branch


def roots(db: Session) -> list[OrgUnit]:
    return list(db.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.sort_order)))


def subtree(db: Session, unit: OrgUnit) -> list[OrgUnit]:
    return list(db.scalars(select(OrgUnit).where(OrgUnit.path.startswith(unit.path)).order_by(OrgUnit.path)))


def station_of(db: Session, unit: OrgUnit) -> OrgUnit | None:
    """The station a unit belongs to (itself if it is one)."""
    codes = unit.path.strip("/").split("/")
    for code in reversed(codes):
        candidate = get_unit(db, code)
        if candidate.kind is UnitKind.STATION:
            return candidate
    return None


def apply_org_file(db: Session, spec: OrgFile, *, actor=None) -> dict[str, int]:
    """Create or update units, banks and branches by code; returns counts of what changed."""
    changes = {"units_created": 0, "units_updated": 0, "banks_created": 0, "banks_updated": 0,
               "branches_created": 0, "branches_updated": 0}
    units = {u.code: u for u in db.scalars(select(OrgUnit))}

    def upsert_unit(node: UnitSpec, parent: OrgUnit | None, order: int) -> None:
        path = (parent.path if parent else "") + node.code + "/"
        unit = units.get(node.code)
        values = {"name": node.name, "kind": node.kind, "parent_id": parent.id if parent else None,
                  "path": path, "sort_order": order}
        if unit is None:
            unit = OrgUnit(code=node.code, **values)
            db.add(unit)
            db.flush()
            units[node.code] = unit
            changes["units_created"] += 1
        elif _update(unit, values):
            changes["units_updated"] += 1
        for i, child in enumerate(node.children):
            upsert_unit(child, unit, i)

    for i, root in enumerate(spec.units):
        upsert_unit(root, None, i)

    banks_by_code = {b.code: b for b in db.scalars(select(Bank))}
    branches = {b.code: b for b in db.scalars(select(BankBranch))}
    for bank_spec in spec.banks:
        _upsert_bank(db, bank_spec, banks_by_code, branches, units, changes)
    db.flush()
    if any(changes.values()):
        audit.record(db, actor=actor, action=Action.ORG_LOADED, entity_type="org", data=changes)
    return changes


def _upsert_bank(db, spec: BankSpec, banks_by_code, branches, units, changes) -> None:
    bank = banks_by_code.get(spec.code)
    if bank is None:
        bank = Bank(code=spec.code, name=spec.name)
        db.add(bank)
        db.flush()
        banks_by_code[spec.code] = bank
        changes["banks_created"] += 1
    elif _update(bank, {"name": spec.name}):
        changes["banks_updated"] += 1
    for br in spec.branches:
        station = units.get(br.station)
        if station is None or station.kind is not UnitKind.STATION:
            raise ValidationFailed("org.station", f"网点 {br.code} 所属派出所 {br.station} 不存在 / "
                                   f"branch {br.code}: station {br.station} not found")
        values = {"name": br.name, "bank_id": bank.id, "station_id": station.id}
        branch = branches.get(br.code)
        if branch is None:
            db.add(BankBranch(code=br.code, **values))
            changes["branches_created"] += 1
        elif _update(branch, values):
            changes["branches_updated"] += 1


def _update(obj, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed
