"""All models, importable from one place."""

from webapp.models.auth import DataScope, Role, User, user_scope_unit
from webapp.models.base import Base, utcnow
from webapp.models.cadres import Cadre, CadreEvent
from webapp.models.calendar import HolidayDay, HolidayYear
from webapp.models.logs import AccessLog, AuditLog, LoginLog
from webapp.models.org import OrgUnit
from webapp.models.settings import DictItem, DictType, Parameter

__all__ = [
    "AccessLog",
    "AuditLog",
    "Base",
    "Cadre",
    "CadreEvent",
    "DataScope",
    "DictItem",
    "DictType",
    "HolidayDay",
    "HolidayYear",
    "LoginLog",
    "OrgUnit",
    "Parameter",
    "Role",
    "User",
    "user_scope_unit",
    "utcnow",
]
