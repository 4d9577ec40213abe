"""The unit's plate (门牌) as a PDF: its number, a QR code of its declaration address and the inspection
status, in the CJK font the operator installed. Worded as a house code, not a "rented room" label (tenants
said such plates label them)."""

from __future__ import annotations

import io

import segno

from pingan.platform import pdf as printed
from pingan.rental.models import RentalUnit
from pingan.rental.settings import get_rental_settings


def plate_number(unit: RentalUnit) -> str:
    return f"{unit.id:05d}"


def declaration_url(token: str) -> str:
    return f"{get_rental_settings().public_url.rstrip('/')}/r/{token}"


def render_plate(unit: RentalUnit, token: str, status: str) -> bytes:
    pdf = printed.document(code="rental.pdf_font_missing", what="门牌", title=f"房屋码 {plate_number(unit)}",
                           page_format=(148, 210))  # A5, in mm
    qr = io.BytesIO()
    segno.make(declaration_url(token), error="m").save(qr, kind="png", scale=10, border=2)
    qr.seek(0)
    pdf.add_page()
    pdf.set_font("cjk", size=22)
    pdf.cell(0, 14, "房屋码 · 一房一码", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=30)
    pdf.cell(0, 16, plate_number(unit), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=13)
    pdf.cell(0, 9, f"{unit.property.address.text} {unit.label}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.image(qr, x=(pdf.w - 90) / 2, w=90)
    pdf.ln(4)
    pdf.cell(0, 9, "入住请扫码自主申报居住登记（无需注册）", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 9, f"安全检查：{status}", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
