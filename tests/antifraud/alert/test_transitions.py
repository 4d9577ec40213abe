"""The alert's transition table: every (kind, status, action) is allowed or refused as the table says, and an
allowed step is stamped with its from and to status and its actor."""

from __future__ import annotations

import pytest

from pingan.antifraud.alert import transitions
from pingan.antifraud.models import AlertKind, AlertStatus
from pingan.core.errors import InvalidTransition
from tests.antifraud.factories import alert_step, held_alert


@pytest.mark.parametrize("kind", list(AlertKind))
@pytest.mark.parametrize("status", list(AlertStatus))
@pytest.mark.parametrize("action", transitions.ACTIONS)
def test_every_transition_is_allowed_or_refused_as_the_table_says(db, county, people, kind, status, action):
    alert = held_alert(db, channel="counter" if kind is AlertKind.ON_SITE else "mobile")
    assert alert.kind is kind
    alert.status = status
    rule = transitions.TRANSITIONS.get((kind, status, action))
    outcome = sorted(rule[1])[0] if rule and rule[1] else "not_fraud"
    if rule is None:
        with pytest.raises(InvalidTransition):
            alert_step(db, alert, action, people["analyst"], outcome)
        assert alert.status is status and not alert.steps
        return
    alert_step(db, alert, action, people["analyst"], outcome)
    assert alert.status is rule[0]
    db.flush()
    db.refresh(alert)
    (step,) = alert.steps
    assert (step.action, step.from_status, step.to_status) == (action, status.value, rule[0].value)
    assert step.actor_id == people["analyst"].id and step.at is not None


