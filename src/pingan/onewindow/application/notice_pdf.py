"""The one-time written notice (一次性告知书) as a printable PDF: every missing material of the application
at once, and the documents taken from the resident's file instead of being asked for again."""

from __future__ import annotations

from pingan.core import clock
from pingan.core.identity import mask_id_number
from pingan.onewindow.models import Application, Notice
from pingan.platform import pdf as printed


def render_notice(application: Application, notice: Notice) -> bytes:
    pdf = printed.document(code="onewindow.pdf_font_missing", what="告知书",
                           title=f"一次性告知书 申请 #{application.id}")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 14, "一次性告知书", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 8, f"{application.station.name}　申请编号 {application.id}　{clock.format_local(notice.issued_at)}",
             align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    masked = mask_id_number(application.applicant_id_number)
    pdf.multi_cell(0, 7, f"申请人：{application.applicant_name}　身份证号：{masked}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 7, "您申请的下列事项尚缺以下材料。本告知书一次性列明全部所需材料，请补齐后一次到窗口办理"
                         "（也可网上提交），无需再次询问。", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 9, "一、需补交的材料", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    for i, m in enumerate(notice.missing, start=1):
        pdf.multi_cell(0, 7, f"{i}. {m['item_name']}：{m['name']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 9, "二、已在档、无需再交的材料", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    if not notice.reused:
        pdf.multi_cell(0, 7, "无", new_x="LMARGIN", new_y="NEXT")
    for i, m in enumerate(notice.reused, start=1):
        pdf.multi_cell(0, 7, f"{i}. {m['item_name']}：{m['name']}（调用在档材料）", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 7, f"窗口工作人员：__________　　申请人签收：__________\n{application.station.name}（盖章）",
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
