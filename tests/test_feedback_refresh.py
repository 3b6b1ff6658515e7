"""After a regrade, `coursekit autograde` regenerates the feedback of the students it graded
who already had some (nbgrader generate_feedback skips an existing folder, so it would keep
the earlier grades), and only theirs. The gradebook and autograded notebooks are written here
as autograde leaves them (no kernel runs)."""
import re
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import course
from coursekit.build import nbgrader
from coursekit.grading import autograde
from support import tiny

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

A = tiny.ASSIGNMENT


def score_on_page(root, student):
    page = (root / "feedback" / student / A / f"{A}.html").read_text()
    return float(re.search(r"\(Score: ([\d.]+) / ", page).group(1))


def test_only_existing_feedback_is_regenerated(tmp_path):
    root = tiny.write_source(tmp_path / "course")
    students = ("ann", "ben", "cyd")
    tiny.gradebook(root, {s: {"test_double": 1.0, "test_halve": 2.0} for s in students})
    for s in students:
        folder = root / "autograded" / s / A
        folder.mkdir(parents=True)
        nbformat.write(tiny.answered(), folder / tiny.NAME)
        (folder / "coursekit-outcome.json").write_text("{}")
    nbgrader(root, "generate_feedback", A)
    assert score_on_page(root, "ann") == 3.0
    assert not [p for p in (root / "feedback").rglob("coursekit-*")], "the grader's files stay out of feedback"
    shutil.rmtree(root / "feedback" / "cyd")
    with Gradebook(course.gradebook_url(root)) as gb:   # a regrade: everyone now has 1 of 3
        for s in students:
            gb.find_grade("test_halve", A, A, s).auto_score = 0.0
        gb.db.commit()
    lines = []
    assert autograde.refresh_feedback(root, A, ["ann"], lines.append) == ["ann"]
    assert (score_on_page(root, "ann"), score_on_page(root, "ben")) == (1.0, 3.0), lines
    assert autograde.refresh_feedback(root, A, list(students), lines.append) == ["ann", "ben"]
    assert score_on_page(root, "ben") == 1.0
    assert not (root / "feedback" / "cyd").exists(), "cyd had no feedback: none is made"
    assert lines[-1] == (f"feedback regenerated for 2 student(s) who had some (ann, ben); "
                         f"`nbgrader release_feedback {A}` sends it to the exchange"), lines
