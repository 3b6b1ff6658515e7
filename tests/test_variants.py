"""The checks of every graded function, proven on the variants data (tests/variants/).

For each assignment, from the notebook's own metadata (coursekit.course): every graded
function has at least two correct formulations and two typical mistakes in the data file.
Each correct formulation passes every test cell of its function, visible and hidden; each
typical mistake fails with a message containing its fragment, and fails a *visible* test
already (no surprise at grading) unless the data marks it hidden-only with a reason.
Ids read `03-sigmoid-stable`. Run one assignment: pytest tests/test_variants.py --assignments 03
"""
import ast
import functools
import re

import pytest

from coursekit import course
from support import nbtools, variants
from support.variants import kinds


@functools.cache
def notebook(assignment, visible=False):
    nb = nbtools.load(assignment)
    return nbtools.visible_only(nb) if visible else nb


def test_every_graded_function_has_variants(assignment):
    nb = notebook(assignment)
    functions = course.graded_functions(nb)
    assert functions, f"{assignment}: no graded function"
    assert variants.path(assignment).is_file(), f"no variants data file {variants.path(assignment)}"
    cases = variants.cases(assignment)
    data_functions = {c.function for c in cases}
    assert data_functions <= set(functions), f"variants for functions the notebook does not grade: " \
                                             f"{sorted(data_functions - set(functions))}"
    points = course.points(nb)
    for f in functions:
        n_ok = sum(c.correct for c in cases if c.function == f)
        n_bad = sum(not c.correct for c in cases if c.function == f)
        assert n_ok >= 2 and n_bad >= 2, f"{assignment} {f}: {n_ok} correct, {n_bad} mistakes (need 2 and 2)"
        assert points[f] > 0, f"{assignment} {f}: its test cells carry no points"
        cells = nbtools.test_cells(nb, f)
        assert all("ck." in course.visible_source(c.source) for c in cells), f"{f}: a test cell without visible check"
        assert all(course.HIDDEN_BEGIN in c.source for c in cells), f"{f}: a test cell without hidden tests"


def test_answer_key_passes_visible_and_hidden(assignment):
    for f in course.graded_functions(notebook(assignment)):
        nbtools.run_tests(notebook(assignment), f)
        nbtools.run_tests(notebook(assignment, visible=True), f)


def test_unanswered_function_fails_visible_checks_with_not_implemented(assignment):
    for f in course.graded_functions(notebook(assignment)):
        stub = f"def {f}(*args, **kwargs):\n    raise NotImplementedError()\n"
        with pytest.raises(AssertionError, match="not implemented yet"):
            nbtools.run_tests(notebook(assignment, visible=True), f, source=stub)


@kinds("correct")
def test_correct_formulation_passes(case):
    nbtools.run_tests(notebook(case.assignment), case.function, source=case.source)


@kinds("mistake")
def test_typical_mistake_fails_with_a_pointed_message(case):
    with pytest.raises(AssertionError, match=re.escape(case.fragment)):
        nbtools.run_tests(notebook(case.assignment), case.function, source=case.source)


@kinds("mistake")
def test_typical_mistake_fails_a_visible_test(case):
    visible = notebook(case.assignment, visible=True)
    if case.hidden_only:
        # the mark must be true: visible tests pass it, hidden ones do not (tested above)
        nbtools.run_tests(visible, case.function, source=case.source)
        return
    with pytest.raises(AssertionError, match=re.escape(case.fragment)):
        nbtools.run_tests(visible, case.function, source=case.source)


# ---------------------------------------------------------------- promises (issue 19, item 4)

HEADERS = {"arguments:", "returns:", "raises:", "yields:"}


def _flat(text):
    return " ".join(text.split())


def docstring(nb, function):
    cell = next(c for c in nb.cells if course.is_solution(c) and course.grade_id(c) == function)
    node = next(n for n in ast.parse(cell.source).body
                if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == function)  # a graded class: 12's MLP
    return ast.get_docstring(node) or ""


def test_every_promise_of_a_docstring_has_a_visible_check(assignment):
    """PROMISES maps fragments of each docstring to fragments of the visible tests that check them:
    every fragment is where it says, and every line of the docstring is covered."""
    nb, visible = notebook(assignment), notebook(assignment, visible=True)
    promises = getattr(variants.load_module(assignment), "PROMISES", None)
    assert promises is not None, f"{variants.path(assignment).name} has no PROMISES (docs/lesson-rules.md section 4)"
    problems = []
    for f in course.graded_functions(nb):
        doc = docstring(nb, f)
        flat_doc = _flat(doc)
        tests = _flat("\n".join(c.source for c in course.test_cells(visible, f)))
        table = promises.get(f, {})
        spans = []
        for promise, check in table.items():
            fragment = _flat(promise)
            found = [m.start() for m in re.finditer(re.escape(fragment), flat_doc)] if fragment else []
            if not found:
                problems.append(f"{f}: {promise!r} is not in its docstring")
            spans += [(at, at + len(fragment)) for at in found]   # a fragment covers each place it stands
            if _flat(check) not in tests:
                problems.append(f"{f}: {check!r} is not in its visible tests")
        start = 0
        for line in doc.splitlines():
            text = _flat(line)
            if not text:
                continue
            at = flat_doc.find(text, start)
            start = at + len(text)
            if text.lower() in HEADERS:
                continue
            if not any(a < start and at < b for a, b in spans):
                problems.append(f"{f}: no promise covers the docstring line {text!r}")
    assert not problems, f"{assignment}:\n" + "\n".join(problems[:20])
