"""Webhook delivery job: sends committed deliveries, retrying with exponential back-off until delivered or failed."""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import httpx
import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.config import get_settings
from pingan.platform import jobs
from pingan.platform.notify.models import DeliveryStatus, Event, WebhookDelivery, WebhookFormat, WebhookSubscription
from pingan.platform.notify.service import webhook_body

log = logging.getLogger(__name__)

BATCH = 20
BASE_DELAY = dt.timedelta(seconds=5)
MAX_DELAY = dt.timedelta(hours=1)
_ROBOTS = frozenset({WebhookFormat.DINGTALK, WebhookFormat.WECOM})


@dataclass(frozen=True)
class _Claim:
    delivery_id: int
    attempts: int
    url: str
    format: WebhookFormat
    body: dict


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failures: 10 s, 20 s, 40 s, … at most an hour."""
    return min(BASE_DELAY * 2**attempts, MAX_DELAY)


@jobs.register("notify.webhooks", every_seconds=2)
def deliver_webhooks(db: Session, now: dt.datetime) -> int:
    """Send due webhook deliveries; returns how many were delivered."""
    settings = get_settings()
    claims = _claim(db, now, lease=dt.timedelta(seconds=settings.webhook_timeout_seconds * 2 + 60))
    if not claims:
        return 0
    # The claim is committed before sending, so no transaction stays open during slow HTTP; if the process
    # dies mid-send the lease runs out and the delivery is tried again.
    db.commit()
    with httpx.Client(timeout=settings.webhook_timeout_seconds) as client, \
            ThreadPoolExecutor(max_workers=len(claims)) as pool:
        errors = list(pool.map(partial(_send, client), claims))
    for claim, error in zip(claims, errors, strict=True):
        _record(db, claim, error, settings.webhook_max_attempts)
    return errors.count(None)


def _claim(db: Session, now: dt.datetime, *, lease: dt.timedelta) -> list[_Claim]:
    """Take due deliveries by pushing their next attempt past the lease, in one statement.

    Writing first keeps SQLite from failing on a stale read snapshot; on PostgreSQL SKIP LOCKED lets
    concurrent workers take disjoint batches, and the re-checked WHERE stops them taking the same row.
    """
    due = (select(WebhookDelivery.id)
           .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now)
           .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
           .limit(BATCH)
           .with_for_update(skip_locked=True))
    claimed = db.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due), WebhookDelivery.status == DeliveryStatus.PENDING,
               WebhookDelivery.next_attempt_at <= now)
        .values(next_attempt_at=now + lease)
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    rows = db.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookSubscription.url, WebhookSubscription.format,
               Event)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.webhook_id)
        .join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.id.in_(claimed))
        .order_by(WebhookDelivery.id)
    )
    return [_Claim(d_id, attempts, url, fmt, webhook_body(event, fmt)) for d_id, attempts, url, fmt, event in rows]


def _send(client: httpx.Client, claim: _Claim) -> str | None:
    """Post one message; ``None`` on success, else why it failed."""
    try:
        response = client.post(claim.url, content=orjson.dumps(claim.body),
                               headers={"Content-Type": "application/json; charset=utf-8"})
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if not response.is_success:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    if claim.format in _ROBOTS:
        # DingTalk and WeCom answer 200 even when they refuse a message; errcode says whether it was taken.
        try:
            data = response.json()
        except ValueError:
            data = None
        errcode = data.get("errcode") if isinstance(data, dict) else None
        if errcode != 0:
            return f"errcode {errcode}: {response.text[:300]}"
    return None


def _record(db: Session, claim: _Claim, error: str | None, max_attempts: int) -> None:
    attempts = claim.attempts + 1
    now = clock.now()
    if error is None:
        values = {"status": DeliveryStatus.DELIVERED, "delivered_at": now, "last_error": None}
    elif attempts >= max_attempts:
        values = {"status": DeliveryStatus.FAILED, "last_error": error}
        log.warning("webhook delivery %s failed for good after %d attempts: %s", claim.delivery_id, attempts, error)
    else:
        values = {"next_attempt_at": now + retry_delay(attempts), "last_error": error}
    db.execute(update(WebhookDelivery).where(WebhookDelivery.id == claim.delivery_id)
               .values(attempts=attempts, **values))
