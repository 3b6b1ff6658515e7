"""The grade is the learner's own work (issue 19), end to end through `coursekit autograde`.

A release offers no reference code: its oracles cell holds recorded values (coursekit.expected).
Two delegating submissions, made from the release for one assignment (10; `--all-corpora`:
every selected one), are graded with the answer key beside them:
- `delegate`: every graded function returns what the recorded oracle whose parameters best
  match its own gives for its arguments (the submission issue 19 found scoring 12 / 12 on 10);
- `bypass`: the same, after switching off the guard that refuses recorded values inside a graded
  call, so the notebook's own tests pass; the re-check, which runs where no expected value is,
  must still score each of those functions 0 and flag it.
Both are also named under the table's integrity flags, with the oracle each function called.
"""
from __future__ import annotations

import ast
import shutil

import nbformat
import pytest

from coursekit import course as conventions
from coursekit.grading import gradebook, recorded_oracles, summary
from support import courses, options

pytestmark = [pytest.mark.slow, pytest.mark.integration]
DEFAULT = "10_normalization"
BYPASS = "import coursekit.expected as _expected\n    _expected._state['graded_call'] = 0\n    "


def pytest_generate_tests(metafunc):
    if "delegated" in metafunc.fixturenames:
        metafunc.parametrize("delegated", options.corpus_assignments(metafunc.config, DEFAULT))


def oracle_signatures(source_nb):
    cell = next(c for c in source_nb.cells if conventions.grade_id(c) == recorded_oracles.ORACLES_ID)
    return {n.name: [a.arg for a in n.args.args] for n in ast.parse(cell.source).body
            if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}


def delegation(function, params, oracles, bypass=False, signature=None):
    """Source of `function` returning what an oracle gives for its arguments: the oracle whose
    parameters are all among the function's, the one with the most (None: there is none). The
    arguments go by position, as the tests call the oracles."""
    fitting = [o for o in oracles if oracles[o] and set(oracles[o]) <= set(params)]
    if not fitting:
        return None
    best = max(fitting, key=lambda o: len(oracles[o]))
    call = f"{best}({', '.join(oracles[best])})"
    return f"def {function}({signature or ', '.join(params)}):\n    {BYPASS if bypass else ''}return {call}\n"


def delegating_submission(course, assignment, folder, bypass):
    source = conventions.read(course / "source" / assignment / f"{assignment}.ipynb")
    oracles = oracle_signatures(source)
    shutil.copytree(course / "notebooks" / assignment, folder)
    path = folder / f"{assignment}.ipynb"
    nb = conventions.read(path)
    delegated = []
    for cell in filter(conventions.is_solution, nb.cells):
        f = conventions.grade_id(cell)
        node = next(n for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))
        if isinstance(node, ast.ClassDef):  # a graded class (12's MLP): the parameters of its __init__, without self
            node = next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
            node.args.args = node.args.args[1:]
        code = delegation(f, [a.arg for a in node.args.args], oracles, bypass, ast.unparse(node.args))
        if code:
            cell.source = code
            delegated.append(f)
    nbformat.write(nb, path)
    return delegated


def test_delegating_to_recorded_values_scores_nothing(delegated, tmp_path, tmp_path_factory):
    assignment = delegated
    course = courses.copy_course(courses.built(tmp_path_factory, assignment), tmp_path / "course")
    courses.submit(course, assignment, "key", course / "solutions" / assignment)
    functions = {}
    for student, bypass in (("delegate", False), ("bypass", True)):
        functions[student] = delegating_submission(course, assignment, tmp_path / student, bypass)
        courses.submit(course, assignment, student, tmp_path / student)
    if not functions["delegate"]:   # 12: the oracles take models and loaders no graded function is given
        pytest.skip(f"{assignment}: no recorded oracle's parameters fit a graded function's: nothing to delegate to")
    proc, _ = courses.run(course, "coursekit.cli", "autograde", assignment)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table, maxima = gradebook.scores(course, assignment, ["key", "delegate", "bypass"])
    assert table["key"] == maxima, f"answer key lost points: {table['key']}\n{proc.stdout}"
    parts = conventions.parts(list(maxima), conventions.assignment_functions(course, assignment))
    for student in ("delegate", "bypass"):
        scored = {f: [table[student][c] for c in parts[f] if table[student][c]] for f in functions[student]}
        assert not any(scored.values()), f"{student} scored for delegating: {scored}\n{proc.stdout}"
    rows = {ln.split()[0]: ln for ln in proc.stdout.splitlines() if ln.split()[:1] in (["bypass"], ["delegate"])}
    if passed_in_kernel(course, assignment, "bypass", functions["bypass"]):
        assert summary.RECHECK_FLAG in rows["bypass"], (
            "the bypassing submission passes the notebook's tests; the re-check must flag it:\n" + proc.stdout)
    for student in ("delegate", "bypass"):   # and both are named for a person to look at
        assert summary.INTEGRITY_FLAG in rows[student], proc.stdout
        assert f"  {student}: {functions[student][0]} uses a function defined outside" in proc.stdout, proc.stdout


def passed_in_kernel(course, assignment, student, functions):
    """Whether a test cell of one of `functions` passed in nbgrader's pass (no error output):
    only then has the re-check something to flag (09's delegations already fail there)."""
    nb = conventions.read(course / "autograded" / student / assignment / f"{assignment}.ipynb")
    return any(not any(o.get("output_type") == "error" for o in cell.get("outputs", []))
               for f in functions for cell in conventions.test_cells(nb, f))
