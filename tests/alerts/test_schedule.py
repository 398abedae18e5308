"""The declared list of jobs: ids, options, cron expressions, and which runs were missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts import schedule
from tests.alerts.params import set_param
from webapp.models import JobRun

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_jobs_have_stable_unique_ids_and_the_safe_options():
    ids = [spec.id for spec in schedule.JOBS]
    assert ids == [
        "sweep",
        "dispatch",
        "daily_digest",
        "holiday_reminder",
        "meetings",
        "log_chain_heads",
    ]
    assert schedule.JOB_DEFAULTS == {
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": None,
    }


def test_the_digest_fires_at_eight_in_shanghai():
    fire = schedule.next_fire(schedule.job("daily_digest").default_cron, NOW)
    assert fire == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert fire.astimezone(ZoneInfo("Asia/Shanghai")).hour == 8


def test_six_fields_put_seconds_first_and_bad_expressions_are_refused():
    start = datetime(2026, 12, 1, 3, 0, 0, 500000, tzinfo=UTC)
    assert schedule.next_fire("*/2 * * * * *", start) == datetime(2026, 12, 1, 3, 0, 2, tzinfo=UTC)
    with pytest.raises(ValueError):
        schedule.trigger("* * *")


def test_next_fire_is_strictly_after_the_instant():
    assert schedule.next_fire("0 * * * *", NOW) == NOW + timedelta(hours=1)


def test_cron_comes_from_overrides_then_config_then_parameter_then_default(app, db):
    spec = schedule.job("sweep")
    assert schedule.cron_for(spec) == "*/5 * * * *"
    set_param(db, "scheduler.sweep_cron", "*/10 * * * *")
    assert schedule.cron_for(spec) == "*/10 * * * *"
    app.config["SCHEDULER_CRON"] = {"sweep": "*/7 * * * *"}
    try:
        assert schedule.cron_for(spec) == "*/7 * * * *"
        assert schedule.cron_for(spec, {"sweep": "* * * * *"}) == "* * * * *"
    finally:
        app.config.pop("SCHEDULER_CRON")


def record(db, job_id: str, started: datetime) -> None:
    db.session.add(JobRun(job_id=job_id, started_at=started, result="ok"))
    db.session.flush()


def test_a_job_that_never_ran_is_missed(db):
    assert {s.id for s in schedule.missed(NOW)} == {s.id for s in schedule.JOBS}


def test_missed_lists_only_jobs_with_a_fire_time_since_their_last_run(db):
    # Digest ran yesterday 00:00:01 UTC; today's 00:00 has passed: missed once.
    record(db, "daily_digest", datetime(2026, 11, 30, 0, 0, 1, tzinfo=UTC))
    # Holiday reminder ran today at 01:00:00.2: nothing since.
    record(db, "holiday_reminder", datetime(2026, 12, 1, 1, 0, 0, 200000, tzinfo=UTC))
    record(db, "holiday_reminder", datetime(2026, 11, 29, 1, 0, 0, tzinfo=UTC))
    # Sweep last ran at 02:59; the */5 fire time 03:00 has come since: missed.
    record(db, "sweep", datetime(2026, 12, 1, 2, 59, tzinfo=UTC))
    # Dispatch ran just now.
    record(db, "dispatch", datetime(2026, 12, 1, 3, 0, 0, 100, tzinfo=UTC))
    record(db, "meetings", datetime(2026, 12, 1, 3, 0, 0, 100, tzinfo=UTC))
    record(db, "log_chain_heads", datetime(2026, 11, 30, 16, 30, 1, tzinfo=UTC))
    missed = {s.id for s in schedule.missed(NOW)}
    assert missed == {"daily_digest", "sweep"}


def test_a_run_at_the_fire_time_itself_counts(db):
    record(db, "daily_digest", datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    assert "daily_digest" not in {s.id for s in schedule.missed(NOW)}


def test_last_runs_are_aware_utc(db):
    record(db, "sweep", datetime(2026, 12, 1, 2, 59, tzinfo=UTC))
    assert schedule.last_runs()["sweep"] == datetime(2026, 12, 1, 2, 59, tzinfo=UTC)


def test_the_digest_follows_its_local_time_parameter(db):
    spec = schedule.job("daily_digest")
    assert schedule.cron_for(spec) == "0 0 * * *"  # the default 08:00 in Shanghai
    set_param(db, "reminder.daily_digest_time", "07:30")
    assert schedule.cron_for(spec) == "30 23 * * *"


def test_daily_utc_cron_converts_from_the_zone():
    assert schedule.daily_utc_cron("08:00", ZoneInfo("Asia/Shanghai")) == "0 0 * * *"
    assert schedule.daily_utc_cron("05:15", ZoneInfo("Asia/Shanghai")) == "15 21 * * *"
