"""The benchmark's record of each marked request's SQL (BENCH_SQL_LOG; off in real use).

A request carrying the header below has every statement it sends appended, with its
parameters, to `<BENCH_SQL_LOG>.<pid>` (one file per server process, so workers never
interleave). `bench/pages.py` reads them back, counts them and replays them alone.
"""

from __future__ import annotations

import os
import pickle

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-Bench-Capture"


def watch(app: Flask, engine: Engine) -> None:
    """Append each statement of a marked request to this process's file."""
    base = app.config["BENCH_SQL_LOG"]

    @event.listens_for(engine, "before_cursor_execute")
    def record(_conn, _cursor, statement, parameters, _context, executemany):
        if not has_request_context():
            return
        tag = request.headers.get(HEADER)
        if not tag:
            return
        with open(f"{base}.{os.getpid()}", "ab") as out:
            pickle.dump((tag, statement, parameters, executemany), out)
