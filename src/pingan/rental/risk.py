"""A unit's occupancy and a property's risk colour, from its tenancies and its last inspection (pure: the
pages, the plate, the API and the figures all read them from here)."""

from __future__ import annotations

import datetime as dt

from pingan.core import clock
from pingan.rental.models import Hazard, Inspection, Property, RentalUnit, RiskColour
from pingan.rental.settings import get_rental_settings
from pingan.rental.transitions import LIVING


def occupants(unit: RentalUnit) -> int:
    return sum(1 for t in unit.tenancies if t.status in LIVING)


def overcrowded(unit: RentalUnit) -> list[str]:
    """The overcrowding flags of a unit: ``beds`` (more tenants than beds), ``area`` (area per person below
    the setting)."""
    n = occupants(unit)
    flags = []
    if n > unit.beds:
        flags.append("beds")
    if n and unit.area / n < get_rental_settings().min_area_per_person:
        flags.append("area")
    return flags


def colour(prop: Property, open_hazards: list[Hazard], today: dt.date) -> RiskColour:
    """Red: a hazard past its deadline, or open hazards in an overcrowded property. Yellow: open hazards,
    overcrowding, or no inspection within the validity. Green otherwise."""
    crowded = any(overcrowded(u) for u in prop.units)
    if any(h.due_on < today for h in open_hazards) or (open_hazards and crowded):
        return RiskColour.RED
    last: Inspection | None = prop.inspections[-1] if prop.inspections else None
    stale = last is None or (today - clock.local(last.at).date()).days > get_rental_settings().inspection_valid_days
    if open_hazards or crowded or stale:
        return RiskColour.YELLOW
    return RiskColour.GREEN


def inspection_status(prop: Property, open_hazards: list[Hazard]) -> str:
    """What the plate says: 未检查 / 存在隐患 / 检查合格, with the last inspection's date."""
    if not prop.inspections:
        return "未检查"
    day = clock.local(prop.inspections[-1].at).date().isoformat()
    return f"存在隐患待整改（{day}检查）" if open_hazards else f"检查合格（{day}）"
