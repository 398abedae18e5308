"""Who is told about an obligation, on which channels and at which address (the lookups).

The decisions are pure (`alerts.preferences`); this module reads what they need: the step
role's holders whose data scope covers the cadre, a person's superior (直接上级, else the
holder of the next role up in their unit or the nearest unit above), each user's 通知设置,
and (through `webapp.main.suppression`, which 我的待办 asks too) whether a tier-3 warning
silences an item. One instance serves one pass and caches.
"""

from __future__ import annotations

from sqlalchemy import select

from alerts.preferences import enabled_channels
from webapp.extensions import db
from webapp.main.suppression import Suppression
from webapp.models import Cadre, NotificationPreference, Role, User
from webapp.models.notifications import ChannelCode
from webapp.models.obligations import Obligation
from webapp.security.scope import scoped

# The line of roles a reminder climbs when nobody is named as 直接上级, lowest first.
ROLE_LADDER = ("supervisor", "reviewer", "approver", "minister")


def unit_line(path: str) -> list[int]:
    """Return the unit ids of a materialised path ("/1/5/12/"), nearest (the unit itself) first."""
    return [int(part) for part in reversed(path.strip("/").split("/")) if part]


def roles_above(role: str) -> tuple[str, ...]:
    """Return the ladder's roles above a role; a role off the ladder sees the whole ladder."""
    if role in ROLE_LADDER:
        return ROLE_LADDER[ROLE_LADDER.index(role) + 1 :]
    return ROLE_LADDER


def covers(user: User, cadre_id: int) -> bool:
    """Tell whether the cadre is inside the user's data scope."""
    stmt = scoped(select(Cadre.id).where(Cadre.id == cadre_id), Cadre, user)
    return db.session.scalar(stmt) is not None


class Recipients:
    """Answer who hears of an obligation during one pass, caching every lookup."""

    def __init__(self) -> None:
        self._holders: dict[str, list[User]] = {}
        self._covering: dict[tuple[str, int], list[int]] = {}
        self._superiors: dict[int, list[int]] = {}
        self._choices: dict[int, list[ChannelCode]] = {}
        self.suppression = Suppression()

    def of(self, obligation: Obligation) -> list[int]:
        """Return the user ids to notify: the responsible person, else the step role's holders."""
        if obligation.responsible_user_id is not None:
            return [obligation.responsible_user_id]
        if not obligation.step_role:
            return []
        key = (obligation.step_role, obligation.cadre_id)
        if key not in self._covering:
            self._covering[key] = [
                user.id
                for user in self._role_holders(obligation.step_role)
                if covers(user, obligation.cadre_id)
            ]
        return self._covering[key]

    def superiors(self, user_ids: list[int]) -> list[int]:
        """Return the superiors of the given users, without the users themselves."""
        found: list[int] = []
        for user_id in user_ids:
            for superior in self.superiors_of(user_id):
                if superior not in found and superior not in user_ids:
                    found.append(superior)
        return found

    def superiors_of(self, user_id: int) -> list[int]:
        """Return the user's 直接上级 if set and active, else the next role up nearest to them."""
        if user_id not in self._superiors:
            self._superiors[user_id] = self._find_superiors(user_id)
        return self._superiors[user_id]

    def _find_superiors(self, user_id: int) -> list[int]:
        user = db.session.get(User, user_id)
        if user is None:
            return []
        if user.superior is not None and user.superior.active:
            return [user.superior.id]
        line = unit_line(user.unit.path) or [user.unit_id]
        for role in roles_above(user.role.code):
            by_unit: dict[int, list[int]] = {}
            for holder in self._role_holders(role):
                if holder.id != user.id:
                    by_unit.setdefault(holder.unit_id, []).append(holder.id)
            for unit_id in line:
                if unit_id in by_unit:
                    return by_unit[unit_id]
        return []

    def channels_of(self, user_id: int) -> list[ChannelCode]:
        """Return the channels the user's 通知设置 enable (in-app unless switched off)."""
        if user_id not in self._choices:
            rows = db.session.execute(
                select(NotificationPreference.channel, NotificationPreference.enabled).where(
                    NotificationPreference.user_id == user_id
                )
            ).all()
            self._choices[user_id] = enabled_channels(
                {ChannelCode(channel): enabled for channel, enabled in rows}
            )
        return self._choices[user_id]

    def suppressed_by(self, obligation: Obligation) -> int | None:
        """Return the id of the tier-3 warning that silences this obligation, or None."""
        red = self.suppression.by(obligation)
        return red.id if red is not None else None

    def _role_holders(self, role: str) -> list[User]:
        if role not in self._holders:
            self._holders[role] = list(
                db.session.scalars(
                    select(User)
                    .join(Role, Role.id == User.role_id)
                    .where(Role.code == role, User.active.is_(True))
                    .order_by(User.id)
                )
            )
        return self._holders[role]


def address_for(user: User, channel: ChannelCode) -> str | None:
    """Return the address to store on the row (None: the channel finds it from the user)."""
    if channel is ChannelCode.EMAIL:
        return user.email or None
    if channel is ChannelCode.WECOM:
        return user.wecom_userid or None
    return None
