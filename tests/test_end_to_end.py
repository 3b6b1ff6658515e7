"""End to end in a scratch copy of the course, as an instructor runs it, for every selected
assignment: build, collect the answer key as one student and the untouched release as
another, `coursekit autograde` (sandbox and re-check on), then `nbgrader generate_feedback`."""
import pytest

from coursekit import course as conventions
from coursekit.grading import gradebook, summary
from support import courses


@pytest.mark.slow
@pytest.mark.integration
def test_answer_key_full_marks_release_zero_feedback(tmp_path, tmp_path_factory, assignment):
    course = courses.copy_course(courses.built(tmp_path_factory, assignment), tmp_path / "course")
    courses.submit(course, assignment, "key", course / "solutions" / assignment)
    courses.submit(course, assignment, "blank", course / "notebooks" / assignment)
    proc, _ = courses.run(course, "coursekit.cli", "autograde", assignment)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table, maxima = gradebook.scores(course, assignment, ["key", "blank"])
    assert maxima and sum(maxima.values()) > 0
    assert table["key"] == maxima, f"answer key lost points: {table['key']} of {maxima}\n{proc.stdout}"
    assert set(table["blank"].values()) == {0.0}, table["blank"]
    # the printed table: a row per student, a column per graded function, nothing flagged
    for f in conventions.assignment_functions(course, assignment):
        assert f in proc.stdout
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.split()[:1] in (["key"], ["blank"])}
    assert set(rows) == {"key", "blank"}, proc.stdout
    assert not any(mark in proc.stdout for mark in (summary.RECHECK_FLAG, summary.GRADER_PROBLEM)), proc.stdout

    proc, _ = courses.run(course, "nbgrader", "generate_feedback", assignment, "--force")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for student in ("key", "blank"):
        for nb in conventions.notebooks(course, assignment, "notebooks"):
            assert (course / "feedback" / student / assignment / f"{nb.stem}.html").is_file()
