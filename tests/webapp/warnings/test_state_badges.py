"""A state badge (已下达, 整改中 …) never wears a light's colour: those mean status and tier."""

import re
from pathlib import Path

import pytest

from workflows.states import State

CSS = Path(__file__).parents[3] / "webapp" / "static" / "css"
LIGHTS = ("green", "yellow", "orange", "red", "brand")


def variables() -> dict[str, str]:
    root = (CSS / "app.css").read_text(encoding="utf-8")
    return {
        name: value.lower() for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]+)", root)
    }


def background(state: State) -> str:
    sheet = (CSS / "warnings.css").read_text(encoding="utf-8")
    rule = re.search(rf"\.badge\.state-{state.value}\s*\{{([^}}]*)\}}", sheet)
    assert rule, f"no badge rule for {state.value}"
    value = re.search(r"background:\s*([^;]+);", rule.group(1)).group(1).strip().lower()
    named = re.fullmatch(r"var\(--([\w-]+)\)", value)
    return variables()[named.group(1)] if named else value


@pytest.mark.parametrize("state", list(State), ids=str)
def test_no_state_badge_takes_a_light_colour(state):
    lights = {variables()[name] for name in LIGHTS}
    assert background(state) not in lights


def test_issued_is_not_the_tier_three_red():
    assert background(State.ISSUED) not in (variables()["red"], variables()["brand"])


def test_open_states_differ_from_each_other():
    solid = [background(s) for s in State if s not in (State.LIFTED, State.REVOKED)]
    assert len(set(solid)) == len(solid)
