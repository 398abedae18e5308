"""A cadre's name search key: the name's tails, its 拼音首字母 and its full pinyin, as words.

王芳 → "王芳 芳 wf wangfang": typing 王, 芳, wf, wangf or wangfang finds her, each a prefix of
one word, which is what the indexes (`webapp/cadres/name_search.py`) answer fast. A surname
read differently as a surname (单 shan, 曾 zeng, 解 xie) gives both readings, so 单雄信 is
found by sxx and by dxx, whichever the user has in mind.
"""

from __future__ import annotations

# Surnames whose reading as a surname is not pypinyin's everyday one (pypinyin 0.55 has no
# surname mode). Two-character entries are compound surnames read as a whole.
SURNAME_READINGS = {
    "单于": ["chan", "yu"],
    "尉迟": ["yu", "chi"],
    "万俟": ["mo", "qi"],
    "长孙": ["zhang", "sun"],
    "澹台": ["tan", "tai"],
    "单": ["shan"],
    "曾": ["zeng"],
    "解": ["xie"],
    "仇": ["qiu"],
    "朴": ["piao"],
    "区": ["ou"],
    "查": ["zha"],
    "盖": ["ge"],
    "乐": ["yue"],
    "缪": ["miao"],
    "覃": ["qin"],
    "召": ["shao"],
    "秘": ["bi"],
    "员": ["yun"],
    "种": ["chong"],
    "翟": ["zhai"],
    "祭": ["zhai"],
    "宓": ["fu"],
    "折": ["she"],
    "繁": ["po"],
    "洗": ["xian"],
    "冼": ["xian"],
    "句": ["gou"],
    "阚": ["kan"],
}


def _syllables(text: str) -> list[str]:
    # Imported when a key is first made: pypinyin's tables take ~50 MiB, which a worker that
    # only reads pages never needs.
    from pypinyin import Style, lazy_pinyin

    # Non-Chinese runs (a Latin name, digits) come back whole; keep only letters and digits.
    parts = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    return [word for part in parts if (word := "".join(c for c in part.lower() if c.isalnum()))]


def readings(name: str) -> list[list[str]]:
    """Return the name's pinyin syllables, the surname reading first when it differs."""
    found = [_syllables(name)]
    for length in (2, 1):
        surname = SURNAME_READINGS.get(name[:length])
        if surname is not None:
            found.insert(0, surname + _syllables(name[length:]))
            break
    unique: list[list[str]] = []
    for syllables in found:
        if syllables and syllables not in unique:
            unique.append(syllables)
    return unique


def normalise_query(text: str) -> str:
    """Return a text as keys are written: letters and digits only, in lower case."""
    # Spaces, · in 阿依古丽·买买提, and LIKE's or FTS5's own signs (% _ " *) are dropped alike,
    # so both databases read the same words.
    return "".join(c for c in text.lower() if c.isalnum())


def search_key(name: str) -> str:
    """Return the words a cadre is found by: the name's tails, initials and full pinyin."""
    name = normalise_query(name)
    # Tails from the first 20 characters: the key of a 50-character name stays within its column.
    words = [name[start:] for start in range(min(len(name), 20))]
    for syllables in readings(name):
        words.append("".join(s[0] for s in syllables))
        words.append("".join(syllables))
    return " ".join(dict.fromkeys(word for word in words if word))
