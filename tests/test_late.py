"""Late work (issue 25): with a due date and a late-penalty policy, the score after penalty
reaches `coursekit autograde`'s table, and the report's CSV and page, equal to what
`nbgrader export` gives; a submission without timestamp.txt is said to be one.

The tiny course's gradebook is written through nbgrader's API here, as an nbgrader pass with
`c.LateSubmissionPlugin.penalty_method = "zero"` leaves it (tests/test_term.py grades for real)."""
import csv
import datetime
import io
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from coursekit import course
from coursekit.grading import autograde, gradebook, report, summary
from support import tiny

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

A = tiny.ASSIGNMENT
DUE = datetime.datetime(2026, 1, 2)
STAMPS = {"ontime": DUE - datetime.timedelta(hours=14), "late": DUE + datetime.timedelta(hours=34), "nostamp": None}
FULL = {"test_double": 1.0, "test_halve": 2.0}


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = tiny.write_source(tmp_path_factory.mktemp("late") / "course")
    tiny.gradebook(root, {s: FULL for s in STAMPS})
    with Gradebook(course.gradebook_url(root)) as gb:
        gb.find_assignment(A).duedate = DUE
        for student, stamp in STAMPS.items():
            sub = gb.find_submission(A, student)
            sub.timestamp = stamp
            for nb in sub.notebooks:   # what AssignLatePenalties writes with penalty_method "zero"
                nb.late_submission_penalty = nb.score if student == "late" else 0.0
        gb.db.commit()
    return root


@pytest.fixture(scope="module")
def exported(course_root):
    """nbgrader export's CSV: {student: row}."""
    proc = subprocess.run([sys.executable, "-m", "coursekit.grading.nbgrader_main", "export", "--to=grades.csv"],
                          cwd=course_root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {r["student_id"]: r for r in csv.DictReader(io.StringIO((course_root / "grades.csv").read_text()))}


def test_the_table_shows_the_score_after_penalty(course_root, exported):
    who = sorted(STAMPS)
    table, maxima = gradebook.scores(course_root, A, who)
    outcomes = [autograde.Outcome(s, "graded", 1.0) for s in who]
    text = summary.format_table(A, outcomes, table, maxima, ["double", "halve"],
                                late=gradebook.lateness(course_root, A, who))
    rows = {ln.split()[0]: ln for ln in text.splitlines()[4:7]}
    assert exported["late"]["score"] == "0.0" and exported["late"]["raw_score"] == "3.0", exported["late"]
    assert rows["late"].split()[1:3] == ["1", "2"], rows["late"]            # the parts, as graded
    assert "0 (3 - 3 late)" in rows["late"] and "late by 34 h" in rows["late"], rows["late"]
    assert rows["ontime"].split()[3] == "3" and "late" not in rows["ontime"], rows["ontime"]
    assert "no timestamp.txt" in text and "nostamp" in text.split("no timestamp.txt", 1)[1], text
    graded = text.split("graded submissions (the last one collected), submitted at: ", 1)[1].splitlines()[0]
    assert graded.startswith("late ") and "ontime " in graded and "nostamp" not in graded, text   # which one


def test_the_report_carries_due_date_timestamp_penalty_and_score(course_root, exported, tmp_path):
    html_path, csv_path = report.write(report.collect(course_root, A), tmp_path)
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(csv_path.read_text()))}
    for student, mine in rows.items():
        theirs = exported[student]
        assert float(mine["score"]) == float(theirs["score"]), (student, mine, theirs)
        assert float(mine["raw_score"]) == float(theirs["raw_score"]), (student, mine, theirs)
        assert float(mine["late_penalty"]) == float(theirs["late_submission_penalty"]), (student, mine, theirs)
        assert mine["timestamp"] == theirs["timestamp"] and mine["due_date"] == theirs["duedate"], (mine, theirs)
    assert rows["late"]["late_seconds"] == str(34 * 3600) and rows["ontime"]["late_seconds"] == "0", rows
    assert rows["nostamp"]["late_seconds"] == "no timestamp", rows["nostamp"]
    page = html_path.read_text()
    assert "<tr><td>late</td><td class=n>0</td><td class=n>3</td><td class=n>3</td>" in page
    assert "no timestamp" in page and "nostamp" in page
