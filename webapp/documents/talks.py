"""Documents filled from talk records: 谈话记录表, 提醒函 and 诫勉书.

The wording is deliberately not run through the message catalogue: these are official
documents, issued in Chinese whatever language the interface is showing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx import Document

from webapp.clock import to_org
from webapp.documents.layout import (
    add_body,
    add_form_table,
    add_salutation,
    add_signature,
    add_title,
    cn_date,
    new_document,
)
from webapp.lookups import dict_label, param_int, param_str
from webapp.models import Talk


def person(name: str, position: str) -> str:
    """Write a person as 姓名（单位职务）."""
    return f"{name}（{position}）" if position else name


def talk_time(talk: Talk) -> str:
    """Write a talk's time as 2026年11月20日 09:00—10:30 (across days: both dates)."""
    start, end = to_org(talk.started_at), to_org(talk.ended_at)
    text = f"{cn_date(start.date())} {start:%H:%M}—"
    if end.date() != start.date():
        text += f"{cn_date(end.date())} "
    return text + f"{end:%H:%M}"


def talk_record(talk: Talk) -> Document:
    """Fill the talk record form (谈话记录表)."""
    document = new_document()
    add_title(document, "谈话记录表")
    talk_type = dict_label("talk_type", talk.talk_type)
    if talk.occasion:
        talk_type += f"（必谈情形：{dict_label('talk_occasion', talk.occasion)}）"
    acknowledged = (
        f"{talk.acknowledged_by} {cn_date(talk.acknowledged_on)}" if talk.acknowledged_on else ""
    )
    rows: list[tuple[str, ...]] = [
        ("被谈话人", talk.cadre_name, "单位职务", talk.cadre_title),
        (
            "谈话人",
            "、".join(person(p["name"], p.get("position", "")) for p in talk.interviewers),
            "记录人",
            person(talk.note_taker_name, talk.note_taker_position),
        ),
        ("谈话时间", talk_time(talk), "谈话地点", talk.place),
        ("谈话类型", talk_type, "谈话方式", dict_label("talk_mode", talk.mode)),
    ]
    if talk.negative_info is not None:
        rows.append(("关联负面信息", talk.negative_info.number))
    rows += [
        ("谈话事由", talk.reason),
        ("谈话内容", talk.content),
        ("本人表态", talk.statement),
        ("整改要求", talk.rectification),
        ("回访日期", cn_date(talk.follow_up_on) if talk.follow_up_on else "", "签收", acknowledged),
        (
            "签名",
            "谈话人（签名）：\n\n记录人（签名）：\n\n被谈话人（签名）：\n\n"
            + "　" * 12
            + "年　　月　　日",
        ),
    ]
    add_form_table(document, rows)
    return document


@dataclass(frozen=True)
class ReminderLetter:
    """What a 提醒函 says: to whom, about what, what to do, and when."""

    cadre_name: str
    matters: str
    requirements: str
    issued_on: date


def reminder_letter(letter: ReminderLetter) -> Document:
    """Write a reminder letter (提醒函)."""
    document = new_document()
    add_title(document, "提醒函")
    add_salutation(document, f"{letter.cadre_name}同志：")
    add_body(document, "经了解，你存在以下需要引起重视的问题：")
    add_body(document, letter.matters)
    add_body(
        document,
        "根据干部日常管理监督有关规定，现对你进行书面提醒。希望你正视问题，深刻反思，"
        "认真加以整改。",
    )
    if letter.requirements.strip():
        add_body(document, "具体要求：")
        add_body(document, letter.requirements)
    add_body(document, "请于收到本函后认真对照检查，并将整改情况书面报告组织。")
    add_signature(document, param_str("document.issuer"), letter.issued_on)
    return document


def talk_reminder_letter(talk: Talk) -> Document:
    """Write the reminder letter that goes with a reminder talk."""
    day = to_org(talk.started_at).date()
    return reminder_letter(ReminderLetter(talk.cadre_name, talk.reason, talk.rectification, day))


def admonishment_letter(talk: Talk) -> Document:
    """Write the admonishment letter (诫勉书) that goes with an admonishment talk."""
    document = new_document()
    add_title(document, "诫勉书")
    add_salutation(document, f"{talk.cadre_name}同志：")
    add_body(document, "经查，你存在以下问题：")
    add_body(document, talk.reason)
    add_body(document, "根据干部日常管理监督有关规定，经研究，决定对你进行诫勉。")
    months = param_int("warning.tier2.influence_months")
    add_body(
        document,
        f"诫勉影响期为{months}个月，影响期内不得提拔或者重用，当年年度考核不得评为优秀等次。",
    )
    if talk.rectification.strip():
        add_body(document, "整改要求：")
        add_body(document, talk.rectification)
    workdays = param_int("action.self_criticism_workdays")
    issuer = param_str("document.issuer")
    add_body(
        document,
        f"请你在收到本诫勉书后{workdays}个工作日内向{issuer}作出书面检查，并认真抓好整改。",
    )
    add_signature(document, issuer, to_org(talk.started_at).date())
    document.add_paragraph()
    document.add_paragraph(f"抄送：{talk.cadre.unit.name}党委（党组）主要负责人。")
    return document
