"""The 关联谈话记录 choice of 记录处置 names each talk by its day, its type and who spoke."""

import re

from tests.factories import make_talk
from tests.helpers import issue


def talk_options(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="[\w-]*talk_id".*?</select>', page, flags=re.S)
    return [text.strip() for text in re.findall(r">([^<]*)</option>", select.group(0))]


def test_each_talk_choice_shows_its_type_not_the_cadre_again(client, login, db, world):
    warning = issue(world)
    make_talk(world.cadre, talk_type="admonishment")
    make_talk(world.cadre, talk_type="reminder", interviewers=[{"name": "王部长"}])
    db.session.commit()
    login(world.supervisor.username)
    options = talk_options(client.get(f"/warnings/{warning.id}").get_data(as_text=True))
    assert options[0] == "不关联"
    assert sorted(options[1:]) == [
        "2026-11-20 提醒谈话（谈话人：王部长）",
        "2026-11-20 诫勉谈话（谈话人：李谈话）",
    ]
