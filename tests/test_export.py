"""`coursekit export` (coursekit/grading/export.py, issue 24 item 4): a roster imported with the
real `nbgrader db student import`, a due date and a late penalty as nbgrader's
LateSubmissionPlugin with penalty_method "zero" leaves them, a learner of the roster without a
submission; the Canvas and Moodle files are read back and every score equals the gradebook's and
`nbgrader export`'s (the real command), the maximum is the assignment's points."""
import csv
import datetime
import io
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from coursekit import cli, course
from coursekit.grading import export
from support import tiny

pytestmark = [pytest.mark.integration,   # nbgrader's command line (roster import, export) and git
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

A = tiny.ASSIGNMENT
DUE = datetime.datetime(2026, 1, 2)
SCORES = {"ana": {"test_double": 1.0, "test_halve": 2.0},          # on time, full marks
          "ben": {"test_double": 1.0, "test_halve": 0.5},          # late: penalty "zero"
          "cy": {"test_double": 0.0, "test_halve": 1.5}}           # on time
STAMPS = {"ana": DUE - datetime.timedelta(hours=3), "ben": DUE + datetime.timedelta(hours=5),
          "cy": DUE - datetime.timedelta(days=1)}
ROSTER = ("id,first_name,last_name,email,lms_user_id\n"
          "ana,Ana,Alves,ana@example.org,1001\n"
          "ben,Ben,=Bold,ben@example.org,\n"             # a name a spreadsheet would take for a formula
          "cy,Cy,Chen,cy@example.org,1003\n"
          "dee,Dee,Diaz,dee@example.org,1004\n")          # in the roster, no submission


def nbgrader(root, *argv):
    proc = subprocess.run([sys.executable, "-m", "coursekit.grading.nbgrader_main", *argv], cwd=root,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"nbgrader {' '.join(argv)}: {proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = tiny.write_source(tmp_path_factory.mktemp("export") / "course")
    tiny.gradebook(root, SCORES)
    tiny.late(root, DUE, STAMPS, {"ben"})
    (root / "roster.csv").write_text(ROSTER)
    nbgrader(root, "db", "student", "import", "roster.csv")
    return root


@pytest.fixture(scope="module")
def exported(course_root):
    """nbgrader export's CSV: {student: row}."""
    nbgrader(course_root, "export", "--to=grades.csv")
    return {r["student_id"]: r for r in csv.DictReader(io.StringIO((course_root / "grades.csv").read_text()))}


def truth(root):
    """{student: (score after penalty, submitted)} from nbgrader's Gradebook API, and the points."""
    out = {}
    with Gradebook(course.gradebook_url(root)) as gb:
        top = gb.find_assignment(A).max_score
        for s in gb.students:
            subs = [x for x in s.submissions if x.assignment.name == A]
            out[s.id] = (max(0.0, subs[0].score - subs[0].late_submission_penalty), True) if subs else (0.0, False)
    return out, top


@pytest.fixture(scope="module")
def files(course_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("files")
    paths, _, _ = export.write(course_root, A, out)
    return {k: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8")))) for k, p in paths.items()}


def test_the_roster_is_imported_by_nbgrader(course_root):
    with Gradebook(course.gradebook_url(course_root)) as gb:
        got = {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}
    assert got["dee"] == ("Dee", "Diaz", "dee@example.org") and sorted(got) == ["ana", "ben", "cy", "dee"], got


def test_canvas_file_reads_back_as_the_gradebook(course_root, files, exported):
    rows = files["canvas"]
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A], rows[0]
    want, top = truth(course_root)
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][5]) == top == 3.0, rows[1]
    body = {r[2]: r for r in rows[2:]}
    assert sorted(body) == sorted(want) == sorted(exported), f"one row per student of the roster: {sorted(body)}"
    for student, (score, _) in want.items():
        assert float(body[student][5]) == score == float(exported[student]["score"]), \
            f"{student}: canvas {body[student][5]}, gradebook {score}, nbgrader export {exported[student]['score']}"
    assert float(body["ben"][5]) == 0.0 and float(body["dee"][5]) == 0.0 and float(body["ana"][5]) == 3.0, body
    assert body["ana"][:4] == ["Alves, Ana", "1001", "ana", "ana@example.org"], body["ana"]
    assert body["ben"][:2] == ["'=Bold, Ben", ""], f"no lms_user_id: ID empty; a name is never a formula {body['ben']}"


def test_moodle_file_reads_back_as_the_gradebook(course_root, files, exported):
    rows = files["moodle"]
    assert rows[0] == ["First name", "Last name", "ID number", "Email address", A], rows[0]
    want, _ = truth(course_root)
    by_email = {r[3]: r for r in rows[1:]}
    assert len(by_email) == len(rows) - 1 == 4, "one row per student, the email unique"
    for student, (score, _) in want.items():
        row = by_email[f"{student}@example.org"]
        assert row[2] == student and float(row[4]) == score == float(exported[student]["score"]), (student, row)


def test_the_command_writes_both_files_and_says_what_they_hold(course_root, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(course_root)
    code = cli.main(["export", A, "--out", str(tmp_path), "--canvas-assignment-id", "77"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "4 student(s) of the gradebook, out of 3 points" in out and "1 with a late penalty" in out, out
    assert "1 without a submission (score 0): dee" in out, out
    assert out.splitlines()[-2:] == [str(tmp_path / f"grades-{A}-canvas.csv"), str(tmp_path / f"grades-{A}-moodle.csv")]
    head = (tmp_path / f"grades-{A}-canvas.csv").read_text().splitlines()[0]
    assert head.endswith(f",{A} (77)"), head
    code = cli.main(["export", A, "--lms", "moodle", "--out", str(tmp_path / "m")])
    assert code == 0 and [p.name for p in (tmp_path / "m").iterdir()] == [f"grades-{A}-moodle.csv"]


def test_a_misspelt_assignment_is_named(course_root, monkeypatch, capsys):
    monkeypatch.chdir(course_root)
    assert cli.main(["export", "99_nope"]) == 2
    assert f"the gradebook has no assignment 99_nope (have: {A})" in capsys.readouterr().err


def test_exported_files_are_git_ignored():
    from support.nbtools import ROOT
    names = [f"grades-{A}-canvas.csv", f"grades-{A}-moodle.csv", "roster.csv", "reports/x.csv"]
    proc = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True)
    assert proc.stdout.split() == names, f"learners' data must be git-ignored: {proc.stdout!r}"
