"""Submissions by API: checked by the liaison's own form, filed by the liaison's own service.

Idempotent per (client, external id): a repeat answers the record already made, and two
concurrent submissions meet at the unique key of `api_submission`, the loser answering the
winner's record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from webapp.api.problems import ApiProblem, invalid
from webapp.attachments import services as attachments
from webapp.audit.recorder import acting_as
from webapp.extensions import db
from webapp.models import ApiClient, ApiSubmission, Cadre, NegativeInfo, OrgUnit
from webapp.negative_info import services as reports
from webapp.negative_info.forms import LiaisonForm
from webapp.security.crypto import id_number_hash
from webapp.security.scope import scoped

# Where each liaison form field sits in the API's body.
POINTERS = {"cadre_name": "/cadre/name", "cadre_unit_id": "/cadre/unit_code"}
POINTERS["cadre_position"] = "/cadre/position"


@dataclass(frozen=True)
class Upload:
    """One attachment as received: its name and bytes, and where it sat in the body."""

    filename: str
    content: bytes
    pointer: str


@dataclass(frozen=True)
class Outcome:
    """The record a submission led to, and whether this call made it."""

    info: NegativeInfo
    submission: ApiSubmission
    created: bool


def decoded(items: list[dict[str, str]]) -> list[Upload]:
    """Decode the base64 attachments of a JSON body, or refuse the first that is not base64."""
    uploads = []
    for index, item in enumerate(items):
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise invalid(
                f"/attachments/{index}/content_base64", _("不是有效的 base64 内容")
            ) from None
        uploads.append(Upload(item["filename"], content, f"/attachments/{index}"))
    return uploads


def fingerprint(payload: dict[str, Any], uploads: list[Upload]) -> str:
    """Return a digest of what was submitted, to tell a repeat from a different item."""
    content = {k: v for k, v in payload.items() if k != "attachments"}
    content["files"] = [hashlib.sha256(u.content).hexdigest() for u in uploads]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def previous(client: ApiClient, external_id: str) -> ApiSubmission | None:
    """Return the client's earlier submission under this external id, if any."""
    stmt = select(ApiSubmission).where(
        ApiSubmission.client_id == client.id, ApiSubmission.external_id == external_id
    )
    return db.session.scalars(stmt).first()


def repeat(found: ApiSubmission, digest: str) -> Outcome:
    """Answer a repeat with its record, or 409 when the content differs."""
    info = found.info
    if info is None:
        raise ApiProblem(409, _("该外部编号的报送正在处理中，请稍后再查询"))
    if found.fingerprint != digest:
        raise ApiProblem(
            409,
            _("该外部编号已报送过内容不同的信息（%(number)s）", number=info.number),
            current_version=info.version,
        )
    return Outcome(info, found, created=False)


def cadre_target(client: ApiClient, ref: dict[str, str]) -> tuple[str, int, str]:
    """Return (name, unit id, position) of the cadre named by ID number or by name and unit."""
    if ref.get("id_number"):
        stmt = scoped(
            select(Cadre).where(Cadre.id_number_hash == id_number_hash(ref["id_number"])),
            Cadre,
            client.account,
        )
        cadre = db.session.scalars(stmt).first()
        if cadre is None:
            raise invalid("/cadre/id_number", _("数据权限内没有该身份证号的干部"))
        return cadre.name, cadre.unit_id, ref.get("position") or cadre.position
    unit = db.session.scalars(
        select(OrgUnit).where(OrgUnit.code == ref["unit_code"], OrgUnit.active.is_(True))
    ).first()
    if unit is None:
        raise invalid("/cadre/unit_code", _("没有该编码的单位"))
    return ref["name"], unit.id, ref.get("position", "")


def liaison_form(payload: dict[str, Any], cadre: tuple[str, int, str]) -> LiaisonForm:
    """Run the liaison's form over the body; refuse with every field's path and message."""
    name, unit_id, position = cadre
    data = MultiDict(
        {
            "cadre_name": name,
            "cadre_unit_id": str(unit_id),
            "cadre_position": position,
            "category": payload["category"],
            "situation": payload["situation"],
            "source_channel": payload["source_channel"],
            "source_document_number": payload["source_document_number"],
            "occurred_on": payload["occurred_on"].isoformat(),
            "summary": payload["summary"],
            "details": payload["details"],
        }
    )
    if payload["details_has_identity"]:
        data["details_has_identity"] = "y"
    form = LiaisonForm(formdata=data, meta={"csrf": False}).fill_choices()
    if not form.validate():
        raise ApiProblem(
            422,
            _("请求内容有误"),
            [
                {"pointer": POINTERS.get(key, f"/{key}"), "detail": str(message)}
                for key, messages in form.errors.items()
                for message in messages
            ],
        )
    return form


def checked(uploads: list[Upload]) -> None:
    """Refuse an oversize, empty or fake-type attachment before anything is written."""
    for upload in uploads:
        try:
            attachments.check_file(io.BytesIO(upload.content), upload.filename)
        except attachments.RejectedFile as exc:
            raise invalid(upload.pointer, str(exc)) from None


@contextmanager
def linking(submission: ApiSubmission) -> Iterator[None]:
    """Point the submission at the item the service flushes, inside the service's transaction."""
    session = db.session()
    made: list[NegativeInfo] = []

    def spot(sess, _context):
        made.extend(obj for obj in sess.new if isinstance(obj, NegativeInfo))

    def link(_sess, _context):
        if made and submission.info_id is None:
            submission.info = made[0]

    event.listen(session, "after_flush", spot)
    event.listen(session, "after_flush_postexec", link)
    try:
        yield
    finally:
        event.remove(session, "after_flush", spot)
        event.remove(session, "after_flush_postexec", link)


def submit(client: ApiClient, payload: dict[str, Any], uploads: list[Upload], ip: str) -> Outcome:
    """File a client's item in the 待核实 queue once, however often it is sent."""
    digest = fingerprint(payload, uploads)
    found = previous(client, payload["external_id"])
    if found is not None:
        return repeat(found, digest)
    form = liaison_form(payload, cadre_target(client, payload["cadre"]))
    checked(uploads)
    account = client.account
    submission = ApiSubmission(
        client_id=client.id, external_id=payload["external_id"], fingerprint=digest
    )
    with acting_as(account, ip):
        try:
            db.session.add(submission)
            db.session.flush()  # takes the key first: a concurrent twin waits here, then fails
        except IntegrityError:
            db.session.rollback()
            return repeat(previous(client, payload["external_id"]), digest)
        stored = [
            attachments.store(io.BytesIO(u.content), u.filename, reports.OWNER_TYPE, account)
            for u in uploads
        ]
        db.session.flush()
        with linking(submission):
            info = reports.submit_liaison_report(
                account,
                form.cadre_name.data,
                form.cadre_unit_id.data,
                form.cadre_position.data or "",
                form.report_values(),
                [a.id for a in stored],
            )
    return Outcome(info, submission, created=True)
