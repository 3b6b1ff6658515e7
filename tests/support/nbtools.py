"""Run a source notebook's graded test cells in-process against any implementation.

Contract for notebook authors (docs/authoring.md): a test cell depends only on code cells
tagged `setup` (imports, constants) and on the graded functions. So the checks of one graded
function can be run here against a variant implementation (a loop instead of a vectorised
form, a typical mistake...) in milliseconds, without a kernel. Which cell is what comes from
coursekit.course, the rules the grader uses too.
"""
from __future__ import annotations

import copy
import pathlib
import sys

from coursekit import course

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Setup cells may import the reference module released next to a notebook (source/_shared,
# linked into each assignment folder that uses it); in-process, it is found here.
sys.path.append(str(ROOT / "source" / "_shared"))
meta = course.meta
graded_functions = course.graded_functions
test_cells = course.test_cells


def load(assignment, where="source"):
    return course.read(ROOT / where / assignment / f"{assignment}.ipynb")


def visible_only(nb):
    """The notebook as released: hidden tests removed from every test cell."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if course.is_test(cell):
            cell.source = course.visible_source(cell.source)
    return nb


def namespace(nb, replace=None):
    """Execute setup cells and all solution cells; `replace` maps grade_id -> source."""
    import matplotlib
    matplotlib.use("Agg")
    replace = replace or {}
    ns = {"__name__": "__notebook__", "display": lambda *a, **k: None}
    for cell in nb.cells:
        if course.is_setup(cell):
            exec(compile(cell.source, "<setup>", "exec"), ns)
        elif course.is_solution(cell):
            gid = course.grade_id(cell)
            exec(compile(replace.get(gid, cell.source), f"<{gid}>", "exec"), ns)
    return ns


def run_cells(nb, name, ns):
    """Run the test cells of `name` in (a copy of) `ns`; {grade_id: failure or None}."""
    out = {}
    for cell in test_cells(nb, name):
        try:
            exec(compile(cell.source, f"<{course.grade_id(cell)}>", "exec"), dict(ns))
            out[course.grade_id(cell)] = None
        except Exception as exc:  # noqa: BLE001 - a verdict, reported by the caller
            out[course.grade_id(cell)] = exc
    return out


def run_tests(nb, name, source=None):
    """Run every test cell of graded function `name` (visible and hidden) with `source`
    in place of the answer key's cell. Raises the first failure; returns the cell count."""
    cells = test_cells(nb, name)
    assert cells, f"no test cells for {name}"
    ns = namespace(nb, {name: source} if source is not None else None)
    for cell in cells:
        exec(compile(cell.source, f"<{course.grade_id(cell)}>", "exec"), dict(ns))
    return len(cells)


def stock_config(root):
    """nbgrader_config.py of a stock course: the folders and nothing of coursekit, to show what
    plain nbgrader 0.9 does with the same submissions."""
    return ("c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.root = {str(root)!r}\n"
            "c.CourseDirectory.source_directory = 'source'\n"
            "c.CourseDirectory.release_directory = 'notebooks'\n"
            "c.CourseDirectory.solution_directory = 'solutions'\n")
