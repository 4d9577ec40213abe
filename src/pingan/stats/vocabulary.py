"""The dashboard's Chinese labels and audit actions."""

from __future__ import annotations

import enum

from pingan.stats.catalogue import Good, Kind


class Action(enum.StrEnum):
    SHEET_EXPORTED = "stats.sheet.exported"
    REPORT_EXPORTED = "stats.report.exported"
    RECORDS_VIEWED = "stats.records.viewed"


ACTION_LABELS = {Action.SHEET_EXPORTED: "导出数据看板", Action.REPORT_EXPORTED: "导出月度通报",
                 Action.RECORDS_VIEWED: "查看指标明细"}
KIND_LABELS = {Kind.COUNT: "计数", Kind.AMOUNT: "金额", Kind.RATE: "比率", Kind.MEAN: "平均值",
               Kind.UNITS: "覆盖单位数", Kind.LEVEL: "当前状态"}
GOOD_LABELS = {Good.UP: "越高越好", Good.DOWN: "越低越好", Good.NEITHER: "不设方向"}
MARK_LABELS = {"strong": "显著（|z|≥3）", "marked": "值得关注（|z|≥2）"}
