"""50 signed-in HR officers on the pages HR opens most (see docs/LOAD.md). Sessions come from
setup_sessions.py; a redirect (to sign-in or two-step sign-in) counts as an error, not a success."""

import json
import os
import random
from itertools import count

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ.get("LOAD_SESSIONS", "artifacts/load/sessions.json")).read())
_next = count()


class HrOfficer(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        session = DATA["sessions"][next(_next) % len(DATA["sessions"])]
        self.client.headers["Cookie"] = f"sessionid={session}"

    def page(self, url, name=None):
        with self.client.get(url, name=name or url, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                reason = response.error or response.headers.get("Location", "")
                response.failure(f"{response.status_code} {reason}")

    @task(3)
    def dashboard(self):
        self.page("/")

    @task(3)
    def employees(self):
        self.page("/people/employees/")

    @task(1)
    def employee_search(self):
        query = random.choice(["smith", "jones", "a", "oak"])
        self.page(f"/people/employees/?q={query}&sort=-organisation", name="/people/employees/?q=")

    @task(2)
    def employee_detail(self):
        self.page(f"/people/employees/{random.choice(DATA['employees'])}/", name="/people/employees/[id]/")

    @task(1)
    def organisations(self):
        self.page("/people/organisations/")

    @task(1)
    def notifications(self):
        self.page("/notifications/")

    @task(1)
    def audit_trail(self):
        self.page("/audit/")

    @task(1)
    def posts(self):
        self.page("/publishing/posts/")

    @task(1)
    def campaigns(self):
        self.page("/publishing/campaigns/")
