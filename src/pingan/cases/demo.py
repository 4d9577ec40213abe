"""The 打击 part of the demo county: two years of 110 calls and cases at 头陀 and 江口 (mostly solved and closed),
and the article's work — the 2006 homicide solved by a task force that tracked two brothers to Shandong, the
counterfeit veterinary-drug ring (5 sites, 1,800 boxes and 40 tonnes seized, 16 arrested), a stolen plant found
the same day, fraud reports with their stop-payments, fugitives old and new. Loaded once; again changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.cases.calls import service as calls
from pingan.cases.case import service as cases
from pingan.cases.fraud import service as fraud
from pingan.cases.fugitive import service as fugitives
from pingan.cases.models import Call, Case
from pingan.cases.schemas import (
    CallIn,
    CaseIn,
    CustodyIn,
    DisposeIn,
    FraudReportIn,
    FreezeIn,
    FugitiveEndIn,
    FugitiveIn,
    PayeeAnswerIn,
    PersonIn,
    SeizureIn,
    StepIn,
    TaskForceIn,
    TaskIn,
    TaskStepIn,
)
from pingan.cases.seizure import service as seizures
from pingan.cases.taskforce import service as taskforces
from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.grid.call import service as grid_calls
from pingan.mediation import demo as mediation_demo
from pingan.platform.auth import service as auth
from pingan.platform.demo.history import Season, among, last_and_this_year
from pingan.platform.org import service as org_service
from pingan.platform.org.models import UnitKind

STATIONS = {"331003-01": "duty_toutuo", "331003-02": "duty_jiangkou"}
# (call category, case kind, case category, title) of the everyday calls that become cases.
EVERYDAY = [("criminal", "criminal", "theft", "电动车被盗"), ("criminal", "criminal", "theft", "入室盗窃"),
            ("criminal", "criminal", "property_other", "冒领快递"), ("public_order", "administrative", "public_order",
                                                                       "酒后滋事"),
            ("criminal", "criminal", "robbery", "街头抢劫"),
            ("criminal", "criminal", "snatching", "飞车抢夺")]
# The branch's year (its report): telecom-fraud cases −22.6% and losses −21.3% year on year (to date, against the
# same dates last year), high-loss cases (≥ ¥1,000,000) 5 → 2, dispute calls −39%. Last year's counts; today's
# two fraud reports and today's dispute call are among this year's.
FRAUD = (31, -0.226)
FRAUD_LOSS_CHANGE = -0.213
HIGH_LOSS = (5, 2)
DISPUTE_CALLS = (28, -0.39)
# Fraud peaks before the Spring Festival (year-end bonuses, "customs" and "courier" scams); so do quarrels.
FRAUD_SEASON = Season(before=1.8, holiday=0.8)
DISPUTE_SEASON = Season(before=2.0, holiday=1.5)
# (typology, how the fraudster reached the victim)
TYPOLOGIES = [("brushing_rebate", "app"), ("impersonating_authorities", "phone"), ("investment", "wechat"),
              ("fake_customer_service", "phone"), ("loan", "app"), ("romance", "wechat")]
OTHER_CALLS = [("help", "grid", "老人走失求助，社区网格员协助寻回"), ("traffic", "grid", "路口信号灯故障，移交网格"),
               ("other", "false", "误拨110"), ("help", "grid", "楼道堆物堵塞，移交网格")]


def _id(seq: int, year: int = 1970, sex: str = "M") -> str:
    return make_resident_id("331003", dt.date(year + seq % 30, 1 + seq % 12, 1 + seq % 27), seq % 100, sex)



def _local(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=clock.LOCAL_TZ)


def _walk(db: Session, case: Case, actor, steps: list[str], days: list[int]) -> None:
    """Take the steps, each some days after the one before (the clock moves with them)."""
    start = clock.now()
    for name, day in zip(steps, days, strict=True):
        with clock.at(start + dt.timedelta(days=day, hours=1)):
            cases.step(db, case=case, name=name, data=StepIn(), actor=actor)


def _history(db: Session, users: dict, rng: random.Random) -> None:
    """Two years of calls: everyday cases (most solved and closed; the newest still open) and the rest."""
    today = clock.today_local()
    start = dt.date(today.year - 1, 1, 1)
    n = 0
    for station, username in STATIONS.items():
        actor = users[username]
        day = start
        while day < today - dt.timedelta(days=2):
            n += 1
            when = _local(day.year, day.month, day.day, 8 + rng.randrange(12))
            with clock.at(when):
                if rng.random() < 0.6:
                    call_cat, kind, category, title = rng.choice(EVERYDAY)
                    call = calls.record(db, actor=actor, data=CallIn(
                        call_no=f"110-{station[-2:]}-{n:05d}", station_code=station, category=call_cat,
                        summary=f"报警称{title}", caller_phone=f"139057{n:05d}"))
                    occurred = when - dt.timedelta(hours=rng.randrange(1, 12))
                    calls.dispose(db, call=call, actor=actor, data=DisposeIn(disposition="case", case=CaseIn(
                        kind=kind, category=category, title=title, summary=f"报警称{title}",
                        occurred_at=occurred, station_code=station)))
                    case = db.get(Case, call.case_id)
                    # Every robbery and snatching is solved (两抢全破); of the rest most, the newest still open.
                    two_robberies = category in ("robbery", "snatching")
                    recent = (today - day).days < 40 and not two_robberies
                    solved = two_robberies or rng.random() < 0.7
                    steps = ["file"] + (["solve"] if solved and not recent else []) + \
                            (["close"] if solved and not recent and kind == "administrative" else [])
                    _walk(db, case, actor, steps, [1, 1 + rng.randrange(2, 30), 35][:len(steps)])
                else:
                    category, disposition, summary = rng.choice(OTHER_CALLS)
                    call = calls.record(db, actor=actor, data=CallIn(
                        call_no=f"110-{station[-2:]}-{n:05d}", station_code=station, category=category,
                        summary=summary))
                    grid = _first_grid(db, station) if disposition == "grid" else None
                    calls.dispose(db, call=call, actor=actor, data=DisposeIn(disposition=disposition, note=summary,
                                                                             grid_code=grid))
                    if grid is not None:  # the grid did the work long ago: its side is closed and called back
                        _grid_done(db, call.call_no, summary, actor)
            day += dt.timedelta(days=rng.randrange(4, 9))


def _victim(n: int) -> dict:
    return {"name": f"受害人{n:03d}", "id_number": make_resident_id(
        "331003", dt.date(1950 + n % 50, 1 + n % 12, 1 + n % 28), n % 100, "MF"[n % 2]), "phone": f"1370576{n:04d}"}


def _losses(rng: random.Random, n: int, high: set[int], total: float | None = None) -> list[Decimal]:
    """Each report's loss: the ``high`` ones ≥ ¥1,000,000, the rest everyday amounts (scaled to ``total``)."""
    high_loss = {i: rng.uniform(1_050_000, 2_400_000) for i in high}
    weights = [rng.lognormvariate(10.3, 0.9) for _ in range(n)]
    if total is not None:
        rest = max(total - sum(high_loss.values()), 0.0)
        scale = rest / (sum(w for i, w in enumerate(weights) if i not in high) or 1)
        weights = [w * scale for w in weights]
    return [Decimal(round(high_loss.get(i, min(max(w, 1000.0), 950_000.0)))) for i, w in enumerate(weights)]


def _fraud_history(db: Session, users: dict, rng: random.Random) -> None:
    """Two years of victims' reports, shaped like the branch's year: fewer cases and less money lost this
    year, fewer high-loss cases. Each report's payee account was stopped (then frozen, renewed while its case
    needs it) or refused by the bank, its case filed and some solved; no clock of it is left to fire."""
    now, today = clock.now(), clock.today_local()
    last, this = last_and_this_year(rng, FRAUD[0], FRAUD[1], season=FRAUD_SEASON, already=2)
    to_date = [i for i, t in enumerate(last) if (t.month, t.day) < (today.month, today.day)]
    pool = to_date if len(to_date) >= HIGH_LOSS[0] else range(len(last))
    last_losses = _losses(rng, len(last), set(rng.sample(pool, HIGH_LOSS[0])))
    fixed = Decimal("1208600")  # today's two reports (see _today)
    target = float(sum(last_losses[i] for i in to_date)) * (1 + FRAUD_LOSS_CHANGE) - float(fixed)
    this_losses = _losses(rng, len(this), set(rng.sample(range(len(this)), min(HIGH_LOSS[1] - 1, len(this)))),
                          total=target)
    for n, (when, loss) in enumerate(zip(last + this, last_losses + this_losses, strict=True)):
        station = list(STATIONS)[n % len(STATIONS)]
        actor = users[STATIONS[station]]
        typology, method = rng.choice(TYPOLOGIES)
        with clock.at(when):
            found = fraud.report(db, actor=actor, data=FraudReportIn(
                victim=_victim(n), loss=loss, occurred_at=when - dt.timedelta(hours=rng.uniform(2, 30)),
                station_code=station, contact_method=method, typology=typology,
                payees=[{"account_no": f"6222{n:012d}", "bank_code": rng.choice(("TZB", "HYRCB"))}]))
            solve_in = 1 + rng.randrange(40)
            solved = rng.random() < 0.3 and when + dt.timedelta(days=solve_in + 1) < now
            _walk(db, found.case, actor, ["file", "solve"][:1 + solved], [0, solve_in][:1 + solved])
        _settle_payee(db, found.payees[0], actor, rng, when, now)


def _settle_payee(db: Session, payee, actor, rng: random.Random, reported: dt.datetime, now: dt.datetime) -> None:
    """The bank's answer a few hours after the report: stopped (then frozen the next day, and the freeze renewed
    a few days before it ends while that day has come) or refused. Steps whose time has not come wait."""
    answered = reported + dt.timedelta(hours=rng.uniform(1, 6))
    stopped = rng.random() < 0.8
    if answered >= now:
        return
    with clock.at(answered):
        fraud.answer(db, payee=payee, actor=actor, data=PayeeAnswerIn(result="stopped" if stopped else "refused"))
    frozen = reported + dt.timedelta(days=1)
    if not stopped or frozen >= now:
        return
    with clock.at(frozen):
        fraud.freeze(db, payee=payee, actor=actor, data=FreezeIn(approver="副所长 林"))
    while (renewal := dt.datetime.combine(payee.frozen_until, dt.time(10), clock.LOCAL_TZ)
           - dt.timedelta(days=5)) < now:
        with clock.at(renewal):
            fraud.freeze(db, payee=payee, actor=actor, data=FreezeIn(approver="副所长 林"))


def _dispute_calls(db: Session, users: dict, rng: random.Random) -> None:
    """Two years of 110 calls about quarrels, each handed to the station's mediation room and carried to its
    end there; fewer this year (today's call among them)."""
    last, this = last_and_this_year(rng, DISPUTE_CALLS[0], DISPUTE_CALLS[1], season=DISPUTE_SEASON, already=1)
    for n, when in enumerate(last + this):
        station = list(STATIONS)[n % len(STATIONS)]
        actor = users[STATIONS[station]]
        community = next(u.code for u in org_service.subtree(db, org_service.get_unit(db, station))
                         if u.kind is UnitKind.COMMUNITY)
        with clock.at(when):
            call = calls.record(db, actor=actor, data=CallIn(
                call_no=f"110-{station[-2:]}-D{n:04d}", station_code=station, category="dispute",
                summary="报警称与邻居发生争吵", caller_phone=f"1380576{n:04d}"))
            calls.dispose(db, call=call, actor=actor, data=DisposeIn(disposition="dispute", dispute={
                "category": rng.choice(mediation_demo.CATEGORIES), "community_code": community,
                "parties": [{"name": f"报警人{n:03d}", "phone": f"1380576{n:04d}"},
                            {"name": f"对方{n:03d}", "phone": f"1380577{n:04d}"}]}))
        year, k = (0, n) if n < len(last) else (1, n - len(last))
        mediation_demo.carry_to_close(db, call.dispute_id, actor=actor, rng=rng,
                                      settled=among(k, mediation_demo.SETTLED[year]),
                                      same_day=among(k, mediation_demo.SAME_DAY[year]))


def _first_grid(db: Session, station_code: str) -> str:
    station = org_service.get_unit(db, station_code)
    return next(u.code for u in org_service.subtree(db, station) if u.kind is UnitKind.GRID)


def _grid_done(db: Session, call_no: str, summary: str, actor) -> None:
    handed = grid_calls.by_call_no(db, call_no)
    grid_calls.accept(db, call=handed, note="", actor=actor)
    grid_calls.handle(db, call=handed, handling=summary, actor=actor)
    grid_calls.feedback(db, call=handed, text=summary, actor=actor)
    grid_calls.close(db, call=handed, note="", actor=actor)
    grid_calls.call_back(db, call=handed, note="来电人表示满意", satisfied=True, actor=actor)


def _cold_homicide(db: Session, users: dict) -> None:
    """2006: a homicide at 新下岙村; two brothers fled. 2026: a task force tracks them to Shandong."""
    duty, officer = users["duty_toutuo"], users["officer_toutuo"]
    brothers = [("陈某甲", _id(1, 1972)), ("陈某乙", _id(2, 1975))]
    with clock.at(_local(2006, 7, 15)):
        case = cases.register(db, actor=duty, data=CaseIn(
            kind="criminal", category="homicide", title="“7·14”新下岙村故意杀人案", station_code="331003-01",
            summary="2006年7月14日夜，新下岙村村民被人杀害，陈姓兄弟二人作案后潜逃",
            occurred_at=_local(2006, 7, 14, 23)))
        _walk(db, case, duty, ["file", "investigate"], [0, 1])
    with clock.at(_local(2006, 7, 20)):
        found = [fugitives.register_fugitive(db, actor=duty, data=FugitiveIn(
            name=name, id_number=number, case_id=case.id, wanted_since=dt.date(2006, 7, 20), danger="high",
            last_known_places=["黄岩区头陀镇", "山东省"])) for name, number in brothers]
    today = clock.today_local()
    with clock.at(_local(today.year, 3, 1)):
        force = taskforces.create(db, actor=duty, data=TaskForceIn(
            name="“7·14”命案积案专班", station_code="331003-01", lead_username="duty_toutuo",
            member_usernames=["officer_toutuo"], case_ids=[case.id]))
        for title, days, result in [("重新梳理案卷、走访知情人", 20, "获悉兄弟二人曾在山东务工"),
                                    ("比对山东暂住人口信息", 30, "锁定临沂市某镇二人化名居住"),
                                    ("赴山东临沂抓捕", 45, None)]:
            task = taskforces.raise_task(db, force=force, actor=duty, data=TaskIn(
                title=title, due_at=clock.now() + dt.timedelta(days=days), assignee_username=officer.username))
            if result:
                taskforces.move_task(db, force=force, task_id=task.id, actor=officer, data=TaskStepIn(event="done"))
                taskforces.move_task(db, force=force, task_id=task.id, actor=duty,
                                     data=TaskStepIn(event="result", result=result))
    with clock.at(_local(today.year, 4, 10)):
        for fugitive in found:
            fugitives.end(db, fugitive=fugitive, how="arrest", actor=duty,
                          data=FugitiveEndIn(place="山东省临沂市", note="专班赴鲁抓获"))


def _current_homicide(db: Session, users: dict) -> None:
    """This year's homicide, solved in three days (命案全破)."""
    duty = users["duty_jiangkou"]
    with clock.at(_local(clock.today_local().year, 2, 12)):
        case = cases.register(db, actor=duty, data=CaseIn(
            kind="criminal", category="homicide", title="“2·11”下洋村故意杀人案", station_code="331003-02",
            summary="村民因宅基地纠纷持械伤人致死", occurred_at=clock.now() - dt.timedelta(hours=10)))
        cases.add_person(db, case=case, actor=duty, data=PersonIn(
            kind="suspect", name="吴某", id_number=_id(60, 1968), suspect_status="arrested"))
        _walk(db, case, duty, ["file", "investigate", "solve", "transfer"], [0, 0, 3, 30])


def _move(db: Session, item, actor, kind: str, frm: str, to: str, **extra) -> None:
    """A custody movement signed by both sides."""
    seizures.move(db, item=item, actor=actor, data=CustodyIn(kind=kind, from_name=frm, to_name=to, from_signed=frm,
                                                             to_signed=to, **extra))


def _counterfeit_ring(db: Session, users: dict) -> None:
    """The counterfeit veterinary-drug ring: 60 officers, 5 sites, 1,800 boxes and 40 tonnes seized, 16 arrested."""
    duty = users["duty_jiangkou"]
    today = clock.today_local()
    when = _local(today.year, 9, 18) if today >= dt.date(today.year, 10, 1) else clock.now() - dt.timedelta(days=40)
    with clock.at(when):
        case = cases.register(db, actor=duty, data=CaseIn(
            kind="criminal", category="counterfeit", title="“9·18”制售假兽药案", station_code="331003-02",
            summary="出动警力60余名，同步捣毁制售假兽药窝点5处", occurred_at=when - dt.timedelta(days=2)))
        cases.step(db, case=case, name="file", data=StepIn(note="涉案金额巨大"), actor=duty)
        cases.step(db, case=case, name="investigate", data=StepIn(), actor=duty)
        for i in range(16):
            cases.add_person(db, case=case, actor=duty, data=PersonIn(
                kind="suspect", name=f"犯罪嫌疑人{i + 1:02d}", id_number=_id(10 + i, 1965),
                suspect_status="arrested" if i < 12 else "detained"))
        sites = [("窝点一 成品假兽药", 600, "box"), ("窝点二 成品假兽药", 500, "box"),
                 ("窝点三 成品假兽药", 700, "box"), ("窝点四 原料", 25, "tonne"), ("窝点五 原料", 15, "tonne")]
        items = [seizures.seize(db, case=case, actor=duty, data=SeizureIn(
            description=description, quantity=qty, unit=unit, value=qty * (300 if unit == "box" else 4000),
            held_at="江口所涉案财物保管中心", from_name="现场负责人", to_name=duty.display_name,
            from_signed="现场负责人", to_signed=duty.display_name)) for description, qty, unit in sites]
    with clock.at(when + dt.timedelta(hours=6)):
        for item in items:
            _move(db, item, duty, "handed_over", duty.display_name, "保管员 吴")
        _move(db, items[0], duty, "lent", "保管员 吴", "技术员 郑", reason="送省兽药监察所检验", approver="副所长 林",
              due_back_at=clock.now() + dt.timedelta(days=7))
    with clock.at(when + dt.timedelta(days=5)):
        _move(db, items[0], duty, "returned", "技术员 郑", "保管员 吴")
        # Still out with the laboratory, past its due-back time: flagged in the store.
        _move(db, items[3], duty, "lent", "保管员 吴", "技术员 郑", reason="原料成分鉴定", approver="副所长 林",
              due_back_at=clock.now() + dt.timedelta(days=3))
        taskforces.create(db, actor=duty, data=TaskForceIn(
            name="“9·18”假兽药专案专班", station_code="331003-02", lead_username="duty_jiangkou", case_ids=[case.id]))


def _earlier_today(hours: float) -> dt.datetime:
    """``hours`` before now, but today's work stays today's at any hour: soon after midnight the same steps
    are squeezed, in their order, into the minutes since midnight."""
    now = clock.now()
    since_midnight = now - dt.datetime.combine(clock.today_local(), dt.time(), clock.LOCAL_TZ)
    return now - min(dt.timedelta(hours=hours), since_midnight * hours / 24)


def _today(db: Session, users: dict) -> None:
    """Today's work at 头陀: a stolen plant found the same day, a call waiting to be disposed of, fraud reports,
    a fugitive still at large from 2011 and a new one."""
    duty, officer = users["duty_toutuo"], users["officer_toutuo"]
    with clock.at(_earlier_today(5)):
        plant = cases.register(db, actor=duty, data=CaseIn(
            kind="criminal", category="theft", title="小区盆景被盗", summary="居民报称门口罗汉松盆景被盗",
            occurred_at=_earlier_today(8), station_code="331003-01", community_code="331003-01-01",
            small=True, assignee_username=officer.username))
    with clock.at(_earlier_today(2)):
        cases.step(db, case=plant, name="file", data=StepIn(), actor=officer)
        cases.step(db, case=plant, name="solve", data=StepIn(note="调取监控，当日找回盆景"), actor=officer)
    quarrel = calls.record(db, actor=duty, data=CallIn(
        call_no="110-01-DISPUTE", station_code="331003-01", category="dispute", summary="邻居因楼道堆物发生争吵",
        caller_phone="13905766666", address_text="头陀镇头陀社区5幢"))
    calls.dispose(db, call=quarrel, actor=duty, data=DisposeIn(disposition="dispute", dispute={
        "category": "neighbour", "community_code": "331003-01-01",
        "parties": [{"name": "郑大姐", "id_number": _id(70, 1966, "F")}, {"name": "冯师傅", "phone": "13905765555"}]}))
    calls.record(db, actor=duty, data=CallIn(call_no="110-01-TODAY", station_code="331003-01", category="criminal",
                                             summary="报警称停放的电动车电瓶被盗", caller_phone="13905769999",
                                             address_text="头陀镇新下岙村32号"))
    with clock.at(_earlier_today(3)):
        fraud.report(db, actor=duty, data=FraudReportIn(
            victim={"name": "王阿婆", "id_number": _id(40, 1950, "F"), "phone": "13905768888"}, loss="1200000",
            occurred_at=_earlier_today(6), station_code="331003-01", contact_method="phone",
            typology="impersonating_authorities", summary="冒充公检法称其涉嫌洗钱，分三笔转入“安全账户”",
            payees=[{"account_no": "6230580000012345", "bank_code": "HYRCB", "name": "李某"},
                    {"account_no": "6217000000054321", "bank_code": "TZB", "name": "赵某"}],
            phones=["17000000123"]))
    fraud.report(db, actor=duty, data=FraudReportIn(
        victim={"name": "周先生", "id_number": _id(41, 1990), "phone": "13905767777"}, loss="8600",
        occurred_at=_earlier_today(2), station_code="331003-01", contact_method="app",
        typology="brushing_rebate", payees=[{"account_no": "6222000000067890", "bank_code": "TZB"}]))
    with clock.at(_local(2011, 5, 3)):
        robbery = cases.register(db, actor=duty, data=CaseIn(
            kind="criminal", category="robbery", title="“5·2”持刀抢劫案", station_code="331003-01",
            summary="2011年5月2日深夜持刀抢劫出租车司机", occurred_at=_local(2011, 5, 2, 23)))
        _walk(db, robbery, duty, ["file", "investigate"], [0, 1])
    with clock.at(_local(2011, 5, 10)):
        fugitives.register_fugitive(db, actor=duty, data=FugitiveIn(
            name="孙某", id_number=_id(50, 1980), case_id=robbery.id, wanted_since=dt.date(2011, 5, 10),
            danger="high", last_known_places=["广东省东莞市"]))
    with clock.at(clock.now() - dt.timedelta(days=10)):
        theft = cases.register(db, actor=duty, data=CaseIn(
            kind="criminal", category="theft", title="工地电缆被盗", summary="工地夜间电缆被盗约300米",
            occurred_at=clock.now() - dt.timedelta(days=1), station_code="331003-01"))
        cases.step(db, case=theft, name="file", data=StepIn(), actor=duty)
        fugitives.register_fugitive(db, actor=duty, data=FugitiveIn(
            name="钱某", id_number=_id(51, 1995), case_id=theft.id, wanted_since=clock.today_local(),
            danger="low", last_known_places=["黄岩区江口街道"]))


def load_cases_demo(db: Session) -> None:
    if db.scalar(select(Call.id).limit(1)) is not None:
        return
    users = {u: auth.get_user(db, u) for u in ("duty_toutuo", "duty_jiangkou", "officer_toutuo")}
    _history(db, users, random.Random(15))
    _fraud_history(db, users, random.Random(21))
    _dispute_calls(db, users, random.Random(22))
    _cold_homicide(db, users)
    _current_homicide(db, users)
    _counterfeit_ring(db, users)
    _today(db, users)
