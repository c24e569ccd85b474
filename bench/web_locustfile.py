"""The users of bench/web.py (run by it through `locust --headless`; see its docstring).

BENCH_WEB_PLAN names a JSON file with the pages of each role and the demo logins;
BENCH_WEB_SAMPLES is where the measured requests are written when locust quits: every request
made after all users have started, except the logins.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_WEB_PLAN"]).read())  # noqa: SIM115
SAMPLES: list[tuple[str, float, str]] = []
ERRORS: list[str] = []
WINDOW = {"started": None, "ended": None}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.spawning_complete.add_listener
def _all_started(user_count: int, **kwargs: object) -> None:
    WINDOW["started"] = time.monotonic()


@events.request.add_listener
def _record(name: str, response_time: float, exception: object, **kwargs: object) -> None:
    if WINDOW["started"] is None or name.startswith("login"):
        return
    SAMPLES.append((name, response_time, str(exception) if exception else ""))
    if exception and len(ERRORS) < 20:
        ERRORS.append(f"{name}: {exception}")


@events.quitting.add_listener
def _write(environment: object, **kwargs: object) -> None:
    started = WINDOW["started"] or time.monotonic()
    result = {"samples": SAMPLES, "errors": ERRORS, "seconds": time.monotonic() - started}
    with open(os.environ["BENCH_WEB_SAMPLES"], "w") as out:
        json.dump(result, out)


class Member(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        role = PLAN["roles"][self.role]
        self.pages = role["pages"]
        page = self.client.get("/accounts/login/", name="login page")
        token = TOKEN.search(page.text).group(1)
        answer = self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token,
                "username": random.choice(role["emails"]),
                "password": PLAN["password"],
            },
            name="login",
        )
        if "/accounts/login/" in answer.url:
            raise RuntimeError(f"{self.role} could not log in")

    @task
    def open_a_page(self) -> None:
        path = random.choice(self.pages)
        with self.client.get(path, name=path, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
            elif "/accounts/login/" in answer.url:
                answer.failure("sent to the login page")


# A school's day: most requests are curators' and mentors' work, pupils and parents look in.
class Curator(Member):
    role = "curator"
    weight = 3


class Mentor(Member):
    role = "mentor"
    weight = 4


class Mentee(Member):
    role = "mentee"
    weight = 2


class Parent(Member):
    role = "parent"
    weight = 1
