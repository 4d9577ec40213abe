"""好差评: the resident rates a completed item once on five grades; 不满意 and 非常不满意 open a rectification
owned by the unit that did the work, with a 15-working-day clock; it closes only after the call-back, and a
mistaken or malicious rating can be appealed and reviewed."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.config import get_settings
from pingan.core.errors import Conflict, not_found
from pingan.onewindow import clocks
from pingan.onewindow import repository as repo
from pingan.onewindow.application.transitions import COMPLETED
from pingan.onewindow.models import ApplicationItem, Rating, Rectification, RectificationStatus, Ticket
from pingan.onewindow.rating.transitions import next_status
from pingan.onewindow.schemas import RatingIn
from pingan.onewindow.vocabulary import BAD_GRADES, GRADE_LABELS, RECTIFICATION_ACTIONS, Action, Topic
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.users.models import User


def rate(db: Session, *, item: ApplicationItem, data: RatingIn, actor: User | None,
         window: str | None = None) -> Rating:
    """Record the rating (once per item); a bad grade opens the rectification."""
    if item.status not in COMPLETED:
        raise Conflict("item.not_completed", "事项办结后才能评价 / rate an item once it is completed")
    if item.rating is not None:
        raise Conflict("rating.duplicate", "该事项已评价过 / this item is already rated")
    now = clock.now()
    if window is None and item.application.ticket_id is not None:
        # The window that served the ticket of the visit is the window rated (the monthly ranking).
        window = db.get(Ticket, item.application.ticket_id).window
    rating = Rating(item_id=item.id, station_id=item.station_id, window=window, grade=data.grade,
                    comment=data.comment or None, rated_at=now)
    item.rating = rating
    db.add(rating)
    db.flush()
    audit.record(db, actor=actor, action=Action.ITEM_RATED, entity=rating, unit_id=item.station_id,
                 data={"grade": data.grade, "item": item.item_code})
    if data.grade in BAD_GRADES:
        _open(db, rating, actor)
    return rating


def _open(db: Session, rating: Rating, actor: User | None) -> Rectification:
    rectification = Rectification(rating_id=rating.id, unit_id=rating.station_id,
                                  status=RectificationStatus.OPEN, opened_at=rating.rated_at)
    db.add(rectification)
    db.flush()
    clocks.start_rectification(db, rectification)
    notify.publish(db, topic=Topic.RECTIFICATION_OPENED, unit_id=rectification.unit_id,
                   link=clocks.rectification_link(rectification),
                   title=f"差评整改：{GRADE_LABELS[rating.grade]}（事项 #{rating.item_id}）",
                   body=rating.comment, payload={"rectification_id": rectification.id, "grade": rating.grade})
    audit.record(db, actor=actor, action=Action.RECTIFICATION_OPENED, entity=rectification,
                 data={"grade": rating.grade})
    return rectification


def step(db: Session, *, rectification: Rectification, event: str, note: str, actor: User) -> Rectification:
    """call_back, close (only after the call-back: 409 otherwise), appeal, and the review: uphold / dismiss."""
    status = next_status(rectification.status, event)
    now = clock.now()
    if event == "call_back":
        rectification.call_back_at, rectification.call_back_note = now, note
    elif event == "close":
        rectification.closed_at, rectification.close_note = now, note
        clocks.stop_rectification(db, rectification)
    elif event == "appeal":
        rectification.appeal_reason = note
        clocks.pause_rectification(db, rectification)
    elif event == "uphold":
        rectification.review_note, rectification.closed_at = note, now
        rectification.rating.counts = False
        clocks.stop_rectification(db, rectification, met=False)
    elif event == "dismiss":
        rectification.review_note = note
        clocks.resume_rectification(db, rectification)
    # A dismissed appeal returns to where it was: called back already, or still to call back.
    if event == "dismiss" and rectification.call_back_at is not None:
        status = RectificationStatus.CALLED_BACK
    rectification.status = status
    audit.record(db, actor=actor, action=RECTIFICATION_ACTIONS[event], entity=rectification, note=note)
    db.flush()
    return rectification


def rectification_of(db: Session, rating: Rating) -> Rectification | None:
    return repo.rectification_of(db, rating)


def pad_token(item_id: int) -> str:
    """The rating pad's link for one item: signed, so a stranger cannot rate someone else's item."""
    return f"{item_id}.{_signature(item_id)}"


def item_for_pad(db: Session, token: str) -> ApplicationItem:
    """The item a pad link names; 404 for a forged or unknown link."""
    item_id, _, signature = token.partition(".")
    if not item_id.isdigit() or not hmac.compare_digest(signature, _signature(int(item_id))):
        raise not_found("item", "办理事项")
    item = db.get(ApplicationItem, int(item_id))
    if item is None:
        raise not_found("item", "办理事项")
    return item


def _signature(item_id: int) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"onewindow.rating:{item_id}".encode(), hashlib.sha256).hexdigest()[:24]
