"""RecordedOracles: nbgrader's release step, giving learners recorded values, not reference code.

nbgrader_config.py puts it in `nbgrader generate_assignment`'s pipeline, before the cells are
saved to the gradebook: the source's oracles cell (grade_id "oracles": the torch, sklearn or
closed-form reference computations that the tests compare with) becomes a cell that binds each
oracle's public name to `coursekit.expected.recorded(name)`, a lookup of the values that
`coursekit build` recorded from the answer key (issue 19). Top-level imports from coursekit and
constants written as literals stay; anything else that cell computes does not reach learners.
The answer key (generate_solution) keeps the real cell.
"""
from __future__ import annotations

import ast

from nbgrader.preprocessors import NbGraderPreprocessor

from .. import course

ORACLES_ID = "oracles"
HEADER = """\
# Reference values the tests compare with, recorded from reference computations (PyTorch,
# scikit-learn, closed forms) when this assignment was built: data (expected.json next to this
# notebook), not code. Each name returns the recorded value for the exact inputs of a test or
# lesson cell of this notebook, and refuses to be used inside a graded function.
from coursekit.expected import recorded
"""


def oracle_names(source):
    """The public functions and classes an oracles cell defines, in order."""
    return [n.name for n in ast.parse(source).body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]


def kept_statements(source):
    """Top-level statements of an oracles cell that stay in the release: imports from coursekit,
    and names bound to literal constants."""
    kept = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "coursekit":
            kept.append(ast.unparse(node))
        elif isinstance(node, ast.Assign) and _literal(node.value):
            kept.append(ast.unparse(node))
    return kept


def released_source(source):
    """What the release's oracles cell holds in place of `source`."""
    lines = [HEADER.rstrip("\n"), *kept_statements(source), ""]
    lines += [f"{name} = recorded({name!r})" for name in oracle_names(source)]
    return "\n".join(lines).rstrip("\n")


def _literal(value):
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


class RecordedOracles(NbGraderPreprocessor):
    """For the release: the oracles cell as recorded values (see the module docstring)."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "code" and course.grade_id(cell) == ORACLES_ID:
                cell.source = released_source(cell.source)
        return nb, resources
