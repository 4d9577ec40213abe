"""Who may do what in 警银通: the role sets and the route dependencies, defined once for pages and API."""

from __future__ import annotations

from pingan.platform.users.models import Role
from pingan.web.deps import require

# Police who read screenings, intel, rules, models and alerts (admins always may).
POLICE_READERS = (Role.ANALYST, Role.LEADER, Role.DUTY_OFFICER)
# Alerts are read by the police readers only, on the pages and through the API alike; a bank follows its
# holds through the screening status and the progress card.
ALERT_READERS = POLICE_READERS
# Who follows one alert's progress: the police readers and the teller whose branch raised it.
PROGRESS_READERS = (Role.TELLER, *POLICE_READERS)

Teller = require(Role.TELLER)
Analyst = require(Role.ANALYST)
PoliceReader = require(*POLICE_READERS)
ScreeningReader = require(*POLICE_READERS, Role.TELLER)
AlertReader = require(*ALERT_READERS)
Console = require(Role.DUTY_OFFICER, Role.ANALYST, Role.LEADER)
ProgressReader = require(*PROGRESS_READERS)
