"""The users of bench/web.py (run by it through `locust --headless`; see its docstring).

BENCH_WEB_PLAN names a JSON file with the pages of each role and the demo logins;
BENCH_WEB_THINK is the think time between pages, «MIN,MAX» seconds (5,15 by default);
BENCH_WEB_SAMPLES is where the measured requests are written when locust quits: every request
made after all users have logged in (BENCH_WEB_SECONDS long), except the logins.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

PLAN = json.loads(open(os.environ["BENCH_WEB_PLAN"]).read())  # noqa: SIM115
SAMPLES: list[tuple[str, float, str]] = []
ERRORS: list[str] = []
WINDOW: dict[str, float | None] = {"started": None}
LOGGED_IN = [0]
MEASURED_SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "60"))
THINK = [float(s) for s in os.environ.get("BENCH_WEB_THINK", "5,15").split(",")]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _all_logged_in(environment: Environment) -> None:
    """Measure from now for the given seconds, then stop the run."""
    WINDOW["started"] = time.monotonic()
    runner = environment.runner

    def stop_later() -> None:
        gevent.sleep(MEASURED_SECONDS)
        runner.quit()

    gevent.spawn(stop_later)


@events.request.add_listener
def _record(name: str, response_time: float, exception: object, **kwargs: object) -> None:
    # Requests made in the window: one sent while the last users were logging in waited
    # behind their password hashing, and finishes in the window's first second all the same.
    window = WINDOW["started"]
    sent = time.monotonic() - response_time / 1000
    if window is None or sent < window or name.startswith("login"):
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


class Member(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        account = random.choice(PLAN["roles"][self.role])
        self.pages = account["pages"]
        page = self.client.get("/accounts/login/", name="login page")
        token = TOKEN.search(page.text).group(1)
        answer = self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token,
                "username": account["email"],
                "password": PLAN["password"],
            },
            name="login",
            allow_redirects=False,
        )
        if answer.status_code != 302 or "/accounts/login/" in answer.headers.get("Location", ""):
            raise RuntimeError(f"{account['email']} could not log in")
        LOGGED_IN[0] += 1
        if LOGGED_IN[0] == self.environment.runner.target_user_count:
            _all_logged_in(self.environment)

    @task
    def open_a_page(self) -> None:
        path = random.choice(self.pages)
        # Not followed: a page of the mix answers itself; a redirect (to the login page, say)
        # is an error.
        with self.client.get(path, name=path, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code} {answer.headers.get('Location', '')}")


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
