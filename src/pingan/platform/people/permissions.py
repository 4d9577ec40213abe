"""Who may open a person's file: police roles that investigate (the jurisdiction is applied per appearance)."""

from __future__ import annotations

from pingan.platform.users.models import Role

FILE_READERS = frozenset({Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER})
