"""Who may do what in 警网融合: the role sets and the route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role, User
from pingan.web.deps import require

# Who reports from the grid: grid workers, and the community officer on a walk through the grid.
REPORTERS = (Role.GRID_WORKER, Role.COMMUNITY_OFFICER)
# Who takes a report on (accept, handle, hand over, feed back, close) and keeps the grid force.
OFFICERS = (Role.COMMUNITY_OFFICER, Role.DUTY_OFFICER)
# Who hands a non-police 110 call to the grid: the station's duty officer (and, later, the cases module).
DISPATCHERS = (Role.DUTY_OFFICER,)
# Who works a handed call: the grid worker of its grid and the community officer.
CALL_WORKERS = (Role.GRID_WORKER, Role.COMMUNITY_OFFICER)
READERS = (*dict.fromkeys((*REPORTERS, *OFFICERS, *DISPATCHERS, *CALL_WORKERS)), Role.LEADER)

Reporter = require(*REPORTERS)
Officer = require(*OFFICERS)
Dispatcher = require(*DISPATCHERS)
CallWorker = require(*CALL_WORKERS)
Reader = require(*READERS)


def _has(user: User, roles: tuple[Role, ...]) -> bool:
    return user.role is Role.ADMIN or user.role in roles


def can_report(user: User) -> bool:
    """Pages show no form that would answer 403."""
    return _has(user, REPORTERS)


def can_handle(user: User) -> bool:
    return _has(user, OFFICERS)


def can_work_calls(user: User) -> bool:
    return _has(user, CALL_WORKERS)


def can_dispatch(user: User) -> bool:
    return _has(user, DISPATCHERS)
