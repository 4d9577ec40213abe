"""The rental part of the demo county, in the 头陀 grid (331003-01-01-01): a factory dormitory and a group
rental of landlord_chen (the dormitory's manager signs in as manager_wu), a family flat of landlord_li;
tenants declared by each side, one verified, one waiting for the landlord's confirmation, an overcrowded room,
a hazard found at an inspection, and a tenant who is on a watch list; and two years of the dormitory's workers
coming and going before them, reported by the landlord, more of them on time this year than last (loaded once;
a second load changes nothing)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.platform.auth import service as auth
from pingan.platform.demo.history import Season, last_and_this_year
from pingan.platform.org import service as org_service
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchList
from pingan.rental import service
from pingan.rental.models import Property
from pingan.rental.schemas import DeclarationIn, EndIn, InspectionIn, PropertyIn, TenancyIn
from pingan.rental.vocabulary import ITEM_LABELS

GRID = "331003010101"
DORMITORY = f"{GRID}-005"
# The demo's wanted tenant: on the fugitives list if the cases module keeps one, else on the demo's own list.
WANTED = make_resident_id("522601", dt.date(1987, 8, 8), 41, "M")


def _id(seq: int, sex: str = "M") -> str:
    return make_resident_id("511321", dt.date(1990 + seq % 10, 1 + seq % 12, 1 + seq), seq, sex)


# Workers moving in (last year's count, this year's change to date): most after the Spring Festival, when the
# factory hires; the share of the landlord's reports made on time (3 working days), by year (last, this).
MOVES = (30, 0.10)
SEASON = Season(before=0.4, holiday=0.2)
ON_TIME = (0.70, 0.95)
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡"



def _history(db: Session, dorm: Property, landlord, grid) -> None:
    """Two years of the dormitory's workers before today's: each declared by the landlord (on time or some
    days late), met at the door by the grid worker the next day, and gone again before today, the move-out
    reported by the landlord too; no report clock is left running."""
    rng = random.Random(20)
    today = clock.today_local()
    last, this = last_and_this_year(rng, MOVES[0], MOVES[1], season=SEASON)
    for n, when in enumerate(last + this):
        year = int(when.year == today.year)
        on_time = rng.random() < ON_TIME[year]
        moved_in = when.date() - dt.timedelta(days=rng.randint(0, 1) if on_time else rng.randint(6, 12))
        stay = dt.timedelta(days=rng.randint(20, 150))
        left = min(when + stay, dt.datetime.combine(today - dt.timedelta(days=3), dt.time(18), clock.LOCAL_TZ))
        if left <= when + dt.timedelta(days=2):
            continue  # too recent to have come and gone
        with clock.at(when):
            tenancy = service.declare(db, prop=dorm, actor=landlord, data=TenancyIn.model_validate({
                "tenant": {"name": rng.choice(_SURNAMES) + f"工{n:02d}", "id_number": make_resident_id(
                    "511321", dt.date(1985 + n % 15, 1 + n % 12, 1 + n % 28), 50 + n % 50, "M"),
                           "phone": f"1390575{n:04d}"},
                "unit": rng.choice(["A101", "A102"]), "moved_in_on": moved_in.isoformat()}))
        with clock.at(when + dt.timedelta(days=1)):
            service.verify(db, tenancy=tenancy, actor=grid)
        late = rng.random() >= ON_TIME[year]
        with clock.at(left):
            service.end(db, tenancy=tenancy, actor=landlord, data=EndIn(
                moved_out_on=left.date() - dt.timedelta(days=rng.randint(6, 10) if late else 0)))


def _wanted_list(db: Session) -> WatchList:
    fugitives = db.scalar(select(WatchList).where(WatchList.code == "cases.fugitives"))
    if fugitives is not None:
        return fugitives
    return watch.ensure_list(db, code="rental.demo_wanted", name="在逃人员（演示）", kind=ListKind.WATCH,
                             owner_unit=org_service.get_unit(db, "331003-01"), owner_role=Role.DUTY_OFFICER)


def _tenant(db, prop, actor, seq, unit, days_ago, name, sex="M"):
    return service.declare(db, prop=prop, actor=actor, data=TenancyIn.model_validate({
        "tenant": {"name": name, "id_number": _id(seq, sex), "phone": f"1390576{3000 + seq}"},
        "unit": unit, "moved_in_on": (clock.today_local() - dt.timedelta(days=days_ago)).isoformat()}))


def load_rental_demo(db: Session) -> None:
    if db.scalar(select(Property.id).where(Property.name == "黄岩精工厂职工宿舍").limit(1)):
        return
    grid, chen = auth.get_user(db, "grid_toutuo"), auth.get_user(db, "landlord_chen")
    landlord = {"role": "landlord", "name": "陈建国", "phone": "13905764001", "username": "landlord_chen",
                "id_number": make_resident_id("331003", dt.date(1968, 4, 2), 21, "M")}
    dorm = service.register_property(db, actor=grid, data=PropertyIn.model_validate({
        "address_code": DORMITORY, "kind": "dormitory", "name": "黄岩精工厂职工宿舍", "keepers": [
            landlord, {"role": "manager", "name": "厂行政 吴主管", "id_number": _id(30), "phone": "13905764002",
                       "username": "manager_wu"}],
        "units": [{"label": "A101", "rooms": 1, "beds": 8, "area": 32}, {"label": "A102", "rooms": 1, "beds": 8,
                                                                        "area": 32}]}))
    group = service.register_property(db, actor=grid, data=PropertyIn.model_validate({
        "address_code": f"{GRID}-008-1-1-101", "kind": "group_rental", "name": "新下岙村8号1幢101群租房",
        "keepers": [landlord], "units": [{"label": "1", "beds": 2, "area": 9}, {"label": "2", "beds": 2, "area": 12},
                                         {"label": "3", "beds": 1, "area": 8}]}))
    flat = service.register_property(db, actor=grid, data=PropertyIn.model_validate({
        "address_code": f"{GRID}-012", "kind": "whole_flat", "name": "新下岙村12号", "keepers": [
            {"role": "landlord", "name": "李秀英", "phone": "13905764003", "username": "landlord_li",
             "id_number": make_resident_id("331003", dt.date(1972, 9, 9), 22, "F")}],
        "units": [{"label": "整套", "rooms": 3, "beds": 3, "area": 90}]}))
    db.flush()
    _history(db, dorm, chen, grid)

    workers = ["张建军", "刘小兵", "黄志强", "周大伟", "吴海涛", "郑国庆"]
    for i, name in enumerate(workers):
        t = _tenant(db, dorm, chen, 1 + i, "A101" if i < 4 else "A102", 1, name)
        service.verify(db, tenancy=t, actor=grid)
    # Group rental: room 1 over its beds (3 tenants, 2 beds, 9 m²; 朱勇 reported late), room 2 with the
    # wanted tenant.
    for i, (name, days_ago) in enumerate([("马强", 1), ("杨军", 1), ("朱勇", 10)]):
        _tenant(db, group, chen, 10 + i, "1", days_ago, name)
    entry_list = _wanted_list(db)
    watch.add_entry(db, watch_list=entry_list, id_number=WANTED, actor=None, note="演示：网上在逃人员")
    service.declare(db, prop=group, actor=chen, data=TenancyIn.model_validate({
        "tenant": {"name": "罗某", "id_number": WANTED, "phone": "13905763999"}, "unit": "2",
        "moved_in_on": (clock.today_local() - dt.timedelta(days=2)).isoformat()}))
    # The flat: a tenant's own declaration through the code, waiting for landlord_li (her clock runs).
    service.declare_public(db, unit=flat.units[0], data=DeclarationIn.model_validate({
        "name": "陈晓燕", "id_number": _id(20, "F"), "phone": "13905763020",
        "moved_in_on": clock.today_local().isoformat()}))
    results = {item.value: item.value != "ebike_charging" for item in ITEM_LABELS}
    service.inspect(db, prop=group, actor=grid, data=InspectionIn.model_validate(
        {"results": results, "note": "楼道内电动车充电"}))
    service.inspect(db, prop=dorm, actor=grid, data=InspectionIn.model_validate(
        {"results": {item.value: True for item in ITEM_LABELS}}))
