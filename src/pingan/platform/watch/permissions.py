"""Who may keep watch lists and read hits: the owner role of each list (checked per list and hit)."""

from __future__ import annotations

from pingan.platform.users.models import Role

# Roles that can own a list or be told of a hit; which hits a user sees is decided by the hit's owner.
OWNER_ROLES = frozenset({Role.ANALYST, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER, Role.LEADER})
