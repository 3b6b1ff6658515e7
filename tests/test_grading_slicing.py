"""coursekit/grading/slicing.py: the cells a grade needs (issue 22), read from the code."""
import shutil

import nbformat
import pytest

from coursekit import build
from coursekit.grading import autograde, gradebook, slicing
from support import tiny
from support.nbtools import ROOT

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


def lessons_of(nb):
    return set(slicing.fingerprints_of(nb))


def code_index(nb, source_start):
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith(source_start))


def test_a_lesson_the_grade_does_not_use_is_left_out():
    nb = tiny.answered()
    needed = slicing.needed(nb, lessons_of(tiny.answered()))
    lesson = code_index(nb, tiny.LESSON)
    assert lesson not in needed
    assert needed == {i for i, c in enumerate(nb.cells) if c.cell_type == "code"} - {lesson}


def test_a_lesson_that_makes_a_name_a_solution_uses_is_kept_transitively():
    nb = tiny.answered()
    release = tiny.answered()
    helpers = [nbformat.v4.new_code_cell("SCALE = 2.0"),
               nbformat.v4.new_code_cell("def scaled(x):\n    return SCALE * x")]
    for n in (nb, release):
        n.cells[2:2] = [nbformat.v4.new_code_cell(h.source) for h in helpers]
    tiny.cell(nb, "double").source = "def double(x):\n    return scaled(x)"
    needed = slicing.needed(nb, lessons_of(release))
    assert {code_index(nb, "SCALE"), code_index(nb, "def scaled")} <= needed
    assert code_index(nb, tiny.LESSON) not in needed


def test_a_cell_the_learner_added_or_changed_always_runs():
    nb = tiny.answered()
    nb.cells.insert(2, nbformat.v4.new_code_cell("import builtins\nbuiltins.abs = lambda x: 0"))
    nb.cells[code_index(nb, tiny.LESSON)].source = tiny.LESSON + "  # mine"
    needed = slicing.needed(nb, lessons_of(tiny.answered()))
    assert {2, code_index(nb, tiny.LESSON)} <= needed


def test_free_names_leave_out_what_a_cell_or_function_binds():
    assert slicing.free("def f(x, y=k):\n    u = x + z\n    return lambda t: t + u + w\nprint(f(1), q)") == \
        {"k", "z", "w", "print", "q"}
    assert slicing.free("X = rng.normal(size=3)\nck.check(f, {'X': X})") == {"rng", "ck", "f"}
    assert slicing.free("%matplotlib inline\nplot(a)") == {"get_ipython", "plot", "a"}   # magics read


def test_a_name_error_in_the_slice_asks_for_the_whole_notebook():
    nb = tiny.answered()
    cell = tiny.cell(nb, "test_double")
    cell.outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="name 'SCALE' is not defined",
                                           traceback=[])]
    everything = {i for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    lesson = code_index(nb, tiny.LESSON)
    assert slicing.missing_names(nb, everything - {lesson}) == {"SCALE"}
    assert slicing.missing_names(nb, everything) == set(), "nothing skipped: nothing to fall back to"
    cell.outputs[0].evalue = "name 'double' is not defined"   # the learner's double did not compile
    assert slicing.missing_names(nb, everything - {lesson}) == set(), "no lesson cell makes a graded function"


@pytest.mark.slow
@pytest.mark.integration
def test_a_name_made_out_of_sight_falls_back_to_the_whole_notebook(tmp_path):
    """A lesson cell of the release makes a name through exec (no slice can see it) and the
    solution uses it: the slice fails with a NameError, the submission is graded again with
    every cell, gets its marks, and the notes say so."""
    root = tmp_path / "course"
    (root / "source" / tiny.ASSIGNMENT).mkdir(parents=True)
    nb = tiny.notebook()
    nb.cells.insert(2, nbformat.v4.new_code_cell('exec("SCALE = 2")'))
    tiny.cell(nb, "double").source = ("def double(x):\n    ### BEGIN SOLUTION\n    return SCALE * x\n"
                                      "    ### END SOLUTION")
    nbformat.write(nb, root / "source" / tiny.ASSIGNMENT / tiny.NAME)
    shutil.copy2(ROOT / "nbgrader_config.py", root)
    build.build(root, [tiny.ASSIGNMENT], log=lambda *_: None)
    tiny.submit(root, "ann", tiny.answered(nb))
    lines = []
    outcomes = autograde.autograde(root, tiny.ASSIGNMENT, opts=autograde.Options(cell_timeout=30), log=lines.append)
    assert slicing.WHOLE_NOTE in outcomes[0].notes, lines
    table, _ = gradebook.scores(root, tiny.ASSIGNMENT, ["ann"])
    assert sum(table["ann"].values()) == 3.0, lines
