"""Who hears of an obligation: the superior (直接上级, else the next role up the unit tree), and
the channels a user's 通知设置 enable."""

from __future__ import annotations

from datetime import date

from alerts.preferences import enabled_channels, escalates, pushes_now, quiet_for_plan
from alerts.recipients import Recipients, roles_above, unit_line
from tests.factories import make_unit, make_user
from webapp.extensions import db as _db
from webapp.models import NotificationPreference
from webapp.models.notifications import ChannelCode
from workflows.obligations import ObligationKind, Stage


def test_unit_line_runs_from_the_unit_up_to_the_root():
    assert unit_line("/1/5/12/") == [12, 5, 1]
    assert unit_line("") == []


def test_the_ladder_above_a_role():
    assert roles_above("supervisor") == ("reviewer", "approver", "minister")
    assert roles_above("minister") == ()
    assert roles_above("viewer") == ("supervisor", "reviewer", "approver", "minister")


def test_no_choice_means_in_app_only_and_choices_override():
    assert enabled_channels({}) == [ChannelCode.INAPP]
    chosen = {ChannelCode.EMAIL: True, ChannelCode.INAPP: False, ChannelCode.WECOM: False}
    assert enabled_channels(chosen) == [ChannelCode.EMAIL]


def test_only_late_stages_and_approvals_push_at_once_and_only_late_ones_escalate():
    inquiry = ObligationKind.INQUIRY_REPLY_DUE
    assert not pushes_now(inquiry, Stage.YELLOW) and not pushes_now(inquiry, Stage.DUE)
    assert pushes_now(inquiry, Stage.OVERDUE) and pushes_now(inquiry, Stage.ACK_LAPSED)
    assert pushes_now(ObligationKind.APPROVAL_WAITING, Stage.YELLOW)
    assert escalates(Stage.OVERDUE) and escalates(Stage.ACK_ESCALATED)
    assert not escalates(Stage.DUE) and not escalates(Stage.ACK_LAPSED)


def test_the_named_superior_comes_first(world):
    world.supervisor.superior_id = world.minister.id
    _db.session.flush()
    assert Recipients().superiors_of(world.supervisor.id) == [world.minister.id]


def test_an_inactive_named_superior_falls_back_to_the_next_role_up(world):
    world.supervisor.superior_id = world.minister.id
    world.minister.active = False
    _db.session.flush()
    # The reviewer sits in the root unit, above the supervisor's unit.
    assert Recipients().superiors_of(world.supervisor.id) == [world.reviewer.id]


def test_the_next_role_up_is_found_in_the_nearest_unit_above(world):
    section = make_unit("预算科", world.mine)
    clerk = make_user("supervisor", section)
    assert Recipients().superiors_of(clerk.id) == [world.reviewer.id]
    near = make_user("reviewer", world.mine)
    assert Recipients().superiors_of(clerk.id) == [near.id]
    # The user's own unit is nearer still.
    own = make_user("reviewer", section)
    assert Recipients().superiors_of(clerk.id) == [own.id]


def test_a_missing_role_is_skipped_for_the_one_above_it(world):
    world.approver.active = False
    _db.session.flush()
    assert Recipients().superiors_of(world.reviewer.id) == [world.minister.id]
    assert Recipients().superiors_of(world.minister.id) == []


def test_a_users_channels_follow_their_preferences(world):
    user = world.supervisor
    assert Recipients().channels_of(user.id) == [ChannelCode.INAPP]
    _db.session.add_all(
        [
            NotificationPreference(user_id=user.id, channel=ChannelCode.EMAIL, enabled=True),
            NotificationPreference(user_id=user.id, channel=ChannelCode.WECOM, enabled=False),
        ]
    )
    _db.session.flush()
    assert Recipients().channels_of(user.id) == [ChannelCode.INAPP, ChannelCode.EMAIL]


def test_a_plan_keeps_only_the_normal_stages_quiet_and_only_until_it_passes():
    plan = date(2026, 3, 10)
    assert quiet_for_plan(Stage.DUE, plan, date(2026, 3, 10))
    assert not quiet_for_plan(Stage.DUE, plan, date(2026, 3, 11))
    assert not quiet_for_plan(Stage.ACK_LAPSED, plan, date(2026, 3, 10))
    assert not quiet_for_plan(Stage.OVERDUE, None, date(2026, 3, 10))
