"""coursekit.grading.summary: the score table, the notes read from an autograded notebook,
the notes box put at its top."""
import nbformat

from coursekit.grading import summary
from coursekit.grading.autograde import Outcome
from coursekit.grading.kernel import KERNEL_DIED, error_output
from support import tiny

MAXIMA = {"test_predict": 2.0, "test_predict_proba": 1.0, "test_predict_proba_edge": 1.0, "test_sigmoid": 1.0}
FUNCTIONS = ["sigmoid", "predict", "predict_proba"]


def table_lines(outcomes, table):
    return summary.format_table("03_x", outcomes, table, MAXIMA, FUNCTIONS).splitlines()


def test_one_column_per_graded_function_longest_name_wins():
    text = table_lines([Outcome("alice", "graded", 1.0)], {"alice": dict(MAXIMA)})
    assert text[0] == "03_x: autograded 1 submission(s)"
    assert text[1].split() == ["student", "predict", "predict_proba", "sigmoid", "total", "status"]
    assert text[3].split() == ["(max)", "2", "2", "1", "5"]
    assert text[4].split() == ["alice", "2", "2", "1", "5", "graded"]


def test_scores_sum_per_part_and_missing_rows_count_zero():
    table = {"alice": {**MAXIMA, "test_predict_proba_edge": 0.0}, "bob": None}
    text = table_lines([Outcome("alice", "graded", 1.0), Outcome("bob", "graded with zeros", 1.0)], table)
    assert text[4].split() == ["alice", "2", "1", "1", "4", "graded"]
    assert text[5].split()[:5] == ["bob", "0", "0", "0", "0"]


def test_status_says_flags_grader_problems_and_notes():
    outcomes = [
        Outcome("alice", "graded", 1.0, notes=["a.ipynb: the kernel died in cell test_sigmoid", "flag text"],
                flags=["flag text"]),
        Outcome("bob", "graded", 1.0, grader_errors=["test_sigmoid: re-check could not compare sigmoid(): boom"]),
        Outcome("carol", "graded", 1.0, notes=["one note"]),
    ]
    text = "\n".join(table_lines(outcomes, {s: dict(MAXIMA) for s in ("alice", "bob", "carol")}))
    rows = {line.split()[0]: line for line in text.splitlines()[4:7]}
    assert rows["alice"].endswith("graded (2 notes) RE-CHECK FLAG")
    assert rows["bob"].endswith("graded GRADER PROBLEM")
    assert rows["carol"].endswith("graded (1 note)")
    notes = "notes:\n  alice: a.ipynb: the kernel died in cell test_sigmoid\n  alice: flag text\n  carol: one note"
    assert notes in text
    assert "GRADER PROBLEM (the grader failed, not the learner" in text
    assert text.endswith("  bob: test_sigmoid: re-check could not compare sigmoid(): boom")


def autograded(tmp_path, outputs):
    """An autograded tiny notebook in tmp_path/out with `outputs` {grade_id or code index: [outputs]}."""
    release, out = tmp_path / "release", tmp_path / "out"
    release.mkdir()
    out.mkdir()
    nb = tiny.answered()
    nbformat.write(nb, release / tiny.NAME)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for key, outs in outputs.items():
        cell = tiny.cell(nb, key) if isinstance(key, str) else code[key]
        cell.outputs = outs
    nbformat.write(nb, out / tiny.NAME)
    return release, out


def test_cell_notes_name_the_cell(tmp_path):
    release, out = autograded(tmp_path, {
        "test_double": [error_output("CellTimeoutError", "")],
        3: [error_output(KERNEL_DIED, "the kernel died")],          # the lesson cell: 4th code cell
        "test_halve": [error_output("MemoryError", ""), error_output("CheckFailed", "wrong")],
    })
    assert [e["text"] for e in summary.cell_events(out, release)] == [
        f"{tiny.NAME}: timed out in cell test_double (limit per cell reached)",
        f"{tiny.NAME}: the kernel died in code cell 4",
        f"{tiny.NAME}: ran out of memory in cell test_halve",
    ]


def test_notes_go_on_top_once(tmp_path):
    release, out = autograded(tmp_path, {})
    summary.add_notes(out, release, ["first"])
    summary.add_notes(out, release, ["second", "third"])
    nb = nbformat.read(out / tiny.NAME, as_version=4)
    tops = [c for c in nb.cells if summary.NOTES_TAG in c.metadata.get("tags", [])]
    assert len(tops) == 1 and nb.cells[0] is tops[0]
    assert nb.cells[0].source == "**Grading notes** (from the autograder)\n\n- second\n- third"
    summary.add_notes(out, release, [])
    assert nbformat.read(out / tiny.NAME, as_version=4) == nb


def test_grading_with_zeros_marks_for_review_in_the_same_transaction(tmp_path):
    """Issue 21: record.py used to mark the zeros for manual grading in a second transaction
    after gradebook.grade_with_zeros (a crash between left an unmarked zero)."""
    from nbgrader.api import Gradebook

    from coursekit import course
    from coursekit.grading import gradebook
    root = tiny.write_source(tmp_path / "course")
    tiny.gradebook(root, {"ann": {"test_double": 1.0, "test_halve": 2.0}})
    release = tmp_path / "release"
    release.mkdir()
    nbformat.write(tiny.answered(), release / tiny.NAME)
    gradebook.grade_with_zeros(root, tiny.ASSIGNMENT, "ann", release, release, "boom", for_review=True)
    with Gradebook(course.gradebook_url(root)) as gb:
        grades = {g.name: (g.auto_score, g.needs_manual_grade)
                  for nb in gb.find_submission(tiny.ASSIGNMENT, "ann").notebooks for g in nb.grades}
    assert grades == {"test_double": (0.0, True), "test_halve": (0.0, True)}, grades
