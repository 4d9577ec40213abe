"""The alert's transition table: which step each kind of alert may take in each status, who takes it, and
which outcomes a close may give."""

from __future__ import annotations

from pingan.antifraud.models import Alert, AlertKind, AlertOutcome, AlertStatus
from pingan.platform.users.models import Role

ON_SITE, CALLBACK = AlertKind.ON_SITE, AlertKind.CALLBACK
OUTCOMES = (AlertOutcome.DISSUADED, AlertOutcome.NOT_FRAUD, AlertOutcome.INSISTED, AlertOutcome.FRAUD_CONFIRMED,
            AlertOutcome.UNREACHABLE)
CALLBACK_OUTCOMES = (AlertOutcome.DISSUADED, AlertOutcome.NOT_FRAUD, AlertOutcome.INSISTED,
                     AlertOutcome.FRAUD_CONFIRMED, AlertOutcome.NO_ANSWER)
# Before an officer is on site an alert can only end as "not fraud" (the bank or the officer cleared it by
# phone) or "unreachable" (the customer left).
_EARLY = frozenset({AlertOutcome.NOT_FRAUD, AlertOutcome.UNREACHABLE})

# (kind, state, action) → (next state, outcomes a close may give; None for other actions). Anything not
# listed is refused with 409.
TRANSITIONS: dict[tuple[AlertKind, AlertStatus, str], tuple[AlertStatus, frozenset[str] | None]] = {
    (ON_SITE, AlertStatus.NEW, "acknowledge"): (AlertStatus.ACKNOWLEDGED, None),
    (ON_SITE, AlertStatus.ACKNOWLEDGED, "dispatch"): (AlertStatus.DISPATCHED, None),
    (ON_SITE, AlertStatus.DISPATCHED, "arrive"): (AlertStatus.ON_SITE, None),
    (ON_SITE, AlertStatus.ACKNOWLEDGED, "close"): (AlertStatus.CLOSED, _EARLY),
    (ON_SITE, AlertStatus.DISPATCHED, "close"): (AlertStatus.CLOSED, _EARLY),
    (ON_SITE, AlertStatus.ON_SITE, "close"): (AlertStatus.CLOSED, frozenset(OUTCOMES)),
    (CALLBACK, AlertStatus.NEW, "acknowledge"): (AlertStatus.ACKNOWLEDGED, None),
    (CALLBACK, AlertStatus.ACKNOWLEDGED, "close"): (AlertStatus.CLOSED, frozenset(CALLBACK_OUTCOMES)),
}
ACTIONS = ("acknowledge", "dispatch", "arrive", "close")
# Who acts: the station's duty officers go to the branch; the bureau's anti-fraud centre makes the call-back.
ACTORS = {ON_SITE: frozenset({Role.DUTY_OFFICER, Role.ANALYST}), CALLBACK: frozenset({Role.ANALYST})}
# Outcomes after which the held money stayed with the customer: only these record money protected.
PROTECTING = frozenset({AlertOutcome.DISSUADED, AlertOutcome.FRAUD_CONFIRMED})
FRAUD = frozenset({AlertOutcome.DISSUADED, AlertOutcome.INSISTED, AlertOutcome.FRAUD_CONFIRMED})
UNLABELLED = frozenset({AlertOutcome.UNREACHABLE, AlertOutcome.NO_ANSWER})


def allowed_actions(alert: Alert) -> list[str]:
    return [a for a in ACTIONS if (alert.kind, alert.status, a) in TRANSITIONS]


def close_outcomes(alert: Alert) -> list[str]:
    rule = TRANSITIONS.get((alert.kind, alert.status, "close"))
    order = CALLBACK_OUTCOMES if alert.kind is CALLBACK else OUTCOMES
    return [o for o in order if rule and o in rule[1]]
