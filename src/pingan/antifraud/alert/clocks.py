"""Alert clocks running out: each breach of an alert's clock (acknowledge, on site, call-back, hold expiry)
escalates to the bureau's anti-fraud centre. The platform scanner ("deadlines.scan") fires each level once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.alert import service as alert_flow
from pingan.antifraud.models import Alert, AlertStatus
from pingan.antifraud.vocabulary import Clock
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import DeadlineClock, EscalationLevel


def _escalate(db: Session, clock: DeadlineClock, level: EscalationLevel) -> None:
    if level is not EscalationLevel.BREACH or clock.owner_type != alerts.OWNER_TYPE:
        return
    alert = db.get(Alert, int(clock.owner_id))
    if alert is None or alert.status is AlertStatus.CLOSED:
        return
    alert_flow.record_escalation(db, alert, clock_kind=clock.kind)


for _kind in Clock:
    deadlines.on_escalation(_kind)(_escalate)
