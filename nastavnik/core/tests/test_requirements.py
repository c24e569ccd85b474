"""requirements-prod.lock, what a server installs (README, «Production»), against
requirements.lock, what development and the tests install: the same versions, and the
application runs without the development tools (pytest, playwright, locust, mypy…)."""

import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)", re.M)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in PIN.findall(text)}


def test_the_production_lock_pins_the_versions_development_tests():
    production, development = pins("requirements-prod.lock"), pins("requirements.lock")

    assert production, "requirements-prod.lock pins nothing"
    # Shared pins agree. The production lock is made for Debian 12's Python 3.11.2 and may hold
    # a backport the development lock's newer 3.11 does without (async-timeout for redis).
    shared = production.keys() & development.keys()
    assert {
        n: (production[n], development[n]) for n in shared if production[n] != development[n]
    } == {}
    assert len(shared) >= len(production) - 2
    # The development tools stay out of production.
    assert not {"pytest", "playwright", "locust", "mypy", "ruff"} & production.keys()


def _development_only_modules() -> set[str]:
    production = pins("requirements-prod.lock").keys()
    found = set()
    for module, distributions in packages_distributions().items():
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions}
        if names and not names & production and not module.startswith("_"):
            found.add(module)
    return found


def test_the_application_loads_without_the_development_packages():
    """Every module of the application (not the tests), the URLs and the management commands,
    imported with the development-only packages made unimportable."""
    blocked = sorted(_development_only_modules() - {"nastavnik"})
    assert {"pytest", "playwright", "locust"} <= set(blocked)
    code = f"""
import importlib, pkgutil, sys
BLOCKED = set({blocked!r})

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"development-only package imported: {{name}}")

sys.meta_path.insert(0, Block())
import django
django.setup()
import nastavnik, nastavnik.wsgi
for info in pkgutil.walk_packages(nastavnik.__path__, "nastavnik."):
    if ".tests" in info.name or ".migrations" in info.name or info.name.endswith("settings_test"):
        continue
    importlib.import_module(info.name)
print("loaded")
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "nastavnik.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("loaded")
