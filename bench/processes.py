"""Run one benchmark step in a fresh process and take back what it measured."""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable


def in_fresh_process(kind: str, target: Callable, *args) -> dict | None:
    """Call `target(*args, results)` in a spawned process; return what it put on `results`.

    A fresh process keeps each run's memory peak (ru_maxrss) and caches its own.
    """
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=target, args=(*args, results))
    process.start()
    while True:
        try:
            figures = results.get(timeout=1)
            break
        except queue.Empty:
            if not process.is_alive():  # died without an answer: its traceback is above
                raise SystemExit(f"benchmark on {kind} failed (exit {process.exitcode})") from None
    process.join()
    return figures
