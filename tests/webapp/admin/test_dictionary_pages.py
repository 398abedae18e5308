"""字典管理 shows names, not codes: the code is small secondary text, tiers and colours in words."""

import re

from sqlalchemy import select

from webapp.models import DictType


def text_outside_codes(html: str) -> str:
    html = re.sub(r'<div class="dict-code muted">.*?</div>', "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def dict_type(db, code):
    return db.session.scalars(select(DictType).where(DictType.code == code)).one()


def test_the_list_names_each_dictionary(client, admin, db):
    page = client.get("/admin/dictionaries").get_data(as_text=True)
    shown = text_outside_codes(page)
    assert "具体情形" in shown and "负面信息类别" in shown and "谈话类型" in shown
    for code in ("negative_situation", "negative_category", "talk_type", "source_channel"):
        assert code not in shown
    assert "<code>negative_situation</code>" in page  # still there, small, for the admin


def test_situations_show_their_category_and_tier_in_words(client, admin, db):
    situations = dict_type(db, "negative_situation")
    page = client.get(f"/admin/dictionaries/{situations.id}").get_data(as_text=True)
    row = page.split('data-value="concealed_personal_report"')[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("<td>")[1:]]
    assert cells[0].startswith("个人有关事项报告隐瞒不报")
    assert cells[1] == "干部监督" and cells[2] == "二级预警（橙色）"
    assert "concealed_personal_report" not in text_outside_codes(page)


def test_colour_tags_read_as_colour_names(client, admin, db):
    statuses = dict_type(db, "cadre_status")
    page = client.get(f"/admin/dictionaries/{statuses.id}").get_data(as_text=True)
    badges = re.findall(r'<span class="badge (\w+)">([^<]+)</span>', page)
    colours = {name: label for name, label in badges if name in ("yellow", "orange", "red")}
    assert colours == {"yellow": "黄色", "orange": "橙色", "red": "红色"}
