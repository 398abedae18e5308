"""Run the steps of large imports in processes of their own, a few at a time.

Checking 100,000 rows keeps a CPU busy for a minute. In a thread of a web worker it also
holds that worker's interpreter lock, so every request the worker serves waits behind it
(three imports at once once made the health check take 15 s). So a large file's step runs
in a fresh Python process started by the worker (``python -m webapp.imports.runner``, given
the worker's configuration on its standard input), at a lower CPU priority: not a fork,
which would copy the worker's open SQLite connections and their locks. No more than
``IMPORT_MAX_RUNNING`` of them run at once across every worker and machine: a step first
claims one of the numbered slots in `ImportJob.slot`, whose unique constraint the database
enforces, with no lock table and no dialect-specific SQL.

A step that finds every slot taken is queued (``queued_at``). A runner that finishes takes
the oldest queued step itself, and the job page's poller also tries to start it, so the
queue never waits for a process that is not there. A slot whose runner stopped reporting
(the process was killed) is freed and its job failed, as `jobs.check_stale` does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.clock import utc_now
from webapp.extensions import db
from webapp.imports import jobs
from webapp.models import ImportJob

log = logging.getLogger(__name__)

# Files up to this size (some 800 rows) are checked inside the request, in about a second.
SYNC_MAX_BYTES = 64 * 1024
NICENESS = 10
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def max_running() -> int:
    """Return how many large steps may run at once (``IMPORT_MAX_RUNNING``)."""
    return max(1, int(current_app.config["IMPORT_MAX_RUNNING"]))


def runner_name() -> str:
    """Name this process for the job row (host:pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def runs_in_background(job: ImportJob) -> bool:
    """Tell whether the upload is large enough to be handled outside the request."""
    limit = current_app.config.get("IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES)
    return (jobs.import_files().size(jobs.upload_name(job)) or 0) > limit


def start_validation(job: ImportJob) -> None:
    """Validate now, or in a process of its own for a large file."""
    if runs_in_background(job):
        start(job)
    else:
        jobs.validate_job(job)


def start_import(job: ImportJob) -> None:
    """Import now, or in a process of its own for a large file."""
    if runs_in_background(job):
        start(job)
    else:
        jobs.import_job(job)


def start(job: ImportJob) -> None:
    """Queue a job's current step and start it at once if a slot is free."""
    job.queued_at = utc_now()
    db.session.commit()
    nudge(job)


def nudge(job: ImportJob) -> ImportJob:
    """Start a queued step if a slot has come free (the job page's poller calls this)."""
    if job.running and job.queued_at is not None:
        slot = claim_slot(job.id)
        if slot is not None:
            launch(current_app._get_current_object(), job.id, slot)  # type: ignore[attr-defined]
        db.session.refresh(job)
    return job


def free_stale_slots() -> None:
    """Fail the jobs holding a slot whose runner stopped reporting, freeing the slots."""
    stale = select(ImportJob).where(
        ImportJob.slot.is_not(None), ImportJob.heartbeat_at < utc_now() - jobs.STALE_AFTER
    )
    for job in db.session.scalars(stale).all():
        jobs.check_stale(job)


def claim_slot(job_id: int) -> int | None:
    """Give a queued job a free slot and return its number, or None when all are taken."""
    free_stale_slots()
    for number in range(1, max_running() + 1):
        if _take(job_id, number):
            return number
        if db.session.scalar(select(ImportJob.slot).where(ImportJob.id == job_id)) is not None:
            return None  # someone else started it
    return None


def _take(job_id: int, number: int) -> bool:
    try:
        taken = db.session.execute(
            update(ImportJob)
            .where(
                ImportJob.id == job_id,
                ImportJob.slot.is_(None),
                ImportJob.queued_at.is_not(None),
                ImportJob.state.in_(ImportJob.RUNNING),
            )
            .values(slot=number, queued_at=None, heartbeat_at=utc_now())
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
    except IntegrityError:  # the slot is held by another job
        db.session.rollback()
        return False
    return taken == 1


def next_queued(number: int) -> int | None:
    """Claim the oldest queued step for a slot just freed; return its job id, or None."""
    candidates = db.session.scalars(
        select(ImportJob.id)
        .where(ImportJob.queued_at.is_not(None), ImportJob.state.in_(ImportJob.RUNNING))
        .order_by(ImportJob.queued_at, ImportJob.id)
        .limit(5)
    ).all()
    for job_id in candidates:
        if _take(job_id, number):
            return job_id
    return None


def release(job_id: int) -> None:
    """Free a job's slot."""
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(slot=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def serve_slot(app: Flask, job_id: int, number: int) -> None:
    """Run a claimed step, then queued ones while there are any; then free the slot."""
    current: int | None = job_id
    while current is not None:
        with app.app_context():
            job = db.session.get(ImportJob, current)
            job.runner = runner_name()
            step = "validate" if job.state == "validating" else "import"
            db.session.commit()
            db.session.remove()
        jobs.run_step(app, current, step)
        with app.app_context():
            release(current)
            current = next_queued(number)
            db.session.remove()


def launch(app: Flask, job_id: int, number: int) -> None:
    """Run a claimed slot in a new process; a thread of this one where none can be started."""
    order = pickle.dumps({"config": picklable(app.config), "job": job_id, "slot": number})
    try:
        child = subprocess.Popen(  # our own interpreter and module, no shell
            [sys.executable, "-m", "webapp.imports.runner"],
            stdin=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            start_new_session=True,  # a restart of the worker does not kill a running import
        )
    except OSError:
        log.exception("could not start an import runner; running job %s in a thread", job_id)
        threading.Thread(target=serve_slot, args=(app, job_id, number), daemon=True).start()
        return
    child.stdin.write(order)
    child.stdin.close()
    threading.Thread(target=child.wait, name=f"reap-import-{job_id}", daemon=True).start()


def picklable(config: dict) -> dict:
    """Return the settings that can be handed to another process."""
    kept = {}
    for key, value in config.items():
        try:
            pickle.dumps(value)
        except Exception:  # a callable or a class: the child's defaults serve
            continue
        kept[key] = value
    return kept


def main() -> None:
    """Serve one slot in this process, as ordered on standard input by `launch`."""
    order = pickle.load(sys.stdin.buffer)  # written by our own parent process
    from webapp import create_app

    app = create_app(None, order["config"])
    with contextlib.suppress(OSError):
        os.nice(NICENESS)  # the web workers keep the CPU first
    try:
        serve_slot(app, order["job"], order["slot"])
    except Exception:
        log.exception("import runner for job %s failed", order["job"])
        with app.app_context():
            release(order["job"])


if __name__ == "__main__":
    main()
