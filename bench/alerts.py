"""Time the reminders: the sweep's obligations part at 100,000 and 1,000,000 rows, and dispatch.

For each database (a fresh SQLite file, and PostgreSQL when TEST_DATABASE_URL points at one,
in a schema of its own), a child process seeds a unit, a user and 2,000 cadres, then bulk
inserts 100,000 open obligations of which 1% have come due, and times one firing pass
(`fire_due_obligations` and its commit). The due rows are put back as they were and their
notifications removed, 900,000 obligations not yet due are added, and the pass is timed
again: it should cost about the same, since it reads only what is due. Last, 10,000 pending
in-app notifications are sent by calling `dispatch_once` until nothing is left.

The obligations are made by the database, one INSERT … SELECT copying two template rows
(written by `open_obligation`) per load; the notifications go in by COPY on PostgreSQL and
executemany on SQLite: the benchmark measures the sweep, not the loading. Each sweep is timed
five times over the same due rows (reset in between) and the best kept, since the machine
may be busy with other work; the select of the due rows (`due_to_fire`) is timed on its own.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.bulk import bulk_insert
from bench.imports import CADRES, cadre_identities, database_config, drop_schema, seed
from bench.processes import in_fresh_process

BASE_ROWS = 100_000
DUE_PERCENT = 1
GROWTH = 10  # the second sweep runs over this many times the rows
NOTIFICATIONS = 10_000
CHUNK = 20_000
SWEEP_TRIES = 5  # each sweep is timed this many times (due rows reset between) and the best kept
SWEEP_GOAL = 1.5  # the big sweep may take at most this many times the small one
DISPATCH_GOAL = 2_000  # in-app notifications a second


def load_obligations(pair: tuple[int, int], first: int, count: int, every: int) -> None:
    """Insert `count` open copies of the templates in one INSERT … SELECT; every `every`-th is due.

    The rows are made by the database (a recursive count joined to the template rows), so a
    million take seconds on either database instead of minutes through the driver.
    """
    import sqlalchemy as sa

    from webapp.extensions import db
    from webapp.models import Cadre
    from webapp.models.obligations import Obligation

    low, high, cadres = db.session.execute(
        sa.select(sa.func.min(Cadre.id), sa.func.max(Cadre.id), sa.func.count(Cadre.id))
    ).one()
    if high - low + 1 != cadres:
        raise RuntimeError("the seeded cadres' ids are not consecutive")
    made = {
        "subject_type": "'bench'",
        "subject_id": ":first + n.i",
        "cadre_id": ":low + (:first + n.i) % :cadres",
        "closed_at": "NULL",
    }
    columns = [c.name for c in Obligation.__table__.c if c.name != "id"]
    chosen = ", ".join(made.get(c, f"t.{c}") for c in columns)
    db.session.execute(
        sa.text(
            f"INSERT INTO obligation ({', '.join(columns)}) "
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :last) "
            f"SELECT {chosen} FROM n JOIN obligation t ON t.id = CASE "
            "WHEN :every > 0 AND (:first + n.i) % :modulus = 0 THEN :due_id ELSE :later_id END"
        ),
        {
            "first": first,
            "last": count - 1,
            "every": every,
            "modulus": every or 1,  # never `% 0`: the database may evaluate it anyway
            "low": low,
            "cadres": cadres,
            "due_id": pair[0],
            "later_id": pair[1],
        },
    )
    loaded = db.session.scalar(
        sa.select(sa.func.count()).where(
            Obligation.subject_type == "bench", Obligation.subject_id >= first
        )
    )
    if loaded != count:
        raise RuntimeError(f"loaded {loaded} obligations, not {count}")


def templates(today: date, user_id: int, cadre_id: int) -> tuple[int, int]:
    """Make a due and a not-yet-due obligation as `open_obligation` does; return their ids.

    They are closed at once (the sweep never sees them); `load_obligations` copies them open.
    """
    from webapp.extensions import db
    from webapp.models.base import utcnow
    from webapp.obligations.services import open_obligation
    from workflows.obligations import ObligationKind

    made = []
    for n, (start, due) in enumerate(
        [(today - timedelta(days=40), today + timedelta(days=3)), (today, today + timedelta(60))]
    ):
        made.append(
            open_obligation(
                kind=ObligationKind.ACTION_DUE,
                subject_type="template",
                subject_id=n,
                cadre_id=cadre_id,
                start=start,
                due=due,
                total_workdays=30 if n == 0 else 40,
                today=today,
                responsible_user_id=user_id,
            )
        )
    due, later = made
    if not (due.next_fire_on <= today < later.next_fire_on):
        raise RuntimeError(f"templates are wrong: {due.next_fire_on}, {later.next_fire_on}")
    for obligation in made:
        obligation.closed_at = utcnow()
    db.session.commit()
    return due.id, later.id


def timed_sweep(today: date) -> tuple[float, int]:
    """Run the obligations part of the sweep once and commit; return seconds and obligations."""
    from alerts.firing import fire_due_obligations
    from webapp.extensions import db

    db.session.expunge_all()
    started = time.perf_counter()
    counts = fire_due_obligations(today)
    db.session.commit()
    return time.perf_counter() - started, counts.obligations


def best_sweep(today: date, due_id: int, every: int, due_below: int) -> tuple[float, int, float]:
    """Time the sweep SWEEP_TRIES times over the same due rows; return the fastest.

    The machine is shared: the best of a few runs is the sweep's cost, not its neighbours'.
    Also return the fastest select of the due rows alone (`due_to_fire`), read before each run.
    """
    from webapp.extensions import db
    from webapp.obligations.services import due_to_fire

    runs, selects = [], []
    for _ in range(SWEEP_TRIES):
        started = time.perf_counter()
        due_to_fire(today)
        selects.append(time.perf_counter() - started)
        db.session.rollback()
        runs.append(timed_sweep(today))
        reset_due(due_id, every, due_below)
    return (*min(runs), min(selects))


def settle() -> None:
    """Let the database finish with a bulk load before timing (statistics, WAL, visibility)."""
    from webapp.extensions import db

    db.session.commit()
    db.session.remove()
    raw = db.engine.raw_connection()
    try:
        if db.engine.dialect.name == "postgresql":
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute("VACUUM ANALYZE obligation")
            raw.driver_connection.execute("VACUUM ANALYZE notification")
            raw.driver_connection.autocommit = False
        else:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        raw.close()


def reset_due(due_id: int, every: int, due_below: int) -> None:
    """Put the fired obligations back as due and drop their notifications.

    The due rows are every `every`-th of the first `due_below` (the ones loaded as due).
    """
    import sqlalchemy as sa

    from webapp.extensions import db
    from webapp.models.notifications import Notification
    from webapp.models.obligations import Obligation

    table = Obligation.__table__
    first_day = db.session.scalar(sa.select(table.c.next_fire_on).where(table.c.id == due_id))
    db.session.execute(
        sa.update(table)
        .where(
            table.c.subject_type == "bench",
            table.c.subject_id < due_below,
            table.c.subject_id % every == 0,
        )
        .values(fired_stages={}, next_fire_on=first_day)
    )
    db.session.execute(sa.delete(Notification.__table__))
    db.session.commit()


def notification_rows(user_id: int, count: int, now):
    """Yield pending in-app notifications, all due now."""
    for n in range(count):
        yield {
            "kind": "bench",
            "subject": f"bench:{n}",
            "stage": "due",
            "due_date": now.date(),
            "user_id": user_id,
            "channel": "inapp",
            "address": None,
            "title": "行动到期·到期",
            "body": "干部：行动到期·到期",
            "link": "/cadres/1",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now - timedelta(minutes=1),
            "last_error": "",
            "created_at": now,
            "sent_at": None,
            "read_at": None,
        }


def timed_dispatch(now) -> tuple[float, int]:
    """Call the dispatcher until nothing is pending; return seconds and rows sent."""
    from alerts.dispatcher import dispatch_once

    sent, started = 0, time.perf_counter()
    while (counts := dispatch_once(now)).claimed:
        sent += counts.sent
    return time.perf_counter() - started, sent


def child(kind: str, base_rows: int, notifications: int, results) -> None:
    """Measure one database in this (fresh) process; put the figures on the queue."""
    import sqlalchemy as sa

    from alerts.jobs import org_date
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Cadre
    from webapp.models.base import utcnow
    from webapp.models.notifications import Notification, NotificationStatus

    folder = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    config = database_config(kind, folder)
    if config is None:
        results.put(None)
        return
    app = create_app("testing", config)
    figures: dict = {"db": kind}
    try:
        with app.app_context():
            user_id = seed(cadre_identities(CADRES))
            now = utcnow()
            today = org_date(now)
            pair = templates(today, user_id, db.session.scalar(sa.select(sa.func.min(Cadre.id))))
            every = 100 // DUE_PERCENT
            started = time.perf_counter()
            load_obligations(pair, 0, base_rows, every)
            settle()
            figures["load_small"] = time.perf_counter() - started
            figures["small"] = (base_rows, *best_sweep(today, pair[0], every, base_rows))
            extra = base_rows * (GROWTH - 1)
            started = time.perf_counter()
            load_obligations(pair, base_rows, extra, 0)
            settle()
            figures["load_big"] = time.perf_counter() - started
            figures["big"] = (base_rows * GROWTH, *best_sweep(today, pair[0], every, base_rows))
            started = time.perf_counter()
            bulk_insert(Notification.__table__, notification_rows(user_id, notifications, now))
            settle()
            figures["load_notifications"] = time.perf_counter() - started
            figures["dispatch"] = (notifications, *timed_dispatch(now))
            left = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Notification)
                .where(Notification.status != NotificationStatus.SENT)
            )
            if left:
                raise RuntimeError(f"{left} notifications were not sent")
            db.session.remove()
            db.engine.dispose()
        results.put(figures)
    finally:
        if "PG_SCHEMA" in config:
            drop_schema(config)
        shutil.rmtree(folder, ignore_errors=True)


def measure(kind: str, base_rows: int, notifications: int) -> dict | None:
    """Run `child` in a fresh process and return its figures (None: database not available)."""
    return in_fresh_process(kind, child, kind, base_rows, notifications)


def case(due: int, select: float) -> str:
    """Describe a sweep case for the table."""
    return f"sweep, {due:,} due (best of {SWEEP_TRIES}; select of the due {select * 1000:.0f} ms)"


def table_rows(figures: dict) -> list[tuple[str, ...]]:
    """Return the markdown rows for one database's figures."""
    kind = figures["db"]
    small_rows, small_s, small_due, small_select = figures["small"]
    big_rows, big_s, big_due, big_select = figures["big"]
    sent_rows, dispatch_s, sent = figures["dispatch"]
    ratio = big_s / small_s if small_s else float("inf")
    rate = sent / dispatch_s if dispatch_s else float("inf")
    return [
        (
            kind,
            case(small_due, small_select),
            f"{small_rows:,}",
            f"{small_s:.2f}",
            "baseline",
            "—",
        ),
        (
            kind,
            case(big_due, big_select),
            f"{big_rows:,}",
            f"{big_s:.2f}",
            f"≤ {SWEEP_GOAL}× baseline ({ratio:.2f}×)",
            "yes" if ratio <= SWEEP_GOAL else "no",
        ),
        (
            kind,
            f"dispatch in-app ({rate:,.0f}/s)",
            f"{sent_rows:,}",
            f"{dispatch_s:.2f}",
            f"≥ {DISPATCH_GOAL:,}/s",
            "yes" if rate >= DISPATCH_GOAL else "no",
        ),
    ]


def main() -> None:
    """Measure each database and print the markdown table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.alerts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=BASE_ROWS, help="obligations in the first case")
    parser.add_argument("--notifications", type=int, default=NOTIFICATIONS)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "all"), default="all")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "all" else (args.db,)
    lines = []
    for kind in kinds:
        started = time.perf_counter()
        figures = measure(kind, args.rows, args.notifications)
        if figures is None:
            print(f"{kind}: TEST_DATABASE_URL 未指向 PostgreSQL，跳过")
            continue
        print(
            f"{kind}: loading {figures['load_small']:.1f} s + {figures['load_big']:.1f} s "
            f"(obligations), {figures['load_notifications']:.1f} s (notifications); "
            f"whole run {time.perf_counter() - started:.0f} s"
        )
        lines.extend(table_rows(figures))
    print()
    print("| database | case | rows | seconds | goal | met? |")
    print("|---|---|---:|---:|---|---|")
    for line in lines:
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main()
