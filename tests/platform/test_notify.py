"""Notifications: outbox rows with their webhook deliveries, feed scoping, webhook sending with back-off, wake-ups."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.config import get_settings
from pingan.core.db import unit_of_work
from pingan.core.errors import ValidationFailed
from pingan.platform.audit import service as audit
from pingan.platform.notify import broker
from pingan.platform.notify import jobs as notify_jobs
from pingan.platform.notify import service as notify
from pingan.platform.notify.models import DeliveryStatus, WebhookDelivery
from pingan.platform.org import service as org_service
from pingan.platform.users.models import Role


def unit(db, code: str) -> int:
    return org_service.get_unit(db, code).id


def bank(db, code: str) -> int:
    return org_service.get_bank(db, code).id


def deliveries(db, event) -> set[str]:
    rows = db.scalars(select(WebhookDelivery).where(WebhookDelivery.event_id == event.id))
    return {d.webhook.name for d in rows}


def test_publish_writes_the_event_and_deliveries_only_for_matching_webhooks(db, county):
    def hook(name, **kw):
        return notify.create_webhook(db, name=name, url="https://hooks.example/x", format="json", **kw)

    hook("county")
    hook("station-01 deadlines", topics=["platform.deadline."], unit_id=unit(db, "331003-01"))
    hook("station-02", unit_id=unit(db, "331003-02"))
    hook("TZB antifraud", topics="antifraud.", bank_id=bank(db, "TZB"))
    hook("cases only", topics="cases.")
    notify.set_webhook_active(db, webhook_id=hook("switched off").id, active=False)

    breach = notify.publish(db, topic="platform.deadline.breached", title="已超时：回访",
                            unit_id=unit(db, "331003-01-01"))
    assert breach.id is not None and breach.payload == {}
    assert deliveries(db, breach) == {"county", "station-01 deadlines"}

    alert = notify.publish(db, topic="antifraud.alert", title="止付预警", unit_id=unit(db, "331003-01"),
                           bank_id=bank(db, "TZB"), payload={"alert_id": 5})
    assert deliveries(db, alert) == {"county", "TZB antifraud"}
    other_bank = notify.publish(db, topic="antifraud.alert", title="止付预警", bank_id=bank(db, "HYRCB"))
    assert deliveries(db, other_bank) == {"county"}

    pending = db.scalars(select(WebhookDelivery).where(WebhookDelivery.event_id == alert.id)).all()
    assert {(d.status, d.attempts) for d in pending} == {(DeliveryStatus.PENDING, 0)}


def test_webhook_input_is_checked(db, county):
    with pytest.raises(ValidationFailed) as bad_url:
        notify.create_webhook(db, name="x", url="ftp://example.com/", format="json")
    assert bad_url.value.code == "webhook.url"
    with pytest.raises(ValidationFailed) as bad_format:
        notify.create_webhook(db, name="x", url="https://example.com/", format="slack")
    assert bad_format.value.code == "webhook.format"
    hook = notify.create_webhook(db, name="ok", url="https://example.com/", format="wecom", topics=" a., b ,")
    assert hook.topics == "a.,b" and [h.name for h in notify.list_webhooks(db)] == ["ok"]
    notify.delete_webhook(db, webhook_id=hook.id)
    assert notify.list_webhooks(db) == []


def test_feed_is_scoped_by_jurisdiction_bank_and_addressee(db, make_user):
    people = {
        "station1": make_user(Role.DUTY_OFFICER, unit="331003-01"),
        "station2": make_user(Role.DUTY_OFFICER, unit="331003-02"),
        "community1": make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01"),
        "bureau": make_user(Role.ANALYST),
        "teller_tzb": make_user(Role.TELLER, branch="TZB-02"),
        "teller_hy": make_user(Role.TELLER, branch="HYRCB-01"),
        "system_tzb": make_user(Role.BANK_SYSTEM, bank="TZB"),
    }
    def publish(name, **kw):
        notify.publish(db, topic="test.feed", title=name, **kw)

    publish("station1", unit_id=unit(db, "331003-01"))
    publish("community2", unit_id=unit(db, "331003-02-01"))
    publish("tzb", bank_id=bank(db, "TZB"))
    publish("personal", user_id=people["station2"].id)
    publish("community1", unit_id=unit(db, "331003-01-01"))
    publish("county-wide")
    publish("hy-alert", unit_id=unit(db, "331003-01"), bank_id=bank(db, "HYRCB"))

    def titles(who, **kw):
        return [e.title for e in notify.feed_for(db, people[who], **kw)]

    assert titles("station1") == ["station1", "community1", "hy-alert"]
    assert titles("station2") == ["community2", "personal"]
    assert titles("community1") == ["community1"]
    assert titles("bureau") == ["station1", "community2", "community1", "county-wide", "hy-alert"]
    assert titles("teller_tzb") == ["tzb"] and titles("system_tzb") == ["tzb"]
    assert titles("teller_hy") == ["hy-alert"]
    first = notify.feed_for(db, people["station1"])[0]
    assert titles("station1", after_id=first.id) == ["community1", "hy-alert"]
    assert titles("station1", limit=1) == ["station1"]


# --- webhook delivery against a real HTTP server ---------------------------------------------------------------


class Sink:
    """A local HTTP endpoint that records what it receives and answers as told."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        self.reply: dict = {"ok": True}
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                sink.received.append({"path": self.path, "type": self.headers["Content-Type"],
                                      "body": json.loads(raw)})
                answer = json.dumps(sink.reply).encode()
                self.send_response(sink.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def sink() -> Iterator[Sink]:
    s = Sink()
    thread = threading.Thread(target=s.server.serve_forever, daemon=True)
    thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def deliver(db) -> int:
    return notify_jobs.deliver_webhooks(db, clock.now())


def only_delivery(db) -> WebhookDelivery:
    delivery = db.scalars(select(WebhookDelivery)).one()
    db.refresh(delivery)
    return delivery


def test_webhook_is_delivered_once_as_plain_json(db, county, sink, monkeypatch):
    monkeypatch.setattr(get_settings(), "public_url", "https://pingan.example")
    notify.create_webhook(db, name="county", url=sink.url, format="json")
    event = notify.publish(db, topic="platform.deadline.breached", title="已超时：回访", body="截止时间 …",
                           link="/mediation/disputes/3", payload={"clock_id": 9})
    assert deliver(db) == 1
    assert deliver(db) == 0
    delivery = only_delivery(db)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 1, None)
    assert delivery.delivered_at is not None
    [got] = sink.received
    assert got["type"].startswith("application/json")
    assert got["body"] == {"id": event.id, "topic": "platform.deadline.breached", "title": "已超时：回访",
                           "body": "截止时间 …",
                           "link": "https://pingan.example/mediation/disputes/3",
                           "created_at": event.created_at.isoformat(), "payload": {"clock_id": 9}}


def test_failing_webhook_is_retried_with_back_off_then_given_up(db, county, sink, monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_max_attempts", 3)
    sink.status = 500
    notify.create_webhook(db, name="county", url=sink.url, format="json")
    notify.publish(db, topic="test.retry", title="t")

    assert deliver(db) == 0
    delivery = only_delivery(db)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error.startswith("HTTP 500")
    wait = delivery.next_attempt_at - clock.now()
    assert dt.timedelta(seconds=8) < wait <= dt.timedelta(seconds=10)
    assert deliver(db) == 0 and len(sink.received) == 1  # not due yet: not sent again

    clock.shift(dt.timedelta(seconds=11))
    assert deliver(db) == 0
    delivery = only_delivery(db)
    assert delivery.attempts == 2 and dt.timedelta(seconds=18) < delivery.next_attempt_at - clock.now()
    clock.shift(dt.timedelta(seconds=21))
    assert deliver(db) == 0
    delivery = only_delivery(db)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    clock.shift(dt.timedelta(hours=2))
    assert deliver(db) == 0 and len(sink.received) == 3
    assert notify_jobs.retry_delay(20) == dt.timedelta(hours=1)


def test_unreachable_webhook_counts_as_a_failed_attempt(db, county, sink):
    sink.server.shutdown()
    sink.server.server_close()
    notify.create_webhook(db, name="gone", url=sink.url, format="json")
    notify.publish(db, topic="test.gone", title="t")
    assert deliver(db) == 0
    delivery = only_delivery(db)
    assert delivery.attempts == 1 and delivery.status is DeliveryStatus.PENDING and "Error" in delivery.last_error


def test_dingtalk_message_shape_and_errcode_decides_success(db, county, sink):
    notify.create_webhook(db, name="dingtalk", url=sink.url, format="dingtalk")
    event = notify.publish(db, topic="platform.deadline.warned", title="即将到期：回访", body="截止时间 12:00",
                           link="/x/1")
    body = notify.webhook_body(event, "dingtalk")
    assert body["msgtype"] == "markdown" and list(body) == ["msgtype", "markdown"]
    assert list(body["markdown"]) == ["title", "text"] and body["markdown"]["title"] == "即将到期：回访"
    text = body["markdown"]["text"]
    assert text.startswith("### 即将到期：回访") and "截止时间 12:00" in text and "(/x/1)" in text

    sink.reply = {"errcode": 310000, "errmsg": "keywords not in content"}
    assert deliver(db) == 0
    delivery = only_delivery(db)
    assert delivery.status is DeliveryStatus.PENDING and "310000" in delivery.last_error
    sink.reply = {"errcode": 0, "errmsg": "ok"}
    clock.shift(dt.timedelta(seconds=11))
    assert deliver(db) == 1 and only_delivery(db).status is DeliveryStatus.DELIVERED
    assert [r["body"]["msgtype"] for r in sink.received] == ["markdown", "markdown"]


def test_wecom_message_shape(db, county):
    event = notify.publish(db, topic="platform.deadline.breached", title="已超时：回访")
    body = notify.webhook_body(event, "wecom")
    assert set(body) == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    assert list(body["markdown"]) == ["content"] and body["markdown"]["content"].startswith("### 已超时：回访")


# --- the in-process wake-up -------------------------------------------------------------------------------------


def test_a_commit_that_wrote_events_wakes_listening_streams(committed_db):
    def commit_without_event():
        with unit_of_work() as db:
            audit.record(db, actor=None, action="test.no_event")

    def roll_back_an_event():
        with pytest.raises(RuntimeError), unit_of_work() as db:
            notify.publish(db, topic="test.wake", title="never")
            raise RuntimeError("rolled back")

    def commit_event():
        with unit_of_work() as db:
            notify.publish(db, topic="test.wake", title="now")

    async def main() -> list[bool]:
        seen = []
        with broker.listening() as woken:
            for step in (commit_without_event, roll_back_an_event, commit_event):
                # The wake-up is queued on this loop during the commit, before to_thread's own result.
                await asyncio.to_thread(step)
                seen.append(woken.is_set())
        return seen

    assert asyncio.run(main()) == [False, False, True]
