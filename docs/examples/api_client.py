"""Pull the mentee base and push a list of pupils through Nastavnik's REST API (docs/api.md).

    export NASTAVNIK_TOKEN=nst_…
    python api_client.py https://nastavnik.example.ru/api/v1/o/school-5 7a.xlsx

The token is made on the organisation's «Токены API» page with «Картотека и её импорт: чтение и
запись» and «База наставляемых: чтение». The script prints how many mentees it pulled, then
uploads the file as an import of pupils, waits for the check, confirms it, waits for the
result and prints it. It needs only `requests`. tests/test_api_client_example.py runs exactly
this file against a live server.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import requests

POLL_SECONDS = 2.0
# A job that is still not done after this long is reported, not waited for forever.
GIVE_UP_SECONDS = 600
TIMEOUT = 30  # seconds for one call


def mentee_base(api: requests.Session, base: str) -> list[dict[str, Any]]:
    """Every page of the mentee base, 100 a page."""
    mentees: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = api.get(
            f"{base}/mentees", params={"page": page, "page_size": 100}, timeout=TIMEOUT
        )
        answer.raise_for_status()
        body = answer.json()
        mentees += body["results"]
        if page >= body["pages"]:
            return mentees
        page += 1


def _wait(api: requests.Session, base: str, job: dict[str, Any], status: str) -> dict[str, Any]:
    """Poll the job while it is in `status`."""
    started = time.monotonic()
    while job["status"] == status and time.monotonic() - started < GIVE_UP_SECONDS:
        time.sleep(POLL_SECONDS)
        answer = api.get(f"{base}/imports/{job['id']}", timeout=TIMEOUT)
        answer.raise_for_status()
        job = answer.json()
    return job


def _checked(answer: requests.Response) -> dict[str, Any]:
    if answer.status_code == 422:
        # The file or the data are wrong: the reasons are in Russian, field by field.
        problems = answer.json().get("errors") or []
        raise SystemExit("\n".join(p["message"] for p in problems) or answer.text)
    answer.raise_for_status()
    return answer.json()


def push_import(api: requests.Session, base: str, path: str, kind: str = "student") -> dict:
    """Upload a list, wait for the check, confirm it, wait for the result."""
    with open(path, "rb") as file:
        job = _checked(
            api.post(f"{base}/imports", data={"kind": kind}, files={"file": file}, timeout=TIMEOUT)
        )
    job = _wait(api, base, job, "previewing")
    if job["status"] != "previewed":
        return job
    job = _checked(
        api.post(
            f"{base}/imports/{job['id']}/confirm", json={"skip_invalid": False}, timeout=TIMEOUT
        )
    )
    return _wait(api, base, job, "importing")


def main(argv: list[str]) -> int:
    if len(argv) != 3 or "NASTAVNIK_TOKEN" not in os.environ:
        print(__doc__, file=sys.stderr)
        return 2
    base, path = argv[1].rstrip("/"), argv[2]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {os.environ['NASTAVNIK_TOKEN']}"

    mentees = mentee_base(api, base)
    print(f"mentees: {len(mentees)}")
    job = push_import(api, base, path)
    print(f"import: {job['status']} {json.dumps(job['result'], ensure_ascii=False)}")
    return 0 if job["status"] == "done" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
