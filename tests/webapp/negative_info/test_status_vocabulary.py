"""One vocabulary: an item's status is read back as a `workflows.verification.Status` member."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_report
from webapp.models import NegativeInfo
from workflows.verification import Status


def test_status_reads_back_as_a_status_member(db, world):
    info = make_report(world.cadre, status="pending")
    info.status = Status.VERIFYING
    db.session.flush()
    db.session.expire_all()
    stored = db.session.scalars(select(NegativeInfo).where(NegativeInfo.id == info.id)).one()
    assert stored.status is Status.VERIFYING
    assert (
        db.session.scalar(select(NegativeInfo.id).where(NegativeInfo.status == Status.VERIFYING))
        == info.id
    )
