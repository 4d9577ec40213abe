"""Printed documents (the mediation agreement, the rental plate, the one-time notice, the monthly report): an
FPDF document with the CJK font the operator installed (Debian: fonts-noto-cjk; `PINGAN_PDF_FONT` and
`PINGAN_PDF_FONT_INDEX`). Without the font a document cannot be printed, and says so."""

from __future__ import annotations

from fpdf import FPDF

from pingan.core.config import get_settings
from pingan.core.errors import AppError


class FontMissing(AppError):
    status_code = 503


def document(*, code: str, what: str, title: str, page_format: str | tuple[float, float] = "A4") -> FPDF:
    """A new document titled ``title`` with the CJK font as "cjk"; 503 ``code`` if the font is not installed
    (``what`` names the document in the message: 协议书, 门牌…)."""
    settings = get_settings()
    font = settings.pdf_font
    if not font.is_file():
        raise FontMissing(code, f"服务器未安装中文字体（{font}），无法打印{what}，请安装 fonts-noto-cjk 或设置 "
                                f"PINGAN_PDF_FONT / no CJK font at {font}: install fonts-noto-cjk or set it")
    pdf = FPDF(format=page_format)
    pdf.set_title(title)
    pdf.set_creator("Pingan 平安")
    pdf.add_font("cjk", fname=str(font), collection_font_number=settings.pdf_font_index)
    return pdf
