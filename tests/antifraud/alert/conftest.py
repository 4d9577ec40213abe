"""Alert fixtures: a user of each role that acts on alerts."""

from __future__ import annotations

import pytest

from pingan.platform.users.models import Role


@pytest.fixture
def people(make_user):
    return {"duty1": make_user(Role.DUTY_OFFICER, unit="331003-01"),
            "duty2": make_user(Role.DUTY_OFFICER, unit="331003-02"),
            "analyst": make_user(Role.ANALYST, unit="331003"), "leader": make_user(Role.LEADER, unit="331003")}
