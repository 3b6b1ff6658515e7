"""One verdict, end to end (issue 15): `coursekit autograde` with the sandbox and the re-check
gives full marks to correct answers whatever value kind they return.

- the issue's case: a correct linear_backward whose db is an np.matrix (right values, right
  shape), and so the linear_activation_backward and model_backward that call it;
- every value-preserving kind of tests/support/wrappers.py, spread over two submissions: each
  wraps the graded functions of 04 whose results no other graded function consumes, each
  function with another kind, so that together they cover every kind.
The in-process differential test (tests/test_recheck.py) covers every correct formulation of
every assignment under every kind; this one shows the real grader agrees."""
import shutil

import nbformat
import pytest

from coursekit import course as conventions
from coursekit.grading import gradebook, summary
from support import courses, variants, wrappers

ASSIGNMENT = "04_backprop"
# graded functions of 04 whose results no other graded function (or test cell) consumes
LEAVES = ["layer_shapes", "initialize_parameters", "model_forward", "compute_cost", "model_backward",
          "update_parameters"]
KINDS = [k for k in wrappers.KINDS if k not in wrappers.LOSSY]


def student_notebook(key_folder, dest, replace):
    """The answer key with some solution cells replaced ({function: source}), as a submission folder."""
    shutil.copytree(key_folder, dest)
    path = dest / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if conventions.is_solution(cell) and conventions.grade_id(cell) in replace:
            cell.source = replace[conventions.grade_id(cell)]
    nbformat.write(nb, path)
    return dest


@pytest.mark.slow
@pytest.mark.integration
def test_correct_answers_in_any_value_kind_get_full_marks(tmp_path, tmp_path_factory):
    course = courses.copy_course(courses.built(tmp_path_factory, ASSIGNMENT), tmp_path / "course")
    key = course / "solutions" / ASSIGNMENT
    sources = {conventions.grade_id(c): c.source for c in nbformat.read(key / f"{ASSIGNMENT}.ipynb", 4).cells
               if conventions.is_solution(c)}
    matrix_db = next(c for c in variants.cases(ASSIGNMENT) if c.correct and c.label == "db_as_np_matrix")
    students = {"matrix-db": {"linear_backward": matrix_db.source}}
    assert len(KINDS) <= 2 * len(LEAVES)
    for n in range(2):
        students[f"kinds-{n}"] = {f: wrappers.wrap(sources[f], f, KINDS[(i + n * len(LEAVES)) % len(KINDS)])
                                  for i, f in enumerate(LEAVES)}
    for student, replace in students.items():
        courses.submit(course, ASSIGNMENT, student, student_notebook(key, tmp_path / student, replace))
    proc, _ = courses.run(course, "coursekit.cli", "autograde", ASSIGNMENT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    table, maxima = gradebook.scores(course, ASSIGNMENT, list(students))
    for student in students:
        assert table[student] == maxima, f"{student} lost points: {table[student]}\n{proc.stdout}"
    assert summary.RECHECK_FLAG not in proc.stdout and summary.GRADER_PROBLEM not in proc.stdout, proc.stdout
