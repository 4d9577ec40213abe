"""One vocabulary: stored audit actions, notification topics and deadline clock kinds read
`<module>.<noun>.<past-tense verb>`. Pending clocks keep firing their handlers (registered under the new kinds),
webhooks keep receiving the topics they subscribed to, and the audit log keeps its history under the new codes.

The codes are written out here, not imported: a migration must mean the same thing whatever the code says later.

Revision ID: 1203_vocabulary
Revises: 1202_register_backfill
Create Date: 2026-12-01 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1203_vocabulary"
down_revision: str | None = "1202_register_backfill"
branch_labels: str | Sequence[str] | None = None
# The alert steps (0310_alert_loop) record the clock that escalated; their table must exist.
depends_on: str | Sequence[str] | None = "0310_alert_loop"

ACTIONS = {
    "auth.login": "platform.session.started", "auth.logout": "platform.session.ended",
    "auth.locked": "platform.user.locked", "user.create": "platform.user.created",
    "apikey.create": "platform.apikey.created", "apikey.revoke": "platform.apikey.revoked",
    "org.load": "platform.org.loaded", "webhook.create": "platform.webhook.created",
    "webhook.activate": "platform.webhook.activated", "webhook.deactivate": "platform.webhook.deactivated",
    "webhook.delete": "platform.webhook.deleted", "deadline.warning": "platform.deadline.warned",
    "deadline.breach": "platform.deadline.breached",
    "screening.view": "antifraud.screening.viewed", "person.reveal": "antifraud.screening.revealed",
    "alert.view": "antifraud.alert.viewed", "alert.acknowledge": "antifraud.alert.acknowledged",
    "alert.dispatch": "antifraud.alert.dispatched", "alert.arrive": "antifraud.alert.arrived",
    "alert.close": "antifraud.alert.closed", "intel.list": "antifraud.intel.listed",
    "intel.delist": "antifraud.intel.delisted", "rules.save": "antifraud.ruleset.saved",
    "rules.activate": "antifraud.ruleset.activated", "antifraud.model.register": "antifraud.model.registered",
    "antifraud.model.activate": "antifraud.model.activated", "antifraud.model.rollback": "antifraud.model.rolled_back",
    "antifraud.model.shadow": "antifraud.model.shadowed",
    "mediation.session.absent": "mediation.session.missed", "mediation.follow_up": "mediation.dispute.followed_up",
    "mediation.return_visit": "mediation.dispute.revisited",
}
TOPICS = {
    "antifraud.alert.instruction": "antifraud.alert.instructed", "mediation.secondary": "mediation.dispute.recurred",
    "mediation.escalated": "mediation.dispute.escalated", "deadline.warning": "platform.deadline.warned",
    "deadline.breach": "platform.deadline.breached",
}
# A webhook subscribes to topic prefixes: the old platform prefix and each renamed topic.
PREFIXES = {**TOPICS, "deadline.": "platform.deadline.", "deadline": "platform.deadline"}
CLOCKS = {
    "antifraud.alert.ack": "antifraud.alert.acknowledged", "antifraud.alert.arrive": "antifraud.alert.arrived",
    "antifraud.alert.callback": "antifraud.alert.called_back", "antifraud.alert.hold": "antifraud.hold.instructed",
    "mediation.same_day": "mediation.dispute.mediated", "mediation.follow_up": "mediation.dispute.followed_up",
    "mediation.return_visit": "mediation.dispute.revisited", "mediation.performance": "mediation.agreement.performed",
    "mediation.close": "mediation.dispute.closed",
}

_audit = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("action", sa.String),
                  sa.column("data", sa.JSON))
_event = sa.table("notify_event", sa.column("id", sa.Integer), sa.column("topic", sa.String),
                  sa.column("payload", sa.JSON))
_webhook = sa.table("notify_webhook", sa.column("id", sa.Integer), sa.column("topics", sa.String))
_clock = sa.table("deadline_clock", sa.column("kind", sa.String))
_step = sa.table("antifraud_alert_step", sa.column("id", sa.Integer), sa.column("action", sa.String),
                 sa.column("data", sa.JSON))


def _rename(table, column, mapping: dict[str, str]) -> None:
    for old, new in mapping.items():
        op.execute(table.update().where(table.c[column] == old).values({column: new}))


def _rekey(table, column: str, key: str, mapping: dict[str, str], where) -> None:
    """Rewrite one key of a JSON column (the clock kind a row names) on the rows ``where`` selects."""
    bind = op.get_bind()
    for row_id, data in bind.execute(sa.select(table.c.id, table.c[column]).where(where)).all():
        if isinstance(data, dict) and data.get(key) in mapping:
            bind.execute(table.update().where(table.c.id == row_id)
                         .values({column: {**data, key: mapping[data[key]]}}))


def _migrate(actions: dict[str, str], topics: dict[str, str], prefixes: dict[str, str],
             clocks: dict[str, str]) -> None:
    _rename(_audit, "action", actions)
    _rename(_event, "topic", topics)
    _rename(_clock, "kind", clocks)
    _rekey(_audit, "data", "kind", clocks, _audit.c.action.like("%deadline.%"))
    _rekey(_event, "payload", "kind", clocks, _event.c.topic.like("%deadline.%") | _event.c.topic.like("mediation.%"))
    _rekey(_event, "payload", "clock", clocks, _event.c.topic == "antifraud.alert.escalated")
    _rekey(_step, "data", "clock", clocks, _step.c.action == "escalate")
    bind = op.get_bind()
    for row_id, topics_text in bind.execute(sa.select(_webhook.c.id, _webhook.c.topics)).all():
        parts = [p.strip() for p in (topics_text or "").split(",") if p.strip()]
        renamed = ",".join(prefixes.get(p, p) for p in parts)
        if renamed != ",".join(parts):
            bind.execute(_webhook.update().where(_webhook.c.id == row_id).values(topics=renamed))


def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {new: old for old, new in mapping.items()}


def upgrade() -> None:
    _migrate(ACTIONS, TOPICS, PREFIXES, CLOCKS)


def downgrade() -> None:
    _migrate(_inverse(ACTIONS), _inverse(TOPICS), _inverse(PREFIXES), _inverse(CLOCKS))
