"""coursekit.grading.intake on the tiny notebook: readable notebooks, restored grading
metadata, deleted test cells put back where they belong."""
import copy

import nbformat

from coursekit import course
from coursekit.grading import intake
from support import tiny


def release():
    """The tiny notebook as nbgrader releases it (what intake restores from)."""
    return tiny.answered()


def ids(nb):
    return [course.grade_id(c) or (c.source[:12] if c.cell_type == "code" else "md") for c in nb.cells]


def test_untouched_notebook_needs_nothing():
    nb = release()
    before = copy.deepcopy(nb)
    assert intake.restore_metadata(nb, release()) == []
    assert intake.restore_test_cells(nb, release()) == []
    assert nb == before


def test_edited_flags_and_points_are_restored():
    nb = release()
    tiny.cell(nb, "test_double").metadata["nbgrader"]["points"] = 100
    tiny.cell(nb, "test_halve").metadata["nbgrader"]["grade"] = False
    tiny.cell(nb, "double").metadata["nbgrader"]["solution"] = False
    assert intake.restore_metadata(nb, release()) == ["double", "test_double", "test_halve"]
    assert nb == release()


def test_impostors_lose_their_metadata():
    nb = release()
    twin = copy.deepcopy(tiny.cell(nb, "test_double"))          # a second cell claiming test_double
    made_up = copy.deepcopy(tiny.cell(nb, "test_halve"))
    made_up.metadata["nbgrader"]["grade_id"] = "test_free_points"   # an id the release does not have
    junk = nbformat.v4.new_code_cell("x = 1")
    junk.metadata["nbgrader"] = ["not", "a", "dict"]
    odd = nbformat.v4.new_code_cell("y = 2")
    odd.metadata["nbgrader"] = {"grade_id": ["unhashable"], "grade": True, "points": 5}
    nb.cells += [twin, made_up, junk, odd]
    assert intake.restore_metadata(nb, release()) == ["test_double", "test_free_points"]
    assert [course.grade_id(c) for c in nb.cells[-4:]] == [None] * 4
    assert not any(course.is_test(c) for c in nb.cells[-4:])
    assert course.is_test(tiny.cell(nb, "test_double"))          # the first one keeps it


def test_deleted_test_cells_go_back_after_their_function():
    nb = release()
    nb.cells = [c for c in nb.cells if course.grade_id(c) not in ("test_double", "test_halve")]
    nb.cells.insert(3, nbformat.v4.new_code_cell("learner = 'scratch'"))
    assert intake.restore_test_cells(nb, release()) == ["test_double", "test_halve"]
    assert ids(nb) == ["md", "setup", "double", "test_double", "learner = 's", "print(double", "halve",
                       "test_halve"]
    assert tiny.cell(nb, "test_double") == tiny.cell(release(), "test_double")


def test_deleted_cell_whose_anchor_is_gone_too_goes_after_the_previous_one():
    nb = release()
    nb.cells = [c for c in nb.cells if course.grade_id(c) not in ("halve", "test_halve", "test_double")]
    assert intake.restore_test_cells(nb, release()) == ["test_double", "test_halve"]
    assert ids(nb)[:4] == ["md", "setup", "double", "test_double"]
    assert ids(nb)[4:] == ["test_halve", "print(double"]   # after test_double, its nearest predecessor


def test_renamed_test_cell_is_restored_under_its_own_id():
    nb = release()
    tiny.cell(nb, "test_halve").metadata["nbgrader"]["grade_id"] = "test_halve_renamed"
    assert intake.restore_metadata(nb, release()) == ["test_halve_renamed"]
    assert intake.restore_test_cells(nb, release()) == ["test_halve"]
    assert ids(nb)[-3:] == ["halve", "test_halve", "ck.check(hal"]   # right after its function; the
    # learner's renamed copy stays, a plain cell now


def test_prepare_copies_restores_and_says_so(tmp_path):
    root, scratch = tmp_path / "course", tmp_path / "scratch"
    rel = tmp_path / "release" / tiny.ASSIGNMENT
    rel.mkdir(parents=True)
    nbformat.write(release(), rel / tiny.NAME)
    nb = release()
    nb.cells = [c for c in nb.cells if course.grade_id(c) != "test_halve"]
    tiny.cell(nb, "test_double").metadata["nbgrader"]["points"] = 9
    submitted = tiny.submit(root, "alice", nb)
    (submitted / "data.csv").write_text("1,2\n")
    broken = tiny.submit(root, "bob", release()) / tiny.NAME
    broken.write_text('{"cells": [')

    notes = intake.prepare(root, tiny.ASSIGNMENT, "alice", rel, scratch)
    assert len(notes) == 2
    assert "test_double had been edited" in notes[0]
    assert "test cell(s) test_halve had been deleted; they were put back" in notes[1]
    graded = nbformat.read(scratch / "submitted" / "alice" / tiny.ASSIGNMENT / tiny.NAME, as_version=4)
    assert graded == release()
    assert (scratch / "submitted" / "alice" / tiny.ASSIGNMENT / "data.csv").read_text() == "1,2\n"
    assert nbformat.read(submitted / tiny.NAME, as_version=4) == nb     # submitted/ untouched

    notes = intake.prepare(root, tiny.ASSIGNMENT, "bob", rel, scratch)
    assert len(notes) == 1 and "could not be read" in notes[0] and "graded as an unanswered notebook" in notes[0]
    assert broken.read_text() == '{"cells": ['


def test_submissions_lists_and_checks_students(tmp_path):
    for student in ("bob", "alice"):
        tiny.submit(tmp_path, student, release())
    assert intake.submissions(tmp_path, tiny.ASSIGNMENT) == ["alice", "bob"]
    assert intake.submissions(tmp_path, tiny.ASSIGNMENT, ["bob"]) == ["bob"]
    try:
        intake.submissions(tmp_path, tiny.ASSIGNMENT, ["carol"])
    except intake.IntakeError as exc:
        assert "carol" in str(exc)
    else:
        raise AssertionError("no error for a student without a submission")
