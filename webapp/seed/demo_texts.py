"""What the demo's records say: summaries by situation, typical sources, talk and reply texts."""

from __future__ import annotations

# situation → (typical source channels, summaries to choose from)
SITUATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "late_personal_report": (
        ("personal_report",),
        (
            "个人有关事项报告随机抽查核实发现，漏报本人名下一套住房。",
            "个人有关事项报告查核发现，漏报子女出国（境）留学情况。",
        ),
    ),
    "concealed_personal_report": (
        ("personal_report", "archive_review"),
        ("个人有关事项报告查核发现，未如实报告配偶投资入股企业情况。",),
    ),
    "general_petition": (
        ("petition", "hotline_12380"),
        (
            "群众来信反映其对群众诉求推诿拖延，工作作风简单粗暴。",
            "12380 举报反映其在项目验收中打招呼、为他人谋取便利。",
            "群众来访反映其在低保审核中优亲厚友。",
            "匿名来信反映其在干部选任中搞“小圈子”。",
        ),
    ),
    "assessment_low": (
        ("assessment",),
        ("年度考核民主测评中“基本称职”“不称职”票合计超过三成。",),
    ),
    "style_problem": (
        ("daily", "inspection"),
        (
            "日常监督发现其工作日中午饮酒，存在作风问题苗头。",
            "巡察反馈指出其分管领域“门难进、脸难看、事难办”问题突出。",
        ),
    ),
    "party_warning": (
        ("discipline_notice",),
        ("市纪委监委通报，其因违规发放津贴补贴受到党内警告处分。",),
    ),
    "gov_sanction": (
        ("discipline_notice", "audit"),
        ("经济责任审计发现其任内项目资金管理混乱，受到政务警告处分。",),
    ),
    "case_filed": (
        ("discipline_notice",),
        ("市纪委监委通报，其涉嫌严重违纪违法，已被立案审查调查。",),
    ),
    "drunk_driving": (
        ("judicial",),
        ("公安机关移送材料反映其饮酒后驾驶机动车，被依法查处。",),
    ),
    "public_security": (
        ("judicial",),
        ("公安机关通报其因参与打架斗殴受到治安管理处罚。",),
    ),
    "dishonest_debtor": (
        ("judicial",),
        ("人民法院推送信息显示其被列为失信被执行人，尚未履行生效判决。",),
    ),
    "criticised": (
        ("inspection", "audit"),
        (
            "巡察反馈指出其落实整改责任不力，被责令作出书面检查。",
            "审计发现其分管单位违规列支招待费，被批评教育。",
        ),
    ),
    "org_handled": (
        ("inspection",),
        ("因安全生产监管失职，被调整职务。",),
    ),
    "business": (
        ("petition", "personal_report"),
        ("信访举报反映其配偶在其分管领域内经商办企业、承接工程。",),
    ),
    "online_opinion": (
        ("public_opinion",),
        (
            "网络舆情反映其在征地拆迁中态度粗暴，相关视频引发负面评论。",
            "网民发帖反映其公车私用，转发量较大。",
        ),
    ),
    "family_conduct": (
        ("petition", "daily", "other"),
        ("群众反映其长期拖欠他人借款不还，引发民事纠纷。",),
    ),
}

CATEGORY_OF = {
    "late_personal_report": "supervision",
    "concealed_personal_report": "supervision",
    "general_petition": "supervision",
    "assessment_low": "supervision",
    "style_problem": "supervision",
    "party_warning": "discipline",
    "gov_sanction": "discipline",
    "case_filed": "discipline",
    "drunk_driving": "law",
    "public_security": "law",
    "dishonest_debtor": "law",
    "criticised": "org_handling",
    "org_handled": "org_handling",
    "business": "special",
    "online_opinion": "special",
    "family_conduct": "special",
}

SEVERITY = {1: "minor", 2: "major", 3: "serious"}

REPORTING_UNITS = {
    "inspection": "市委巡察办",
    "audit": "市审计局",
    "petition": "市信访局",
    "hotline_12380": "市委组织部12380举报受理中心",
    "personal_report": "市委组织部干部监督科",
    "archive_review": "市委组织部干部一科",
    "discipline_notice": "市纪委监委",
    "assessment": "市委组织部考核办",
    "public_opinion": "市委网信办",
    "judicial": "市公安局",
    "daily": "市委组织部干部监督科",
    "other": "",
}

VERIFY_NOTES = {
    "true": "经调阅材料、谈话核实，反映问题属实。",
    "partly_true": "经核实，反映问题部分属实，其余情况查无实据。",
    "untrue": "经调查核实，反映问题与事实不符，属于失实反映。",
    "unverifiable": "因反映人无法联系、线索不具体，暂无法核实。",
}

TALK_TEXTS = {
    "reminder": (
        "针对反映问题开展提醒谈话",
        "指出存在的问题及其危害，要求正视问题、立行立改，严守纪律规矩。",
        "诚恳接受组织提醒，一定认真整改，一个月内书面报告整改情况。",
    ),
    "admonishment": (
        "针对问题开展诫勉谈话",
        "严肃指出问题性质，宣布诫勉决定，要求五个工作日内作出书面检查。",
        "深刻认识错误，接受组织诫勉，按时提交书面检查并抓好整改。",
    ),
    "heart": (
        "日常谈心谈话",
        "了解思想、工作、生活情况，肯定成绩，指出不足，提出希望。",
        "感谢组织关心，将进一步改进工作作风。",
    ),
    "integrity": (
        "新任职廉政谈话",
        "讲解廉洁从政有关规定，提出“守初心、担使命、守底线”的要求。",
        "牢记组织嘱托，严格要求自己和身边工作人员。",
    ),
    "pre_appointment": (
        "任职交流必谈",
        "介绍新岗位职责和班子情况，提出尽快进入角色、团结共事的要求。",
        "服从组织安排，尽快熟悉情况、打开局面。",
    ),
}

RECTIFICATION_REPORTS = (
    "已对照问题逐项整改：退还相关款项，修订内部管理制度，在班子民主生活会上作深刻检查。",
    "整改措施全部落实到位，群众反映的问题已妥善解决，建立了长效机制。",
)
INQUIRY_MATTERS = (
    "群众反映你在项目建设中为亲属承揽工程提供便利，请就有关情况作出书面说明。",
    "有反映称你配偶在你分管领域经商办企业，请如实说明。",
    "有反映称你多次在工作日饮酒，请就有关情况作出说明。",
)
INQUIRY_REPLY = "本人对照反映问题逐项作了说明，所述情况属实，如有不实愿承担相应责任。"
