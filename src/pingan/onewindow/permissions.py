"""Who may do what in 一窗通办: the role sets and route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role, User
from pingan.web.deps import require

# Who takes applications, moves items and calls tickets.
WRITERS = (Role.WINDOW_CLERK, Role.DUTY_OFFICER)
# Who reads applications and figures: the writers and the read-only leader.
READERS = (*WRITERS, Role.LEADER)

Writer = require(*WRITERS)
Reader = require(*READERS)


def can_write(user: User) -> bool:
    """Whether the user may take steps: pages show no form that would answer 403."""
    return user.role is Role.ADMIN or user.role in WRITERS


# Who reviews an appeal against a rating (申诉复核): the branch leadership, not the unit that appealed.
REVIEWERS = (Role.LEADER,)
Reviewer = require(*REVIEWERS)


def can_review(user: User) -> bool:
    """Whether the user may uphold or dismiss an appeal: pages show the review form to reviewers only."""
    return user.role is Role.ADMIN or user.role in REVIEWERS


# A partner bureau's clerk: only the partner endpoints, which also check the desk (its bureau's items only).
Partner = require(Role.PARTNER_CLERK)
