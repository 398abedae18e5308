"""Run the declared jobs with APScheduler while this process holds the lease; else stand by.

Never started by a web worker or at import: `flask alerts run-scheduler` calls `run` in its
main thread, and the embedded mode may call `start_in_thread` from the serving command.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from alerts import lease, schedule
from alerts.jobs import run_job, runner_name
from webapp.extensions import db
from webapp.models.base import utcnow

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=60)


@dataclass
class Options:
    """How a scheduler process runs: lease period, polling, cron overrides, which jobs."""

    lease_period: timedelta = DEFAULT_LEASE
    # A standby polls this often; a third of the lease keeps takeover within one period.
    poll: timedelta | None = None
    crons: Mapping[str, str] = field(default_factory=dict)
    only: Sequence[str] = ()

    @property
    def poll_every(self) -> timedelta:
        """Return the standby's polling interval."""
        return self.poll or self.lease_period / 3

    def specs(self) -> list[schedule.JobSpec]:
        """Return the jobs this process runs."""
        return [s for s in schedule.JOBS if not self.only or s.id in self.only]


class Runner:
    """One scheduler process: standby until it takes the lease, active while it keeps it."""

    def __init__(self, app: Flask, options: Options) -> None:
        self.app, self.options = app, options
        self.holder = runner_name()
        self.stopping = threading.Event()
        self.scheduler: BlockingScheduler | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        """Alternate between standing by and running the jobs until stopped."""
        log.info("scheduler %s standing by", self.holder)
        while not self.stopping.is_set():
            if self._acquire():
                log.info("scheduler %s took the lease", self.holder)
                self._run_active()
                log.info("scheduler %s stopped running jobs", self.holder)
            else:
                self.stopping.wait(self.options.poll_every.total_seconds())
        with self.app.app_context():
            try:
                lease.release(self.holder)
            finally:
                db.session.remove()

    def stop(self) -> None:
        """Stop running jobs and give the lease up (from a signal handler or another thread)."""
        self.stopping.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def _acquire(self) -> bool:
        with self.app.app_context():
            try:
                return lease.acquire(self.holder, self.options.lease_period)
            except Exception:  # a database hiccup: stay standby and try again
                log.exception("lease check failed")
                db.session.rollback()
                return False
            finally:
                db.session.remove()

    def _renew(self) -> None:
        if not self._acquire():
            log.warning("scheduler %s lost the lease", self.holder)
            if self.scheduler is not None:
                self.scheduler.shutdown(wait=False)

    def _run_active(self) -> None:
        scheduler = BlockingScheduler(timezone="UTC", job_defaults=schedule.JOB_DEFAULTS)
        now = utcnow()
        with self.app.app_context():
            try:
                specs = self.options.specs()
                crons = {s.id: schedule.cron_for(s, self.options.crons) for s in specs}
                missed = {s.id for s in schedule.missed(now, crons, specs)}
            finally:
                db.session.remove()
        for spec in specs:
            extra = {"next_run_time": now} if spec.id in missed else {}
            scheduler.add_job(
                run_job,
                schedule.trigger(crons[spec.id]),
                args=[self.app, spec.id, spec.work],
                id=spec.id,
                name=spec.label,
                replace_existing=True,
                **extra,
            )
        if missed:
            log.info("making up missed runs: %s", ", ".join(sorted(missed)))
        scheduler.add_job(
            self._renew,
            IntervalTrigger(seconds=self.options.lease_period.total_seconds() / 3),
            id="_lease",
            replace_existing=True,
        )
        self.scheduler = scheduler
        if self.stopping.is_set():
            return
        scheduler.start()  # blocks until stop() or a lost lease shuts it down
        self.scheduler = None


def start_in_thread(app: Flask, options: Options | None = None) -> Runner:
    """Run a scheduler in a daemon thread of this process (embedded mode); return it."""
    runner = Runner(app, options or Options())
    runner.thread = threading.Thread(target=runner.run, name="scheduler", daemon=True)
    runner.thread.start()
    return runner
