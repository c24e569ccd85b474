"""Memory of one import of a large file whose every row has a stray cell far to the right."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# What the import itself may add to the process (its peak above the peak before it started),
# and the whole process's peak: Django with every app imported is about 190 MB on its own.
IMPORT_LIMIT_MB = 150
PEAK_LIMIT_MB = 350


@pytest.mark.slow
def test_an_import_of_50000_rows_with_stray_cells_in_column_xfd_adds_under_150_mb():
    # A process of its own: its peak resident set is the import's, not the test session's.
    # The probe writes the workbook (50,000 students, a «.» in column XFD on every row), then
    # uploads it, reads the columns, previews and imports it as the pages do.
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "nastavnik.people.tests.memory_probe",
            "--rows",
            "50000",
            "--commit",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    print(figures)

    assert figures["status"] == "done"
    assert figures["create"] == 50_000
    # The columns step offers the three columns with data, not 16,384.
    assert figures["columns"] == 3
    assert figures["peak_mb"] - figures["baseline_mb"] < IMPORT_LIMIT_MB
    assert figures["peak_mb"] < PEAK_LIMIT_MB
