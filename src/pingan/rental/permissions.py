"""Who may do what in 租安心: the role sets and the route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role, User
from pingan.rental.models import KeeperRole
from pingan.web.deps import require

# Who registers properties, declares for tenants, ends tenancies and inspects.
OFFICERS = (Role.GRID_WORKER, Role.COMMUNITY_OFFICER, Role.DUTY_OFFICER)
# Who verifies at the door and deregisters.
VERIFIERS = (Role.GRID_WORKER, Role.COMMUNITY_OFFICER)
# Who reads the properties and the figures.
READERS = (*OFFICERS, Role.LEADER)
# Who may see the photo of a tenant's ID card: police officers of the area only (not grid workers).
PHOTO_VIEWERS = (Role.COMMUNITY_OFFICER, Role.DUTY_OFFICER)
# Landlords (and their managers and agents) on their portal: their own units only.
KEEPERS = (Role.LANDLORD,)

# What a keeper's account may do on a property it keeps, while its mandate is in force: the landlord all of it
# and appointing or withdrawing managers and agents; a property manager (物业, 二房东) reports move-ins and
# move-outs; a letting agent (中介) reports the tenants it lets to (move-ins, confirming or disputing a tenant's
# own declaration), not move-outs. None of them checks at the door, deregisters, inspects, handles the unit
# codes, sees an ID card photo or learns of a watch-list hit.
KEEPER_STEPS = {
    KeeperRole.LANDLORD: frozenset({"declare", "end", "confirm", "dispute", "appoint"}),
    KeeperRole.MANAGER: frozenset({"declare", "end", "confirm", "dispute"}),
    KeeperRole.AGENT: frozenset({"declare", "confirm", "dispute"}),
}

Officer = require(*OFFICERS)
Verifier = require(*VERIFIERS)
Reader = require(*READERS)
Declarer = require(*OFFICERS, *KEEPERS)
AnyRental = require(*READERS, *KEEPERS)
Keeper = require(*KEEPERS)
PhotoViewer = require(*PHOTO_VIEWERS)


def is_keeper(user: User) -> bool:
    return user.role is Role.LANDLORD


def can_verify(user: User) -> bool:
    return user.role is Role.ADMIN or user.role in VERIFIERS


def can_view_id_photo(user: User) -> bool:
    return user.role in PHOTO_VIEWERS


def can_write(user: User) -> bool:
    return user.role is Role.ADMIN or user.role in OFFICERS
