"""Who may do what in 调解室: the role sets and the route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role, User
from pingan.web.deps import require

# Who takes in disputes and records sessions, follow-ups and closes.
WRITERS = (Role.MEDIATOR, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER)
# Who reads disputes: the writers and the read-only leader.
READERS = (*WRITERS, Role.LEADER)

Writer = require(*WRITERS)
Reader = require(*READERS)


def can_write(user: User) -> bool:
    """Whether the user may take steps (the leader reads only): pages show no form that would answer 403."""
    return user.role is Role.ADMIN or user.role in WRITERS
