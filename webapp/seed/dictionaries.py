"""Default dictionaries (字典): every list the forms offer, editable by a sysadmin."""

from __future__ import annotations


def _mandatory(talk_occasion: str) -> dict:
    """Mark a cadre-event type 必谈, met by a talk of this occasion (talk_occasion)."""
    return {"mandatory_talk": True, "talk_occasion": talk_occasion}


# (code, name, [(value, label, colour, extra)]); situations nest under categories below.
DEFAULT_DICTIONARIES: list[tuple[str, str, list[tuple]]] = [
    ("gender", "性别", [("male", "男"), ("female", "女")]),
    (
        "ethnicity",
        "民族",
        [
            ("han", "汉族"),
            ("zhuang", "壮族"),
            ("hui", "回族"),
            ("man", "满族"),
            ("uygur", "维吾尔族"),
            ("miao", "苗族"),
            ("yi", "彝族"),
            ("tujia", "土家族"),
            ("zang", "藏族"),
            ("menggu", "蒙古族"),
            ("other", "其他"),
        ],
    ),
    (
        "political_status",
        "政治面貌",
        [
            ("cpc", "中共党员"),
            ("cpc_probation", "中共预备党员"),
            ("cyl", "共青团员"),
            ("democratic", "民主党派"),
            ("masses", "群众"),
        ],
    ),
    (
        "education",
        "学历",
        [
            ("doctor", "博士研究生"),
            ("master", "硕士研究生"),
            ("bachelor", "大学本科"),
            ("college", "大学专科"),
            ("secondary", "中专及以下"),
        ],
    ),
    (
        "cadre_rank",
        "职级",
        [
            ("ting", "厅局级"),
            ("zhengchu", "正处级"),
            ("fuchu", "副处级"),
            ("zhengke", "正科级"),
            ("fuke", "副科级"),
            ("keyuan", "科员"),
        ],
    ),
    (
        "cadre_category",
        "干部类别",
        [
            ("city", "市管干部"),
            ("county", "县管干部"),
            ("section", "科级干部"),
        ],
    ),
    (
        "cadre_status",
        "预警状态",
        [
            ("green", "正常（绿色）", "green"),
            ("yellow", "一级预警（黄色）", "yellow"),
            ("orange", "二级预警（橙色）", "orange"),
            ("red", "三级预警（红色）", "red"),
        ],
    ),
    (
        "cadre_event",
        "干部事件",
        [
            # A 必谈 event is met by a talk of the 必谈情形 (talk_occasion) named here.
            ("appointment", "任职", "", _mandatory("appointment_transfer")),
            ("transfer", "任职交流", "", _mandatory("appointment_transfer")),
            ("youth_class", "参加青干班", "", _mandatory("youth_class")),
            ("award", "受表彰", "", {"mandatory_talk": False}),
            ("sanction", "受处分", "", {"mandatory_talk": False}),
            ("leave", "离任/退休", "", {"mandatory_talk": False}),
        ],
    ),
    (
        "source_channel",
        "信息来源",
        [
            ("inspection", "巡视巡察", "", {"verify_workdays": 20}),
            ("audit", "审计", "", {"verify_workdays": 20}),
            ("petition", "信访举报", "", {"verify_workdays": 15}),
            ("hotline_12380", "12380", "", {"verify_workdays": 15}),
            ("personal_report", "个人有关事项报告查核", "", {"verify_workdays": 20}),
            ("archive_review", "干部人事档案审核", "", {"verify_workdays": 20}),
            ("discipline_notice", "纪检监察通报", "", {"verify_workdays": 10}),
            ("assessment", "考核考察", "", {"verify_workdays": 15}),
            ("public_opinion", "网络舆情", "", {"verify_workdays": 5}),
            ("judicial", "公检法移送", "", {"verify_workdays": 10}),
            ("daily", "日常监督", "", {"verify_workdays": 15}),
            ("other", "其他", "", {"verify_workdays": 15}),
        ],
    ),
    (
        "verification_status",
        "核实状态",
        [
            ("pending", "待核实", "grey"),
            ("verifying", "核实中", "blue"),
            ("true", "属实", "red"),
            ("partly_true", "部分属实", "orange"),
            ("untrue", "失实", "green"),
            ("unverifiable", "无法核实", "grey"),
        ],
    ),
    ("severity", "严重程度", [("minor", "一般"), ("major", "较重"), ("serious", "严重")]),
    (
        "confidentiality",
        "密级",
        [
            ("internal", "内部"),
            ("secret", "秘密"),
            ("confidential", "机密"),
        ],
    ),
    (
        "talk_type",
        "谈话类型",
        [
            ("heart", "谈心谈话"),
            ("reminder", "提醒谈话"),
            ("admonishment", "诫勉谈话"),
            ("integrity", "廉政谈话"),
            ("pre_appointment", "任前谈话"),
            ("warning", "警示谈话"),
            ("other", "其他"),
        ],
    ),
    (
        "talk_occasion",
        "必谈情形",
        [
            ("appointment_transfer", "任职交流"),
            ("youth_class", "参加青干班"),
            ("early_signs", "苗头性倾向性问题"),
            ("award_sanction", "受表彰或处分"),
            ("hardship", "困难挫折"),
            ("family", "家庭变故"),
            ("request", "本人要求"),
        ],
    ),
    (
        "talk_mode",
        "谈话方式",
        [
            ("in_person", "当面个别谈话"),
            ("group", "集体谈话"),
            ("written", "书面"),
        ],
    ),
    (
        "inquiry_conclusion",
        "函询采信结论",
        [
            ("cleared", "了结澄清"),
            ("reminder_talk", "谈话提醒"),
            ("criticism", "批评教育"),
            ("self_criticism", "责令检查"),
            ("admonishment", "诫勉"),
            ("again", "再次函询"),
            ("preliminary", "转初步核实"),
        ],
    ),
    (
        "org_handling",
        "组织处理方式",
        [
            ("suspension", "停职检查"),
            ("adjust", "调整职务"),
            ("transfer_post", "调离岗位"),
            ("removal", "免职"),
            ("demotion", "降职"),
            ("resign", "责令辞职"),
        ],
    ),
    (
        "clarification_method",
        "澄清方式",
        [
            ("written", "书面澄清"),
            ("in_person", "当面澄清"),
            ("meeting", "会议澄清"),
            ("notice", "通报澄清"),
        ],
    ),
    (
        "tolerance_outcome",
        "容错认定结果",
        [
            ("exempt", "免责"),
            ("reduced", "减责"),
            ("denied", "不予容错"),
        ],
    ),
]

# 信息类别 (大类) and their 具体情形 (小类); each situation carries a default tier.
NEGATIVE_CATEGORIES: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "supervision",
        "干部监督",
        [
            ("late_personal_report", "个人有关事项报告漏报", 1),
            ("concealed_personal_report", "个人有关事项报告隐瞒不报", 2),
            ("general_petition", "一般性信访反映", 1),
            ("assessment_low", "民主测评较差或考核基本称职", 1),
            ("style_problem", "作风问题苗头", 1),
        ],
    ),
    (
        "discipline",
        "党纪政务",
        [
            ("party_warning", "党内警告、严重警告", 2),
            ("gov_sanction", "政务处分", 2),
            ("case_filed", "纪检监察机关立案审查", 3),
            ("detention", "被采取留置措施", 3),
        ],
    ),
    (
        "law",
        "执法司法",
        [
            ("drunk_driving", "酒驾醉驾", 2),
            ("public_security", "违反治安管理受处罚", 2),
            ("criminal", "受刑事处罚", 3),
            ("dishonest_debtor", "失信被执行人", 2),
        ],
    ),
    (
        "org_handling",
        "组织处理",
        [
            ("admonished", "被诫勉", 2),
            ("criticised", "被批评教育、责令检查", 1),
            ("org_handled", "受组织处理", 3),
        ],
    ),
    (
        "special",
        "专项监督",
        [
            ("business", "违规经商办企业或配偶子女违规经商", 2),
            ("gambling_drugs", "涉黄涉毒涉赌", 3),
            ("online_opinion", "网络舆情负面反映", 1),
            ("family_conduct", "婚姻家庭、债权债务问题", 1),
        ],
    ),
]
