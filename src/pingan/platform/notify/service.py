"""Publish events as outbox rows (with their webhook deliveries) in the caller's transaction; read a user's feed;
manage webhook subscriptions and the message bodies they receive."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urljoin, urlparse

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.config import get_settings
from pingan.core.errors import ValidationFailed, not_found
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.notify.models import (
    DeliveryStatus,
    Event,
    WebhookDelivery,
    WebhookFormat,
    WebhookSubscription,
)
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import User
from pingan.platform.vocabulary import Action

_TITLE_MAX = 200


def publish(
    db: Session,
    *,
    topic: str,
    title: str,
    body: str | None = None,
    link: str | None = None,
    unit_id: int | None = None,
    bank_id: int | None = None,
    user_id: int | None = None,
    payload: dict | None = None,
) -> Event:
    """Write the event and a pending delivery for every matching webhook; both go out only if the caller commits."""
    (event,) = publish_many(db, [{"topic": topic, "title": title, "body": body, "link": link, "unit_id": unit_id,
                                  "bank_id": bank_id, "user_id": user_id, "payload": payload}])
    return event


def publish_many(db: Session, events: Sequence[dict]) -> list[Event]:
    """`publish` for several events (each a dict of its keyword arguments) with one flush and one webhook
    look-up, for callers that announce a batch (the screening store)."""
    if not events:
        return []
    now = clock.now()
    # Titles are built from record titles plus a prefix; cut rather than fail the caller's whole transaction.
    rows = [Event(created_at=now, topic=e["topic"], title=e["title"][:_TITLE_MAX], body=e.get("body"),
                  link=e.get("link"), unit_id=e.get("unit_id"), bank_id=e.get("bank_id"), user_id=e.get("user_id"),
                  payload=e.get("payload") or {}) for e in events]
    db.add_all(rows)
    db.flush()
    hooks = list(db.scalars(select(WebhookSubscription).where(WebhookSubscription.is_active)
                            .order_by(WebhookSubscription.id)))
    if hooks:
        for event in rows:
            for hook in _matching_webhooks(db, event, hooks):
                db.add(WebhookDelivery(event_id=event.id, webhook_id=hook.id, status=DeliveryStatus.PENDING,
                                       attempts=0, next_attempt_at=now))
        db.flush()
    return rows


def _ancestor_unit_ids(db: Session, unit_id: int) -> list[int]:
    path = db.scalar(select(OrgUnit.path).where(OrgUnit.id == unit_id)) or ""
    codes = [c for c in path.split("/") if c]
    prefixes = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return list(db.scalars(select(OrgUnit.id).where(OrgUnit.path.in_(prefixes))))


def _topic_matches(topics: str, topic: str) -> bool:
    prefixes = [p.strip() for p in topics.split(",") if p.strip()]
    return not prefixes or any(topic.startswith(p) for p in prefixes)


def _matching_webhooks(db: Session, event: Event, active: list[WebhookSubscription]) -> list[WebhookSubscription]:
    """Of the active webhooks, those whose topics match and whose unit (a subtree) and bank, where set,
    contain the event."""
    hooks = [h for h in active if _topic_matches(h.topics, event.topic)
             and (h.bank_id is None or (event.bank_id is not None and h.bank_id == event.bank_id))]
    # Most events match no unit-bound webhook at all: look up the unit's ancestors only when one might.
    if any(h.unit_id is not None for h in hooks):
        ancestors = set(_ancestor_unit_ids(db, event.unit_id)) if event.unit_id is not None else set()
        hooks = [h for h in hooks if h.unit_id is None or h.unit_id in ancestors]
    return hooks


def feed_for(db: Session, user: User, *, after_id: int = 0, limit: int = 100) -> list[Event]:
    """Events the user may see, oldest first after ``after_id``: addressed to them, their jurisdiction or bank."""
    visible = [Event.user_id == user.id]
    if user.is_bank_user:
        visible.append(Event.bank_id == user.bank_id if user.bank_id is not None else false())
    elif access.sees_everything(user):
        # The whole county: every unit's events and county-wide ones, but not other people's personal events.
        visible.append(or_(Event.unit_id.is_not(None), (Event.user_id.is_(None) & Event.bank_id.is_(None))))
    else:
        visible.append(access.unit_condition(db, user, Event.unit_id))
    stmt = select(Event).where(Event.id > after_id, or_(*visible)).order_by(Event.id).limit(limit)
    return list(db.scalars(stmt))


def latest_event_id(db: Session) -> int:
    return db.scalar(select(func.max(Event.id))) or 0


def event_dict(event: Event) -> dict:
    """The live-feed form of an event: its payload flattened in, the event's own fields winning."""
    return {**(event.payload or {}), "id": event.id, "topic": event.topic, "title": event.title,
            "body": event.body, "link": event.link, "created_at": event.created_at.isoformat()}


def _parse_format(value: str) -> WebhookFormat:
    try:
        return WebhookFormat(value)
    except ValueError:
        allowed = ", ".join(f.value for f in WebhookFormat)
        raise ValidationFailed("webhook.format",
                               f"未知的推送格式 / unknown webhook format; one of: {allowed}") from None


def create_webhook(
    db: Session,
    *,
    name: str,
    url: str,
    format: str,
    topics: str | Iterable[str] = "",
    unit_id: int | None = None,
    bank_id: int | None = None,
    actor: User | None = None,
) -> WebhookSubscription:
    """Subscribe a URL to events: ``topics`` are prefixes ("platform.deadline.", "antifraud.alert"), none means all."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationFailed("webhook.url", "推送地址须为 http(s) 网址 / url must be an http(s) address")
    if not name.strip():
        raise ValidationFailed("webhook.name", "请填写名称 / name is required")
    topic_list = topics.split(",") if isinstance(topics, str) else list(topics)
    joined = ",".join(t.strip() for t in topic_list if t.strip())
    if len(joined) > 500 or len(url) > 500:
        raise ValidationFailed("webhook.too_long", "主题或地址过长 / topics or url too long")
    hook = WebhookSubscription(name=name.strip(), url=url, format=_parse_format(format), topics=joined,
                               unit_id=unit_id, bank_id=bank_id, is_active=True, created_at=clock.now())
    db.add(hook)
    db.flush()
    audit.record(db, actor=actor, action=Action.WEBHOOK_CREATED, entity=hook, unit_id=unit_id,
                 data={"name": hook.name, "format": hook.format.value, "topics": joined})
    return hook


def list_webhooks(db: Session) -> list[WebhookSubscription]:
    return list(db.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))


def _get_webhook(db: Session, webhook_id: int) -> WebhookSubscription:
    hook = db.get(WebhookSubscription, webhook_id)
    if hook is None:
        raise not_found("webhook", "推送订阅")
    return hook


def set_webhook_active(db: Session, *, webhook_id: int, active: bool, actor: User | None = None) -> WebhookSubscription:
    """Switch a webhook on or off; switching it off gives up its pending deliveries."""
    hook = _get_webhook(db, webhook_id)
    hook.is_active = active
    if not active:
        db.execute(update(WebhookDelivery)
                   .where(WebhookDelivery.webhook_id == hook.id, WebhookDelivery.status == DeliveryStatus.PENDING)
                   .values(status=DeliveryStatus.FAILED, last_error="webhook deactivated"))
    action = Action.WEBHOOK_ACTIVATED if active else Action.WEBHOOK_DEACTIVATED
    audit.record(db, actor=actor, action=action, entity=hook)
    return hook


def delete_webhook(db: Session, *, webhook_id: int, actor: User | None = None) -> None:
    hook = _get_webhook(db, webhook_id)
    audit.record(db, actor=actor, action=Action.WEBHOOK_DELETED, entity=hook, data={"name": hook.name, "url": hook.url})
    db.delete(hook)


def _absolute(link: str | None) -> str | None:
    base = get_settings().public_url
    return urljoin(base, link) if link and base else link


def webhook_body(event: Event, format: WebhookFormat | str) -> dict:
    """The message a webhook receives: plain JSON, or a DingTalk / WeCom group-robot markdown message."""
    fmt = _parse_format(format) if isinstance(format, str) else format
    link = _absolute(event.link)
    if fmt is WebhookFormat.JSON:
        return {"id": event.id, "topic": event.topic, "title": event.title, "body": event.body, "link": link,
                "created_at": event.created_at.isoformat(), "payload": event.payload or {}}
    lines = [f"### {event.title}"]
    if event.body:
        lines.append(event.body)
    lines.append(f"> {clock.format_local(event.created_at)} · {event.topic}")
    if link:
        lines.append(f"[查看详情]({link})")
    text = "\n\n".join(lines)
    if fmt is WebhookFormat.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": event.title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}

