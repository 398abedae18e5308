"""The interface language: Simplified Chinese by default, English on request, nothing forgotten."""

from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale, refresh

from tests.factories import make_unit, make_user
from webapp.i18n import translate
from workflows.states import State
from workflows.suggestion import ItemFact, suggest_tier
from workflows.tiers import Tier
from workflows.transitions import TransitionError, transition

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "webapp" / "translations"
# The keywords `make messages` extracts with (babel's defaults include _, gettext and N_).
KEYWORDS = ("_l", "lazy_gettext", "N_")


@pytest.fixture
def supervisor(db, login):
    user = make_user("supervisor", make_unit("市财政局"))
    login(user.username)
    return user


def english(client):
    response = client.post("/locale/en", data={"next": "/auth/login"})
    assert response.status_code == 302


def get(client, url):
    """GET a page as text, choosing its locale afresh.

    The test's app context outlives each request, and Flask-Babel caches the locale on `g`;
    a real request has an app context of its own, so `refresh()` does what a new one would.
    """
    refresh()
    return client.get(url).get_data(as_text=True)


def test_chinese_is_the_default(client):
    page = get(client, "/auth/login")
    assert '<html lang="zh-CN">' in page
    assert "用户名" in page and "密码" in page
    assert "本系统涉及干部敏感信息，所有操作均记录留痕。" in page
    assert "Username" not in page


def test_login_page_in_english(client):
    english(client)
    page = get(client, "/auth/login")
    assert '<html lang="en">' in page
    assert "Username" in page and "Password" in page and "Log in" in page
    assert "This system holds sensitive cadre information; every action is logged." in page
    assert "用户名" not in page
    # The switch offers the way back in its own language.
    assert "中文" in page


def test_english_survives_login_and_shows_workbench_and_roster(client, supervisor):
    english(client)
    # The choice is kept across the login's fresh session.
    client.post("/auth/logout")
    english(client)
    client.post("/auth/login", data={"username": supervisor.username, "password": "Test-Passw0rd!"})
    workbench = get(client, "/")
    assert "Workbench" in workbench
    assert "Cadre warning barometer" in workbench
    assert "Cadres on the roster" in workbench
    assert "Negative information register" in workbench  # the menu
    assert "干部预警晴雨表" not in workbench
    roster = get(client, "/cadres/")
    assert "Cadre roster" in roster
    assert "Search" in roster and "Reset" in roster and "New cadre" in roster


def test_form_errors_in_english(client, supervisor):
    english(client)
    refresh()
    response = client.post("/cadres/new", data={"name": "", "id_number": "1101051982"})
    page = response.get_data(as_text=True)
    assert "This field is required" in page
    assert "The ID number must have 18 characters" in page
    assert "此项为必填项" not in page


def test_switching_back_to_chinese(client, supervisor):
    english(client)
    assert "Workbench" in get(client, "/")
    client.post("/locale/zh_CN")
    page = get(client, "/")
    assert "工作台" in page and "干部预警晴雨表" in page
    assert "Workbench" not in page


def test_unknown_locale_is_ignored(client):
    client.post("/locale/xx")
    assert "用户名" in get(client, "/auth/login")


def test_workflow_labels_and_messages_are_translated_at_display_time(app):
    with pytest.raises(TransitionError) as refused:
        transition(State.DRAFT, Tier.YELLOW, "resume")
    message = refused.value.args[0]
    suggestion = suggest_tier(
        [ItemFact(1, "FM-2026-0001", "true", default_tier=2)], [], today=date(2026, 11, 20)
    )
    with app.test_request_context():
        # The source strings stay Chinese.
        assert translate(State.ISSUED.label) == "已下达"
        assert translate(message) == message
        with force_locale("en"):
            assert translate(State.ISSUED.label) == "Issued"
            assert translate(Tier.ORANGE.label) == "Tier-2 warning (orange)"
            assert translate(message) == (
                'Cannot perform "Resume clock" in the "Draft" state; available now: '
                "Submit for approval, Clear name, Fault tolerance, Withdraw"
            )
            assert translate(suggestion.reasons[0]) == (
                "Rule 1: the situation of the basis defaults to a tier-2 warning "
                "(FM-2026-0001); suggest a tier-2 warning"
            )


def test_english_catalogue_is_complete():
    with open(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f, locale="en")
    assert not catalogue.fuzzy, "the catalogue header is fuzzy: pybabel compile would skip it"
    messages = [m for m in catalogue if m.id]
    assert messages
    untranslated = [m.id for m in messages if not m.string]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    # Placeholders such as %(n)s must match between msgid and msgstr.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert not problems, problems


def test_every_source_string_is_in_the_catalogues():
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        **{k: None for k in KEYWORDS},
    }
    source = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords
        )
        if isinstance(message, str)
    }
    for locale in ("en", "zh_CN"):
        with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
            known = {m.id for m in read_po(f) if m.id}
        missing = sorted(source - known)
        assert not missing, f"run `make messages` and translate: {missing}"
