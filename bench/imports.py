"""Time and memory of checking and importing a large negative-information workbook.

A 50,000-row .xlsx is generated once; then, for each database (a fresh SQLite file, and
PostgreSQL when TEST_DATABASE_URL points at one), a child process seeds a unit, a user and
2,000 cadres and runs the real job steps (`run_step`: preview, then confirm) as the
background thread would. Each database is measured twice, in separate processes: once for
the time and the process's peak RSS (ru_maxrss), once under tracemalloc for the peak of
Python allocations (tracemalloc slows the run, so its times are not reported). ru_maxrss is
the whole process's peak: the interpreter, Flask, SQLAlchemy and openpyxl included.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from bench.processes import in_fresh_process

ROWS = 50_000
CADRES = 2_000
SITUATIONS = [
    ("干部监督", "一般性信访反映", "信访举报"),
    ("干部监督", "个人有关事项报告漏报", "个人有关事项报告查核"),
    ("执法司法", "酒驾醉驾", "公检法移送"),
    ("专项监督", "网络舆情负面反映", "网络舆情"),
]


def cadre_identities(count: int) -> list[tuple[str, str, date]]:
    """Return (name, ID number, birth date) for the seeded cadres."""
    from stdnum.cn import ric

    people = []
    for i in range(count):
        birth = date(1960, 1, 1) + timedelta(days=7 * i)
        body = f"110105{birth:%Y%m%d}{i % 1000:03d}"
        people.append((f"干部{i:05d}", body + ric.calc_check_digit(body + "0"), birth))
    return people


def make_workbook(path: Path, rows: int, people: list[tuple[str, str, date]] | None) -> None:
    """Write the negative-information workbook as Excel would (shared strings, dimension).

    A write-only openpyxl workbook would be lighter to make, but it stores every string
    inline and records no sheet dimension, which makes it slower to read than the files
    Excel and WPS save; the benchmark should read what users upload.
    """
    from openpyxl import Workbook

    from webapp.negative_info.imports import NEGATIVE_INFO

    people = people or cadre_identities(CADRES)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = NEGATIVE_INFO.sheet_title
    sheet.append([c.header for c in NEGATIVE_INFO.columns])
    for i in range(rows):
        name, id_number, _birth = people[i % len(people)]
        category, situation, source = SITUATIONS[i % len(SITUATIONS)]
        occurred = date(2025, 1, 1) + timedelta(days=i % 300)
        sheet.append(
            [
                name,
                id_number,
                category,
                situation,
                source,
                "市信访局",
                "李联络",
                f"信访〔2025〕{i}号",
                occurred,
                occurred + timedelta(days=5),
                f"第 {i} 条：反映其工作作风问题，群众意见较大，需要进一步核实。",
                "详细情况" * 10,
                "",
                "",
                "一般",
                "内部",
            ]
        )
    workbook.save(path)


def database_config(kind: str, folder: Path) -> dict | None:
    """Return app config for a fresh database of a kind, or None when it is not available."""
    if kind == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"}
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return None
    import sqlalchemy as sa

    schema = f"bench_{os.getpid()}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return {
        "PG_SCHEMA": schema,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


def drop_schema(config: dict) -> None:
    """Remove a PostgreSQL schema made by `database_config`."""
    import sqlalchemy as sa

    engine = sa.create_engine(config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{config["PG_SCHEMA"]}" CASCADE')
    engine.dispose()


def seed(people) -> int:
    """Create a unit, a supervisor who sees everything, and the cadres; return the user id."""
    from sqlalchemy import insert, select

    from webapp.extensions import db
    from webapp.models import Cadre, DataScope, OrgUnit, Role, User
    from webapp.security.crypto import id_number_hash
    from webapp.seed.reference import ensure_reference_data

    db.create_all()
    ensure_reference_data()
    unit = OrgUnit(code="bench", name="基准测试单位", path="")
    db.session.add(unit)
    db.session.flush()
    unit.path = f"/{unit.id}/"
    user = User(
        username="bench",
        full_name="基准测试",
        password_hash="x",
        role=db.session.scalars(select(Role).where(Role.code == "supervisor")).one(),
        unit=unit,
        data_scope=DataScope.ALL,
    )
    db.session.add(user)
    db.session.flush()
    db.session.execute(
        insert(Cadre),
        [
            {
                "name": name,
                "gender": "male",
                "birth_date": birth,
                "ethnicity": "han",
                "political_status": "cpc",
                "education": "bachelor",
                "unit_id": unit.id,
                "position": "科长",
                "rank": "zhengke",
                "category": "section",
                "id_number": id_number,
                # A bulk insert skips the model's hook that keeps the search hash.
                "id_number_hash": id_number_hash(id_number),
            }
            for name, id_number, birth in people
        ],
    )
    db.session.commit()
    return user.id


def child(kind: str, workbook: str, rows: int, trace: bool, results) -> None:
    """Measure one database in this (fresh) process; put the figures on the queue."""
    from webapp import create_app
    from webapp.clock import utc_now
    from webapp.extensions import db
    from webapp.imports import jobs
    from webapp.models import ImportJob, NegativeInfo

    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    config = database_config(kind, folder)
    if config is None:
        results.put(None)
        return
    config["IMPORT_DIR"] = str(folder / "imports")
    app = create_app("testing", config)
    try:
        with app.app_context():
            user_id = seed(cadre_identities(CADRES))
            now = utc_now()
            job = ImportJob(
                token="bench",
                kind="negative-info",
                user_id=user_id,
                original_name="bench.xlsx",
                stored_name="bench",
                expires_at=now + timedelta(hours=2),
                heartbeat_at=now,
            )
            db.session.add(job)
            db.session.commit()
            with open(workbook, "rb") as upload:
                jobs.import_files().save(jobs.upload_name(job), upload)
            db.session.commit()
            job_id = job.id
            db.session.remove()
        figures = {
            "db": kind,
            "rows": rows,
            "baseline_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        for step in ("validate", "import"):
            if trace:
                tracemalloc.start()
            started = time.perf_counter()
            if step == "import":
                with app.test_request_context():
                    jobs.claim_for_import(db.session.get(ImportJob, job_id))
                    db.session.remove()
            jobs.run_step(app, job_id, step)
            figures[f"{step}_seconds"] = time.perf_counter() - started
            if trace:
                figures[f"{step}_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            figures[f"{step}_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with app.app_context():
            job = db.session.get(ImportJob, job_id)
            written = db.session.query(NegativeInfo).count()
            if job.state != "done" or written != rows:
                raise RuntimeError(
                    f"import ended {job.state} with {written} rows: {job.errors[:3]}"
                )
            db.session.remove()
            db.engine.dispose()
        results.put(figures)
    finally:
        if "PG_SCHEMA" in config:
            drop_schema(config)
        shutil.rmtree(folder, ignore_errors=True)


def measure(kind: str, workbook: Path, rows: int, trace: bool) -> dict | None:
    """Run `child` in a fresh process, so ru_maxrss is this run's alone."""
    return in_fresh_process(kind, child, kind, str(workbook), rows, trace)


def main() -> None:
    """Generate the workbook, measure each database, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "all"), default="all")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "all" else (args.db,)
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as folder:
        workbook = Path(folder) / "负面信息.xlsx"
        started = time.perf_counter()
        # Made in a child process: ru_maxrss survives fork and exec, so a parent grown by
        # building the workbook would pass its peak on to every measured child.
        context = multiprocessing.get_context("spawn")
        maker = context.Process(target=make_workbook, args=(workbook, args.rows, None))
        maker.start()
        maker.join()
        if maker.exitcode:
            raise SystemExit("making the workbook failed")
        print(
            f"生成 {args.rows} 行负面信息 .xlsx：{time.perf_counter() - started:.1f} s，"
            f"{workbook.stat().st_size / 2**20:.1f} MB"
        )
        table = []
        for kind in kinds:
            timed = measure(kind, workbook, args.rows, trace=False)
            if timed is None:
                print(f"{kind}: TEST_DATABASE_URL 未指向 PostgreSQL，跳过")
                continue
            traced = measure(kind, workbook, args.rows, trace=True)
            print(
                f"{kind}: 开始检查前进程 ru_maxrss {timed['baseline_mb']:.1f} MB（应用与种子数据）"
            )
            for step, label in (("validate", "检查（预览）"), ("import", "导入（确认）")):
                table.append(
                    (
                        kind,
                        label,
                        args.rows,
                        timed[f"{step}_seconds"],
                        traced[f"{step}_peak_mb"],
                        timed[f"{step}_maxrss_mb"],
                    )
                )
    print()
    print(
        f"{'数据库':<12}{'步骤':<10}{'行数':>8}{'秒':>9}{'tracemalloc 峰值 MB':>22}{'ru_maxrss MB':>15}"
    )
    for kind, label, rows, seconds, peak, rss in table:
        print(f"{kind:<12}{label:<10}{rows:>8}{seconds:>9.1f}{peak:>22.1f}{rss:>15.1f}")


if __name__ == "__main__":
    main()
