"""The one-window demo: the catalogue file, and the issue's demo path at 城南派出所 — a resident home for the
Spring Festival with a booklet replacement (issued on the spot), a passport and a driving-licence
replacement in one application, called from a ticket, and a bad rating that opens a rectification."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core.identity import make_resident_id
from pingan.onewindow import catalogue, queue, ratings, service
from pingan.onewindow.models import Application
from pingan.onewindow.schemas import ApplicationIn, RatingIn, StepIn, parse
from pingan.onewindow.settings import get_onewindow_settings
from pingan.platform.org import service as org_service
from pingan.platform.users.models import User

RESIDENT = make_resident_id("331003", dt.date(1992, 1, 18), 7, "M")


def load_onewindow_demo(db: Session) -> None:
    catalogue.load_file(db, get_onewindow_settings().catalogue_file)
    clerk = db.scalar(select(User).where(User.username == "clerk"))
    if clerk is None or db.scalar(select(Application.id).limit(1)) is not None:
        return
    station = org_service.get_unit(db, "331003-03")
    ticket = queue.take(db, station=station, service_code="booklet_replacement")
    queue.call_next(db, station=station, window="综合1号窗", actor=clerk)
    application = service.create(db, data=parse(ApplicationIn, {
        "applicant": {"name": "陈春归", "id_number": RESIDENT, "phone": "13905761234"},
        "channel": "window", "station_code": station.code, "ticket_id": ticket.id,
        "items": ["booklet_replacement", "passport", "driving_licence_replacement"]}), actor=clerk)
    booklet = application.items[0]
    service.step(db, item=booklet, event="issue_on_spot", data=StepIn(), actor=clerk)
    queue.finish(db, ticket=ticket, actor=clerk)
    # The resident's bad rating opens the rectification the clerk's station must call back before closing.
    ratings.rate(db, item=booklet, data=RatingIn(grade=2, comment="排队太久"), actor=None, window="综合1号窗")
