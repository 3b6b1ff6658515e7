"""Every assignment, end to end: the build is in step with source/, nothing hidden leaks into the
release, and the helper modules released next to a notebook hold no answer of that or a later
assignment. (Run All of the source and of the release: tests/test_lessons.py.)"""
import ast
import json
import re
import shutil

import nbformat
import pytest

from coursekit import build, course
from support.nbtools import ROOT

ASSIGNMENTS = build.assignments(ROOT)


def test_there_are_assignments():
    assert ASSIGNMENTS[:2] == ["01_derivatives", "02_gradient_descent"]
    assert "_shared" not in ASSIGNMENTS


def test_source_is_clean_and_well_formed(assignment):
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not any(c.outputs or c.execution_count for c in code), "source notebooks are kept without outputs"
    assert course.is_setup(code[0]), "the first code cell is the tagged setup cell"
    assert re.match(rf"# {assignment[:2]} · \S", nb.cells[0].source), "title style: '# NN · Title'"
    functions = course.graded_functions(nb)
    assert functions, "an assignment grades at least one function"
    ids = [course.grade_id(c) for c in nb.cells if course.grade_id(c)]
    assert len(ids) == len(set(ids)), "grade_ids are unique"
    for f in functions:
        cell = next(c for c in code if course.grade_id(c) == f)
        defines = re.search(rf"^(def {f}\(|class {f}\b)", cell.source, re.M)   # a function, or a class (12)
        assert defines, f"solution cell {f} defines {f}()"
        assert course.test_cells(nb, f), f"{f} has no test cell"
    orphans = [course.grade_id(c) for c in nb.cells if course.is_test(c)
               and course.owner(course.grade_id(c), functions) is None]
    assert not orphans, f"test cells that belong to no graded function: {orphans}"
    assert not re.search(r"\b[ES]\d?-\d+\b", "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")), \
        "learners read no internal erratum ids (E-11, S1-05)"


def test_release_and_answer_key_hide_what_they_must(assignment):
    source = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    hidden = [ln.strip() for c in source.cells for block in course.hidden_blocks(c.source)
              for ln in block.splitlines() if len(ln.strip()) > 12]
    answers = [ln.strip() for c in source.cells
               for block in re.findall(r"### BEGIN SOLUTION(.*?)### END SOLUTION", c.source, re.S)
               for ln in block.splitlines() if len(ln.strip()) > 12]
    # a line that also stands outside those regions (a visible check repeated) is no leak
    elsewhere = "\n".join(re.sub(r"### BEGIN (HIDDEN TESTS|SOLUTION).*?### END (HIDDEN TESTS|SOLUTION)", "",
                                 c.source, flags=re.S) for c in source.cells)
    hidden = [ln for ln in hidden if ln not in elsewhere]
    answers = [ln for ln in answers if ln not in elsewhere]  # lines only an answer has
    release = (ROOT / "notebooks" / assignment / f"{assignment}.ipynb").read_text()
    key = (ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text()
    for text, where in ((release, "release"), (key, "answer key")):
        assert "HIDDEN TESTS" not in text, where
        leaked = [ln for ln in hidden if json.dumps(ln)[1:-1] in text
                  and not (where == "answer key" and ln in answers)]
        assert not leaked, f"hidden test lines in the {where}: {leaked[:3]}"
    assert "BEGIN SOLUTION" not in release
    assert not [ln for ln in answers if json.dumps(ln)[1:-1] in release], "answers in the release"


def test_helper_modules_hold_no_answer_of_this_or_a_later_assignment(assignment):
    """A .py file next to a notebook (e.g. the link to source/_shared/nn_backprop.py) is released
    with it: it may hold reference versions of functions graded in EARLIER assignments only."""
    later = {f for a in ASSIGNMENTS[ASSIGNMENTS.index(assignment):] for f in course.assignment_functions(ROOT, a)}
    for path in sorted((ROOT / "source" / assignment).glob("*.py")):
        defined = {n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)}
        assert not defined & later, f"{path.name} defines {sorted(defined & later)}, graded in {assignment} or later"


@pytest.mark.slow
@pytest.mark.integration
def test_build_check_passes_on_the_committed_tree():
    assert build.check(ROOT) == []


def test_points_are_stated_as_the_test_cells_give_them(assignment, tmp_path):
    """One source for points (issue 25): the headings, the first cell and the README's course map
    agree with the test cells' metadata, and a changed points value is caught (build --check)."""
    assert build.stated_points(ROOT, assignment) == []
    shutil.copy2(ROOT / "README.md", tmp_path / "README.md")
    shutil.copytree(ROOT / "source" / assignment, tmp_path / "source" / assignment)
    path = tmp_path / "source" / assignment / f"{assignment}.ipynb"
    nb = course.read(path)
    test = next(c for c in nb.cells if course.is_test(c))
    function = course.owner(course.grade_id(test), course.graded_functions(nb))
    test.metadata["nbgrader"]["points"] += 1
    nbformat.write(nb, path)
    problems = build.stated_points(tmp_path, assignment)
    assert any(f"gives {function} " in p and "its exercise heading" in p for p in problems), problems
    assert any("the README's course map" in p for p in problems), problems
