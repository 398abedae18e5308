"""Import jobs: upload → validate (preview) → confirm → write, each step a function here.

State lives in the `ImportJob` row and in two files under ``instance/imports`` (the upload
and its validated rows), so any worker process can show a job's page and progress; the
session never holds the rows. Small files are handled inside the request; larger ones by
`webapp.imports.runner`, in a process of their own, which reports progress to the row.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, abort, current_app, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from webapp import signals
from webapp.audit.recorder import acting_as
from webapp.audit.services import record_operation
from webapp.clock import org_today, utc_now
from webapp.extensions import db
from webapp.imports.context import ImportContext
from webapp.imports.spec import ImportSpec
from webapp.imports.validation import Progress, validate_file, write_staged
from webapp.models import ImportJob, User
from webapp.signals import answers
from webapp.storage import files
from webapp.storage.store import FileStore

log = logging.getLogger(__name__)

TTL = timedelta(hours=2)
# A running job whose worker has not reported for this long is taken as dead (the process
# was restarted mid-way); the user is told to upload again.
STALE_AFTER = timedelta(minutes=5)
PROGRESS_EVERY_SECONDS = 0.5


def specs() -> dict[str, ImportSpec]:
    """Return the importable records by kind, as the areas answered at start-up."""
    found = current_app.extensions.get("import_kinds")
    if found is None:
        parts = answers(signals.import_kinds, current_app._get_current_object())
        found = {spec.kind: spec for part in parts for spec in part}
        current_app.extensions["import_kinds"] = found
    return found


def spec_for(kind: str) -> ImportSpec:
    """Return the spec of a kind, or answer 404."""
    spec = specs().get(kind)
    if spec is None:
        abort(404)
    return spec


# ------------------------------------------------------------------------------- files


def import_files() -> FileStore:
    """Return the private store holding uploads between preview and confirm."""
    return files("imports")


def upload_name(job: ImportJob) -> str:
    """Name a job's uploaded workbook in the store."""
    return f"{job.stored_name}.xlsx"


def staged_name(job: ImportJob) -> str:
    """Name a job's validated rows (JSON lines) in the store."""
    return f"{job.stored_name}.jsonl"


def remove_files(job: ImportJob) -> None:
    """Delete a job's files; a missing file is fine."""
    for name in (upload_name(job), staged_name(job)):
        import_files().delete(name)


def purge_expired() -> int:
    """Expire jobs left unconfirmed past their time: delete files, forget rows shown."""
    now = utc_now()
    jobs = list(
        db.session.scalars(
            select(ImportJob).where(
                ImportJob.expires_at < now,
                ImportJob.state.in_(("valid", "invalid", "validating")),
            )
        )
    )
    for job in jobs:
        if job.state == "validating" and job.heartbeat_at > now - STALE_AFTER:
            continue
        remove_files(job)
        job.state, job.preview, job.errors = "expired", [], []
    return len(jobs)


# ------------------------------------------------------------------------------- steps


def create_job(
    user: User, spec: ImportSpec, upload: FileStorage, update_existing: bool
) -> ImportJob:
    """Keep an uploaded file under a random name and open a job for it."""
    purge_expired()
    now = utc_now()
    job = ImportJob(
        token=secrets.token_urlsafe(32),
        kind=spec.kind,
        user_id=user.id,
        locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        original_name=(upload.filename or "")[-255:],
        stored_name=secrets.token_hex(16),
        update_existing=bool(update_existing and spec.supports_update),
        ip=(request.remote_addr or "")[:45],
        state="validating",
        heartbeat_at=now,
        expires_at=now + TTL,
    )
    import_files().save(upload_name(job), upload.stream)
    db.session.add(job)
    db.session.commit()
    return job


def own_job_or_404(token: str, user: User) -> ImportJob:
    """Load a job of this user by its token, or answer 404."""
    job = db.session.scalars(
        select(ImportJob).where(ImportJob.token == token, ImportJob.user_id == user.id)
    ).first()
    if job is None:
        abort(404)
    return job


def context_for(job: ImportJob) -> ImportContext:
    """Build the import context of a job's uploader."""
    user = db.session.get(User, job.user_id)
    return ImportContext(user, org_today(), update_existing=job.update_existing)


def validate_job(job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Check every row of the upload and stage the valid ones; nothing is written."""
    spec = specs()[job.kind]
    store = import_files()
    with (
        store.local_copy(upload_name(job)) as upload,
        store.writing(staged_name(job)) as staged,
        open(staged, "w", encoding="utf-8") as sink,
    ):
        report = validate_file(
            upload, spec, context_for(job), sink=sink, progress=progress or _quiet
        )
    db.session.refresh(job)  # progress was written around the ORM; start from the row as stored
    job.total_rows = job.processed_rows = report.rows
    job.error_count = report.error_count + (1 if report.fatal else 0)
    job.errors, job.preview, job.headers = report.errors, report.preview, report.headers
    job.to_create, job.to_update = report.to_create, report.to_update
    job.message = report.fatal[:500]
    job.heartbeat_at = utc_now()
    job.state = "valid" if report.ok else "invalid"
    if not report.ok:
        remove_files(job)
    db.session.commit()
    return job


def claim_for_import(job: ImportJob) -> bool:
    """Move a previewed job to importing; False if another request got there first."""
    claimed = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.state == "valid")
        .values(state="importing", processed_rows=0, heartbeat_at=utc_now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.refresh(job)
    return claimed == 1


def import_job(job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Write a claimed job's staged rows in one transaction, or nothing at all."""
    spec = specs()[job.kind]
    job_id = job.id
    try:
        with import_files().local_copy(staged_name(job)) as staged:
            report = write_staged(staged, spec, context_for(job), progress=progress or _quiet)
        if not report.ok:
            db.session.rollback()
            job = db.session.get(ImportJob, job_id)
            job.state = "invalid"
            job.errors, job.error_count, job.preview = report.errors, report.error_count, []
            job.message = _("数据在预览之后发生了变化，以下各行已不能导入。")
        else:
            record_operation(
                "import",
                spec.model_name,
                summary=(
                    f"导入{spec.title}：新增 {report.created} 条，更新 {report.updated} 条"
                    f"（文件：{job.original_name}）"
                ),
            )
            job.state = "done"
            job.created_count, job.updated_count = report.created, report.updated
            job.processed_rows = report.rows
            job.preview = []
    except IntegrityError:
        db.session.rollback()
        job = db.session.get(ImportJob, job_id)
        job.state = "failed"
        job.message = _(
            "写入时发生冲突（可能有他人同时录入了相同的数据），没有写入任何数据，请重新上传。"
        )
    job.finished_at = job.heartbeat_at = utc_now()
    remove_files(job)
    db.session.commit()
    return job


def check_stale(job: ImportJob) -> ImportJob:
    """Fail a running job whose worker stopped reporting (a restarted process)."""
    waiting = job.queued_at is not None  # a queued step has no worker yet to report
    if job.running and not waiting and job.heartbeat_at < utc_now() - STALE_AFTER:
        job.state, job.slot = "failed", None
        job.message = _("处理中断（服务进程可能已重启），没有写入任何数据，请重新上传。")
        remove_files(job)
        db.session.commit()
    return job


def cancel_job(job: ImportJob) -> None:
    """Drop a previewed job and its files."""
    if job.state in ("valid", "invalid"):
        remove_files(job)
        job.state, job.preview = "cancelled", []
        db.session.commit()


def _quiet(done: int, total: int) -> None:
    return None


# --------------------------------------------------------------------- running the steps


def run_step(app: Flask, job_id: int, step: str, ip: str = "") -> None:
    """Run a job step outside any request, as its uploader (so the audit trail names them)."""
    # An app context, no request: the uploader is named to the audit trail explicitly, and
    # the job's locale is forced for the messages it stores.
    with app.app_context():
        session = db.session()
        # Progress commits must not expire the lookups (units, dictionaries) loaded once.
        session.expire_on_commit = False
        try:
            job = db.session.get(ImportJob, job_id)
            uploader = db.session.get(User, job.user_id)
            with acting_as(uploader, ip or job.ip), force_locale(job.locale):
                if step == "validate":
                    validate_job(job, session_progress(job_id))
                else:
                    import_job(job, side_progress(job_id))
        except Exception:
            log.exception("import job %s failed in step %s", job_id, step)
            db.session.rollback()
            _mark_failed(job_id)
        finally:
            db.session.remove()


def _mark_failed(job_id: int) -> None:
    job = db.session.get(ImportJob, job_id)
    if job is not None:
        job.state, job.slot = "failed", None
        job.message = _("处理时发生错误，没有写入任何数据，请检查文件后重新上传。")
        job.finished_at = utc_now()
        remove_files(job)
        db.session.commit()


def _throttled(write: Callable[[int, int], None]) -> Progress:
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = utc_now().timestamp()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or done >= total:
            last[0] = now
            write(done, total)

    return report


def session_progress(job_id: int) -> Progress:
    """Report validation progress through the worker's session, committing each time."""

    def write(done: int, total: int) -> None:
        db.session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(processed_rows=done, total_rows=total, heartbeat_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        # Committing also ends the read transaction, which on SQLite holds the write lock.
        db.session.commit()

    return _throttled(write)


def side_progress(job_id: int) -> Progress:
    """Report write progress on a connection of its own, outside the import's transaction."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        # The import's transaction holds SQLite's only write lock: a second connection
        # would wait for it. The page shows "writing" without a count there.
        return _quiet

    def write(done: int, total: int) -> None:
        with engine.begin() as connection:
            connection.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(processed_rows=done, total_rows=total, heartbeat_at=utc_now())
            )

    return _throttled(write)
