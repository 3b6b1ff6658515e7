"""Issue 25: learners' data never gets committed (reports, exported grades and rosters are
git-ignored like the gradebook), and a misspelt assignment is said to be one, not "no
submissions"."""
import shutil
import subprocess

import pytest

from coursekit import cli
from support import tiny
from support.nbtools import ROOT

LEARNER_DATA = ["gradebook.db", "reports/03_logistic_regression.html", "reports/03_logistic_regression.csv",
                "grades.csv", "roster.csv", "roster-2026.csv", "submitted/alice/03_logistic_regression/x.ipynb",
                "feedback/alice/03_logistic_regression/x.html"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_learners_data_is_git_ignored(tmp_path):
    shutil.copy2(ROOT / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    proc = subprocess.run(["git", "check-ignore", "--no-index", *LEARNER_DATA], cwd=tmp_path,
                          capture_output=True, text=True)
    missing = set(LEARNER_DATA) - set(proc.stdout.split())
    assert not missing, f"not ignored: {sorted(missing)}"
    kept = subprocess.run(["git", "check-ignore", "--no-index", "source/03_logistic_regression/data.csv",
                           "tests/variants/a03_logistic_regression.py"], cwd=tmp_path, capture_output=True, text=True)
    assert kept.stdout == "", f"course files must stay tracked: {kept.stdout}"


@pytest.mark.parametrize("command", ["autograde", "report"])
def test_a_misspelt_assignment_is_named(command, tmp_path, monkeypatch, capsys):
    root = tiny.write_source(tmp_path / "course")
    tiny.submit(root, "alice", tiny.answered())
    monkeypatch.chdir(root)
    assert cli.main([command, "00_tiyn", *(["--no-sandbox"] if command == "autograde" else [])]) == 2
    out, err = capsys.readouterr()
    assert f"no assignment named 00_tiyn (have: {tiny.ASSIGNMENT})" in err, (out, err)
    assert "no submissions" not in out + err


@pytest.mark.slow
@pytest.mark.integration
def test_autograde_keeps_the_instructors_terminal_quiet(tmp_path):
    """No SQLAlchemy SAWarning from nbgrader's gradebook API, no kernel's 'running over TCP'."""
    import subprocess as sp
    import sys

    from coursekit import build
    tiny.write_source(tmp_path)
    build.build(tmp_path, log=lambda *a: None)
    tiny.submit(tmp_path, "alice", tiny.answered())
    proc = sp.run([sys.executable, "-m", "coursekit.cli", "autograde", build.assignments(tmp_path)[0]],
                  cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for noise in ("SAWarning", "without encryption"):
        assert noise not in proc.stderr + proc.stdout, (noise, proc.stderr[-2000:])
