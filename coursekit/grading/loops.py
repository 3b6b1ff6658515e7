"""A learner function that runs past the cell limit: say which one, and run it only once.

After a timeout, nbgrader's execute step (execute.py) asks `looping_function` which of the
learner's functions was still running (the innermost frame of the interrupted traceback that
belongs to a function the learner's solution cells define) and replaces the cell's
`KeyboardInterrupt` / `CellTimeoutError` pair by one error a learner can read. Later cells
that call that function, directly or through another of the learner's functions
(`callers`, by name in the code), are not run again: a test cell among them scores 0 with a
note naming the function and where it looped, a lesson cell is skipped. So a submission
with one looping function costs one timeout, not one per cell that uses it.
"""
from __future__ import annotations

import ast
import re

from .. import course
from .kernel import error_output

TIMEOUT_ENAME = "CellTimeoutError"
NOT_RUN_ENAME = "NotRun"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"Cell In\[\d+\], line \d+, in (\w+)\(")


def learner_functions(nb):
    """{name: set of names it uses} for every top-level function or class of the solution cells."""
    defined = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not course.is_solution(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined[node.name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return defined


def callers(functions, looping):
    """`looping` and every learner function that reaches it through other learner functions."""
    reach, grew = {looping}, True
    while grew:
        grew = False
        for name, uses in functions.items():
            if name not in reach and uses & reach:
                reach.add(name)
                grew = True
    return reach


def uses(source, names):
    """The first of `names` the code `source` mentions as a name, or None."""
    try:
        found = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    except SyntaxError:
        found = set(re.findall(r"\b\w+\b", source))
    return next((n for n in sorted(names) if n in found), None)


def looping_function(outputs, functions):
    """The learner function the interrupted traceback in `outputs` was inside, or None."""
    for out in reversed(outputs):
        if out.get("output_type") != "error":
            continue
        frames = _FRAME.findall(_ANSI.sub("", "\n".join(out.get("traceback", []))))
        inner = [f for f in frames if f in functions]
        if inner:
            return inner[-1]
    return None


def timed_out(cell):
    """True when nbclient interrupted `cell` at the time limit."""
    return any(o.get("output_type") == "error" and o.get("ename") == TIMEOUT_ENAME for o in cell.outputs)


def timeout_output(function, seconds, where):
    """The one error a timed-out cell keeps, naming the function."""
    what = f"`{function}` was still running" if function else "this cell was still running"
    return error_output(TIMEOUT_ENAME, f"{what} in {where} after {seconds:g} s, the limit for one cell: it was "
                                 "stopped. An endless loop, or far more work than the task needs?")


def not_run_output(function, label):
    return error_output(NOT_RUN_ENAME, f"not run: it calls `{function}`, which ran past the time limit in {label}; "
                                 "this cell would only wait for it again")


def label(nb, index):
    """How notes name the cell at `index`: "cell test_sigmoid", or "code cell 7" (counting code
    cells from 1, as the grading notes do)."""
    gid = course.grade_id(nb.cells[index])
    return f"cell {gid}" if gid else f"code cell {sum(c.cell_type == 'code' for c in nb.cells[:index + 1])}"
