"""The dashboard's exports: the sheet as an Excel workbook (one sheet per table, the filters, the time and who
exported written in it) and the monthly report (月度通报) as a Chinese PDF with the sheet, simple drawn charts
and a short text generated from the figures."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from openpyxl import Workbook

from pingan.core import clock
from pingan.platform import pdf as printed
from pingan.platform.users.models import User
from pingan.stats.catalogue import Good, Kind, Measure
from pingan.stats.periods import ALIGN_LABELS, PERIOD_LABELS, Period
from pingan.stats.service import Row, Sheet
from pingan.stats.vocabulary import MARK_LABELS

if TYPE_CHECKING:
    from fpdf import FPDF


def show(measure: Measure, value: float | None) -> str:
    if value is None:
        return "—"
    if measure.kind is Kind.RATE:
        return f"{value:.1%}"
    if measure.kind is Kind.MEAN:  # minutes: a response within the minute reads 0.95, not 0.9
        return f"{value:.{2 if value < 10 else 1}f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def label(r: Row) -> str:
    """The measure's name, and for a reader below a station whose figure it is (派出所口径)."""
    return f"{r.measure.label}（{r.station_level.name}口径）" if r.station_level else r.measure.label


def _row(r: Row) -> list:
    return [label(r), r.measure.unit, show(r.measure, r.this.value), show(r.measure, r.last.value),
            r.change_text, r.z, MARK_LABELS.get(r.mark or "", ""), "是" if r.worse else ""]


HEADER = ["指标", "单位", "本期", "去年同期", "变化", "z", "显著性", "变差"]


def workbook(sheets: list[Sheet], *, user: User, filters: dict) -> bytes:
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    about.append(["数据看板导出"])
    about.append(["导出人", f"{user.display_name or user.username}（{user.username}）"])
    about.append(["导出时间", clock.format_local(clock.now(), "%Y-%m-%d %H:%M:%S")])
    for key, value in filters.items():
        about.append([f"筛选：{key}", value])
    for s in sheets:
        about.append([f"{PERIOD_LABELS[s.period]}", f"{s.current.start} 至 {s.current.end}，"
                      f"对比 {s.before.start} 至 {s.before.end}（{ALIGN_LABELS[s.align]}）"])
        ws = wb.create_sheet(PERIOD_LABELS[s.period])
        ws.append([s.station.name if s.station else "全局"])
        ws.append(HEADER)
        for r in s.rows:
            ws.append(_row(r))
        ws.column_dimensions["A"].width = 24
    ytd = next((s for s in sheets if s.period is Period.YTD), sheets[-1])
    for code, rows in ytd.by_station.items():
        ws = wb.create_sheet(f"{code} {PERIOD_LABELS[ytd.period]}"[:31])
        ws.append(HEADER)
        for r in rows:
            ws.append(_row(r))
        ws.column_dimensions["A"].width = 24
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sentences(rows: list[Row]) -> list[str]:
    """The report's text: one sentence per count or amount that changed, from the figures themselves."""
    out = []
    for r in rows:
        a, b = r.this.value, r.last.value
        if r.measure.kind not in (Kind.COUNT, Kind.AMOUNT) or a is None or b is None:
            continue
        if b and a != b:
            verb = "上升" if a > b else "下降"
            out.append(f"{r.measure.label}{show(r.measure, a)}{r.measure.unit}，同比{verb}{abs(a - b) / b:.1%}"
                       + ("（显著）" if r.mark else "") + "。")
        elif not b and a:
            out.append(f"{r.measure.label}{show(r.measure, a)}{r.measure.unit}，去年同期为零。")
        elif not a and not b and r.measure.good is Good.DOWN and r.measure.target == 0:
            out.append(f"未发生{r.measure.label}。")
    return out


def _bars(pdf: FPDF, title: str, labels: list[str], this: list[float], last: list[float]) -> None:
    """Two bars per label (this year dark, last year light), drawn with the PDF's own rectangles."""
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    x0, y0, width, height = pdf.l_margin + 8, pdf.get_y() + 2, pdf.w - pdf.l_margin - pdf.r_margin - 10, 38
    top = max([*this, *last, 1])
    slot = width / max(1, len(labels))
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0 + height, x0 + width, y0 + height)
    for i, label in enumerate(labels):
        for j, (values, shade) in enumerate(((last, 190), (this, 60))):
            h = height * (values[i] or 0) / top
            pdf.set_fill_color(shade, shade, 200 if j else shade)
            pdf.rect(x0 + i * slot + slot * (0.15 + 0.35 * j), y0 + height - h, slot * 0.32, h, style="F")
        pdf.set_font("cjk", size=7)
        pdf.text(x0 + i * slot + slot * 0.1, y0 + height + 4, label)
    pdf.set_y(y0 + height + 7)


def report_pdf(month: dt.date, sheet: Sheet, charts: list[dict], *, user: User) -> bytes:
    pdf = printed.document(code="stats.pdf_font_missing", what="通报", title=f"{month.year}年{month.month}月 月度通报")
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, f"{month.year}年{month.month}月 平安建设月度通报", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.cell(0, 6, f"统计期：{sheet.current.start} 至 {sheet.current.end}，对比去年同期 {sheet.before.start} 至 "
                   f"{sheet.before.end}；生成：{clock.format_local(clock.now())}，{user.username}",
             align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 7, "".join(sentences(sheet.rows)) or "本月各项指标与去年同期持平。", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(2)
    widths = (58, 14, 26, 26, 30, 16, 20)
    pdf.set_font("cjk", size=8)
    pdf.set_fill_color(230, 230, 230)
    for w, h in zip(widths, HEADER[:7], strict=True):
        pdf.cell(w, 6, h, border=1, fill=True)
    pdf.ln()
    for r in sheet.rows:
        cells = _row(r)[:7]
        pdf.set_text_color(180, 0, 0) if r.worse else pdf.set_text_color(0, 0, 0)
        for w, value in zip(widths, cells, strict=True):
            pdf.cell(w, 5.5, "" if value is None else str(value), border=1)
        pdf.ln()
    pdf.set_text_color(0, 0, 0)
    for chart in charts:
        if pdf.get_y() > pdf.h - 70:
            pdf.add_page()
        pdf.ln(3)
        _bars(pdf, f"{chart['label']}：{chart['year']}年（深）与{chart['year'] - 1}年（浅）逐月对比",
              [f"{m}月" for m in range(1, 13)], [v or 0 for v in chart["this"]], [v or 0 for v in chart["last"]])
    return bytes(pdf.output())
