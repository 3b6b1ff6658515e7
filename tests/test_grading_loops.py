"""A learner function that loops (coursekit/grading/loops.py, used by execute.py): the note and
the feedback name the function and the cell; later cells that call it are not run again, so
the submission costs one timeout; the rest of the notebook is graded as usual."""
import subprocess
import sys

import nbformat
import pytest

from coursekit.build import nbgrader
from coursekit.grading import loops, slicing
from support import tiny

LOOP = "def double(x):\n    while True:\n        pass"


def traceback_in(function):
    """A KeyboardInterrupt traceback as IPython 8 prints it, interrupted inside `function`."""
    return nbformat.NotebookNode(output_type="error", ename="KeyboardInterrupt", evalue="", traceback=[
        "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[3]\x1b[39m\x1b[32m, line 1\x1b[39m\n----> 1 ck.check(...)",
        f"\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[2]\x1b[39m\x1b[32m, line 2\x1b[39m, in \x1b[36m{function}"
        "\x1b[39m\x1b[34m(x)\x1b[39m", "\x1b[31mKeyboardInterrupt\x1b[39m: "])


def test_the_innermost_learner_function_is_named():
    functions = {"double": set(), "quadruple": {"double"}}
    assert loops.looping_function([traceback_in("double")], functions) == "double"
    assert loops.looping_function([traceback_in("helper_of_the_lesson")], functions) is None
    assert loops.looping_function([], functions) is None


def test_callers_reach_through_learner_functions():
    functions = {"a": set(), "b": {"a", "np"}, "c": {"b"}, "d": {"np"}}
    assert loops.callers(functions, "a") == {"a", "b", "c"}
    assert loops.uses("ck.check(c, {'x': 1})", {"a", "c"}) == "c"
    assert loops.uses("# a comment naming a\nprint(1)", {"a"}) is None
    assert loops.uses("this is not python (", {"this"}) == "this"


def test_learner_functions_come_from_solution_cells():
    nb = tiny.answered()
    tiny.cell(nb, "double").source = ("def double(x):\n    return quadruple(x) / 2\n\n"
                                      "def quadruple(x):\n    return 4 * x")
    assert loops.learner_functions(nb) == {"double": {"quadruple", "x"}, "quadruple": {"x"}, "halve": {"x"}}


@pytest.mark.slow
@pytest.mark.integration
def test_a_loop_costs_one_timeout(tmp_path):
    """Graded as coursekit autograde does by default (the slice: the tiny notebook's lesson
    cell, which calls `double`, is not run), then with --all-cells (it is skipped because
    `double` looped)."""
    root = tiny.write_source(tmp_path / "course")
    run = lambda *args: subprocess.run([sys.executable, "-m", "coursekit.cli", *args], cwd=root,  # noqa: E731
                                       capture_output=True, text=True, timeout=600)
    assert run("build", tiny.ASSIGNMENT).returncode == 0
    nb = tiny.answered()
    tiny.cell(nb, "double").source = LOOP
    tiny.submit(root, "lena", nb)
    tiny.submit(root, "blank", nbformat.read(root / "notebooks" / tiny.ASSIGNMENT / tiny.NAME, as_version=4))
    out = run("autograde", tiny.ASSIGNMENT, "--cell-timeout", "3", "--jobs", "1")
    assert out.returncode == 0, out.stderr[-3000:]
    row = next(ln for ln in out.stdout.splitlines() if ln.startswith("lena "))
    assert row.split()[1:4] == ["0", "2", "2"], out.stdout        # double 0, halve 2: graded as usual
    assert "`double` was still running in cell test_double after 3 s" in out.stdout, out.stdout
    graded = nbformat.read(root / "autograded" / "lena" / tiny.ASSIGNMENT / tiny.NAME, as_version=4)
    assert errors(graded) == [loops.TIMEOUT_ENAME]                # one timeout
    lesson = next(c for c in graded.cells if c.cell_type == "code" and c.source.startswith(tiny.LESSON))
    assert [o.get("text") for o in lesson.outputs] == [slicing.NOT_RUN_TEXT]   # the slice: not needed
    log = (root / "autograded" / "blank" / tiny.ASSIGNMENT / "coursekit-autograde.log").read_text()
    for noise in ("has changed!", "SAWarning", "Ctrl-C will not work", "WARNING"):   # issue 25: quiet tools
        assert noise not in log, log
    nbgrader(root, "generate_feedback", tiny.ASSIGNMENT)
    page = (root / "feedback" / "lena" / tiny.ASSIGNMENT / f"{tiny.ASSIGNMENT}.html").read_text()
    assert "KeyboardInterrupt" not in page and "double` was still running in cell test_double" in page

    out = run("autograde", tiny.ASSIGNMENT, "--cell-timeout", "3", "--jobs", "1", "--student", "lena", "--all-cells")
    assert "not run, since they call `double`, which had run past the limit: code cell 4" in out.stdout, out.stdout
    graded = nbformat.read(root / "autograded" / "lena" / tiny.ASSIGNMENT / tiny.NAME, as_version=4)
    assert errors(graded) == [loops.TIMEOUT_ENAME, loops.NOT_RUN_ENAME]   # still one timeout


def errors(nb):
    return [o.ename for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.output_type == "error"]
