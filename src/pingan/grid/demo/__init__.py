"""The grid's part of the demo county (loaded once; a second load changes nothing): the force of the 头陀 grids
and the officer covering them, check-in points, this year's targets, a year of the 头陀 grid's work through
the services — reports, handed calls, its last month's collection, patrols and publicity, nearly all of it
done and verified — and two years of every grid's ledger (`ledger`), with a few open items on today's board:
a hazard waiting to be accepted and a handed call the grid worker has yet to sign for."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.grid import service
from pingan.grid.call import service as calls
from pingan.grid.collection import service as collection
from pingan.grid.demo import ledger
from pingan.grid.models import CheckPoint, Member, MemberKind, TargetKind
from pingan.grid.patrol import service as patrols
from pingan.grid.publicity import service as publicity
from pingan.grid.report import service as reports
from pingan.grid.schemas import (
    CheckPointIn,
    CollectionIn,
    CoverageIn,
    HandoverIn,
    MemberIn,
    PatrolIn,
    PublicityIn,
    ReportIn,
    TargetIn,
)
from pingan.grid.target import service as targets
from pingan.platform.auth import service as auth

# The days of collection, patrols and publicity the 头陀 grid's worker records through the services (the
# two years before are in the ledger).
WORK_DAYS = 30


GRIDS = ("331003-01-01-01", "331003-01-01-02", "331003-01-01-03")
MEMBERS = [
    ("331003-01-01-01", "周网格", MemberKind.GRID_WORKER, "13905761001", "grid_toutuo"),
    ("331003-01-01-01", "陈保安", MemberKind.GUARD, "13905761002", None),
    ("331003-01-01-01", "林楼长", MemberKind.BUILDING_HEAD, "13905761003", None),
    ("331003-01-01-01", "王志愿", MemberKind.VOLUNTEER, "13905761004", None),
    ("331003-01-01-02", "吴网格", MemberKind.GRID_WORKER, "13905761005", None),
    ("331003-01-01-03", "郑网格", MemberKind.GRID_WORKER, "13905761006", None),
]
# (category, fields, what the worker saw, how it was dealt with)
REPORTS = [
    ("safety_hazard", {"hazard_kind": "electric", "urgent": "yes"}, "电线裸露垂落，离地不足两米", "供电所已抢修"),
    ("fire_risk", {"risks": ["ebike_charging"]}, "楼道内电动车充电", "已劝离并张贴告示"),
    ("rental_house", {"issue": "unregistered"}, "出租房新住进三名租客未登记", "已上门登记"),
    ("suspicious_person", {"features": "背黑色双肩包，挨家挨户敲门"}, "陌生人反复敲门推销", "经核实为快递员"),
    ("wildlife", {"species": "画眉", "count": 6, "situation": "kept"}, "出租房内笼养疑似野生画眉",
     "森林公安已现场确认并收缴"),
    ("fraud_lead", {"channel": "phone", "amount": 20000}, "老人称接到冒充公检法电话", "已上门劝阻并安装反诈App"),
    ("dispute", {"parties_count": 2, "risk_of_violence": "no"}, "邻居因晾晒衣物争吵", "双方和解"),
    ("other", {}, "路灯损坏多日", "已告知村委维修"),
]
CALLS = [("噪音扰民：楼上深夜装修", "已上门协调，施工改为白天"), ("路边违停堵塞村道", "已联系车主挪车"),
         ("邻居家狗吠扰民", "已劝说主人看管"), ("垃圾堆放散发异味", "已通知保洁清运")]
TOPICS = [("anti_fraud", "反诈宣传进村"), ("fire", "消防安全入户"), ("road_safety", "交通安全课堂"),
          ("drugs", "禁毒宣传")]



def _address(grid_code: str, n: int) -> str:
    return f"{grid_code.replace('-', '')}-{n:03d}"


def _force(db: Session) -> dict[str, Member]:
    for code in GRIDS:
        service.assign_coverage(db, data=CoverageIn(grid_code=code, officer_username="officer_toutuo"), actor=None)
    workers = {}
    for grid, name, kind, phone, username in MEMBERS:
        member = service.add_member(db, data=MemberIn(grid_code=grid, name=name, kind=kind, phone=phone,
                                                      username=username), actor=None)
        if username:
            workers[grid] = member
    db.flush()
    return workers


def _report_year(db: Session, rng: random.Random, worker, officer, days: list[dt.datetime]) -> None:
    for i, day in enumerate(days):
        category, fields, seen, done = REPORTS[i % len(REPORTS)]
        with clock.at(day):
            report, _ = reports.submit(db, actor=worker, data=ReportIn(
                grid_code=GRIDS[0], category=category, description=seen, fields=fields,
                address_code=_address(GRIDS[0], rng.randint(1, 20))))
        with clock.at(day + dt.timedelta(hours=rng.uniform(0.3, 3))):
            reports.accept(db, report=report, note="", actor=officer)
        with clock.at(day + dt.timedelta(hours=rng.uniform(3, 20))):
            if category == "dispute":
                reports.handover(db, report=report, actor=officer, data=HandoverIn(
                    target="department", department="村调委会", note="移交村调委会调处"))
            else:
                reports.handle(db, report=report, handling=done, actor=officer)
            reports.feedback(db, report=report, text=done, actor=officer)
            reports.close(db, report=report, note="", actor=officer)


def _call_year(db: Session, rng: random.Random, duty, worker, officer, days: list[dt.datetime]) -> None:
    for i, day in enumerate(days):
        summary, done = CALLS[i % len(CALLS)]
        with clock.at(day):
            call = calls.receive_call(db, actor=duty, call_no=f"110-{day:%Y%m%d}-{i:04d}",
                                      phone=f"1390576{rng.randint(2000, 2400):04d}", summary=summary,
                                      station_code="331003-01", address_code=_address(GRIDS[0], rng.randint(1, 20)))
        if i % 15 == 7:
            with clock.at(day + dt.timedelta(hours=1)):
                calls.return_call(db, call=call, reason="现场有人受伤，属警务事项", actor=worker)
            continue
        late = i % 9 == 4
        with clock.at(day + dt.timedelta(hours=rng.uniform(0.2, 1.5))):
            calls.accept(db, call=call, note="", actor=worker)
        with clock.at(day + dt.timedelta(hours=30 if late else rng.uniform(2, 20))):
            calls.handle(db, call=call, handling=done, actor=worker)
            calls.feedback(db, call=call, text=done, actor=worker)
            calls.close(db, call=call, note="", actor=worker)
        with clock.at(day + dt.timedelta(days=1, hours=2)):
            calls.call_back(db, call=call, note="来电人表示满意", satisfied=True, actor=officer)


def _work_month(db: Session, rng: random.Random, workers: dict, officer, start: dt.datetime, days: int) -> None:
    for grid in GRIDS:
        for n, name in ((1, "村口"), (8, "8号楼"), (15, "村委会")):
            patrols.add_checkpoint(db, data=CheckPointIn(grid_code=grid, name=name,
                                                         address_code=_address(grid, n)), actor=None)
    db.flush()
    actor = auth.get_user(db, "grid_toutuo")
    points = list(db.scalars(select(CheckPoint).order_by(CheckPoint.id)))
    for k in range(days // 3):
        day = start + dt.timedelta(days=3 * k, hours=9)
        with clock.at(day):
            for n in (rng.randint(1, 20), rng.randint(1, 20)):
                record, _ = collection.collect(db, actor=actor, data=CollectionIn(
                    kind="rental_house" if n % 2 else "shop", address_code=_address(GRIDS[0], n),
                    data={"checked": f"{day:%Y-%m-%d}"}))
                if k < days // 3 - 2:
                    collection.verify(db, record=record, actor=officer)
            resident, _ = collection.collect(db, actor=actor, data=CollectionIn(
                kind="floating_population", address_code=_address(GRIDS[0], 1 + k % 20), name=f"租户{k + 1:03d}",
                id_number=make_resident_id("331003", dt.date(1980 + k % 20, 1 + k % 12, 1 + k % 28), k % 100,
                                           "M" if k % 2 else "F"), data={"work": "务工"}))
            if k < days // 3 - 2:
                collection.verify(db, record=resident, actor=officer)
        if k % 2 == 0:
            with clock.at(day + dt.timedelta(hours=10)):
                event = publicity.record(db, actor=actor, data=PublicityIn(
                    grid_code=GRIDS[0], topic=TOPICS[k % 4][0], title=TOPICS[k % 4][1], place="头陀村文化礼堂",
                    audience=rng.randint(20, 120), materials=rng.randint(30, 200)))
                if k < days // 3 - 2:
                    publicity.verify(db, event=event, actor=officer)
        if k % 3 == 0:
            with clock.at(day + dt.timedelta(hours=11)):
                patrol = patrols.plan(db, actor=actor, data=PatrolIn(
                    grid_code=GRIDS[0], title="警网联动夜巡", member_ids=[workers[GRIDS[0]].id],
                    police_usernames=["officer_toutuo"]))
                patrols.start(db, patrol=patrol, actor=actor)
                for point in points[:3]:
                    patrols.check_in(db, patrol=patrol, token=point.token, actor=actor)
            with clock.at(day + dt.timedelta(hours=13)):
                patrols.end(db, patrol=patrol, actor=actor)
                patrols.verify(db, patrol=patrol, actor=officer)


def load_grid_demo(db: Session) -> None:
    if db.scalar(select(Member.id).limit(1)) is not None:
        return
    rng = random.Random(16)
    workers = _force(db)
    worker, officer, duty = (auth.get_user(db, name) for name in ("grid_toutuo", "officer_toutuo", "duty_toutuo"))
    year = clock.today_local().year
    for grid in GRIDS:
        for kind, n in ((TargetKind.COLLECTION, 120), (TargetKind.PATROL, 30), (TargetKind.PUBLICITY, 60)):
            targets.set_target(db, data=TargetIn(year=year, grid_code=grid, kind=kind, target=n), actor=None)
    targets.set_target(db, data=TargetIn(year=year, grid_code=GRIDS[0], member_id=workers[GRIDS[0]].id,
                                         kind=TargetKind.COLLECTION, target=100), actor=None)
    now = clock.now().replace(microsecond=0)
    start = now - dt.timedelta(days=360)
    report_days = sorted(start + dt.timedelta(days=rng.uniform(0, 355), hours=rng.uniform(0, 8)) for _ in range(96))
    call_days = sorted(start + dt.timedelta(days=rng.uniform(0, 355), hours=rng.uniform(0, 8)) for _ in range(48))
    _report_year(db, rng, worker, officer, report_days)
    _call_year(db, rng, duty, worker, officer, call_days)
    _work_month(db, rng, workers, officer, now - dt.timedelta(days=WORK_DAYS), WORK_DAYS)
    ledger.load_ledger(db)
    # Today's board: a hazard waiting for the officer, a handed call waiting for the grid worker.
    with clock.at(now - dt.timedelta(minutes=40)):
        reports.submit(db, actor=worker, data=ReportIn(
            grid_code=GRIDS[0], category="safety_hazard", description="村道边配电箱门被撬开，线路外露",
            fields={"hazard_kind": "electric", "urgent": "yes"}, address_code=_address(GRIDS[0], 3)))
    # The article's thrushes: a worker found protected birds caged at a rental house; the officer confirmed them
    # over video and handed the report to the police, where the call waits for the station to dispose of it.
    with clock.at(now - dt.timedelta(hours=2)):
        thrushes, _ = reports.submit(db, actor=worker, data=ReportIn(
            grid_code=GRIDS[0], category="wildlife", description="出租房内笼养画眉十余只，疑似非法收购",
            fields={"species": "画眉", "count": 12, "situation": "trade"}, address_code=_address(GRIDS[0], 7)))
    with clock.at(now - dt.timedelta(hours=1, minutes=30)):
        reports.accept(db, report=thrushes, note="视频确认为画眉", actor=officer)
        reports.handover(db, report=thrushes, actor=officer, data=HandoverIn(
            target="cases", note="涉嫌非法收购、出售珍贵野生动物，请派出所处置"))
    with clock.at(now - dt.timedelta(minutes=25)):
        calls.receive_call(db, actor=duty, call_no=f"110-{now:%Y%m%d}-9001", phone="13905762001",
                           summary="楼上住户深夜搬动家具，噪音扰民", station_code="331003-01",
                           address_code=_address(GRIDS[0], 5))
    db.flush()
