"""A short term, played with the commands an instructor types (issue 25), on the tiny course:
build and release, a due date with nbgrader's "zero" late penalty, learners submit from the
release they fetched (alice on time, bob late, carol collected by hand: no timestamp.txt, dan
as late as bob but with an extension of the due date),
`coursekit autograde`, `coursekit report`, `nbgrader generate_feedback`, `nbgrader export`;
then the instructor changes a test's points, fixes a hidden test and a lesson in source/,
`coursekit build` says the grades are stale, `coursekit autograde` regrades and refreshes the
feedback. Checked: no learner is accused of editing grading metadata; the late penalty is in
the table, the report's CSV and page and nbgrader's export, with equal numbers; the feedback
says what the gradebook says and holds nothing but what the learner may see."""
import csv
import datetime
import io
import json
import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import course
from support import tiny
from support.courses import run

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

A, NAME = tiny.ASSIGNMENT, tiny.NAME
DUE = "2026-01-02 00:00:00 UTC"
STAMPS = {"alice": "2026-01-01 10:00:00.000000 UTC", "bob": "2026-01-03 10:00:00.000000 UTC", "carol": None,
          "dan": "2026-01-03 10:00:00.000000 UTC"}
EXTENSION = {"dan": datetime.timedelta(days=2)}
LIMITS = ["--jobs=2", "--memory-limit=2", "--cell-timeout=20"]
OUTCOME = "coursekit-outcome.json"
FIXED_HIDDEN = "ck.check(halve, {'x': np.array([3.0])}, np.array([1.5]))\n"
MORE_HIDDEN = FIXED_HIDDEN + "ck.check(halve, {'x': np.array([8.0, 1.0])}, np.array([4.0, 0.5]))\n"


def ok(proc):
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


def command(root, *args):
    """`coursekit ...` or `nbgrader ...` in the course; its output."""
    module = "coursekit.cli" if args[0] == "coursekit" else "coursekit.grading.nbgrader_main"
    proc, _ = run(root, module, *args[1:], timeout=900)
    return ok(proc)


def fetched(root, student):
    """The release notebook as `student` fetched it, worked on: the answers written in (carol's
    halve wrong); grading metadata left as released."""
    nb = course.read(root / "notebooks" / A / NAME)
    answers = tiny.answered()
    for cell in nb.cells:
        if course.is_solution(cell):
            cell.source = tiny.cell(answers, course.grade_id(cell)).source
    if student == "carol":
        tiny.cell(nb, "halve").source = "def halve(x):\n    return x / 3"
    return nb


def table_rows(text):
    return {ln.split()[0]: ln for ln in text.splitlines() if ln.split() and ln.split()[0] in STAMPS}


def facts(root):
    """What each place says: the table is read by the caller; here the gradebook (as nbgrader
    export computes it), nbgrader's export, the report's CSV and the feedback's score line."""
    command(root, "nbgrader", "export", "--to=grades.csv")
    exported = {r["student_id"]: r for r in csv.DictReader(io.StringIO((root / "grades.csv").read_text()))}
    command(root, "coursekit", "report", A)
    reported = {r["student"]: r for r in csv.DictReader(io.StringIO((root / "reports" / f"{A}.csv").read_text()))}
    feedback = {}
    for student in STAMPS:
        page = (root / "feedback" / student / A / f"{A}.html").read_text()
        feedback[student] = tuple(map(float, re.search(r"\(Score: ([\d.]+) / ([\d.]+)\)", page).groups()))
    return truth(root), exported, reported, feedback


def truth(root):
    """{student: {"raw", "penalty", "score"}} read with nbgrader's API, computed as nbgrader export does."""
    with Gradebook(course.gradebook_url(root)) as gb:
        subs = {s: gb.find_submission(A, s) for s in STAMPS}
        return {s: {"raw": sub.score, "penalty": sub.late_submission_penalty,
                    "score": max(0.0, sub.score - sub.late_submission_penalty)} for s, sub in subs.items()}


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    root = tiny.write_source(tmp_path_factory.mktemp("term") / "course")
    with open(root / "nbgrader_config.py", "a") as f:
        f.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    said = {"build": command(root, "coursekit", "build", A)}
    command(root, "nbgrader", "db", "assignment", "add", A, f"--duedate={DUE}")
    with Gradebook(course.gradebook_url(root)) as gb:   # as the formgrader gives one
        for student, extension in EXTENSION.items():
            gb.update_or_create_student(student)
            gb.update_or_create_submission(A, student, extension=extension)
    for student, stamp in STAMPS.items():
        folder = tiny.submit(root, student, fetched(root, student))
        if stamp:
            (folder / "timestamp.txt").write_text(stamp)
    said["autograde"] = command(root, "coursekit", "autograde", A, *LIMITS)
    said["feedback"] = command(root, "nbgrader", "generate_feedback", A)
    said["first"] = facts(root)

    # the instructor's edits: test_double 1 -> 2 points, a hidden test and a lesson fixed
    source = root / "source" / A / NAME
    nb = course.read(source)
    tiny.cell(nb, "test_double").metadata["nbgrader"]["points"] = 2.0
    tiny.cell(nb, "test_halve").source = tiny.cell(nb, "test_halve").source.replace(FIXED_HIDDEN, MORE_HIDDEN)
    lesson = next(c for c in nb.cells if c.cell_type == "code" and c.source == tiny.LESSON)
    lesson.source = "print(double(np.arange(4.0)))"
    nbformat.write(nb, source)
    said["rebuild"] = command(root, "coursekit", "build", A)
    said["regrade"] = command(root, "coursekit", "autograde", A, *LIMITS)
    said["second"] = facts(root)
    return root, said


def test_first_pass_late_penalty_everywhere(term):
    root, said = term
    late, exported, reported, feedback = said["first"]
    rows = table_rows(said["autograde"])
    assert "0 (3 - 3 late)" in rows["bob"] and "late by 34 h" in rows["bob"], said["autograde"]
    assert rows["alice"].split()[3] == "3" and "late" not in rows["alice"], said["autograde"]
    assert rows["dan"].split()[3] == "3" and "late" not in rows["dan"], "dan's extension counts"
    assert "no timestamp.txt in the submission of carol" in said["autograde"], said["autograde"]
    assert (exported["bob"]["raw_score"], exported["bob"]["late_submission_penalty"], exported["bob"]["score"]) \
        == ("3.0", "3.0", "0.0"), exported["bob"]
    for student in STAMPS:
        assert float(reported[student]["score"]) == float(exported[student]["score"]) == late[student]["score"]
        assert feedback[student] == (late[student]["score"], 3.0), (student, feedback, late)
    assert reported["carol"]["late_seconds"] == "no timestamp" and reported["bob"]["late_seconds"] == "122400"


def test_rebuild_says_which_grades_are_stale(term):
    _, said = term
    assert (f"4 submissions of {A} were graded against an earlier release: run `coursekit autograde {A}` to "
            "regrade, then feedback is refreshed") in said["rebuild"], said["rebuild"]
    assert "earlier release" not in said["build"]


def test_regrade_accuses_no_one_of_tampering(term):
    root, said = term
    assert "grading metadata" not in said["regrade"] and "edited" not in said["regrade"], said["regrade"]
    for student in STAMPS:
        outcome = json.loads((root / "autograded" / student / A / OUTCOME).read_text())
        assert outcome["notes"] == [] and not outcome["events"], outcome
        assert "edited" not in (root / "feedback" / student / A / f"{A}.html").read_text()
    page = (root / "reports" / f"{A}.html").read_text()
    assert "edited grading metadata" not in page
    history = json.loads((root / "source" / "_issued" / f"{A}.json").read_text())
    assert [v["notebooks"][NAME]["test_double"]["points"] for v in history] == [1.0, 2.0]
    ids = {json.loads((root / "autograded" / s / A / OUTCOME).read_text())["release"] for s in STAMPS}
    assert ids == {history[-1]["id"]}, "the regrade is recorded as against the newest release"


def test_regrade_scores_and_late_penalty_agree_everywhere(term):
    _, said = term
    late, exported, reported, feedback = said["second"]
    rows = table_rows(said["regrade"])
    assert "0 (4 - 4 late)" in rows["bob"] and "late by 34 h" in rows["bob"], said["regrade"]
    assert rows["alice"].split()[3] == "4" and rows["carol"].split()[3] == "2", said["regrade"]
    for student in STAMPS:
        theirs, mine = exported[student], reported[student]
        assert float(mine["score"]) == float(theirs["score"]) == late[student]["score"], (student, mine, theirs)
        assert float(mine["raw_score"]) == float(theirs["raw_score"]) == late[student]["raw"]
        assert float(mine["late_penalty"]) == float(theirs["late_submission_penalty"]) == late[student]["penalty"]
    assert [late[s]["score"] for s in STAMPS] == [4.0, 0.0, 2.0, 4.0], late


def test_feedback_is_refreshed_and_holds_only_what_the_learner_may_see(term):
    root, said = term
    late, _, _, feedback = said["second"]
    assert "feedback regenerated for 4 student(s) who had some (alice, bob, carol, dan)" in said["regrade"], \
        said["regrade"]
    for student in STAMPS:
        assert feedback[student] == (late[student]["score"], 4.0), (student, feedback[student], late[student])
        names = sorted(p.name for p in (root / "feedback" / student / A).rglob("*") if p.is_file())
        assert not [n for n in names if n.startswith("coursekit-")], names
        assert (root / "autograded" / student / A / OUTCOME).is_file(), "the report still reads it"
