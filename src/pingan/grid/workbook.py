"""The figures as an Excel workbook (openpyxl): one sheet of totals, one of months, one of categories and grids."""

from __future__ import annotations

import io

from openpyxl import Workbook

from pingan.grid.figures import Figures
from pingan.grid.vocabulary import CATEGORY_LABELS, TARGET_KINDS


def figures_xlsx(f: Figures) -> bytes:
    book = Workbook()
    totals = book.active
    totals.title = "汇总"
    totals.append(["项目", "数值"])
    for label, value in (("年度", f.year), ("网格上报", f.reports), ("已反馈上报", f.reports_fed_back),
                         ("分流警情", f.calls), ("已反馈警情", f.calls_fed_back), ("按时反馈", f.calls_on_time),
                         ("退回派出所", f.calls_returned), ("重复来电", f.repeat_calls)):
        totals.append([label, value])
    totals.append([])
    totals.append(["工作", "已核实", "目标"])
    for kind, label in TARGET_KINDS.items():
        totals.append([label, f.verified.get(kind.value, 0), f.targets.get(kind.value, 0)])
    months = book.create_sheet("按月")
    months.append(["月份", "网格上报", "分流警情"])
    for m in range(12):
        months.append([f"{m + 1}月", f.by_month[m], f.calls_by_month[m]])
    kinds = book.create_sheet("按类别和网格")
    kinds.append(["类别", "上报数"])
    for code, n in sorted(f.by_category.items(), key=lambda kv: -kv[1]):
        kinds.append([CATEGORY_LABELS.get(code, code), n])
    kinds.append([])
    kinds.append(["网格", "上报数"])
    for name, n in sorted(f.by_grid.items(), key=lambda kv: -kv[1]):
        kinds.append([name, n])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
