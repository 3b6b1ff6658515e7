"""`coursekit autograde` end to end on the tiny course (nbgrader, the sandbox and the re-check
for real, about a minute): the answer key, the blank release, a deleted test cell, a kernel
killed by a learner's cell, a learner who tries to leave something for the re-check's kernel;
then a grader error (a deliberately broken decoder in the grader): the part scores 0, is
marked for the instructor, the table says GRADER PROBLEM and the command exits with 1."""

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import cli, course
from coursekit.grading import autograde, recheck, sandbox
from support import tiny

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

OPTS = autograde.Options(cell_timeout=20, memory_limit=2 * 2 ** 30, sandbox=sandbox.available())

# Reads its own connection file to find the folder of its IPC sockets, looks for anything an
# earlier kernel of this submission left next to it, and leaves something itself. If the
# re-check's kernel found what the kernel of nbgrader's pass left, `double` would be wrong there.
LEAVE_SOMETHING = """
import glob, json, pathlib
_conn = glob.glob('*.json')
_sockets = pathlib.Path(json.load(open(_conn[0]))['ip']).parent if _conn else None
FOUND = bool(_sockets) and any(p.name == 'left-behind' for p in _sockets.parent.rglob('*'))
if _sockets:
    (_sockets / 'left-behind').write_text('the expected values would go here')
"""


def blank():
    return tiny.unanswered("double", "halve")


def deleted():
    nb = tiny.answered()
    nb.cells = [c for c in nb.cells if course.grade_id(c) != "test_halve"]
    return nb


def dies():
    return tiny.with_cell(3, tiny.KILL_KERNEL)


def leaves_something():
    nb = tiny.answered()
    nb.cells.insert(2, nbformat.v4.new_code_cell(LEAVE_SOMETHING))
    tiny.cell(nb, "double").source = "def double(x):\n    return 3 * x if FOUND else 2 * x"
    return nb


STUDENTS = {"key": tiny.answered, "blank": blank, "deleted": deleted, "dies": dies, "leaves": leaves_something}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tiny.write_source(tmp_path_factory.mktemp("tiny-course"))
    for student, make in STUDENTS.items():
        tiny.submit(root, student, make())
    lines = []
    outcomes = autograde.autograde(root, tiny.ASSIGNMENT, opts=OPTS, log=lines.append)
    table, maxima = autograde.gradebook.scores(root, tiny.ASSIGNMENT, list(STUDENTS))
    return root, {o.student: o for o in outcomes}, table, maxima, "\n".join(lines)


def notes_cell(root, student):
    nb = nbformat.read(root / "autograded" / student / tiny.ASSIGNMENT / tiny.NAME, as_version=4)
    return nb.cells[0].source if nb.cells[0].cell_type == "markdown" and "Grading notes" in nb.cells[0].source else ""


def test_key_full_marks_blank_zero(graded):
    root, outcomes, table, maxima, text = graded
    assert maxima == tiny.POINTS
    assert table["key"] == maxima and not outcomes["key"].notes
    assert table["blank"] == {"test_double": 0.0, "test_halve": 0.0}
    assert "re-check: 4 graded calls recorded" in text
    assert not any(o.flags or o.grader_errors for o in outcomes.values()), text


def test_deleted_test_cell_is_put_back_and_graded(graded):
    root, outcomes, table, maxima, _ = graded
    assert table["deleted"] == maxima
    assert "test cell(s) test_halve had been deleted; they were put back" in notes_cell(root, "deleted")
    nb = nbformat.read(root / "autograded" / "deleted" / tiny.ASSIGNMENT / tiny.NAME, as_version=4)
    restored = tiny.cell(nb, "test_halve")
    assert course.HIDDEN_BEGIN in restored.source                   # graded with its hidden tests
    assert not any(o.output_type == "error" for o in restored.outputs)


def test_a_killed_kernel_costs_nothing_else(graded):
    root, outcomes, table, maxima, _ = graded
    assert table["dies"] == maxima
    assert "the kernel died in code cell 3" in notes_cell(root, "dies")


@pytest.mark.skipif(not sandbox.available(), reason="bubblewrap is not installed")
def test_nothing_left_behind_reaches_the_recheck(graded):
    root, outcomes, table, maxima, text = graded
    assert table["leaves"] == maxima, text
    assert not outcomes["leaves"].flags


def test_a_grader_error_is_flagged_and_exits_1(graded, tmp_path, monkeypatch, capsys):
    root = tmp_path / "course"
    tiny.write_source(root)
    tiny.submit(root, "key", tiny.answered())
    real = recheck.values.decode

    def broken(data, callables=True):   # the grader's decoding of what the kernel sent back
        if not callables:
            raise ValueError("decoder test double")
        return real(data)

    monkeypatch.setattr(recheck.values, "decode", broken)
    monkeypatch.chdir(root)
    argv = ["autograde", tiny.ASSIGNMENT, f"--cell-timeout={OPTS.cell_timeout}", "--memory-limit=2"]
    assert cli.main(argv + ([] if OPTS.sandbox else ["--no-sandbox"])) == 1
    out, err = capsys.readouterr()
    row = next(line for line in out.splitlines() if line.startswith("key "))
    assert row.endswith("GRADER PROBLEM") and row.split()[1:4] == ["0", "0", "0"], out
    assert "key: test_double: re-check could not compare double(): ValueError: decoder test double" in out
    assert "grader had a problem with 1 submission(s) (key)" in err
    with Gradebook(course.gradebook_url(root)) as gb:
        grades = {g.name: (g.score, g.needs_manual_grade)
                  for nb in gb.find_submission(tiny.ASSIGNMENT, "key").notebooks for g in nb.grades}
    assert grades == {"test_double": (0.0, True), "test_halve": (0.0, True)}
    box = notes_cell(root, "key")
    assert "a problem of the grader, not of your code" in box
    assert "raised" not in box
    # nbgrader's own pass had passed both (the notebook shows no error): not the learner's failure
    nb = nbformat.read(root / "autograded" / "key" / tiny.ASSIGNMENT / tiny.NAME, as_version=4)
    assert not any(o.output_type == "error" for c in nb.cells if course.is_test(c) for o in c.outputs)


def test_changed_only_grades_what_is_new_or_changed(graded, tmp_path):
    """--changed-only (issue 25): a rerun grades nothing; a changed submission is graded alone."""
    import shutil
    root = shutil.copytree(graded[0], tmp_path / "course")
    lines = []
    assert autograde.autograde(root, tiny.ASSIGNMENT, opts=OPTS, log=lines.append, changed_only=True) == []
    assert any("5 submission(s) unchanged since graded against this release, skipped: nothing to grade" in ln
               for ln in lines), lines
    nbformat.write(tiny.answered(), root / "submitted" / "blank" / tiny.ASSIGNMENT / tiny.NAME)   # blank resubmits
    lines = []
    outcomes = autograde.autograde(root, tiny.ASSIGNMENT, opts=OPTS, log=lines.append, changed_only=True)
    assert [o.student for o in outcomes] == ["blank"], lines
    table, _ = autograde.gradebook.scores(root, tiny.ASSIGNMENT, list(STUDENTS))
    assert sum(table["blank"].values()) == 3.0 and table["key"] == graded[2]["key"], table
