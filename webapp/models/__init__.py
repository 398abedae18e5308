"""All models, importable from one place."""

import webapp.models.meetings  # noqa: F401  (review meetings: tables registered here)
from webapp.models.api import ApiClient, ApiSubmission
from webapp.models.attachments import Attachment
from webapp.models.auth import DataScope, Role, User, user_scope_unit
from webapp.models.base import Base, utcnow
from webapp.models.cadres import Cadre, CadreEvent, CountedUnderCadre
from webapp.models.calendar import HolidayDay, HolidayYear
from webapp.models.dashboard import DashboardFigures, DashboardGeneration
from webapp.models.imports import ImportJob
from webapp.models.logs import AccessLog, AuditLog, LoginLog
from webapp.models.negative_info import NegativeInfo, NegativeInfoEvent, NumberSequence
from webapp.models.notifications import ChannelSetting, DeliveryAttempt, Notification
from webapp.models.obligations import Obligation
from webapp.models.org import OrgUnit
from webapp.models.preferences import NotificationPreference
from webapp.models.scheduler import JobRun, SchedulerLease
from webapp.models.settings import DictItem, DictType, Parameter
from webapp.models.storage import StoredChunk
from webapp.models.talks import Inquiry, InquiryEvent, Talk
from webapp.models.warnings import (
    Approval,
    Clarification,
    CommitteeDecision,
    Rectification,
    Referral,
    ToleranceDecision,
    Warning,
    WarningAction,
    WarningEvent,
    WarningProposal,
    warning_basis,
)

__all__ = [
    "AccessLog",
    "ApiClient",
    "ApiSubmission",
    "Approval",
    "Attachment",
    "AuditLog",
    "Base",
    "Cadre",
    "CadreEvent",
    "ChannelSetting",
    "Clarification",
    "CommitteeDecision",
    "CountedUnderCadre",
    "DashboardFigures",
    "DashboardGeneration",
    "DataScope",
    "DeliveryAttempt",
    "DictItem",
    "DictType",
    "HolidayDay",
    "HolidayYear",
    "ImportJob",
    "Inquiry",
    "InquiryEvent",
    "JobRun",
    "LoginLog",
    "NegativeInfo",
    "NegativeInfoEvent",
    "Notification",
    "NotificationPreference",
    "NumberSequence",
    "Obligation",
    "OrgUnit",
    "Parameter",
    "Rectification",
    "Referral",
    "Role",
    "SchedulerLease",
    "StoredChunk",
    "Talk",
    "ToleranceDecision",
    "User",
    "Warning",
    "WarningAction",
    "WarningEvent",
    "WarningProposal",
    "user_scope_unit",
    "utcnow",
    "warning_basis",
]
