"""Who may do what in 租安心: the role sets and the route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role, User
from pingan.web.deps import require

# Who registers properties, declares for tenants, ends tenancies and inspects.
OFFICERS = (Role.GRID_WORKER, Role.COMMUNITY_OFFICER, Role.DUTY_OFFICER)
# Who verifies at the door and deregisters.
VERIFIERS = (Role.GRID_WORKER, Role.COMMUNITY_OFFICER)
# Who reads the properties and the figures.
READERS = (*OFFICERS, Role.LEADER)
# Landlords (and their managers and agents) on their portal: their own units only.
KEEPERS = (Role.LANDLORD,)

Officer = require(*OFFICERS)
Verifier = require(*VERIFIERS)
Reader = require(*READERS)
Declarer = require(*OFFICERS, *KEEPERS)
AnyRental = require(*READERS, *KEEPERS)
Keeper = require(*KEEPERS)


def is_keeper(user: User) -> bool:
    return user.role is Role.LANDLORD


def can_verify(user: User) -> bool:
    return user.role is Role.ADMIN or user.role in VERIFIERS


def can_write(user: User) -> bool:
    return user.role is Role.ADMIN or user.role in OFFICERS
