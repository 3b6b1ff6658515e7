"""Run a source notebook's graded test cells in-process against any implementation.

Contract for notebook authors (README, "Writing an assignment"): a test cell depends only
on code cells tagged `setup` (imports, constants) and on the graded functions. So the
checks of one graded function can be run here against a variant implementation (a loop
instead of a vectorised form, a typical mistake...) in milliseconds, without a kernel.
"""
from __future__ import annotations

import pathlib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]


def load(assignment, where="source"):
    return nbformat.read(ROOT / where / assignment / f"{assignment}.ipynb", as_version=4)


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_functions(nb):
    """grade_ids of solution cells (a graded function each)."""
    return [meta(c)["grade_id"] for c in nb.cells
            if c.cell_type == "code" and meta(c).get("solution") and not meta(c).get("grade")]


def test_cells(nb, name):
    return [c for c in nb.cells if c.cell_type == "code" and meta(c).get("grade")
            and meta(c).get("grade_id", "").startswith(f"test_{name}")]


def namespace(nb, replace=None):
    """Execute setup cells and all solution cells; `replace` maps grade_id -> source."""
    import matplotlib
    matplotlib.use("Agg")
    replace = replace or {}
    ns = {"__name__": "__notebook__", "display": lambda *a, **k: None}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        m = meta(cell)
        if "setup" in cell.get("metadata", {}).get("tags", []):
            exec(compile(cell.source, "<setup>", "exec"), ns)
        elif m.get("solution") and not m.get("grade"):
            exec(compile(replace.get(m["grade_id"], cell.source), f"<{m['grade_id']}>", "exec"), ns)
    return ns


def run_tests(nb, name, source=None):
    """Run every test cell of graded function `name` (visible and hidden) with `source`
    in place of the answer key's cell. Raises the first failure."""
    cells = test_cells(nb, name)
    assert cells, f"no test cells for {name}"
    ns = namespace(nb, {name: source} if source is not None else None)
    for cell in cells:
        exec(compile(cell.source, f"<{meta(cell)['grade_id']}>", "exec"), ns)
    return len(cells)


def stock_config(root):
    """nbgrader_config.py of a stock course: the folders and nothing of coursekit, to show what
    plain nbgrader 0.9 does with the same submissions."""
    return ("c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.root = {str(root)!r}\n"
            "c.CourseDirectory.source_directory = 'source'\n"
            "c.CourseDirectory.release_directory = 'notebooks'\n"
            "c.CourseDirectory.solution_directory = 'solutions'\n")
