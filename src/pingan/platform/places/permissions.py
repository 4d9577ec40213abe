"""Who may read and edit standard addresses (roles; the jurisdiction is applied by the repository)."""

from __future__ import annotations

from pingan.platform.users.models import Role

READERS = frozenset({Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER, Role.MEDIATOR,
                     Role.GRID_WORKER, Role.WINDOW_CLERK})
# Those who keep the register of their area: the station, its community officers and grid workers.
EDITORS = frozenset({Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER, Role.GRID_WORKER})
