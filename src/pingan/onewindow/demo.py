"""The one-window demo: the catalogue file; two years of applications across the demo stations (window, online,
village agent; the joint service station at 新前 issuing on the spot), with tickets, ratings and the
rectifications of bad ones — this year more of them online and through the village agents, fewer second
visits, fewer late and more satisfied than last year; and the issue's demo path at 城南派出所 — a resident
home for the Spring Festival
with a booklet replacement (issued on the spot), a passport and a driving-licence replacement in one
application, called from a ticket, and a bad rating that opens a rectification."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.onewindow import repository as repo
from pingan.onewindow.application import service
from pingan.onewindow.catalogue import service as catalogue
from pingan.onewindow.models import Application, CatalogueItem, ServicePointStatus
from pingan.onewindow.partner import service as partners
from pingan.onewindow.point import service as points
from pingan.onewindow.queue import service as queue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.schemas import ApplicationIn, RatingIn, ServicePointIn, StepIn, parse
from pingan.onewindow.settings import get_onewindow_settings
from pingan.platform.demo import DEMO_PASSWORD
from pingan.platform.demo.history import Season, last_and_this_year
from pingan.platform.org import service as org_service
from pingan.platform.users.models import User

RESIDENT = make_resident_id("331003", dt.date(1992, 1, 18), 7, "M")
JOINT_STATION = "331003-06"
# Two years of history, a few a week per station, enough for every figure without slowing the demo down:
# last year's count and this year's change to date; then, by year (last, this): the share that brings too
# little at first and comes back with it (a second visit), the share done late, the rating grades' weights
# (5 down to 1), the channels' weights (window, online, village agent).
HISTORY = (130, 0.10)
SECOND_VISIT = (0.16, 0.06)
LATE = (0.12, 0.02)
GRADES = ([60, 24, 9, 5, 2], [74, 18, 5, 2, 1])
CHANNELS = ([7, 2, 1], [5, 3, 2])
# The share of ready papers posted to the applicant rather than collected at the window (another visit).
POSTED = (0.5, 0.85)
# The weeks before the Spring Festival are the busiest: people home for it renew papers.
SEASON = Season(before=2.5, holiday=0.4)
_SURNAMES = "王李张陈林黄吴周徐孙朱胡郑何"
_GIVEN = "春秋明华建国丽娟海波小芳志强"


def load_onewindow_demo(db: Session) -> None:
    catalogue.load_file(db, get_onewindow_settings().catalogue_file)
    clerk = db.scalar(select(User).where(User.username == "clerk"))
    admin = db.scalar(select(User).where(User.username == "admin"))
    if clerk is None or admin is None or db.scalar(select(Application.id).limit(1)) is not None:
        return
    _service_points(db, admin)
    _history(db, admin)
    _demo_path(db, clerk)
    _partner(db)


# The demo county's villages (data/demo_villages.yaml), each with its service point: those marked online take the
# common online items; one is suspended (its agent left), so "villages able to apply online" counts 111.
VILLAGES_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_villages.yaml"
_POINT_SERVICES = ["residence_permit", "booklet_change", "id_card_renewal", "passport", "no_criminal_record",
                   "driving_licence_renewal", "vehicle_inspection_mark"]
_AGENTS = "张建华 李秀英 王海燕 陈国平 林晓东 黄美玲 吴志刚 周丽娟 徐卫东 孙桂芳 朱永福 胡春梅"


def _service_points(db: Session, actor: User) -> None:
    agents = _AGENTS.split()
    online = {e.code for e in repo.catalogue(db) if e.online}
    villages = yaml.safe_load(VILLAGES_FILE.read_text(encoding="utf-8"))["villages"]
    for n, village in enumerate(villages):
        services = [c for c in _POINT_SERVICES if c in online][: 4 + n % 4]
        point = points.register(db, actor=actor, data=parse(ServicePointIn, {
            "community_code": village["community"], "name": f"{village['name']}便民服务代办点",
            "agent_name": agents[n % len(agents)], "agent_phone": f"138057{n:05d}",
            "address": f"{village['name']}村委会一楼便民服务中心", "services": services}))
        if not village["online"]:
            points.step(db, point=point, event="suspend", actor=actor)


def _partner(db: Session) -> None:
    """The 人社 desk (user `partner_rsj`, password as every demo user) sees the 社保卡 items routed to it."""
    if db.scalar(select(User).where(User.username == "partner_rsj")) is None:
        partners.add(db, username="partner_rsj", display_name="区人社局 联办窗口", bureau_code="rsj",
                     password=DEMO_PASSWORD)


def _demo_path(db: Session, clerk: User) -> None:
    station = org_service.get_unit(db, "331003-03")
    ticket = queue.take(db, station=station, service_code="booklet_replacement")
    queue.call_next(db, station=station, window="综合1号窗", actor=clerk)
    application = service.create(db, data=parse(ApplicationIn, {
        "applicant": {"name": "陈春归", "id_number": RESIDENT, "phone": "13905761234"},
        "channel": "window", "station_code": station.code, "ticket_id": ticket.id,
        "items": ["booklet_replacement", "passport", "driving_licence_replacement",
                  "social_security_card_replacement"]}), actor=clerk)
    booklet = application.items[0]
    service.step(db, item=booklet, event="issue_on_spot", data=StepIn(), actor=clerk)
    queue.finish(db, ticket=ticket, actor=clerk)
    # The resident's bad rating opens the rectification the clerk's station must call back before closing.
    ratings.rate(db, item=booklet, data=RatingIn(grade=2, comment="排队太久"), actor=None, window="综合1号窗")


def _history(db: Session, actor: User) -> None:
    rng = random.Random(18)
    entries = repo.catalogue(db)
    online = [e for e in entries if e.online]
    stations = repo.stations(db)
    station_points = repo.points(db, actor, status=ServicePointStatus.ACTIVE)
    by_code = {e.code: e for e in entries}
    now = clock.now()
    last, this = last_and_this_year(rng, HISTORY[0], HISTORY[1], season=SEASON, hours=(8, 17))
    for n, when in enumerate(last + this):
        year = int(when.year == clock.today_local().year)
        station = stations[n % len(stations)]
        channel = rng.choices(["window", "online", "village_agent"], weights=CHANNELS[year])[0]
        pool = online if channel == "online" else entries
        chosen = rng.sample(pool, k=rng.choice([1, 1, 2, 2, 3]))
        body = {"applicant": {"name": rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
                              "id_number": make_resident_id("331003", dt.date(1955, 1, 1) + dt.timedelta(days=61 * n),
                                                            80 + n % 20, "MF"[n % 2]),
                              "phone": f"139057{n:05d}"},
                "channel": channel, "station_code": station.code, "items": [e.code for e in chosen]}
        at_station = [p for p in station_points if p.station_id == station.id]
        if channel == "village_agent" and at_station:
            point = rng.choice(at_station)
            body["service_point_code"] = point.code
            body["items"] = rng.sample(point.services, k=min(len(point.services), rng.choice([1, 1, 2])))
            chosen = [by_code[c] for c in body["items"]]
        elif channel == "village_agent":
            body["channel"] = "window"
        if rng.random() < SECOND_VISIT[year]:
            body["materials"] = []
        back = now - when
        with clock.at(when):
            time = _Time(back)
            try:
                _one(db, rng, actor, station, body, chosen, time, year)
            finally:
                time.rewind()


class _Time:
    """Moves the clock forward within one application's story and puts it back at the end."""

    def __init__(self, budget: dt.timedelta) -> None:
        self.moved, self.budget = dt.timedelta(0), budget

    def fits(self, delta: dt.timedelta) -> bool:
        return self.moved + delta < self.budget

    def move(self, delta: dt.timedelta) -> None:
        clock.shift(delta)
        self.moved += delta

    def rewind(self) -> None:
        clock.shift(-self.moved)


def _one(db: Session, rng: random.Random, actor: User, station, body: dict, chosen: list[CatalogueItem],
         time: _Time, year: int) -> None:
    ticket = None
    if body["channel"] == "window":
        ticket = queue.take(db, station=station, service_code=chosen[0].code)
        time.move(dt.timedelta(minutes=rng.expovariate(1 / 12)))
        queue.call_next(db, station=station, window=rng.choice(["综合1号窗", "综合2号窗", "出入境窗"]), actor=actor)
        body["ticket_id"] = ticket.id
    application = service.create(db, data=parse(ApplicationIn, body), actor=actor)
    if ticket is not None:
        time.move(dt.timedelta(minutes=rng.uniform(4, 20)))
        queue.finish(db, ticket=ticket, actor=actor)
    window = ticket.window if ticket is not None else {"online": "网上办", "village_agent": "村级代办点"}.get(
        body["channel"], "综合1号窗")
    fixes = []
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    # The soonest due first: each is done at a share of its own limit, later ones after earlier ones.
    for item, entry in sorted(zip(application.items, chosen, strict=True), key=lambda p: p[0].due_at or far):
        if item.missing:
            time.move(dt.timedelta(days=2))
            service.step(db, item=item, event="supplied", data=StepIn(), actor=actor)
        spot = entry.on_the_spot and (not entry.spot_stations or station.code in entry.spot_stations)
        if spot and (station.code == JOINT_STATION or rng.random() < 0.6):
            service.step(db, item=item, event="issue_on_spot", data=StepIn(), actor=actor)
        else:
            service.step(db, item=item, event="start", data=StepIn(), actor=actor)
            # Most are ready well within the limit; a few run late; a recent one may still be in progress.
            share = rng.uniform(0.2, 0.9) if rng.random() >= LATE[year] else 1.1
            took = max(item.accepted_at + (item.due_at - item.accepted_at) * share - clock.now(), dt.timedelta(0))
            if not time.fits(took):
                continue
            time.move(took)
            service.step(db, item=item, event="ready", data=StepIn(), actor=actor)
            event = "post" if rng.random() < POSTED[year] else "collect"
            service.step(db, item=item, event=event, actor=actor,
                         data=StepIn(tracking_no=f"SF{rng.randrange(10**11, 10**12)}" if event == "post" else None))
        if rng.random() < 0.7:
            grade = rng.choices([5, 4, 3, 2, 1], weights=GRADES[year])[0]
            rating = ratings.rate(db, item=item, data=RatingIn(grade=grade), actor=None, window=window)
            fix = ratings.rectification_of(db, rating)
            if fix is not None:
                fixes.append(fix)
    if fixes and time.fits(dt.timedelta(days=3)):
        time.move(dt.timedelta(days=3))
        for fix in fixes:
            ratings.step(db, rectification=fix, event="call_back", note="电话回访，已致歉并说明", actor=actor)
            ratings.step(db, rectification=fix, event="close", note="窗口增设引导员", actor=actor)
