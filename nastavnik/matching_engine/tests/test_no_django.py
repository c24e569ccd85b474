"""The engine is a plain Python package: it imports no Django, so it can run and be measured
on its own (DESIGN §7)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent


def test_no_module_of_the_engine_imports_django():
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n == "django" or n.startswith("django.") for n in names), path


def test_a_run_in_a_fresh_interpreter_loads_no_django():
    script = """
import sys
from nastavnik.matching_engine import MenteeProfile, MentorProfile, RunOptions, Mode, run_matching
slot = frozenset({"пн-вечер"})
mentees = [MenteeProfile(1, "teacher-teacher", request_text="Классное руководство",
                         availability=slot)]
mentors = [MentorProfile(2, "teacher-teacher", competencies=("классное руководство",),
                         availability=slot)]
for mode in Mode:
    assert run_matching(mentees, mentors, options=RunOptions(mode=mode)).summary.matched == 1
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
print("ok")
"""
    root = ENGINE.parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
