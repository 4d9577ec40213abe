"""The people's mediation agreement (人民调解协议书) printed as a PDF in Chinese, with the CJK font the
operator installed (fonts-noto-cjk); without one the agreement cannot be printed and says so."""

from __future__ import annotations

from pingan.core import clock
from pingan.core.errors import not_found
from pingan.mediation.models import Dispute
from pingan.mediation.vocabulary import CATEGORY_LABELS, MEDIATOR_KINDS
from pingan.platform import pdf as printed


def render_agreement(dispute: Dispute) -> bytes:
    agreement = dispute.agreement
    if agreement is None:
        raise not_found("agreement", "调解协议")
    pdf = printed.document(code="mediation.pdf_font_missing", what="协议书", title=f"人民调解协议书 纠纷 #{dispute.id}")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 14, "人民调解协议书", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    year = clock.local(dispute.settled_at or dispute.received_at).year
    pdf.cell(0, 8, f"（{year}）{dispute.station.name}调字第 {dispute.id} 号", align="R",
             new_x="LMARGIN", new_y="NEXT")

    def section(title: str, body: str) -> None:
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 7, body, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    parties = "\n".join(
        f"当事人{i + 1}：{p.name}　身份证号：{p.id_number or '—'}　电话：{p.phone or '—'}"
        + (f"　住址：{p.address}" if p.address else "") for i, p in enumerate(dispute.parties))
    section("一、当事人", parties)
    section("二、纠纷事实", f"纠纷类型：{CATEGORY_LABELS[dispute.category]}。{agreement.facts}")
    section("三、争议事项及各方责任", agreement.responsibilities)
    section("四、协议内容（当事人的权利义务）", agreement.obligations)
    section("五、履行方式、地点和期限",
            f"履行方式：{agreement.performance_method}\n履行地点：{agreement.performance_place}\n"
            f"履行期限：{agreement.performance_due_on:%Y年%m月%d日}前")
    section("六、效力", "本协议经当事人签名、人民调解员签名并加盖调解组织印章后生效，具有法律约束力，"
                       "当事人应当按照约定履行。本协议一式三份，当事人各执一份，调解组织留存一份。")
    mediators = "、".join(f"{m.name}（{MEDIATOR_KINDS[m.kind]}）" for m in dispute.mediators) or "—"
    signed = "\n".join(f"{'当事人' if s['role'] == 'party' else '调解员'}：{s['name']}　已签名"
                       for s in agreement.signatures)
    section("七、签名", f"{signed}\n调解员：{mediators}\n"
                      f"调解组织：{dispute.station.name}{dispute.room.name if dispute.room else '人民调解室'}\n"
                      f"签订日期：{agreement.signed_on:%Y年%m月%d日}")
    return bytes(pdf.output())
