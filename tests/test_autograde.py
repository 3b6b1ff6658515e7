"""End to end in a scratch copy of the course, as an instructor runs it: build, collect
the answer key as one student and the untouched release as another, `coursekit autograde`,
then `nbgrader generate_feedback`."""
import pathlib
import shutil
import subprocess
import sys

import pytest

from coursekit import autograde, build

from nbtools import ROOT

ASSIGNMENTS = build.assignments(ROOT)


def make_course(tmp, name):
    course = pathlib.Path(tmp) / "course"
    course.mkdir()
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / name, course / "source" / name)
    build.build(course, [name], log=lambda *_: None)
    for student, folder in (("key", "solutions"), ("blank", "notebooks")):
        shutil.copytree(course / folder / name, course / "submitted" / student / name)
    return course


def run(course, *args):
    return subprocess.run([sys.executable, "-m", *args], cwd=course, capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_answer_key_full_marks_release_zero_feedback(tmp_path, name):
    course = make_course(tmp_path, name)
    proc = run(course, "coursekit.cli", "autograde", name)
    assert proc.returncode == 0, proc.stderr
    table, maxima = autograde.scores(course, name, ["key", "blank"])
    assert maxima and sum(maxima.values()) > 0
    assert table["key"] == maxima, f"answer key lost points: {table['key']} of {maxima}\n{proc.stdout}"
    assert set(table["blank"].values()) == {0.0}, table["blank"]
    # the printed table: a row per student, a column per graded function
    for f in autograde.graded_functions(course, name):
        assert f in proc.stdout
    assert "key" in proc.stdout and "blank" in proc.stdout

    proc = run(course, "nbgrader", "generate_feedback", name, "--force")
    assert proc.returncode == 0, proc.stderr
    for student in ("key", "blank"):
        assert (course / "feedback" / student / name / f"{name}.html").is_file()


def test_parts_group_test_cells_by_graded_function():
    grouped = autograde.parts(["test_sigmoid", "test_sigmoid_large", "test_predict", "test_linear_forward",
                               "test_linear_activation_forward"],
                              ["sigmoid", "predict", "linear_forward", "linear_activation_forward"])
    assert grouped == {"sigmoid": ["test_sigmoid", "test_sigmoid_large"], "predict": ["test_predict"],
                       "linear_forward": ["test_linear_forward"],
                       "linear_activation_forward": ["test_linear_activation_forward"]}
