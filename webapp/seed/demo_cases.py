"""The demo's cases as stories: negative information, warnings, talks, inquiries, 必谈, meetings.

Every record is made by the service the pages call (`webapp.negative_info`, the warnings'
one writer with typed commands, `webapp.talks`, `webapp.inquiries`, `webapp.cadres`,
`webapp.meetings`), at the moment `demo_play` moves the clock to, so deadlines and lights are
what they would be had the office worked these months.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from webapp.cadres.services import add_event
from webapp.clock import org_today
from webapp.extensions import db
from webapp.inquiries import services as inquiries
from webapp.lookups import all_params
from webapp.meetings.kinds import kind_cron
from webapp.meetings.scheduling import fires, open_meeting
from webapp.meetings.series import SeriesInput, save_series
from webapp.meetings.services import (
    DecisionInput,
    MinutesInput,
    close,
    record_decision,
    save_minutes,
)
from webapp.models import Cadre, Inquiry, NegativeInfo, OrgUnit, User, Warning
from webapp.models.meetings import Meeting, MeetingSeries
from webapp.negative_info import services as negative_info
from webapp.seed.demo_play import Days, Story
from webapp.seed.demo_texts import (
    CATEGORY_OF,
    INQUIRY_MATTERS,
    INQUIRY_REPLY,
    RECTIFICATION_REPORTS,
    REPORTING_UNITS,
    SEVERITY,
    SITUATIONS,
    TALK_TEXTS,
    VERIFY_NOTES,
)
from webapp.talks import services as talks
from webapp.warnings import services as warnings
from workflows.commands import (
    Accept,
    Approve,
    Command,
    Escalate,
    Pause,
    RecordAction,
    RecordSelfCriticism,
    Refer,
    Submit,
    SubmitReport,
    Tolerate,
    Withdraw,
)
from workflows.guards import ToleranceOutcome
from workflows.tiers import COMMITTEE_ROLE, tier_policy


@dataclass
class Office:
    """The demo's calendar and the steps its people take through the services.

    Each step runs in its own app context, as a request would, so stories hold ids and load
    what a step touches: nothing is carried, expired, from one step's session to the next.
    """

    days: Days
    rng: random.Random
    now: datetime  # no step runs later

    def user(self, username: str) -> User:
        """Load a demo user."""
        return db.session.scalars(select(User).where(User.username == username)).one()

    def unit(self, code: str) -> OrgUnit:
        """Load a demo unit."""
        return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one()

    def cadre(self, cadre_id: int) -> Cadre:
        """Load a cadre."""
        return db.session.get(Cadre, cadre_id)

    def info(self, info_id: int) -> NegativeInfo:
        """Load a negative-information item."""
        return db.session.get(NegativeInfo, info_id)

    def warning(self, warning_id: int) -> Warning:
        """Load a warning."""
        return db.session.get(Warning, warning_id)

    # ------------------------------------------------------------ negative information

    def values(self, situation: str, occurred: date, received: date, channel: str = "") -> dict:
        """Return what the intake form would hand the service for an item."""
        channels, summaries = SITUATIONS[situation]
        channel = channel or self.rng.choice(channels)
        tier = {"case_filed": 3, "org_handled": 3}.get(situation, 1)
        return {
            "category": CATEGORY_OF[situation],
            "situation": situation,
            "source_channel": channel,
            "reporting_unit": REPORTING_UNITS[channel],
            "liaison_name": "",
            "source_document_number": "",
            "occurred_on": occurred,
            "received_on": received,
            "summary": self.rng.choice(summaries),
            "details": "",
            "details_has_identity": False,
            "handling_unit": "",
            "handling_result": "",
            "severity": SEVERITY[tier],
            "confidentiality": "internal",
        }

    def report(self, cadre_id: int, situation: str) -> int:
        """Register an item received today, which happened some weeks before; return its id."""
        today = org_today()
        occurred = today - timedelta(days=self.rng.randrange(10, 60))
        values = self.values(situation, occurred, today)
        return negative_info.create_report(self.user("supervisor"), self.cadre(cadre_id), values).id

    def submit_as_liaison(self, cadre_id: int, situation: str) -> int:
        """Take a member unit's submission (报送) into the 待核实 queue; return its id."""
        today = org_today()
        values = self.values(situation, today - timedelta(days=self.rng.randrange(5, 30)), today)
        cadre = self.cadre(cadre_id)
        return negative_info.submit_liaison_report(
            self.user("liaison"), cadre.name, cadre.unit_id, cadre.position, values
        ).id

    def start(self, info_id: int) -> None:
        """Start verifying an item today, the supervisor handling it."""
        supervisor, info = self.user("supervisor"), self.info(info_id)
        negative_info.start_verification(info, supervisor, supervisor.id, info.version)

    def conclude(self, info_id: int, status: str) -> None:
        """Conclude the verification today."""
        info = self.info(info_id)
        negative_info.conclude_verification(
            info, self.user("supervisor"), status, org_today(), VERIFY_NOTES[status], info.version
        )

    # ------------------------------------------------------------ warnings

    def act(self, warning_id: int, command: Command, role: str) -> None:
        """Apply a command through the one writer as the user of a role."""
        version = self.warning(warning_id).version
        warnings.apply_event(warning_id, command, self.user(role), version)

    def approve(self, warning_id: int) -> None:
        """Decide the warning's waiting approval step as its role would."""
        warning = self.warning(warning_id)
        role = tier_policy(warning.tier, all_params()).step_role(warning.approval_step)
        if role == COMMITTEE_ROLE:
            today = org_today()
            command = Approve(
                comment="党委会议研究同意",
                document_number=f"江委〔{today.year}〕{self.rng.randrange(20, 90)}号",
                decided_on=today,
                summary="市委常委会议研究，同意按三级预警处置。",
            )
            self.act(warning_id, command, "reviewer")
        else:
            self.act(warning_id, Approve(comment="同意"), role)

    def talk(
        self,
        cadre_id: int,
        kind: str,
        *,
        warning_id: int | None = None,
        info_id: int | None = None,
        occasion: str = "",
    ) -> int:
        """Record a talk held this morning; return its id."""
        reason, content, statement = TALK_TEXTS[kind]
        today = org_today()
        cadre = self.cadre(cadre_id)
        warning = self.warning(warning_id) if warning_id else None
        senior = kind == "admonishment" or (warning is not None and warning.tier >= 2)
        interviewer = (
            {"name": "赵振华", "position": "市委组织部副部长"}
            if senior
            else {"name": "王立群", "position": "市委组织部干部监督科科长"}
        )
        data = {
            "talk_type": kind,
            "occasion": occasion,
            "note_taker_name": "李明",
            "note_taker_position": "干部监督科干部",
            "started_at": self.days.moment(today, 9),
            "ended_at": self.days.moment(today, 9, 50),
            "place": "市委组织部谈话室",
            "mode": "in_person",
            "reason": reason,
            "content": content,
            "statement": statement,
            "rectification": "一个月内书面报告整改情况" if kind in talks.FOLLOW_UP_TYPES else "",
            "follow_up_on": None,
            "acknowledged_on": today,
            "acknowledged_by": cadre.name,
            "interviewers": [interviewer],
        }
        links = talks.TalkLinks(info=self.info(info_id) if info_id else None, warning=warning)
        return talks.create_talk(self.user("supervisor"), cadre, data, links).id

    # ------------------------------------------------------------ inquiries

    def inquiry(self, cadre_id: int, info_id: int | None = None) -> int:
        """Send an inquiry letter (函询) today; return its id."""
        data = {"matters": self.rng.choice(INQUIRY_MATTERS), "issued_on": org_today()}
        about = self.info(info_id) if info_id else None
        return inquiries.create_inquiry(
            self.user("supervisor"), self.cadre(cadre_id), data, about=about
        ).id

    def reply(self, inquiry_id: int) -> None:
        """Record today's reply and truthfulness pledge."""
        today = org_today()
        data = {"replied_on": today, "reply": INQUIRY_REPLY, "pledge_received_on": today}
        inquiries.record_reply(db.session.get(Inquiry, inquiry_id), data)

    def conclude_inquiry(self, inquiry_id: int, conclusion: str, note: str) -> int | None:
        """Record the inquiry's conclusion today; return the next round's id, if one opens."""
        data = {"conclusion": conclusion, "concluded_on": org_today(), "conclusion_note": note}
        following = inquiries.conclude(
            db.session.get(Inquiry, inquiry_id), self.user("reviewer"), data
        )
        return following.id if following else None


# ---------------------------------------------------------------------------- warning cases


@dataclass(frozen=True)
class Case:
    """A warning's story: its basis, when it began, and where it stands today.

    `until` is the last regular step taken (draft, step0…step3 = submitted and that many
    approvals, issued, acted, reported, lifted); `ending` replaces the regular course
    (untrue, withdraw, exempt, reduced, refer, escalate, pause).
    """

    tier: int
    situation: str
    received: int  # working days ago the basis item came in
    until: str = "lifted"
    ending: str = ""
    act_after: int = 5  # working days from issue to the measure
    report_after: int = 60  # working days from the measure to the rectification report
    via: str = "talk"  # talk, inquiry or letter (tier 1)
    self_criticism: bool = True  # tier 2: the written self-criticism handed in after the talk
    small: bool = False  # part of the small demo (browser tests) too


CASES: tuple[Case, ...] = (
    # 一级预警
    Case(1, "general_petition", 190, "lifted", report_after=110, small=True),
    Case(1, "online_opinion", 280, "lifted", report_after=125),
    Case(1, "late_personal_report", 95, "reported", report_after=70, small=True),
    Case(1, "style_problem", 60, "acted", small=True),
    Case(1, "general_petition", 75, "acted", via="inquiry"),
    Case(1, "assessment_low", 165, "acted", via="letter"),  # 整改报告已超期
    Case(1, "family_conduct", 14, "issued", small=True),  # 措施期限过半
    Case(1, "general_petition", 32, "issued", small=True),  # 措施已超期
    Case(1, "online_opinion", 26, "issued", ending="pause"),
    Case(1, "style_problem", 9, "step0", small=True),
    Case(1, "late_personal_report", 11, "step1"),
    Case(1, "family_conduct", 8, "draft", small=True),
    Case(1, "general_petition", 40, "issued", ending="untrue", small=True),
    Case(1, "assessment_low", 30, "draft", ending="withdraw"),
    Case(1, "style_problem", 70, "acted", ending="escalate", small=True),
    # 二级预警
    Case(2, "drunk_driving", 85, "acted", small=True),
    Case(2, "concealed_personal_report", 30, "acted", self_criticism=False),  # 书面检查未交
    Case(2, "dishonest_debtor", 18, "issued"),
    Case(2, "business", 34, "issued"),  # 措施已超期
    Case(2, "party_warning", 11, "step2", small=True),
    Case(2, "gov_sanction", 150, "reported", report_after=125),
    Case(2, "drunk_driving", 290, "lifted", report_after=130),
    Case(2, "business", 60, "issued", ending="exempt", small=True),
    Case(2, "gov_sanction", 55, "issued", ending="reduced"),
    # 三级预警
    Case(3, "case_filed", 45, "issued", ending="refer", small=True),
    Case(3, "org_handled", 120, "acted", small=True),
    Case(3, "case_filed", 13, "step3"),
    Case(3, "org_handled", 20, "issued"),
    Case(3, "case_filed", 6, "draft"),
)

REGULAR = ("draft", "step0", "step1", "step2", "step3", "issued", "acted", "reported", "lifted")


def case_story(office: Office, case: Case, cadre_id: int) -> Story:
    """Play one warning from its basis item to where it stands today."""
    days = office.days
    t = case.received

    def later(n: int) -> int:
        return max(t - n, 0)

    yield days.at(t, 9, 30)
    info = office.report(cadre_id, case.situation)
    t = later(1)
    yield days.at(t, 10)
    office.start(info)
    if case.ending != "untrue":
        t = later(5)
        yield days.at(t, 16)
        office.conclude(info, "partly_true" if office.rng.random() < 0.3 else "true")
    t = later(1)
    yield days.at(t, 11)
    reason = "经研判，" + office.info(info).summary.rstrip("。") + "，拟予预警。"
    warning = warnings.create_warning(
        office.user("supervisor"), cadre_id, case.tier, [info], reason
    ).id
    stop = REGULAR.index(case.until)
    if stop == 0:
        if case.ending == "withdraw":
            t = later(2)
            yield days.at(t, 15)
            office.act(warning, Withdraw(reason="经再次研判，情节轻微，不予预警"), "supervisor")
        return
    office.act(warning, Submit(), "supervisor")
    chain = tier_policy(case.tier, all_params()).approval_chain
    approvals = len(chain) if stop >= REGULAR.index("issued") else stop - 1
    for _step in range(approvals):
        t = later(1)
        yield days.at(t, 15)
        office.approve(warning)
    if stop < REGULAR.index("issued"):
        return
    yield from _ending(office, case, warning, info, cadre_id, t)
    if case.ending in ("untrue", "exempt", "refer", "pause") or stop == REGULAR.index("issued"):
        return
    t = later(case.act_after)
    yield days.at(t, 11)
    _measure(office, case, warning, info, cadre_id)
    if office.warning(warning).tier == 2 and case.self_criticism:
        t = later(3)
        yield days.at(t, 16)
        office.act(warning, RecordSelfCriticism(handed_in_on=org_today()), "supervisor")
    if case.ending == "escalate":
        yield from _recurrence(office, warning, cadre_id, t)
        return
    if stop == REGULAR.index("acted"):
        return
    t = later(case.report_after)
    yield days.at(t, 10)
    office.act(warning, SubmitReport(report=office.rng.choice(RECTIFICATION_REPORTS)), "supervisor")
    if stop == REGULAR.index("reported"):
        return
    t = later(3)
    yield days.at(t, 15)
    office.act(warning, Accept(opinion="整改到位，同意销号"), "reviewer")


def _ending(office: Office, case: Case, warning: int, info: int, cadre_id: int, t: int) -> Story:
    """Play the ending that replaces the regular course once the warning is issued."""
    days = office.days
    if case.ending == "untrue":
        yield days.at(max(t - 6, 0), 16)
        office.conclude(info, "untrue")  # the warning resting on it is revoked and cleared
        yield days.at(max(t - 8, 0), 15)
        warnings.complete_clarification(
            office.warning(warning),
            office.user("reviewer"),
            method="meeting",
            clarified_on=org_today(),
            scope=office.cadre(cadre_id).unit.name + "领导班子会议",
        )
        db.session.commit()
    elif case.ending in ("exempt", "reduced"):
        yield days.at(max(t - 8, 0), 16)
        outcome = ToleranceOutcome.EXEMPT if case.ending == "exempt" else ToleranceOutcome.REDUCED
        command = Tolerate(
            reason="经容错纠错认定",
            outcome=outcome,
            application="本人提出容错申请，所在单位党组织出具意见",
            facts="在推进重点项目攻坚中先行先试，因政策界限不明出现失误",
            distinctions="属于推进改革中的失误，未谋取私利，已主动纠正",
            collective_decision="市委组织部部务会集体研究认定",
            decided_on=org_today(),
        )
        office.act(warning, command, "approver")
    elif case.ending == "refer":
        yield days.at(max(t - 3, 0), 16)
        today = org_today()
        command = Refer(
            reason="问题线索涉嫌违纪违法，移送纪检监察机关",
            receiving_organ="江州市纪委监委",
            document_number=f"江组移〔{today.year}〕3号",
            referred_on=today,
            note="随附问题线索材料一套",
        )
        office.act(warning, command, "approver")
    elif case.ending == "pause":
        yield days.at(max(t - 2, 0), 10)
        office.act(warning, Pause(reason="等待审计结果"), "supervisor")


def _measure(office: Office, case: Case, warning: int, info: int, cadre_id: int) -> None:
    """Take the tier's measure (talk, letter, inquiry or 组织处理) and record it."""
    today = org_today()
    tier = office.warning(warning).tier
    if tier == 3:
        command = RecordAction(
            action_kind="org_handling",
            org_handling="adjust",
            done_on=today,
            content="经市委研究，对其调整职务",
            rectification_due=today + timedelta(days=183),
            record_ref=f"江干〔{today.year}〕12号",
        )
    elif case.via == "inquiry":
        inquiry = office.inquiry(cadre_id, info)
        command = RecordAction(action_kind="inquiry", done_on=today, inquiry_id=inquiry)
    elif case.via == "letter":
        command = RecordAction(
            action_kind="written_reminder", done_on=today, record_ref=f"江组提〔{today.year}〕5号"
        )
    else:
        kind = "admonishment" if tier == 2 else "reminder"
        talk = office.talk(cadre_id, kind, warning_id=warning, info_id=info)
        action = "admonishment_talk" if tier == 2 else "reminder_talk"
        command = RecordAction(action_kind=action, done_on=today, talk_id=talk)
    office.act(warning, command, "supervisor")


def _recurrence(office: Office, warning: int, cadre_id: int, t: int) -> Story:
    """A new item after the reminder: verified, then the warning is escalated (被提醒后仍出现)."""
    days = office.days
    yield days.at(min(t, 12), 9)
    again = office.report(cadre_id, "style_problem")
    yield days.at(min(t, 11), 10)
    office.start(again)
    yield days.at(min(t, 8), 16)
    office.conclude(again, "true")
    yield days.at(min(t, 6), 11)
    reason = f"被提醒后仍出现同类问题（{office.info(again).number}），建议升级为二级预警"
    office.act(warning, Escalate(reason=reason), "supervisor")


# ---------------------------------------------------------------------------- other stories

# (situation, received working days ago, verification outcome: "" 待核实, "verifying", …)
BACKGROUND = (
    ("general_petition", 3, ""),
    ("online_opinion", 1, ""),
    ("family_conduct", 2, ""),
    ("general_petition", 6, "verifying"),
    ("style_problem", 12, "verifying"),
    ("business", 24, "verifying"),  # 核实已超期
    ("general_petition", 30, "verifying"),  # 核实已超期
    ("dishonest_debtor", 9, "verifying"),
    ("public_security", 16, "verifying"),
    ("assessment_low", 8, "verifying"),
    ("general_petition", 140, "untrue"),
    ("online_opinion", 90, "untrue"),
    ("business", 200, "untrue"),
    ("general_petition", 35, "untrue"),
    ("family_conduct", 70, "unverifiable"),
    ("general_petition", 110, "unverifiable"),
    ("style_problem", 230, "unverifiable"),
    ("late_personal_report", 180, "true"),
    ("criticised", 210, "true"),
    ("general_petition", 250, "true"),
    ("online_opinion", 45, "true"),
    ("assessment_low", 170, "partly_true"),
    ("family_conduct", 100, "partly_true"),
    ("criticised", 65, "true"),
    ("style_problem", 20, "partly_true"),
    ("late_personal_report", 150, "true"),
    ("general_petition", 260, "partly_true"),
    ("public_security", 125, "true"),
    ("business", 80, "unverifiable"),
    ("online_opinion", 230, "partly_true"),
    ("general_petition", 50, "true"),
    ("family_conduct", 160, "untrue"),
    ("style_problem", 5, ""),
    ("general_petition", 15, "verifying"),
    ("criticised", 195, "true"),
    ("online_opinion", 240, "untrue"),
    ("late_personal_report", 130, "true"),
    ("general_petition", 300, "true"),
)
LIAISON = (("general_petition", 4), ("drunk_driving", 2), ("online_opinion", 1), ("business", 7))


def item_story(office: Office, cadre_id: int, situation: str, received: int, outcome: str) -> Story:
    """Register an item and take its verification as far as `outcome`."""
    days = office.days
    yield days.at(received, 9)
    info = office.report(cadre_id, situation)
    if not outcome:
        return
    yield days.at(max(received - 2, 0), 10)
    office.start(info)
    if outcome != "verifying":
        yield days.at(max(received - 9, 0), 16)
        office.conclude(info, outcome)


def liaison_story(office: Office, cadre_id: int, situation: str, received: int) -> Story:
    """A member unit's liaison submits an item (报送)."""
    yield office.days.at(received, 14)
    office.submit_as_liaison(cadre_id, situation)


def inquiry_story(office: Office, cadre_id: int, issued: int, course: str) -> Story:
    """An inquiry about an item under verification: cleared, asked again, or unanswered."""
    days = office.days
    yield days.at(issued + 3, 9)
    info = office.report(cadre_id, "general_petition")
    yield days.at(issued + 1, 10)
    office.start(info)
    yield days.at(issued, 11)
    letter = office.inquiry(cadre_id, info)
    if course == "unanswered":
        return
    yield days.at(max(issued - 10, 0), 15)
    office.reply(letter)
    if course == "replied":
        return
    yield days.at(max(issued - 13, 0), 16)
    if course == "cleared":
        office.conclude_inquiry(letter, "cleared", "说明清楚，予以了结澄清")
        yield days.at(max(issued - 14, 0), 16)
        office.conclude(info, "untrue")
        return
    second = office.conclude_inquiry(letter, "again", "说明不够清楚，再次函询")
    if course == "again":
        return
    yield days.at(max(issued - 25, 0), 15)
    office.reply(second)
    yield days.at(max(issued - 27, 0), 16)
    office.conclude_inquiry(second, "preliminary", "两次说明仍不清楚，转初步核实")


INQUIRIES = (
    (20, "cleared"),
    (32, "again"),
    (38, "preliminary"),
    (19, "unanswered"),  # 回复已超期
    (6, "unanswered"),
    (24, "replied"),
)


def mandatory_story(office: Office, cadre_id: int, kind: str, recorded: int, met: int | None):
    """Record a career event that calls for a 必谈, and the talk that meets it (if held)."""
    days = office.days
    yield days.at(recorded, 11)
    today = org_today()
    description = {"appointment": "任现职", "transfer": "交流任职", "youth_class": "参加青干班"}
    data = {
        "kind": kind,
        "occurred_on": today - timedelta(days=3),
        "description": description[kind],
        "document_number": f"江组干〔{today.year}〕{office.rng.randrange(10, 99)}号",
    }
    add_event(office.cadre(cadre_id), office.user("supervisor"), data)
    if met is None:
        return
    yield days.at(met, 9)
    occasion = "youth_class" if kind == "youth_class" else "appointment_transfer"
    office.talk(
        cadre_id,
        "pre_appointment" if kind != "youth_class" else "heart",
        occasion=occasion,
    )


# (kind, recorded working days ago, met that many working days ago or None)
MANDATORY = (
    ("appointment", 26, None),  # 已超期
    ("transfer", 13, None),  # 过半
    ("youth_class", 3, None),
    ("appointment", 2, None),
    ("appointment", 45, 36),
    ("youth_class", 70, 60),
    ("transfer", 90, 82),
)


def heart_story(office: Office, cadre_id: int, held: int, kind: str) -> Story:
    """A routine talk (谈心谈话, 廉政谈话)."""
    yield office.days.at(held, 9)
    office.talk(cadre_id, kind)


def meeting_story(office: Office, kind: str, unit_code: str, secretary: str, since: int) -> Story:
    """Set a meeting series up, hold its meetings since then, and leave the latest 待召开."""
    days = office.days
    yield days.at(since, 9)
    attendees = tuple(office.user(r).id for r in ("reviewer", "approver", "minister"))
    given = SeriesInput(kind, office.unit(unit_code).id, office.user(secretary).id, attendees)
    series_id = save_series(office.user("supervisor"), given).id
    start = days.at(since, 9, 5)
    times = list(fires(kind_cron(kind), start, office.now - timedelta(minutes=10)))
    for index, fire in enumerate(times):
        yield fire + timedelta(minutes=10)
        series = db.session.get(MeetingSeries, series_id)
        meeting_id = open_meeting(series, fire, fire + timedelta(minutes=10)).id
        db.session.commit()
        if index == len(times) - 1:
            return
        yield fire + timedelta(hours=5)
        actor = office.user(secretary)
        items = db.session.get(Meeting, meeting_id).agenda[:4]
        for item_id in [item.id for item in items]:
            record_decision(meeting_id, item_id, DecisionInput("watch", "持续跟踪"), actor)
        present = frozenset(a.id for a in db.session.get(Meeting, meeting_id).attendees)
        save_minutes(meeting_id, MinutesInput("逐项研判，形成意见如上。", present), actor)
        close(meeting_id, actor)
