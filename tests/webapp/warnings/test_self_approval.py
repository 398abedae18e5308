"""不得自审: a warning's proposer approves none of its steps; nobody approves two of one chain."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.helpers import act, approve_all, offered, switch
from webapp.lookups import forget_cached
from webapp.models import Approval, DataScope, Parameter, Role, Warning
from webapp.warnings import services
from webapp.warnings.errors import WorkflowError


def post_approve(client, db, warning):
    """Post the detail page's approve form with the version the page showed."""
    version = db.session.get(Warning, warning.id).version
    data = {"approve-comment": "同意", "approve-version": str(version)}
    return client.post(f"/warnings/{warning.id}/events/approve", data=data)


def approvals(db, warning) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Approval).where(Approval.warning_id == warning.id)
    )


def set_chain(db, tier: int, roles: str) -> None:
    """Set a tier's approval chain parameter (as a sysadmin would) and drop the cache."""
    key = f"warning.tier{tier}.approval_chain"
    row = db.session.scalars(select(Parameter).where(Parameter.key == key)).one_or_none()
    if row is None:
        db.session.add(Parameter(key=key, value=roles, value_type="list"))
    else:
        row.value = roles
    db.session.commit()
    forget_cached()


@pytest.fixture
def second_reviewer(db, world):
    user = make_user("reviewer", world.root, DataScope.ALL)
    db.session.commit()
    return user


def test_the_proposer_gets_no_approve_button_and_a_refusal(
    client, login, db, world, second_reviewer
):
    # A reviewer (科长) may propose like a supervisor, and then must not approve it himself.
    warning = services.create_warning(world.reviewer, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.reviewer)
    login(world.reviewer.username)
    assert "approve" not in offered(client, warning)
    assert "reject" in offered(client, warning)
    assert warning.number not in client.get("/warnings/pending").get_data(as_text=True)

    response = post_approve(client, db, warning)
    assert response.status_code == 400
    assert "不得审批本人提出、提交审批或提请升级的预警" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Warning, warning.id).approval_step == 0
    assert approvals(db, warning) == 0

    switch(client, login, second_reviewer)
    assert "approve" in offered(client, warning)
    assert warning.number in client.get("/warnings/pending").get_data(as_text=True)
    assert post_approve(client, db, warning).status_code == 302
    assert approvals(db, warning) == 1


def test_the_service_refuses_the_proposer_with_a_code(db, world):
    warning = services.create_warning(world.reviewer, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.reviewer)
    with pytest.raises(WorkflowError) as caught:
        act(warning, "approve", world.reviewer, comment="同意")
    assert caught.value.code == "not_own_proposal"
    assert caught.value.field is None
    assert "不得审批本人提出" in caught.value.message


def test_whoever_submitted_a_draft_may_not_approve_it(db, world, second_reviewer):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.reviewer)
    with pytest.raises(WorkflowError) as caught:
        act(warning, "approve", world.reviewer)
    assert caught.value.code == "not_own_proposal"
    act(warning, "approve", second_reviewer)
    assert warning.approval_step == 1


def test_the_same_person_may_not_approve_two_steps_of_one_chain(
    client, login, db, world, second_reviewer
):
    set_chain(db, 1, "reviewer,reviewer")
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.supervisor)
    login(world.reviewer.username)
    assert post_approve(client, db, warning).status_code == 302
    db.session.expire_all()
    assert db.session.get(Warning, warning.id).approval_step == 1

    assert "approve" not in offered(client, warning)
    response = post_approve(client, db, warning)
    assert response.status_code == 400
    assert "同一人不得审批同一审批链中的两个步骤" in response.get_data(as_text=True)
    assert approvals(db, warning) == 1

    switch(client, login, second_reviewer)
    assert "approve" in offered(client, warning)
    assert post_approve(client, db, warning).status_code == 302
    db.session.expire_all()
    assert db.session.get(Warning, warning.id).state == "issued"


def test_a_role_changed_mid_chain_does_not_approve_a_second_step(db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.supervisor)
    act(warning, "approve", world.reviewer)
    world.reviewer.role = db.session.scalars(select(Role).where(Role.code == "approver")).one()
    db.session.commit()
    with pytest.raises(WorkflowError) as caught:
        act(warning, "approve", world.reviewer)
    assert caught.value.code == "one_step_per_person"
    act(warning, "approve", world.approver)
    assert warning.state == "issued"


def test_a_rejection_ends_the_chain_and_a_resubmission_starts_a_new_one(db, world):
    set_chain(db, 1, "reviewer,reviewer")
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.supervisor)
    act(warning, "approve", world.reviewer)
    second = make_user("reviewer", world.root, DataScope.ALL)
    db.session.commit()
    act(warning, "reject", second, reason="依据不足")
    act(warning, "submit", world.supervisor, reason="已补充依据")
    act(warning, "approve", world.reviewer)
    act(warning, "approve", second)
    assert warning.state == "issued"


def test_an_escalation_is_not_approved_by_whoever_escalated_it(db, world, second_reviewer):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需提醒")
    act(warning, "submit", world.supervisor)
    approve_all(world, warning)
    act(warning, "escalate", world.reviewer, reason="提醒后再次出现问题")
    with pytest.raises(WorkflowError) as caught:
        act(warning, "approve", world.reviewer)
    assert caught.value.code == "not_own_proposal"
    act(warning, "approve", second_reviewer)
    assert warning.approval_step == 1


def test_the_committee_decision_may_be_recorded_by_a_step_approver(db, world):
    # The committee's step files the 党委's collective decision: its recorder decides nothing.
    warning = services.create_warning(world.supervisor, world.cadre.id, 3, [], "严重违纪")
    act(warning, "submit", world.supervisor)
    approve_all(world, warning)  # the reviewer approves step 1 and records the committee's
    assert warning.state == "issued"
