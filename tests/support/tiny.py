"""A tiny course for the grading machinery's own tests: one assignment, `00_tiny`, with two
graded functions (double: 1 point, halve: 2 points), a setup cell, a lesson cell, and test
cells with hidden tests, written like the course's notebooks (coursekit.course's rules). It
runs in a second, so a test can grade it end to end, or run pieces on it in-process.
"""
from __future__ import annotations

import copy
import shutil

import nbformat
from nbgrader.api import Gradebook

from coursekit import course

from .nbtools import ROOT

ASSIGNMENT = "00_tiny"
NAME = f"{ASSIGNMENT}.ipynb"
POINTS = {"test_double": 1.0, "test_halve": 2.0}

SETUP = "import numpy as np\nfrom coursekit import checks as ck"
DOUBLE = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
HALVE = "def halve(x):\n    ### BEGIN SOLUTION\n    return x / 2\n    ### END SOLUTION"
TEST_DOUBLE = ("ck.check(double, {'x': np.array([1.0, -2.0])}, np.array([2.0, -4.0]))\n"
               "### BEGIN HIDDEN TESTS\n"
               "ck.check(double, {'x': np.array([[0.5], [3.0]])}, np.array([[1.0], [6.0]]))\n"
               "### END HIDDEN TESTS")
TEST_HALVE = ("ck.check(halve, {'x': np.array([4.0, -1.0])}, np.array([2.0, -0.5]))\n"
              "### BEGIN HIDDEN TESTS\n"
              "ck.check(halve, {'x': np.array([3.0])}, np.array([1.5]))\n"
              "### END HIDDEN TESTS")
LESSON = "print(double(np.arange(3.0)))"


def _cell(source, grade_id=None, solution=False, grade=False, points=None, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
                "solution": solution, "task": False}
        if grade:
            meta["points"] = points
        cell.metadata["nbgrader"] = meta
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook():
    """The master notebook (answers and hidden tests in)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 00 · Tiny"),
        _cell(SETUP, "setup", tags=["setup"]),
        _cell(DOUBLE, "double", solution=True),
        _cell(TEST_DOUBLE, "test_double", grade=True, points=POINTS["test_double"]),
        _cell(LESSON),
        _cell(HALVE, "halve", solution=True),
        _cell(TEST_HALVE, "test_halve", grade=True, points=POINTS["test_halve"]),
    ]
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i}"
    return nb


def answered(nb=None):
    """The notebook a learner with right answers submits (solution markers out, hidden tests
    as released: out)."""
    nb = copy.deepcopy(nb or notebook())
    for cell in nb.cells:
        lines = cell.source.splitlines()
        if course.is_solution(cell):
            marks = (course.SOLUTION_BEGIN, course.SOLUTION_END)
            cell.source = "\n".join(ln for ln in lines if ln.strip() not in marks)
        elif course.is_test(cell):
            cell.source = course.visible_source(cell.source).rstrip("\n")
    return nb


def cell(nb, grade_id):
    return next(c for c in nb.cells if course.grade_id(c) == grade_id)


def write_source(root):
    """A course folder at `root` with the tiny assignment's source and the course's config."""
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(notebook(), root / "source" / ASSIGNMENT / NAME)
    shutil.copy2(ROOT / "nbgrader_config.py", root)
    return root


def submit(root, student, nb):
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NAME)
    return folder


def gradebook(root, scores):
    """A gradebook for the tiny assignment without nbgrader's commands: {student: {test cell:
    auto score}} as autograde would leave it."""
    with Gradebook(course.gradebook_url(root)) as gb:
        gb.add_assignment(ASSIGNMENT)
        gb.add_notebook(ASSIGNMENT, ASSIGNMENT)
        for src in notebook().cells:
            gid = course.grade_id(src)
            if not gid:
                continue
            gb.add_source_cell(gid, ASSIGNMENT, ASSIGNMENT, cell_type="code", locked=not course.is_solution(src),
                               source=src.source, checksum="")
            if course.is_test(src):
                gb.add_grade_cell(gid, ASSIGNMENT, ASSIGNMENT, max_score=POINTS[gid], cell_type="code")
            elif course.is_solution(src):
                gb.add_solution_cell(gid, ASSIGNMENT, ASSIGNMENT)
        for student, row in scores.items():
            gb.update_or_create_student(student)
            gb.add_submission(ASSIGNMENT, student)
            for gid, score in row.items():
                grade = gb.find_grade(gid, ASSIGNMENT, ASSIGNMENT, student)
                grade.auto_score, grade.needs_manual_grade = score, False
        gb.db.commit()


def late(root, due, stamps, late_students):
    """Give the tiny assignment a due date and the submissions `stamps` {student: timestamp or None},
    with the penalty nbgrader's AssignLatePenalties writes under penalty_method "zero" (the whole
    score) for `late_students`."""
    with Gradebook(course.gradebook_url(root)) as gb:
        gb.find_assignment(ASSIGNMENT).duedate = due
        for student, stamp in stamps.items():
            sub = gb.find_submission(ASSIGNMENT, student)
            sub.timestamp = stamp
            for nb in sub.notebooks:
                nb.late_submission_penalty = nb.score if student in late_students else 0.0
        gb.db.commit()


def grade_or_die(task):
    """A stand-in for worker.grade_task (importable by spawned processes): the process dies on
    a task marked "kill", else returns a graded result."""
    import os
    if task.get("kill"):
        os._exit(1)
    return {"student": task["student"], "assignment": task["assignment"], "status": "graded", "seconds": 0.0}


def unanswered(*functions):
    """The answered notebook with `functions` back to the release's stub."""
    nb = answered()
    for f in functions:
        cell(nb, f).source = f"def {f}(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    return nb


def with_cell(at, source):
    """The answered notebook with a code cell of `source` inserted at index `at`."""
    nb = answered()
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    return nb


KILL_KERNEL = "import os\nos._exit(1)"
