"""Which documents exist, what record each is filled from, and when it applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx import Document
from flask_babel import lazy_gettext as _l

from webapp.clock import to_org
from webapp.documents import inquiries, talks
from webapp.models import Inquiry, Talk


@dataclass(frozen=True)
class DocumentSpec:
    """A document filled from one kind of record."""

    code: str
    title: str  # in the file name and the document itself: always Chinese
    label: str  # on buttons: follows the interface language
    model: type
    build: Callable[[Any], Document]
    applies: Callable[[Any], bool]
    dated: Callable[[Any], date]


def talk_day(talk: Talk) -> date:
    """Return the day of a talk in the organisation's zone."""
    return to_org(talk.started_at).date()


def always(_record: Any) -> bool:
    """Apply to every record of the kind."""
    return True


DOCUMENTS: dict[str, DocumentSpec] = {
    spec.code: spec
    for spec in (
        DocumentSpec(
            "talk-record", "谈话记录表", _l("谈话记录表"), Talk, talks.talk_record, always, talk_day
        ),
        DocumentSpec(
            "reminder-letter",
            "提醒函",
            _l("提醒函"),
            Talk,
            talks.talk_reminder_letter,
            lambda talk: talk.talk_type == "reminder",
            talk_day,
        ),
        DocumentSpec(
            "admonishment-letter",
            "诫勉书",
            _l("诫勉书"),
            Talk,
            talks.admonishment_letter,
            lambda talk: talk.talk_type == "admonishment",
            talk_day,
        ),
        DocumentSpec(
            "inquiry-notice",
            "函询通知书",
            _l("函询通知书"),
            Inquiry,
            inquiries.inquiry_notice,
            always,
            lambda inquiry: inquiry.issued_on,
        ),
        DocumentSpec(
            "truthfulness-pledge",
            "说明真实性承诺书",
            _l("说明真实性承诺书"),
            Inquiry,
            inquiries.truthfulness_pledge,
            always,
            lambda inquiry: inquiry.issued_on,
        ),
    )
}


def available(record: Any) -> list[DocumentSpec]:
    """Return the documents that can be filled from a record."""
    return [
        spec
        for spec in DOCUMENTS.values()
        if isinstance(record, spec.model) and spec.applies(record)
    ]
