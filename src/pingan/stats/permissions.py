"""Who reads the dashboard: the leadership and the analysts for the county, station officers for their own
station (every figure is scoped to the reader's jurisdiction), defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role
from pingan.web.deps import require

READERS = (Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER)

Reader = require(*READERS)
