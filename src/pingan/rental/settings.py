"""Rental settings (prefix ``PINGAN_RENTAL_``): the reporting clocks, inspections and overcrowding."""

from __future__ import annotations

import functools

from pydantic_settings import BaseSettings, SettingsConfigDict


class RentalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_RENTAL_", env_file=".env", extra="ignore")

    # The landlord reports a tenant within 3 working days of letting and of the lease ending (流动人口居住登记
    # 条例 arts. 9-12): due at the end of the third working day after the move-in or move-out date.
    report_working_days: int = 3
    # The reminder: this many working hours before the report is due (one working day of 9 hours).
    report_warn_working_hours: float = 9
    # A report not made in time goes to the grid worker's to-do for one working day, then the community officer's.
    chase_working_hours: float = 9
    audit_working_hours: float = 9
    # A hazard found at an inspection is rectified within this many days, then re-inspected.
    rectify_days: int = 7
    # An inspection older than this no longer vouches for the unit (the colour turns yellow).
    inspection_valid_days: int = 365
    # Overcrowding: floor area per person below this (m², a common local rule for group rentals).
    min_area_per_person: float = 5.0
    # A residence permit once registered residence has lasted this many months (居住证暂行条例).
    permit_months: int = 6
    # Declarations through one code, and from one client, within the window (the public page's abuse guard).
    declarations_per_code: int = 10
    declarations_per_client: int = 5
    declaration_window_minutes: float = 60
    # The optional photo of the ID card on the public declaration: JPEG or PNG (checked by content), at most this
    # many bytes. Keep it below PINGAN_MAX_BODY_BYTES (1 MiB), the body limit of every route; the page shrinks a
    # larger camera picture in the browser before it is sent.
    id_photo_max_bytes: int = 900 * 1024
    # Days the photo is kept after the tenancy is deregistered (or the declaration rejected at the door).
    id_photo_retention_days: int = 30
    # Watch lists whose hits on tenants and keepers stay with the list's owner; every other watch list's hit
    # goes to the grid's community officer and its station's duty officers as well (comma-separated codes).
    owner_only_lists: str = "antifraud.intel"
    # The public address printed on plates (the QR code opens {public_url}/r/{token}).
    public_url: str = "http://127.0.0.1:8000"


    @property
    def owner_only_list_codes(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.owner_only_lists.split(",") if c.strip())


@functools.cache
def get_rental_settings() -> RentalSettings:
    return RentalSettings()
