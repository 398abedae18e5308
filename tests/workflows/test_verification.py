"""Verification of negative information: the table, its rules, dates and numbers."""

from datetime import date

import pytest

from workflows.verification import (
    CONCLUSIONS,
    TRANSITIONS,
    Event,
    Request,
    Status,
    VerificationError,
    allowed_events,
    apply,
    dates_in_order,
    duplicate_window,
    format_number,
)

TODAY = date(2026, 3, 10)


def good_request(event: Event) -> Request:
    """Build a request that satisfies every rule of its event."""
    return Request(
        event,
        TODAY,
        started_on=date(2026, 3, 2),
        conclusion=Status.TRUE,
        concluded_on=TODAY,
        note="经核实，情况属实",
        handler_id=7,
        has_cadre=True,
    )


EXPECTED = {
    (Status.PENDING, Event.START): Status.VERIFYING,
    (Status.VERIFYING, Event.CONCLUDE): Status.TRUE,
    **{(s, Event.REOPEN): Status.VERIFYING for s in CONCLUSIONS},
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("event", list(Event))
def test_every_status_event_pair_follows_the_table(status, event):
    expected = EXPECTED.get((status, event))
    if expected is None:
        with pytest.raises(VerificationError) as caught:
            apply(status, good_request(event))
        assert caught.value.code == "not_allowed"
        assert event not in allowed_events(status)
    else:
        assert apply(status, good_request(event)) is expected
        assert event in allowed_events(status)


def test_table_has_one_row_per_event():
    assert sorted(t.event for t in TRANSITIONS) == sorted(Event)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"handler_id": None}, "handler_required"),
        ({"has_cadre": False}, "cadre_required"),
    ],
)
def test_start_needs_handler_and_cadre(changes, code):
    request = Request(Event.START, TODAY, **{"handler_id": 3, "has_cadre": True, **changes})
    with pytest.raises(VerificationError) as caught:
        apply(Status.PENDING, request)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"conclusion": None}, "conclusion_required"),
        ({"conclusion": Status.VERIFYING}, "conclusion_required"),
        ({"note": "   "}, "note_required"),
        ({"concluded_on": None}, "date_required"),
        ({"concluded_on": date(2026, 3, 11)}, "date_in_future"),
        ({"concluded_on": date(2026, 3, 1)}, "date_before_start"),
    ],
)
def test_conclusion_rules(changes, code):
    base = good_request(Event.CONCLUDE)
    request = Request(**{**base.__dict__, **changes})
    with pytest.raises(VerificationError) as caught:
        apply(Status.VERIFYING, request)
    assert caught.value.code == code


@pytest.mark.parametrize("conclusion", sorted(CONCLUSIONS))
def test_each_conclusion_is_reachable(conclusion):
    request = Request(**{**good_request(Event.CONCLUDE).__dict__, "conclusion": conclusion})
    assert apply(Status.VERIFYING, request) is conclusion


def test_reopen_needs_a_reason():
    with pytest.raises(VerificationError) as caught:
        apply(Status.UNTRUE, Request(Event.REOPEN, TODAY, note=""))
    assert caught.value.code == "reason_required"


@pytest.mark.parametrize(
    ("occurred", "received", "code"),
    [
        (date(2026, 3, 1), date(2026, 3, 5), None),
        (date(2026, 3, 5), date(2026, 3, 5), None),
        (date(2026, 3, 11), date(2026, 3, 10), "occurred_in_future"),
        (date(2026, 3, 1), date(2026, 3, 11), "received_in_future"),
        (date(2026, 3, 6), date(2026, 3, 5), "occurred_after_received"),
    ],
)
def test_dates_in_order(occurred, received, code):
    assert dates_in_order(occurred, received, TODAY) == code


def test_duplicate_window_is_either_side_of_the_occurred_date():
    assert duplicate_window(date(2026, 4, 1), 90) == (date(2026, 1, 1), date(2026, 6, 30))


@pytest.mark.parametrize(
    ("seq", "text"), [(1, "FM-2026-0001"), (42, "FM-2026-0042"), (12345, "FM-2026-12345")]
)
def test_number_format(seq, text):
    assert format_number("FM", 2026, seq) == text
