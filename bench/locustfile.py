"""The load run's users (`bench/pages.py` starts locust with this file; it needs no app code).

Each user logs in as its own bench account (province-wide and district-scoped in turn, at
most 3 sessions an account) and then asks, without pause, for the pages the page timings
measure, drawn at random. BENCH_PATHS gives the paths per kind of user. FastHttpUser (locust's
geventhttpclient client) costs the generator several times less CPU per request than
requests does: the generator shares the server's 2 cores.
"""

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, task

PATHS = json.loads(os.environ["BENCH_PATHS"])
PASSWORD = os.environ["BENCH_PASSWORD"]
ACCOUNTS = 25  # of each kind, as `flask bench seed` makes them
_numbers = itertools.count()


class Supervisor(FastHttpUser):
    """A supervisor reading registers, profiles and warnings."""

    def on_start(self):
        """Log in through the form as the next free account."""
        n = next(_numbers)
        self.kind = ("province", "district")[n % 2]
        username = f"bench_{self.kind}_{n // 2 % ACCOUNTS + 1:02d}"
        page = self.client.get("/auth/login", name="登录页").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        data = {"username": username, "password": PASSWORD}
        if token:
            data["csrf_token"] = token.group(1)
        self.client.post("/auth/login", data=data, name="登录")

    @task
    def read_a_page(self):
        """Ask for one of the measured pages."""
        path = random.choice(PATHS[self.kind])
        self.client.get(path, name=path.split("?")[0])
