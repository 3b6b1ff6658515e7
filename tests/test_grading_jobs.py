"""`coursekit autograde --jobs N`: the same grading, N submissions at a time.

Workers return plain data and one coordinator writes the gradebook, so the results cannot
depend on N or on the order in which submissions finish: the same tiny course graded with
--jobs 1 and --jobs 2 gets the same scores, comments, notes, autograded notebooks and
feedback. Around it: the memory caps must fit the machine, progress shows as a bar on a
terminal and as lines elsewhere, a grading process that dies loses nothing, and without
bubblewrap the command refuses to grade unless told --no-sandbox."""
import difflib
import json
import re
import shutil
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from coursekit import cli, course
from coursekit.grading import autograde, record, sandbox, worker
from support import tiny

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

OPTS = autograde.Options(cell_timeout=20, memory_limit=2 * 2 ** 30, sandbox=sandbox.available())


def wrong():
    nb = tiny.answered()
    tiny.cell(nb, "halve").source = "def halve(x):\n    return x / 3"
    return nb


def blank():
    return tiny.unanswered("double")


def dies():
    return tiny.with_cell(3, tiny.KILL_KERNEL)


STUDENTS = {"ann": tiny.answered, "bob": wrong, "cat": blank, "dan": dies, "eve": tiny.answered}


SUBMISSIONS = {student: make() for student, make in STUDENTS.items()}   # the same files in both runs


def graded_with(folder, jobs):
    root = tiny.write_source(folder)
    for student, nb in SUBMISSIONS.items():
        tiny.submit(root, student, nb)
    lines = []
    outcomes = autograde.autograde(root, tiny.ASSIGNMENT, opts=OPTS, log=lines.append, jobs=jobs, progress=False)
    feedback = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", tiny.ASSIGNMENT],
                              cwd=root, capture_output=True, text=True)
    assert feedback.returncode == 0, feedback.stderr[-2000:]
    return root, outcomes, "\n".join(lines)


def everything(root):
    """What a run leaves for people: gradebook rows, outcomes, notebooks, feedback (times removed)."""
    with Gradebook(course.gradebook_url(root)) as gb:
        book = {s.student_id: {nb.name: ({g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades},
                                         {c.name: (c.auto_comment, c.manual_comment) for c in nb.comments})
                               for nb in s.notebooks}
                for s in gb.assignment_submissions(tiny.ASSIGNMENT)}
    files = {}
    for path in sorted((root / "autograded").rglob("*")) + sorted((root / "feedback").rglob("*")):
        if path.is_file() and path.name != worker.LOG_NAME:
            text = path.read_text(errors="replace")
            if path.name == record.OUTCOME_NAME:
                outcome = json.loads(text)
                outcome.pop("seconds")
                text = json.dumps(outcome, sort_keys=True)
            files[str(path.relative_to(root))] = re.sub(r"\d{4}-\d\d-\d\d[ T][\d:.]+", "TIME", text)
    return book, files


@pytest.mark.slow
@pytest.mark.integration
def test_jobs_2_grades_exactly_as_jobs_1(tmp_path):
    one, outcomes1, text1 = graded_with(tmp_path / "one", 1)
    two, outcomes2, text2 = graded_with(tmp_path / "two", 2)
    assert "on 2 processes" in text2
    book1, files1 = everything(one)
    book2, files2 = everything(two)
    assert book1 == book2
    assert sorted(files1) == sorted(files2)
    differ = [name for name in files1 if files1[name] != files2[name]]
    first = "\n".join(list(difflib.unified_diff(files1[differ[0]].splitlines(), files2[differ[0]].splitlines(),
                                                lineterm=""))[:30]) if differ else ""
    assert not differ, f"differ between --jobs 1 and --jobs 2: {differ}; the first:\n{first}"
    scores = {s: sum(g for g, _ in grades.values()) for s, nbs in book1.items() for grades, _ in nbs.values()}
    assert scores == {"ann": 3.0, "bob": 1.0, "cat": 2.0, "dan": 3.0, "eve": 3.0}
    assert [o.student for o in outcomes2] == sorted(STUDENTS)
    assert outcomes2[3].events == [{"kind": "kernel_died", "notebook": tiny.NAME, "cell": "code cell 3"}]
    assert re.search(r"\[5/5\] \w+: graded in [\d.]+ s", text2)
    # the workers' template: the assignment without a trace of any learner
    template = autograde.template_gradebook(one, tiny.ASSIGNMENT, tmp_path / "template")
    with Gradebook(course.sqlite_url(template)) as gb:
        assert gb.students == [] and [n.name for n in gb.find_assignment(tiny.ASSIGNMENT).notebooks] == ["00_tiny"]
    assert b"ann" not in template.read_bytes() and b"eve" not in template.read_bytes()


def test_the_memory_caps_must_fit_the_machine(monkeypatch):
    lines = []
    monkeypatch.setattr(autograde, "_memory_bytes", lambda: 16 * 2 ** 30)
    assert autograde.fit_jobs(2, 4 * 2 ** 30, lines.append) == 2 and not lines
    assert autograde.fit_jobs(8, 4 * 2 ** 30, lines.append) == 3
    assert "8 jobs x 4 GiB per learner kernel would not fit in 16 GiB of memory; grading with 3 jobs" in lines[0]
    assert autograde.fit_jobs(8, 0, lines.append) == 8   # no cap, nothing to fit


def test_progress_is_lines_when_not_a_terminal():
    lines = []
    bar = autograde.Progress(2, "03", lines.append, bar=False)
    bar.update(autograde.Outcome("ann", "graded", 3.2))
    bar.update(autograde.Outcome("bob", "graded", 1.0, flags=["test_x: ..."]))
    assert lines == ["[1/2] ann: graded in 3.2 s", "[2/2] bob: graded in 1.0 s (flagged)"]


def test_progress_is_a_tqdm_bar_on_a_terminal(capsys):
    bar = autograde.Progress(2, "03", print, bar=True)
    bar.update(autograde.Outcome("bob", "graded", 1.0, grader_errors=["..."]))
    bar.close()
    err = capsys.readouterr().err
    assert "1/2" in err and "flags 1" in err, err
    assert "submission/s" in err or "s/submission" in err, f"expected tqdm's rate in the bar: {err!r}"


@pytest.mark.integration
def test_a_grading_process_that_dies_loses_nothing(monkeypatch):
    tasks = [{"student": s, "assignment": "a", "kill": s == "bob"} for s in ("ann", "bob", "cat")]
    results = []
    monkeypatch.setattr(autograde, "grade_task", tiny.grade_or_die)
    autograde.run_local(tasks, results.append, jobs=2)
    by_student = {r["student"]: r for r in results}
    assert sorted(by_student) == ["ann", "bob", "cat"] and len(results) == 3
    assert by_student["ann"]["status"] == by_student["cat"]["status"] == "graded"
    assert by_student["bob"]["status"] == "graded with zeros"
    assert "the grading process died twice" in by_student["bob"]["error"]


def test_without_bubblewrap_it_refuses_unless_told(tmp_path, monkeypatch, capsys):
    root = tiny.write_source(tmp_path / "course")
    tiny.submit(root, "ann", tiny.answered())
    monkeypatch.setattr(sandbox, "available", lambda: False)
    monkeypatch.setattr(sandbox, "problem", lambda: "bubblewrap (bwrap) is not installed (not found on PATH)")
    monkeypatch.chdir(root)
    assert cli.main(["autograde", tiny.ASSIGNMENT]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bubblewrap (bwrap) is not installed" in err
    assert "apt-get install bubblewrap" in err and "--no-sandbox" in err and "--cluster" in err
    assert not (root / "autograded").exists() and not (root / "gradebook.db").exists()


def test_a_task_is_plain_data_and_carries_no_course_path(tmp_path):
    root = tiny.write_source(tmp_path / "course")
    tiny.submit(root, "ann", tiny.answered())
    release = tmp_path / "release"
    shutil.copytree(root / "source" / tiny.ASSIGNMENT, release)
    template = tmp_path / "template.db"
    template.write_bytes(b"sqlite bytes")
    shared = worker.bundle(root, tiny.ASSIGNMENT, release, template, [], OPTS)
    task = worker.make_task(shared, root, "ann")
    assert set(task["submission"]) == {tiny.NAME} and set(task["release"]) == {tiny.NAME}
    assert task["functions"] == ["double", "halve"] and task["gradebook"] == b"sqlite bytes"
    # everything but the list of folders to hide on a machine that has them is data
    assert str(root) not in json.dumps({k: v for k, v in task.items() if k not in ("hide", "submission",
                                                                                      "release", "gradebook")})
