"""Who may do what in 打击: the role sets and the route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role, User
from pingan.web.deps import require

# Who records calls, registers cases and takes their steps.
WRITERS = (Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER)
# Who takes fraud reports: the writers and the anti-fraud centre's analysts.
FRAUD_WRITERS = (*WRITERS, Role.ANALYST)
# Who reads cases and figures: the writers, the analysts and the read-only leader.
READERS = (*FRAUD_WRITERS, Role.LEADER)
# Bank systems answer stop-payment and freeze requests for their own bank's accounts.
BANKS = (Role.BANK_SYSTEM,)

Writer = require(*WRITERS)
FraudWriter = require(*FRAUD_WRITERS)
Reader = require(*READERS)
Bank = require(*BANKS)


def can_write(user: User) -> bool:
    """Whether the user may take steps (the leader reads only): pages show no form that would answer 403."""
    return user.role is Role.ADMIN or user.role in WRITERS
