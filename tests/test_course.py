"""Every assignment, end to end: the source runs clean, the release fails every graded
test, the build is in step with source/, nothing hidden leaks into the release."""
import json
import re

import nbformat
import pytest

from coursekit import build, measure

from nbtools import ROOT, meta

ASSIGNMENTS = build.assignments(ROOT)
RUN_ALL_LIMIT = 30.0


def test_there_are_assignments():
    assert ASSIGNMENTS[:2] == ["01_derivatives", "02_gradient_descent"]


def _test_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and meta(c).get("grade")]


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_runs_clean_and_fast(name):
    seconds, nb = measure.run_all(ROOT / "source" / name / f"{name}.ipynb", allow_errors=True)
    errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name}: cells raised errors: {errors}"
    assert seconds < RUN_ALL_LIMIT, f"{name}: Run All took {seconds:.1f} s (limit {RUN_ALL_LIMIT} s)"


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_fails_every_graded_test_with_not_implemented(name):
    # a dead kernel raises here (DeadKernelError), so this also shows the release survives Run All
    _, nb = measure.run_all(ROOT / "notebooks" / name / f"{name}.ipynb", allow_errors=True)
    for cell in _test_cells(nb):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"{name}: {meta(cell)['grade_id']} passes on the unanswered release"
        assert errors[0]["ename"] == "NotImplementedYet", (meta(cell)["grade_id"], errors[0]["ename"])


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_is_clean_and_well_formed(name):
    nb = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not any(c.outputs or c.execution_count for c in code), "source notebooks are kept without outputs"
    assert "setup" in code[0].metadata.get("tags", []), "the first code cell is the tagged setup cell"
    functions = [meta(c)["grade_id"] for c in code if meta(c).get("solution") and not meta(c).get("grade")]
    assert functions, "an assignment grades at least one function"
    for f in functions:
        cell = next(c for c in code if meta(c).get("grade_id") == f)
        assert re.search(rf"^def {f}\(", cell.source, re.M), f"solution cell {f} defines {f}()"
        tests = [c for c in _test_cells(nb) if meta(c)["grade_id"].startswith(f"test_{f}")]
        assert tests, f"{f} has no test cell"
        for t in tests:
            visible = t.source.split("### BEGIN HIDDEN TESTS")[0]
            assert "ck.check(" in visible, f"{meta(t)['grade_id']}: needs a visible check"
            assert "### BEGIN HIDDEN TESTS" in t.source, f"{meta(t)['grade_id']}: needs hidden tests"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_and_answer_key_hide_what_they_must(name):
    source = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    hidden = [ln.strip() for c in source.cells
              for block in re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", c.source, re.S)
              for ln in block.splitlines() if len(ln.strip()) > 12]
    answers = [ln.strip() for c in source.cells
               for block in re.findall(r"### BEGIN SOLUTION(.*?)### END SOLUTION", c.source, re.S)
               for ln in block.splitlines() if len(ln.strip()) > 12]
    # a line that also stands outside those regions (a visible check repeated) is no leak
    elsewhere = "\n".join(re.sub(r"### BEGIN (HIDDEN TESTS|SOLUTION).*?### END (HIDDEN TESTS|SOLUTION)", "",
                                 c.source, flags=re.S) for c in source.cells)
    hidden = [ln for ln in hidden if ln not in elsewhere]
    answers = [ln for ln in answers if ln not in elsewhere]  # lines only an answer has
    release = (ROOT / "notebooks" / name / f"{name}.ipynb").read_text()
    key = (ROOT / "solutions" / name / f"{name}.ipynb").read_text()
    for text, where in ((release, "release"), (key, "answer key")):
        assert "HIDDEN TESTS" not in text, where
        leaked = [ln for ln in hidden if json.dumps(ln)[1:-1] in text
                  and not (where == "answer key" and ln in answers)]
        assert not leaked, f"hidden test lines in the {where}: {leaked[:3]}"
    assert "BEGIN SOLUTION" not in release
    assert not [ln for ln in answers if json.dumps(ln)[1:-1] in release], "answers in the release"


@pytest.mark.slow
def test_build_check_passes_on_the_committed_tree():
    assert build.check(ROOT) == []
