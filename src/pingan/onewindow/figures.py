"""The read-only one-window numbers for a year in the reader's jurisdiction: applications by item, channel
and station; the share of items done within the legal limit; visits per application and the one-visit
share (最多跑一次); queue waiting median and p90; satisfaction; rectifications; the villages able to apply
online (an active service point in the register) and those whose agent applied; the monthly-style
ranking of windows by rating."""

from __future__ import annotations

import datetime as dt
import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.onewindow import repository as repo
from pingan.onewindow.models import (
    Application,
    ApplicationItem,
    Channel,
    Rating,
    Rectification,
    RectificationStatus,
    ServicePointStatus,
    Ticket,
)
from pingan.onewindow.vocabulary import CHANNEL_LABELS
from pingan.platform import records as register
from pingan.platform.org.models import OrgUnit
from pingan.platform.records import Link, Series


@dataclass
class Figures:
    year: int
    applications: int = 0
    items: int = 0
    by_item: list[dict] = field(default_factory=list)
    by_channel: list[dict] = field(default_factory=list)
    by_station: list[dict] = field(default_factory=list)
    within_limit_share: float | None = None
    visits_per_application: float | None = None
    one_visit_share: float | None = None
    waiting_median_minutes: float | None = None
    waiting_p90_minutes: float | None = None
    ratings: int = 0
    satisfaction: float | None = None
    rectifications: int = 0
    rectifications_closed: int = 0
    # Villages that can apply online: an active service point taking at least one service (the register).
    villages_online: int = 0
    # Villages whose agent applied in the year, and the active service points.
    villages_applied: int = 0
    service_points: int = 0
    # The month the window ranking covers (好差评 ranks windows monthly); None: the whole year.
    ranking_month: int | None = None
    window_ranking: list[dict] = field(default_factory=list)
    # Waiting and serving minutes (median) per service of the ticket.
    queue_by_service: list[dict] = field(default_factory=list)


def _bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    def start(y: int) -> dt.datetime:
        return dt.datetime(y, 1, 1, tzinfo=clock.LOCAL_TZ).astimezone(dt.UTC)

    return start(year), start(year + 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def p90(values: list[float]) -> float | None:
    """The nearest-rank 90th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


def compute(db: Session, user, year: int, month: int | None = None) -> Figures:
    start, end = _bounds(year)
    f = Figures(year=year, ranking_month=month)
    apps = list(db.scalars(select(Application).where(Application.submitted_at >= start,
                                                     Application.submitted_at < end, repo.in_scope(db, user))))
    items = list(db.scalars(select(ApplicationItem).join(Application).where(
        Application.submitted_at >= start, Application.submitted_at < end, repo.in_scope(db, user))))
    names = {c.code: c.name for c in repo.catalogue(db)}
    stations = {u.id: u for u in db.scalars(select(OrgUnit).where(
        OrgUnit.id.in_({a.station_id for a in apps} | {a.community_id for a in apps if a.community_id})))}
    f.applications, f.items = len(apps), len(items)
    f.by_item = [{"key": k, "label": names.get(k, k), "count": n}
                 for k, n in Counter(i.item_code for i in items).most_common()]
    f.by_channel = [{"key": c.value, "label": CHANNEL_LABELS[c], "count": n}
                    for c, n in Counter(a.channel for a in apps).most_common()]
    f.by_station = [{"key": stations[s].code, "label": stations[s].name, "count": n}
                    for s, n in Counter(a.station_id for a in apps).most_common()]
    done = [i for i in items if i.within_limit is not None]
    f.within_limit_share = _share(sum(1 for i in done if i.within_limit), len(done))
    visited = [a for a in apps if a.visits > 0]
    f.visits_per_application = round(sum(a.visits for a in visited) / len(visited), 3) if visited else None
    f.one_visit_share = _share(sum(1 for a in visited if a.visits == 1), len(visited))
    tickets = list(db.scalars(select(Ticket).where(
        Ticket.taken_at >= start, Ticket.taken_at < end, Ticket.called_at.is_not(None),
        repo.in_scope(db, user, Ticket.station_id))))
    waits = [(t.called_at - t.taken_at).total_seconds() / 60 for t in tickets]
    f.queue_by_service = _queue_by_service(tickets, names)
    f.waiting_median_minutes = round(statistics.median(waits), 2) if waits else None
    f.waiting_p90_minutes = round(p90(waits), 2) if waits else None
    rated = list(db.scalars(select(Rating).where(Rating.rated_at >= start, Rating.rated_at < end, Rating.counts,
                                                 repo.in_scope(db, user, Rating.station_id))))
    f.ratings = len(rated)
    f.satisfaction = _share(sum(1 for r in rated if r.grade >= 4), len(rated))
    fixes = list(db.scalars(select(Rectification).where(Rectification.opened_at >= start,
                                                        Rectification.opened_at < end,
                                                        repo.in_scope(db, user, Rectification.unit_id))))
    f.rectifications = len(fixes)
    f.rectifications_closed = sum(1 for r in fixes if r.status is RectificationStatus.CLOSED)
    f.villages_online = repo.villages_with_active_points(db, user)
    f.service_points = len(repo.points(db, user, status=ServicePointStatus.ACTIVE))
    f.villages_applied = len({a.community_id for a in apps
                              if a.channel is Channel.VILLAGE_AGENT and a.community_id is not None})
    f.window_ranking = _ranking(db, [r for r in rated if month is None or clock.local(r.rated_at).month == month])
    return f


def _queue_by_service(tickets: list[Ticket], names: dict[str, str]) -> list[dict]:
    groups: dict[str, list[Ticket]] = defaultdict(list)
    for t in tickets:
        groups[t.service_code].append(t)
    rows = []
    for code, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        served = [(t.finished_at - t.called_at).total_seconds() / 60 for t in group if t.finished_at]
        rows.append({"key": code, "label": names.get(code, code), "tickets": len(group),
                     "waiting_median_minutes": round(statistics.median(
                         (t.called_at - t.taken_at).total_seconds() / 60 for t in group), 2),
                     "serving_median_minutes": round(statistics.median(served), 2) if served else None})
    return rows


def _ranking(db: Session, rated: list[Rating]) -> list[dict]:
    """Windows by average grade, best first (ties: more ratings first)."""
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for r in rated:
        groups[(r.station_id, r.window or "—")].append(r.grade)
    codes = {u.id: u.code for u in db.scalars(select(OrgUnit).where(OrgUnit.id.in_({k[0] for k in groups})))}
    rows = [{"station_code": codes[s], "window": w, "ratings": len(g), "average": round(sum(g) / len(g), 3),
             "satisfied_share": round(sum(1 for x in g if x >= 4) / len(g), 4)} for (s, w), g in groups.items()]
    return sorted(rows, key=lambda r: (-r["average"], -r["ratings"], r["station_code"], r["window"]))


def as_dict(f: Figures) -> dict:
    return asdict(f)


def chart_data(f: Figures) -> dict:
    """What the figures page's ECharts draw: applications by item and by channel."""
    return {"items": {"labels": [r["label"] for r in f.by_item], "values": [r["count"] for r in f.by_item]},
            "channels": [{"name": r["label"], "value": r["count"]} for r in f.by_channel]}


def workbook(f: Figures) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "指标"
    sheet.append(["指标", "数值"])
    for label, value in (("申请数", f.applications), ("事项数", f.items), ("法定时限内办结率", f.within_limit_share),
                         ("平均跑动次数", f.visits_per_application), ("最多跑一次占比", f.one_visit_share),
                         ("等候时间中位数（分钟）", f.waiting_median_minutes),
                         ("等候时间P90（分钟）", f.waiting_p90_minutes), ("评价数", f.ratings),
                         ("满意率", f.satisfaction), ("差评整改", f.rectifications),
                         ("整改办结", f.rectifications_closed), ("可网上申请的村（代办点）", f.villages_online),
                         ("本年村级代办申请村数", f.villages_applied), ("在服务代办点", f.service_points)):
        sheet.append([label, value])
    for title, rows in (("按事项", f.by_item), ("按渠道", f.by_channel), ("按派出所", f.by_station)):
        ws = wb.create_sheet(title)
        ws.append(["代码", "名称", "数量"])
        for r in rows:
            ws.append([r["key"], r["label"], r["count"]])
    waiting = wb.create_sheet("等候与办理")
    waiting.append(["事项", "号票", "等候中位数（分钟）", "办理中位数（分钟）"])
    for r in f.queue_by_service:
        waiting.append([r["label"], r["tickets"], r["waiting_median_minutes"], r["serving_median_minutes"]])
    ranking = wb.create_sheet("窗口排名")
    ranking.append(["派出所", "窗口", "评价数", "平均分", "满意率"])
    for r in f.window_ranking:
        ranking.append([r["station_code"], r["window"], r["ratings"], r["average"], r["satisfied_share"]])
    for ws in wb.worksheets:
        ws.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The daily series the dashboard keeps, per day and station (a village agent's applications per village): an
# item counts on the day its application came in, among the on-time ones once done within its legal limit;
# an application with a visit counts for the one-visit share; a rating on the day it was given.
def _items(*where) -> Callable:
    return lambda: (select(Application.id.label("key"), Application.submitted_at.label("at"),
                           ApplicationItem.station_id.label("unit"), ApplicationItem.item_code.label("label"))
                    .join(Application, Application.id == ApplicationItem.application_id)
                    .where(ApplicationItem.within_limit.is_not(None), *where))


def _applications(*where, unit=None) -> Callable:
    unit = Application.station_id if unit is None else unit
    return lambda: select(Application.id.label("key"), Application.submitted_at.label("at"), unit.label("unit"),
                          Application.id.label("label")).where(*where)


def _ratings(*where) -> Callable:
    return lambda: (select(ApplicationItem.application_id.label("key"), Rating.rated_at.label("at"),
                           Rating.station_id.label("unit"), Rating.grade.label("label"))
                    .join(ApplicationItem, ApplicationItem.id == Rating.item_id).where(Rating.counts, *where))


_APP = {"at": lambda: Application.submitted_at, "href": "/onewindow/applications/{key}"}
_RATED = {"at": lambda: Rating.rated_at, "unit": lambda: Rating.station_id, "href": "/onewindow/applications/{key}"}
SERIES = {s.code: s for s in (
    Series("onewindow.items_done", _items(), unit=lambda: ApplicationItem.station_id, **_APP),
    Series("onewindow.items_on_time", _items(ApplicationItem.within_limit.is_(True)),
           unit=lambda: ApplicationItem.station_id, **_APP),
    Series("onewindow.visited", _applications(Application.visits > 0), unit=lambda: Application.station_id, **_APP),
    Series("onewindow.one_visit", _applications(Application.visits == 1), unit=lambda: Application.station_id,
           **_APP),
    Series("onewindow.village_applications",
           _applications(Application.channel == Channel.VILLAGE_AGENT, Application.community_id.is_not(None),
                         unit=Application.community_id), unit=lambda: Application.community_id, **_APP),
    Series("onewindow.ratings", _ratings(), **_RATED),
    Series("onewindow.satisfied", _ratings(Rating.grade >= 4), **_RATED),
)}


def daily_counts(db: Session, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int | None, float]]:
    """(series code, local day, station or village id, value) over the days [start, end]."""
    return register.daily_counts(db, SERIES.values(), start, end)


def records(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[Link]:
    """The applications (or their ratings) one series counts in those units and days."""
    return register.records(db, SERIES[code], unit_ids, start, end)


def villages_online(db: Session) -> int:
    """How many villages of the county can apply online now: an active service point taking a service."""
    return repo.villages_with_active_points(db, None)


def online_services(db: Session) -> int:
    """How many services of the catalogue can be applied for online (on the province's app)."""
    return sum(1 for item in repo.catalogue(db) if item.online)
