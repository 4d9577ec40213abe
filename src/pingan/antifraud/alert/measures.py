"""Alert measures for leaders and the anti-fraud centre: alerts by station and month, time to acknowledge and to
arrive (median, 90th percentile), outcomes, money protected, holds per branch; as a dict and as an Excel file."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import orjson
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.antifraud.alert import repository as alert_repo
from pingan.antifraud.models import Alert, Screening
from pingan.antifraud.vocabulary import OUTCOME_LABELS
from pingan.core import clock
from pingan.core.clock import LOCAL_TZ
from pingan.platform import access
from pingan.platform.org.models import BankBranch, OrgUnit
from pingan.platform.users.models import User


def person_brief(s: Screening) -> dict:
    """The few personal fields an alert shows (masked by the caller), read from the stored request."""
    req = orjson.loads(s.request)
    customer, payee = req.get("customer") or {}, req.get("payee") or {}
    return {"name": customer.get("name") or "", "phone": customer.get("phone"), "payee_name": payee.get("name"),
            "purpose": req.get("purpose"), "signals": req.get("signals") or []}


def percentile(values: list[float], q: float) -> float | None:
    """The q-th quantile by linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _period(since: dt.date | None, until: dt.date | None) -> tuple[dt.date, dt.date]:
    today = clock.today_local()
    return since or dt.date(today.year, 1, 1), until or today


def _timing(ack: list[float], arrive: list[float]) -> dict:
    def r(v):
        return None if v is None else round(v, 1)

    return {"acknowledged": len(ack), "ack_median_s": r(percentile(ack, 0.5)), "ack_p90_s": r(percentile(ack, 0.9)),
            "arrived": len(arrive), "arrive_median_min": r(percentile(arrive, 0.5)),
            "arrive_p90_min": r(percentile(arrive, 0.9))}


def measures(db: Session, *, user: User, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    """The measures over alerts created from ``since`` to ``until`` (local dates, inclusive) in the user's scope."""
    first, last = _period(since, until)
    start = dt.datetime.combine(first, dt.time(), LOCAL_TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
    stmt = (alert_repo.in_scope(db, user)
            .with_only_columns(Alert.station_id, Alert.branch_id, Alert.created_at, Alert.acknowledged_at,
                               Alert.arrived_at, Alert.outcome, Alert.amount_protected, Screening.amount)
            .join(Screening, Screening.id == Alert.screening_id)
            .where(Alert.created_at >= start, Alert.created_at < end))
    rows = db.execute(stmt).all()
    stations = dict(db.execute(select(OrgUnit.id, OrgUnit.name)).tuples().all())
    branches = {b.id: (b.name, b.bank.name) for b in db.scalars(
        access.scope(db, select(BankBranch), user, unit_column=BankBranch.station_id))}

    monthly: Counter = Counter()
    ack, arrive = defaultdict(list), defaultdict(list)
    outcomes: dict[int, Counter] = defaultdict(Counter)
    protected: dict[int, Decimal] = defaultdict(Decimal)
    per_branch: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for station_id, branch_id, created, acked, arrived, outcome, saved, amount in rows:
        monthly[(station_id, clock.local(created).strftime("%Y-%m"))] += 1
        if acked is not None:
            ack[station_id].append((acked - created).total_seconds())
        if arrived is not None:
            arrive[station_id].append((arrived - created).total_seconds() / 60)
        outcomes[station_id][outcome or "open"] += 1
        protected[station_id] += saved or 0
        per_branch[branch_id][0] += 1
        per_branch[branch_id][1] += amount
        per_branch[branch_id][2] += saved or 0

    station_ids = sorted({r[0] for r in rows}, key=lambda i: stations.get(i, ""))
    everything_ack = [v for vs in ack.values() for v in vs]
    everything_arrive = [v for vs in arrive.values() for v in vs]
    return {
        "since": first.isoformat(), "until": last.isoformat(), "alerts": len(rows),
        "money_protected": str(sum(protected.values(), Decimal(0)).quantize(Decimal("0.01"))),
        "by_station_month": [{"station": stations.get(s, str(s)), "month": m, "alerts": n} for (s, m), n in
                             sorted(monthly.items(), key=lambda kv: (kv[0][1], stations.get(kv[0][0], "")))],
        "timing": [{"station": stations.get(s, str(s)), **_timing(ack[s], arrive[s])} for s in station_ids]
        + [{"station": "合计", **_timing(everything_ack, everything_arrive)}],
        "outcomes": [{"station": stations.get(s, str(s)), **dict(outcomes[s]),
                      "money_protected": str(protected[s].quantize(Decimal("0.01")))} for s in station_ids],
        "holds_by_branch": sorted(({"branch": branches.get(b, (str(b), ""))[0], "bank": branches.get(b, ("", ""))[1],
                                    "holds": n, "held_amount": str(held.quantize(Decimal("0.01"))),
                                    "money_protected": str(saved.quantize(Decimal("0.01")))}
                                   for b, (n, held, saved) in per_branch.items()), key=lambda r: -r["holds"]),
    }


def workbook(data: dict) -> bytes:
    """The measures as an .xlsx file, one sheet per table (headers in Chinese)."""
    wb = Workbook()
    sheets = [
        ("按所按月", ["派出所", "月份", "预警数"],
         [(r["station"], r["month"], r["alerts"]) for r in data["by_station_month"]]),
        ("处置时效", ["派出所", "已签收", "签收用时中位数（秒）", "签收用时P90（秒）", "已到场", "到场用时中位数（分）",
                  "到场用时P90（分）"],
         [(r["station"], r["acknowledged"], r["ack_median_s"], r["ack_p90_s"], r["arrived"], r["arrive_median_min"],
           r["arrive_p90_min"]) for r in data["timing"]]),
        ("处置结果", ["派出所", *OUTCOME_LABELS.values(), "处置中", "挽回金额（元）"],
         [(r["station"], *(r.get(k, 0) for k in OUTCOME_LABELS), r.get("open", 0), float(r["money_protected"]))
          for r in data["outcomes"]]),
        ("网点止付", ["网点", "银行", "止付笔数", "止付金额（元）", "挽回金额（元）"],
         [(r["branch"], r["bank"], r["holds"], float(r["held_amount"]), float(r["money_protected"]))
          for r in data["holds_by_branch"]]),
    ]
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
    ws = wb.create_sheet("说明")
    ws.append(["统计区间", f"{data['since']} 至 {data['until']}"])
    ws.append(["预警总数", data["alerts"]])
    ws.append(["挽回金额（元）", float(data["money_protected"])])
    ws.append(["挽回金额口径", "以“劝阻成功”或“确认诈骗”办结的预警，办结时登记的未转出金额（不超过止付金额）之和"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
