"""`make bench`: page times at a province's scale, through the real servers, on both databases.

For each database, a database seeded by `flask bench seed` (made once, kept for `--reuse`) is
served as in real use: SQLite by `flask serve` (waitress, `make run`'s server), PostgreSQL by
gunicorn with 2 workers. Over HTTP, logged in as a province-wide and as a district-scoped
supervisor, each page is requested `--warmup` times, then `--requests` times one after the
other, and its p50 / p95 / max printed (a page still slow after 20 s stops at 3 timed
requests, the n column: a 20-second page would otherwise hold the run for a quarter of an
hour). One more request of each is marked for the server's
statement log (BENCH_SQL_LOG): its statements are counted and their reads replayed alone on a
connection of ours, the best of several, to give the bare SQL and the ratio request / bare SQL.
The warnings export (整改中, 10,200 rows at the default size) is timed while the server's
resident memory is sampled. Last, on PostgreSQL, locust (headless, its own virtualenv) runs
`--users` users mixing the pages for `--load-seconds` on the same machine as the server.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pickle
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.sizes import Sizes
from bench.yardstick import ROWS, yardstick_ms

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HERE = ROOT / "instance" / "bench"
PG_SCHEMA = "bench"
REPLAYS = 7  # the bare SQL of a request: the best of this many replays
EXPORTS = 3
CAPTURE = "X-Bench-Capture"  # webapp/statement_log.py
GOAL_P95_MS = 50
CASE_BUDGET_S = 20.0  # a page's timed requests stop after this long, once MIN_REQUESTS are in
MIN_REQUESTS = 3
GOAL_RATIO = 2


@dataclass
class Case:
    """One page to time: who asks, what it is, its path; `register` marks a list page."""

    user: str
    name: str
    path: str
    register: bool = False


# What every page costs before its own work, for each user: the server, Flask and one
# statement; then a logged-in page that shows only the layout (session check, menu, unread
# count) and one form. The logged-in one comes last: print_floors compares registers with it.
FLOORS = (
    ("健康检查（不经登录检查，一条 SELECT 1）", "/healthz"),
    ("修改密码页（登录后：版面、未读消息数、一张表单）", "/auth/password"),
)
USERS = {"province": "全省", "district": "区县"}


@dataclass
class Timing:
    """What one case measured."""

    case: Case
    status: int
    times_ms: list[float]
    statements: int = 0
    bare_ms: float | None = None

    def pct(self, p: float) -> float:
        """Return the p-th percentile of the times (nearest rank)."""
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


@dataclass
class Report:
    """Everything one database's run measured."""

    kind: str
    server: str
    sizes: Sizes
    seed_seconds: float | None = None
    timings: list[Timing] = field(default_factory=list)
    export: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)
    steal: float | None = None  # the host's share of the cores over the pages' timing and replays
    yardstick_ms: float | None = None  # bench/yardstick.py, just before the pages
    floors: list[Timing] = field(default_factory=list)  # FLOORS, timed as the pages are


def database_url(kind: str) -> str:
    """Return the bench database's URL (SQLite file, or PostgreSQL schema `bench`)."""
    if kind == "sqlite":
        return f"sqlite:///{HERE / 'bench.sqlite3'}"
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        raise SystemExit("PostgreSQL：请设置 BENCH_DATABASE_URL 或 TEST_DATABASE_URL")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{PG_SCHEMA}"


def server_env(url: str, sql_log: str) -> dict[str, str]:
    """Return the environment the servers and commands run with."""
    env = dict(os.environ)
    env.update(
        APP_ENV="development",
        FLASK_APP="wsgi.py",
        DATABASE_URL=url,
        SCHEDULER_ENABLED="0",
        RATELIMIT_LOGIN="100000 per minute",  # fifty load users log in at once
        BENCH_SQL_LOG=sql_log,
        PYTHONPATH=str(ROOT),
    )
    return env


def engine_for(url: str):
    """Return an engine of our own on the bench database, planning as the app's connections do."""
    import sqlalchemy as sa

    from config import Config
    from webapp.database import configure_postgresql

    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":  # the bare SQL is replayed 7 times: prepared
        config = Config()
        configure_postgresql(engine, config.PG_PARALLEL_WORKERS, config.PG_PLAN_CACHE_MODE)
    return engine


def seeded_sizes(url: str) -> tuple[int, int] | None:
    """Return (cadres, warnings) of a seeded database with today's schema, else None.

    A database seeded before a model gained a column or an index would time yesterday's
    schema (or fail): it counts as not seeded.
    """
    import sqlalchemy as sa

    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            if not schema_matches(conn):
                return None
            user = conn.execute(
                sa.text("SELECT id FROM app_user WHERE username = 'bench_province_01'")
            ).first()
            if user is None:
                return None
            return (
                conn.execute(sa.text("SELECT count(*) FROM cadre")).scalar(),
                conn.execute(sa.text("SELECT count(*) FROM warning")).scalar(),
            )
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()


def schema_matches(conn) -> bool:
    """Tell whether the database has every table, column and index the models declare."""
    import sqlalchemy as sa

    import webapp.models  # noqa: F401 (every model on the metadata)
    from webapp.models.base import Base

    inspector = sa.inspect(conn)
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            return False
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        with (
            warnings.catch_warnings()
        ):  # "skipped unsupported reflection of expression-based index"
            warnings.simplefilter("ignore", sa.exc.SAWarning)
            indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        wanted = {
            index.name
            for index in table.indexes
            # Reflection skips expression indexes; some indexes exist on one dialect only.
            if all(isinstance(part, sa.Column) for part in index.expressions)
            and (
                getattr(index, "_ddl_if", None) is None
                or index._ddl_if.dialect in (None, conn.dialect.name)
            )
        }
        if not {c.name for c in table.columns} <= columns or not wanted <= indexes:
            return False
    return True


def fresh_database(kind: str, url: str) -> None:
    """Drop the bench database and create its schema and reference data."""
    import sqlalchemy as sa

    if kind == "sqlite":
        HERE.mkdir(parents=True, exist_ok=True)
        for path in glob.glob(str(HERE / "bench.sqlite3*")):
            os.remove(path)
    else:
        engine = sa.create_engine(url.split("?")[0])
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA "{PG_SCHEMA}"')
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        engine.dispose()
    script = (
        "from webapp import create_app\n"
        "from webapp.extensions import db\n"
        "from webapp.seed.reference import ensure_reference_data\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "    ensure_reference_data()\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script], env=server_env(url, ""), cwd=ROOT, check=True)


def prepare(kind: str, url: str, sizes: Sizes, reuse: bool) -> float | None:
    """Make sure the bench database holds the seed at these sizes; return the seed's seconds."""
    there = seeded_sizes(url)
    if reuse and there == (sizes.cadres, sizes.warnings):
        print(f"{kind}: 复用已有基准数据（{there[0]:,} 名干部）")
        return None
    fresh_database(kind, url)
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "flask"), "bench", "seed", *seed_options(sizes)],
        env=server_env(url, ""),
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def seed_options(sizes: Sizes) -> list[str]:
    """Return the `flask bench seed` options for the sizes."""
    return [
        f"--units={sizes.units}",
        f"--cadres={sizes.cadres}",
        f"--infos={sizes.infos}",
        f"--warnings={sizes.warnings}",
        f"--talks={sizes.talks}",
    ]


@contextlib.contextmanager
def served(kind: str, url: str, port: int, sql_log: str) -> Iterator[subprocess.Popen]:
    """Run the database's production server until the block ends."""
    if kind == "sqlite":
        command = [str(BIN / "flask"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    else:
        command = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}"]
        command += ["--timeout", "300", "wsgi:app"]  # gunicorn.conf.py: gc.freeze per worker
    log = open(HERE / f"server-{kind}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        command, env=server_env(url, sql_log), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_up(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    """Wait for the server to answer its login page."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"服务器未能启动（见 {HERE}/server-*.log）")
        with contextlib.suppress(requests.RequestException):  # up, but not yet answering
            if requests.get(f"http://127.0.0.1:{port}/auth/login", timeout=30).ok:
                return
        time.sleep(0.5)
    raise SystemExit("服务器 120 秒内未就绪")


def logged_in(base: str, username: str, password: str) -> requests.Session:
    """Return an HTTP session logged in through the login form (its CSRF token included)."""
    session = requests.Session()
    page = session.get(f"{base}/auth/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"username": username, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    answer = session.post(f"{base}/auth/login", data=data, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise SystemExit(f"{username} 登录失败（{answer.status_code}）")
    return session


@dataclass(frozen=True)
class World:
    """What the cases point at, read from the seeded database."""

    city_id: int
    district_child_id: int
    name: str
    profile_id: int
    warning_id: int
    category: str
    talk_type: str


def world(url: str) -> World:
    """Read the ids and values the cases use."""
    import sqlalchemy as sa

    engine = engine_for(url)
    with engine.connect() as conn:

        def one(sql: str, **params):
            return conn.execute(sa.text(sql), params).scalar()

        district = one("SELECT unit_id FROM app_user WHERE username = 'bench_district_01'")
        profile = one("SELECT min(id) FROM cadre")
        found = World(
            city_id=one(
                "SELECT min(u.id) FROM org_unit u JOIN org_unit p ON u.parent_id = p.id "
                "WHERE p.parent_id IS NULL AND u.name LIKE '%市'"
            ),
            district_child_id=one("SELECT min(id) FROM org_unit WHERE parent_id = :d", d=district)
            or district,
            name=one("SELECT name FROM cadre WHERE id = :c", c=profile),
            profile_id=profile,
            warning_id=one("SELECT min(id) FROM warning WHERE cadre_id = :c", c=profile),
            category=one(
                "SELECT category FROM negative_info GROUP BY category ORDER BY count(*) DESC "
                "LIMIT 1"
            ),
            talk_type=one(
                "SELECT talk_type FROM talk GROUP BY talk_type ORDER BY count(*) DESC LIMIT 1"
            ),
        )
    engine.dispose()
    return found


def cases(w: World, today: date) -> list[Case]:
    """Return every page to time, for both users."""
    registers = {
        "干部名册": ("/cadres/", {"rank": "zhengke", "category": "county"}),
        "负面信息台账": ("/negative-info/", {"status": "true", "category": w.category}),
        "预警台账": ("/warnings/", {"state": "lifted", "tier": "1"}),
        "谈话记录": (
            "/talks/",
            {"talk_type": w.talk_type, "date_from": (today - timedelta(365)).isoformat()},
        ),
    }
    found = []
    for user, unit in (("province", w.city_id), ("district", w.district_child_id)):
        for label, (path, two) in registers.items():
            for variant, args in (
                ("第 1 页", {}),
                ("第 200 页", {"page": 200}),
                ("姓名检索", {"q": w.name}),
                ("单位筛选", {"unit_id": unit}),
                ("两项筛选", two),
            ):
                query = f"?{urlencode(args)}" if args else ""
                found.append(Case(user, f"{label} {variant}", f"{path}{query}", register=True))
        found.append(Case(user, "干部档案（50 条时间线）", f"/cadres/{w.profile_id}"))
        found.append(Case(user, "预警详情", f"/warnings/{w.warning_id}"))
        found.append(Case(user, "晴雨表", "/dashboard/"))
        found.append(Case(user, "工作台（首页）", "/"))  # every user's first screen
    return found


def time_case(session: requests.Session, base: str, case: Case, warmup: int, count: int) -> Timing:
    """Request a page `warmup` times, then `count` times timed (fewer past CASE_BUDGET_S)."""
    status, started_case = 0, time.perf_counter()
    for _ in range(warmup):
        status = session.get(base + case.path, timeout=300).status_code
        if time.perf_counter() - started_case > CASE_BUDGET_S / 4:
            break
    times: list[float] = []
    started_case = time.perf_counter()
    while len(times) < count:
        started = time.perf_counter()
        answer = session.get(base + case.path, timeout=300)
        _ = answer.content
        times.append((time.perf_counter() - started) * 1000)
        status = answer.status_code
        if len(times) >= MIN_REQUESTS and time.perf_counter() - started_case > CASE_BUDGET_S:
            break  # a page of seconds would hold the run for minutes: its few times say enough
    return Timing(case, status, times)


def captured(sql_log: str, tag: str) -> list[tuple[str, object, bool]]:
    """Return the statements the server recorded for a tagged request."""
    found = []
    for path in glob.glob(f"{sql_log}.*"):
        with open(path, "rb") as records:
            while True:
                try:
                    got, statement, parameters, many = pickle.load(records)
                except EOFError:
                    break
                if got == tag:
                    found.append((statement, parameters, many))
    return found


def replay_ms(raw, statements: list[tuple[str, object, bool]]) -> float:
    """Run a request's reads on our own connection; return the best total of REPLAYS runs."""
    reads = [
        (s, p)
        for s, p, many in statements
        if not many and s.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    best = float("inf")
    for _ in range(REPLAYS):
        cursor = raw.cursor()
        started = time.perf_counter()
        for statement, parameters in reads:
            cursor.execute(statement, parameters)
            cursor.fetchall()
        best = min(best, (time.perf_counter() - started) * 1000)
        cursor.close()
        raw.rollback()
    return best


def measure_sql(session, base: str, timing: Timing, sql_log: str, raw) -> None:
    """Request the page once more, marked, and fill in its statements and bare SQL time."""
    tag = f"{timing.case.user}:{timing.case.path}:{time.monotonic()}"
    session.get(base + timing.case.path, headers={CAPTURE: tag}, timeout=120)
    statements = captured(sql_log, tag)
    timing.statements = len(statements)
    if timing.case.register and statements:
        timing.bare_ms = replay_ms(raw, statements)


def process_tree(pid: int) -> list[int]:
    """Return the server's process and its children (gunicorn's workers)."""
    found = [pid]
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in Path(task).read_text().split()]
    return found


def rss_mib(pid: int) -> float:
    """Return a process's resident memory now, in MiB (from /proc)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Return the CPU time (user + system) each process has used so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """Return the CPU seconds used between two readings (a process started since: all of it)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def machine_ticks(stat: str | None = None) -> tuple[int, int]:
    """Return (all, steal) CPU ticks the machine has counted so far, from /proc/stat's cpu line.

    Steal is the time a virtual machine's cores were ready but the host ran someone else: while
    it is high, every page takes longer for reasons outside the app.
    """
    text = stat if stat is not None else Path("/proc/stat").read_text()
    fields = [int(v) for v in text.splitlines()[0].split()[1:]]
    # user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Return the share of the machine's CPU time stolen by the host between two readings."""
    total = after[0] - before[0]
    return (after[1] - before[1]) / total if total > 0 else 0.0


def database_pids() -> list[int]:
    """Return the PostgreSQL server's processes on this machine (its backends serve the app)."""
    found = []
    for comm in glob.glob("/proc/[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if Path(comm).read_text().strip() == "postgres":
                found.append(int(comm.split("/")[2]))
    return found


def time_export(session, base: str, path: str, server_pid: int, other) -> dict:
    """Time the export EXPORTS times alone while sampling the server's memory, then once more
    while `other` (another user's session) keeps asking for the roster: its times say whether
    a long export makes other users wait (and the export's own time then, sharing the CPU).
    """
    pids = process_tree(server_pid)
    idle = {pid: rss_mib(pid) for pid in pids}
    peak = dict(idle)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_mib(pid))
            time.sleep(0.01)

    beside: list[float] = []
    browsing = threading.Event()

    def browse():
        browsing.wait()
        while not done.is_set():
            started = time.perf_counter()
            other.get(base + "/cadres/", timeout=120)
            beside.append((time.perf_counter() - started) * 1000)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    browser = threading.Thread(target=browse, daemon=True)
    browser.start()
    seconds, size, rows, status = [], 0, 0, 0
    try:
        for _ in range(EXPORTS + 1):
            if len(seconds) == EXPORTS:
                browsing.set()
            started = time.perf_counter()
            answer = session.get(base + path, timeout=600)
            seconds.append(time.perf_counter() - started)
            size, status = len(answer.content), answer.status_code
    finally:
        done.set()
        browsing.set()
        sampler.join()
        browser.join()
    if status == 200:
        rows = workbook_rows(answer.content)
    return {
        "path": path,
        "status": status,
        "rows": rows,
        "mib_file": size / 2**20,
        "seconds": statistics.median(seconds[:EXPORTS]),
        "seconds_beside": seconds[EXPORTS],
        "peak_above_idle_mib": max(peak[pid] - idle[pid] for pid in pids),
        "idle_mib": max(idle.values()),
        "beside_p50": statistics.median(beside) if beside else None,
        "beside_max": max(beside) if beside else None,
    }


def workbook_rows(content: bytes) -> int:
    """Return how many data rows an exported workbook holds."""
    import io

    from openpyxl import load_workbook

    # Streamed workbooks record no dimension: count the rows.
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return max(0, sum(1 for _ in sheet.iter_rows(values_only=True)) - 1)


def locust_bin() -> Path | None:
    """Return the load generator's command (its own virtualenv: `make install-bench`)."""
    found = ROOT / ".venv-bench" / "bin" / "locust"
    return found if found.exists() else None


def load_run(base: str, w: World, users: int, seconds: int, server_pid: int) -> dict:
    """Run locust headless against the server; return its figures and the CPU each side used.

    The CPU time of the app's processes, of PostgreSQL's and of the load generator over the
    run, per request, says what caps the rate on 2 cores: 2,000 ms of CPU a second / (app +
    database ms per request) is the most the machine could serve with no generator at all.
    """
    locust = locust_bin()
    if locust is None:
        return {"skipped": "未安装 locust（make install-bench）"}
    paths = {
        user: [c.path for c in cases(w, date.today()) if c.user == user]
        for user in ("province", "district")
    }
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = dict(os.environ, BENCH_PATHS=json.dumps(paths), BENCH_PASSWORD=password())
    command = [
        str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
        "--host", base, "--csv", str(folder / "load"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    app_before = cpu_seconds(process_tree(server_pid))
    db_before = cpu_seconds(database_pids())
    generator_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, cwd=ROOT, check=False, capture_output=True, text=True)
    generator_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    app_cpu = cpu_used(app_before, cpu_seconds(process_tree(server_pid)))
    db_cpu = cpu_used(db_before, cpu_seconds(database_pids()))
    generator_cpu = (generator_after.ru_utime + generator_after.ru_stime) - (
        generator_before.ru_utime + generator_before.ru_stime
    )
    rows = list(csv_rows(folder / "load_stats.csv"))
    total = next((r for r in rows if r.get("Name") == "Aggregated"), None)
    shutil.rmtree(folder, ignore_errors=True)
    if total is None:
        return {"skipped": "locust 未产生结果"}
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "logins": sum(int(r["Request Count"]) for r in rows if r.get("Name") == "登录"),
        "cpu_ms": {
            name: used * 1000 / max(1, int(total["Request Count"]))
            for name, used in (("app", app_cpu), ("db", db_cpu), ("generator", generator_cpu))
        },
    }


def csv_rows(path: Path) -> Iterator[dict]:
    """Read locust's CSV statistics."""
    import csv

    if path.exists():
        with open(path, newline="") as stats:
            yield from csv.DictReader(stats)


def password() -> str:
    """Return the bench accounts' password."""
    from bench.seed import PASSWORD

    return PASSWORD


def run(kind: str, args, sizes: Sizes) -> Report:
    """Seed (or reuse), serve, and measure one database."""
    url = database_url(kind)
    HERE.mkdir(parents=True, exist_ok=True)
    seconds = prepare(kind, url, sizes, args.reuse)
    sql_log = str(HERE / f"statements-{kind}")
    for old in glob.glob(f"{sql_log}.*"):
        os.remove(old)
    port = args.port + (0 if kind == "sqlite" else 1)
    base = f"http://127.0.0.1:{port}"
    report = Report(kind, "waitress (flask serve)" if kind == "sqlite" else "gunicorn ×2", sizes)
    report.seed_seconds = seconds
    w = world(url)
    engine = engine_for(url)
    raw = engine.raw_connection()
    try:
        with served(kind, url, port, sql_log) as server:
            sessions = {
                user: logged_in(base, f"bench_{user}_01", password())
                for user in ("province", "district")
            }
            report.yardstick_ms = yardstick_ms()
            ticks = machine_ticks()
            for case in [] if args.only_load else cases(w, date.today()):
                timing = time_case(sessions[case.user], base, case, args.warmup, args.requests)
                measure_sql(sessions[case.user], base, timing, sql_log, raw)
                report.timings.append(timing)
                print(f"  {kind} {case.user:<8} {case.name:<22} p50 {timing.pct(50):7.1f} ms")
            for case in [] if args.only_load else floor_cases():
                timing = time_case(sessions[case.user], base, case, args.warmup, args.requests)
                # The status as answered, not after a redirect: a lost session would time the
                # login page instead.
                asked = sessions[case.user].get(base + case.path, allow_redirects=False, timeout=60)
                timing.status = asked.status_code
                report.floors.append(timing)
            report.steal = steal_share(ticks, machine_ticks())
            report.export = (
                {}
                if args.only_load
                else time_export(
                    sessions["province"],
                    base,
                    "/warnings/export.xlsx?state=rectifying",
                    server.pid,
                    sessions["district"],
                )
            )
            if kind == "postgresql" and not args.no_load:
                report.load = load_run(base, w, args.load_users, args.load_seconds, server.pid)
    finally:
        raw.close()
        engine.dispose()
    return report


def print_report(report: Report) -> None:
    """Print one database's tables (markdown, as bench/alerts.py does)."""
    s = report.sizes
    print()
    print(
        f"### {report.kind} — {report.server}；{s.units:,} 单位 / {s.cadres:,} 干部 / "
        f"{s.infos:,} 负面信息 / {s.warnings:,} 预警 / {s.talks:,} 谈话"
        + (f"；生成数据 {report.seed_seconds:.0f} s" if report.seed_seconds else "")
    )
    print()
    print(
        "| user | page | status | n | p50 ms | p95 ms | max ms | bare SQL ms | request / SQL "
        f"| statements | p95 ≤ {GOAL_P95_MS} ms? / ratio ≤ {GOAL_RATIO}? |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for t in report.timings:
        bare = f"{t.bare_ms:.1f}" if t.bare_ms is not None else "—"
        ratio = f"{t.pct(50) / t.bare_ms:.1f}" if t.bare_ms else "—"
        met = "yes" if t.pct(95) <= GOAL_P95_MS else "no"
        if t.bare_ms:
            met += " / " + ("yes" if t.pct(50) / t.bare_ms <= GOAL_RATIO else "no")
        user = USERS[t.case.user]
        print(
            f"| {user} | {t.case.name} | {t.status} | {len(t.times_ms)} | {t.pct(50):.1f} | "
            f"{t.pct(95):.1f} | "
            f"{max(t.times_ms):.1f} | {bare} | {ratio} | {t.statements} | {met} |"
        )
    if report.steal is not None or report.yardstick_ms is not None:
        print()
    if report.steal is not None:
        print(
            f"页面计时（含 SQL 重放）期间宿主机占走的 CPU（/proc/stat 的 steal）：{report.steal:.0%}；"
            "虚拟机与其他租户共用物理核，此值高时页面时间随之变长"
        )
    if report.yardstick_ms is not None:
        print(
            f"本机标尺（bench/yardstick.py：SQLAlchemy 读 {ROWS} 行、Jinja 渲染成表格，"
            f"与本系统代码无关）：{report.yardstick_ms:.2f} ms；比较不同机器上的结果时先看此值"
        )
    print_floors(report)
    e = report.export
    if e:
        print()
        print(
            f"导出（{e['path']}，HTTP {e['status']}）：{e['rows']:,} 行，{e['mib_file']:.1f} MiB，"
            f"单独导出中位 {e['seconds']:.2f} s（{EXPORTS} 次），服务进程内存峰值比空闲高 "
            f"{e['peak_above_idle_mib']:.0f} MiB（空闲 {e['idle_mib']:.0f} MiB）；"
            f"目标 ≤ 3 s、≤ 50 MiB：{'yes' if e['seconds'] <= 3 and e['peak_above_idle_mib'] <= 50 else 'no'}"
        )
        usual = next(
            (t for t in report.timings if t.case.path == "/cadres/" and t.case.user == "district"),
            None,
        )
        if e["beside_p50"] is not None and usual is not None:
            print(
                f"再导出一次（{e['seconds_beside']:.2f} s），期间另一用户不停地打开干部名册："
                f"p50 {e['beside_p50']:.1f} ms，max {e['beside_max']:.1f} ms"
                f"（平时 p50 {usual.pct(50):.1f} ms）"
            )
    load = report.load
    if load.get("skipped"):
        print(f"\n负载测试：跳过（{load['skipped']}）")
    elif load:
        print()
        print(
            f"负载测试（gunicorn 2 workers，locust {load['users']} 用户，{load['seconds']} s；"
            "负载发生器与服务器共用这台机器的 2 个核）："
            f"{load['rps']:.0f} 请求/秒，p50 {load['p50']:.0f} ms，p95 {load['p95']:.0f} ms，"
            f"{load['requests']:,} 请求，错误 {load['failures']}；"
            f"目标 ≥ 200 请求/秒且 0 错误：{'yes' if load['rps'] >= 200 and not load['failures'] else 'no'}"
        )
        cpu = load["cpu_ms"]
        ceiling = 2000 / max(0.001, cpu["app"] + cpu["db"])
        print(
            f"每个请求耗用的 CPU（含 {load['logins']} 次登录的 argon2）：应用 {cpu['app']:.1f} ms，"
            f"PostgreSQL {cpu['db']:.1f} ms，负载发生器 {cpu['generator']:.1f} ms；"
            f"2 个核在没有负载发生器时的上限约 {ceiling:.0f} 请求/秒"
        )


def floor_cases() -> list[Case]:
    """Return the floor pages to time, for each user."""
    return [Case(user, name, path) for user in USERS for name, path in FLOORS]


def print_floors(report: Report) -> None:
    """Print what a page costs before its own work, and the registers that ratio ≤ 2 rules out.

    A register meets request / bare SQL ≤ 2 only if it is served within twice its bare SQL; where
    that is less than its user's logged-in page that reads and shows almost nothing, cutting the
    register's own work cannot meet it at its present bare SQL.
    """
    if not report.floors:
        return
    users = [user for user in USERS if any(t.case.user == user for t in report.floors)]

    def shown(t: Timing) -> str:
        return f"{t.pct(50):.1f}" + ("" if t.status == 200 else f"（HTTP {t.status}，不计）")

    print()
    print(
        f"每个页面的固定开销（同一服务器，p50，{' / '.join(USERS[u] for u in users)}）："
        + "；".join(
            f"{name} " + " / ".join(shown(t) for t in report.floors if t.case.path == path) + " ms"
            for name, path in FLOORS
        )
    )
    logged_in = {
        t.case.user: t.pct(50)
        for t in report.floors
        if t.case.path == FLOORS[-1][1] and t.status == 200
    }
    registers = [t for t in report.timings if t.bare_ms and t.case.user in logged_in]
    if not registers:
        return
    below = [t for t in registers if GOAL_RATIO * t.bare_ms < logged_in[t.case.user]]
    share = "全部" if len(below) == len(registers) else f"{len(below)} 个"
    print(
        f"{len(registers)} 个登记簿页面中，{share}的 {GOAL_RATIO} × 纯 SQL 低于同一用户最简单的"
        f"登录后页面（{'、'.join(f'{USERS[u]} {ms:.1f} ms' for u, ms in logged_in.items())}）："
        f"这些页面即使和那个页面一样快，也达不到“请求 / 纯 SQL ≤ {GOAL_RATIO}”"
    )


def sizes_for(scale: float) -> Sizes:
    """Return the seed sizes at a fraction of the province (1.0: the defaults)."""
    full = Sizes()
    return Sizes(
        units=max(20, round(full.units * min(1.0, scale * 10))),
        cadres=max(200, round(full.cadres * scale)),
        infos=max(600, round(full.infos * scale)),
        warnings=max(120, round(full.warnings * scale)),
        talks=max(400, round(full.talks * scale)),
    )


def main() -> None:
    """Measure the databases asked for and print their tables."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--scale", type=float, default=1.0, help="数据规模（1 = 全省：10 万干部）")
    parser.add_argument("--reuse", action="store_true", help="复用已生成的同规模基准数据库")
    parser.add_argument("--requests", type=int, default=50, help="每个页面计时的请求数")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--no-load", action="store_true", help="不做负载测试")
    parser.add_argument(
        "--only-load", action="store_true", help="只做负载测试（不计时各页面与导出）"
    )
    parser.add_argument("--port", type=int, default=5077)
    args = parser.parse_args()
    sizes = sizes_for(args.scale)
    kinds = ("sqlite", "postgresql") if args.db == "all" else (args.db,)
    started = time.perf_counter()
    reports = [run(kind, args, sizes) for kind in kinds]
    for report in reports:
        print_report(report)
    print(f"\n全部用时 {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
