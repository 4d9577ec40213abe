"""The vocabulary migration (1203): records stored under the old codes read the new ones after `pingan db upgrade`
(audit log, live-feed events, webhook subscriptions, clocks, whose handlers still fire) and the old ones after a
downgrade."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import select

from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.core.migrate import alembic_config, upgrade
from pingan.mediation import service
from pingan.mediation.schemas import DisputeIn, SessionIn
from pingan.mediation.vocabulary import Clock, Topic
from pingan.platform import jobs
from pingan.platform.audit.models import AuditEvent
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import DeadlineClock
from pingan.platform.notify import service as notify
from pingan.platform.notify.models import Event, WebhookSubscription
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from pingan.platform.vocabulary import Action
from pingan.platform.vocabulary import Topic as PlatformTopic
from tests.factories import COUNTY_YAML, PASSWORD
from tests.mediation.factories import dispute_body

BEFORE = "1202_register_backfill"


def _stored() -> tuple[set[str], set[str], set[str], set[str]]:
    with unit_of_work() as db:
        return (set(db.scalars(select(AuditEvent.action))), set(db.scalars(select(Event.topic))),
                set(db.scalars(select(DeadlineClock.kind))), set(db.scalars(select(WebhookSubscription.topics))))


@pytest.mark.usefixtures("committed_db")
def test_old_codes_are_rewritten_and_a_pending_clock_still_escalates():
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        mediator = auth.create_user(db, username="m1", password=PASSWORD, role=Role.MEDIATOR, unit_code="331003-01")
        dispute = service.take_in(db, data=DisputeIn.model_validate(dispute_body()), actor=mediator)
        service.record_session(db, dispute=dispute, data=SessionIn(outcome="absent"), actor=mediator)
        notify.publish(db, topic=PlatformTopic.DEADLINE_BREACHED, title="已超时：回访")
        notify.create_webhook(db, name="centre", url="https://example.com/", format="json",
                              topics="platform.deadline.,mediation.dispute.escalated,cases.")

    command.downgrade(alembic_config(), BEFORE)
    try:
        actions, topics, kinds, hooks = _stored()
        assert {"user.create", "mediation.dispute.created", "mediation.session.absent"} <= actions
        assert topics == {"deadline.breach"}
        assert kinds == {"mediation.same_day", "mediation.follow_up", "mediation.close"}
        assert hooks == {"deadline.,mediation.escalated,cases."}
    finally:
        upgrade()

    actions, topics, kinds, hooks = _stored()
    assert {Action.USER_CREATED, "mediation.dispute.created", "mediation.session.missed"} <= actions
    assert "user.create" not in actions and topics == {PlatformTopic.DEADLINE_BREACHED}
    assert kinds == {Clock.SAME_DAY, Clock.FOLLOW_UP, Clock.CLOSE}
    assert hooks == {"platform.deadline.,mediation.dispute.escalated,cases."}

    clock.shift(dt.timedelta(hours=13))
    jobs.run_once("deadlines.scan")
    with unit_of_work() as db:
        escalated = db.scalar(select(Event).where(Event.topic == Topic.DISPUTE_ESCALATED))
        assert escalated is not None and escalated.payload["kind"] == Clock.FOLLOW_UP
