"""``minutes ingest`` as users run it: the process ends at once when the batch is done, cleanly.

The console script (``extract.cli:main``) skips the interpreter's teardown
after ingest; these tests check that nothing is lost by it: the output is
all printed, the exit code is the command's, and the database is closed
cleanly (SQLite removes its WAL and shared-memory files only then).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from extract import cli as cli_mod

TRACKING = Path(__file__).parent / "fixtures" / "tracking"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sorted(TRACKING.glob("*.txt"))[:2]:
        shutil.copy(path, folder)
    return folder


def test_ingest_as_a_command_prints_everything_and_closes_the_database(tmp_path):
    folder, db = _folder(tmp_path), tmp_path / "a.db"
    done = subprocess.run([sys.executable, "-m", "extract.cli", "ingest", "--db", str(db), "-q", str(folder)],
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert "2 documents: 2 ok" in done.stdout and done.stdout.rstrip().endswith(f"database: {db}")
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents where status = 'ok'").fetchone()[0] == 2
        assert conn.execute("select count(*) from actions").fetchone()[0] > 0


def test_a_failing_command_keeps_its_exit_code(tmp_path):
    folder = _folder(tmp_path)
    done = subprocess.run([sys.executable, "-m", "extract.cli", "ingest", "--db", str(tmp_path), str(folder)],
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode != 0 and "Error" in done.stderr  # a folder is no database file


def test_under_a_test_runner_the_command_returns(tmp_path):
    folder, db = _folder(tmp_path), tmp_path / "a.db"
    result = CliRunner().invoke(cli_mod.cli, ["ingest", "--db", str(db), "-q", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 documents: 2 ok" in result.output  # still running: the runner got the result back
