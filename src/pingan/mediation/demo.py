"""The mediation part of the demo county: rooms and mediators in 宁溪 and 头陀, two years of walk-in and grid
disputes carried to their end (last year's and this year's up to today, more settled and more the same day
this year), and a board's worth of disputes in every state (loaded once; a second load changes nothing)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.mediation import clocks, service
from pingan.mediation.models import Dispute, MediatorKind, Room
from pingan.mediation.schemas import AgreementIn, DisputeIn, FollowUpIn, SessionIn
from pingan.platform.auth import service as auth
from pingan.platform.demo import RESIDENT
from pingan.platform.demo.history import Season, among, last_and_this_year
from pingan.platform.org import service as org_service


def _id(seq: int, sex: str = "M") -> str:
    return make_resident_id("331003", dt.date(1960 + seq, 3, 1 + seq), seq, sex)


def _dispute(station: str, community: str, room: Room, mediators, summary: str, parties, **kw) -> DisputeIn:
    return DisputeIn(station_code=station, community_code=community, room_id=room.id, summary=summary,
                     mediator_ids=[m.id for m in mediators], parties=parties, **kw)


@contextlib.contextmanager
def _ago(delta: dt.timedelta) -> Iterator[None]:
    clock.shift(-delta)
    try:
        yield
    finally:
        clock.shift(delta)



# Family and neighbour quarrels peak in the weeks before the Spring Festival, when people come home.
SEASON = Season(before=2.0, holiday=1.4)
# (last year, this year): how many disputes came in to the rooms by walk-in or from the grid (last year's
# count; this year's year to date is the change against the same dates), the share settled, the share whose
# first session was the same day.
WALK_INS = (30, -0.20)
SETTLED = (0.78, 0.95)
SAME_DAY = (0.70, 0.93)
CATEGORIES = ("neighbour", "family", "parking", "landlord_tenant", "labour", "catering_fumes")


def carry_to_close(db: Session, dispute_id: int, *, actor, rng: random.Random, settled: bool,
                   same_day: bool) -> None:
    """A past dispute's story, each step at its time after intake: the first session the same day (or the
    next), settled with an agreement performed and checked at the return visit, or left unsettled, followed
    up by the community officer; then closed. Every clock a step starts is ended by a later one; a step whose
    time has not come yet is not taken (a recent dispute is still under way, its clocks running)."""
    dispute = db.get(Dispute, dispute_id)
    now = clock.now()
    due = clocks.same_day_due(dispute.received_at)
    first = (min(dispute.received_at + dt.timedelta(hours=rng.uniform(0.5, 3)), due - dt.timedelta(minutes=20))
             if same_day else due + dt.timedelta(hours=rng.uniform(9, 30)))
    ended = first + dt.timedelta(minutes=rng.uniform(30, 90))
    visit = ended + (dt.timedelta(days=rng.uniform(2, 6)) if settled else dt.timedelta(hours=rng.uniform(2, 10)))
    closed = visit + dt.timedelta(days=1)
    if ended >= now:
        return
    with clock.at(first):
        service.start_session(db, dispute=dispute, actor=actor, room_id=dispute.room_id)
    with clock.at(ended):
        if settled:
            service.record_session(db, dispute=dispute, actor=actor, data=SessionIn(
                outcome="settled", note="双方达成一致", agreement=AgreementIn(
                    facts=dispute.summary, responsibilities="双方各自承担相应责任。", obligations="按约定履行。",
                    performance_method="当面履行", performance_place="调解室",
                    performance_due_on=clock.today_local() + dt.timedelta(days=5),
                    signatures=[*({"name": p.name, "role": "party"} for p in dispute.parties),
                                {"name": "调解员", "role": "mediator"}])))
        else:
            service.record_session(db, dispute=dispute, actor=actor, data=SessionIn(
                outcome="unsettled", note="双方分歧较大"))
    if visit >= now:
        return
    with clock.at(visit):
        note = "回访：协议已履行" if settled else "民警跟进，告知诉讼途径"
        service.record_follow_up(db, dispute=dispute, actor=actor,
                                 data=FollowUpIn(note=note, agreement_performed=True if settled else None))
    if closed < now:
        with clock.at(closed):
            service.close(db, dispute=dispute, reason="调解终结" if settled else "引导诉讼", actor=actor)


def _history(db: Session, rooms: dict[str, tuple[Room, list]], actors: dict[str, object]) -> None:
    """Two years of walk-in and grid disputes in 宁溪 and 头陀, each carried to its end."""
    rng = random.Random(19)
    last, this = last_and_this_year(rng, WALK_INS[0], WALK_INS[1], season=SEASON)
    codes = {"331003-05": ("331003-05-01", "331003-05-02"), "331003-01": ("331003-01-01", "331003-01-02")}
    for n, when in enumerate(last + this):
        year, k = (0, n) if n < len(last) else (1, n - len(last))
        station = ("331003-05", "331003-01")[n % 2]
        room, mediators = rooms[station]
        with clock.at(when):
            dispute = service.take_in(db, actor=actors[station], data=_dispute(
                station, rng.choice(codes[station]), room, mediators, "邻里纠纷，双方要求调解",
                source=rng.choice(["walk_in", "walk_in", "grid_report"]), category=rng.choice(CATEGORIES),
                parties=[{"name": f"当事人{n:03d}甲", "phone": f"1390577{n:04d}"},
                         {"name": f"当事人{n:03d}乙", "phone": f"1390578{n:04d}"}]))
        carry_to_close(db, dispute.id, actor=actors[station], rng=rng, settled=among(k, SETTLED[year]),
                       same_day=among(k, SAME_DAY[year]))


def _take_in(db: Session, *, actor, data: DisputeIn, minutes_ago: int = 150):
    with _ago(dt.timedelta(minutes=minutes_ago)):
        return service.take_in(db, actor=actor, data=data)


def _mediate(db: Session, dispute, *, actor, data: SessionIn, began: int, ended: int) -> None:
    """A session opened and ended some minutes ago, so the room schedule shows its span (a session recorded
    without being opened begins and ends at the same instant)."""
    with _ago(dt.timedelta(minutes=began)):
        service.start_session(db, dispute=dispute, actor=actor, room_id=dispute.room_id)
    with _ago(dt.timedelta(minutes=ended)):
        service.record_session(db, dispute=dispute, actor=actor, data=data)


def load_mediation_demo(db: Session) -> None:
    ningxi, toutuo = org_service.get_unit(db, "331003-05"), org_service.get_unit(db, "331003-01")
    if db.scalar(select(Room.id).where(Room.station_id == ningxi.id).limit(1)) is not None:
        return
    mediator, duty = auth.get_user(db, "mediator_ningxi"), auth.get_user(db, "duty_toutuo")
    dashanli = service.add_room(db, station=ningxi, name="大山里调解室", actor=None)
    toutuo_room = service.add_room(db, station=toutuo, name="头陀所调解室", actor=None)
    db.flush()
    elder = service.add_mediator(db, station=ningxi, name="王伯", kind=MediatorKind.ELDER, actor=None,
                                 user=mediator)
    lawyer = service.add_mediator(db, station=ningxi, name="陈律师", kind=MediatorKind.LAWYER, actor=None)
    toutuo_elder = service.add_mediator(db, station=toutuo, name="李阿姨", kind=MediatorKind.ELDER,
                                        actor=None)
    db.flush()
    _history(db, {"331003-05": (dashanli, [elder]), "331003-01": (toutuo_room, [toutuo_elder])},
             {"331003-05": mediator, "331003-01": duty})

    # Yesterday's walk-in, never mediated: overdue on the board.
    with _ago(dt.timedelta(days=1)):
        service.take_in(db, actor=mediator, data=_dispute(
            "331003-05", "331003-05-02", dashanli, [elder], "邻里宅基地边界争执，双方多次口角", source="walk_in",
            category="neighbour", place="大山里村3组",
            parties=[{"name": "王大山", "id_number": _id(1), "phone": "13905760001"},
                     {"name": "李二水", "id_number": _id(2), "phone": "13905760002"}]))

    service.take_in(db, actor=mediator, data=_dispute(
        "331003-05", "331003-05-01", dashanli, [elder], "餐馆油烟扰民，楼上住户投诉", source="call_110",
        category="catering_fumes", call_no="110-20261129-0031", place="宁溪镇老街12号",
        parties=[{"name": RESIDENT.name, "id_number": RESIDENT.id_number, "phone": RESIDENT.phone},
                 {"name": "钱老板", "phone": "13905760004"}]))

    unsettled = _take_in(db, actor=mediator, data=_dispute(
        "331003-05", "331003-05-01", dashanli, [elder, lawyer], "拖欠装修工人工资", source="walk_in",
        category="labour", parties=[{"name": "孙师傅", "id_number": _id(5), "phone": "13905760005"},
                                    {"name": "周老板", "id_number": _id(6), "phone": "13905760006"}]))
    _mediate(db, unsettled, actor=mediator, began=140, ended=95,
             data=SessionIn(outcome="unsettled", note="双方对金额分歧较大，约定明日再谈"))

    settled = _take_in(db, actor=mediator, data=_dispute(
        "331003-05", "331003-05-02", dashanli, [elder], "停车位被占引发争吵", source="grid_report",
        category="parking", parties=[{"name": "吴先生", "id_number": _id(7), "phone": "13905760007"},
                                     {"name": "郑女士", "id_number": _id(8, "F"), "phone": "13905760008"}]))
    _mediate(db, settled, actor=mediator, data=SessionIn(
        outcome="settled", note="双方互相谅解", agreement=AgreementIn(
            facts="吴先生车辆长期占用郑女士固定车位，双方发生争吵。", responsibilities="吴先生负主要责任。",
            obligations="吴先生向郑女士赔礼道歉，并于一周内将车辆移出该车位。", performance_method="当面道歉并移车",
            performance_place="大山里小区", performance_due_on=clock.today_local() + dt.timedelta(days=7),
            signatures=[{"name": "吴先生", "role": "party"}, {"name": "郑女士", "role": "party"},
                        {"name": "王伯", "role": "mediator"}])), began=90, ended=60)

    follow = _take_in(db, actor=duty, data=_dispute(
        "331003-01", "331003-01-01", toutuo_room, [toutuo_elder], "房东扣押租房押金", source="walk_in",
        category="landlord_tenant", parties=[{"name": "冯租客", "id_number": _id(9), "phone": "13905760009"},
                                             {"name": "陈房东", "phone": "13905760010"}]))
    _mediate(db, follow, actor=duty, data=SessionIn(outcome="absent", note="房东未到场"), began=60, ended=50)
