"""Documents filled from inquiries: 函询通知书 and 说明真实性承诺书 (issued in Chinese only)."""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from webapp.documents.layout import (
    BODY_SIZE,
    add_body,
    add_salutation,
    add_signature,
    add_title,
    clean,
    cn_date,
    new_document,
)
from webapp.lookups import param_str
from webapp.models import Inquiry


def round_note(inquiry: Inquiry) -> str:
    """Say which round a letter is, from the second on."""
    return f"（第{inquiry.round}次函询）" if inquiry.round > 1 else ""


def inquiry_notice(inquiry: Inquiry) -> Document:
    """Write the inquiry notice (函询通知书)."""
    issuer = param_str("document.issuer")
    document = new_document()
    add_title(document, "函询通知书")
    add_salutation(document, f"{inquiry.cadre_name}同志：")
    add_body(
        document,
        f"根据有关反映，现就以下事项向你函询{round_note(inquiry)}。请你本着对组织忠诚老实的"
        "态度，对下列事项逐项作出书面说明，并在收到本通知书后"
        f"{inquiry.reply_workdays}个工作日内，即{cn_date(inquiry.reply_due)}前，将说明材料连同"
        f"本人签字的《说明真实性承诺书》一并报送{issuer}。",
    )
    add_body(document, "函询事项：")
    add_body(document, inquiry.matters)
    add_body(document, "说明材料应当实事求是，不得隐瞒、歪曲事实。")
    add_signature(document, issuer, inquiry.issued_on)
    return document


def truthfulness_pledge(inquiry: Inquiry) -> Document:
    """Write the pledge the cadre signs and returns with the reply (说明真实性承诺书)."""
    issuer = param_str("document.issuer")
    document = new_document()
    add_title(document, "说明真实性承诺书")
    add_salutation(document, f"{issuer}：")
    who = (
        f"{inquiry.cadre_name}（{inquiry.cadre_title}）"
        if inquiry.cadre_title
        else inquiry.cadre_name
    )
    add_body(
        document,
        f"本人{who}，对{cn_date(inquiry.issued_on)}函询通知书"
        f"{round_note(inquiry)}所列事项作出书面说明。本人郑重承诺：所作说明内容真实、完整、准确，"
        "没有隐瞒、歪曲或者虚构事实。如有不实，本人愿意承担相应责任，接受组织处理。",
    )
    add_body(document, "函询事项：")
    add_body(document, inquiry.matters)
    document.add_paragraph()
    for text in ("承诺人（签名）：" + "　" * 6, "　　年　　月　　日"):
        paragraph = document.add_paragraph(clean(text))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = BODY_SIZE * 2
    return document
