"""Issued releases (issue 25): a change of points, a fixed test or a fixed lesson in source/
is the instructor's edit, never a learner's. `coursekit build` records the grading metadata of
every release it generates in source/_issued/<A>.json (distinct versions, newest last), and
intake notes edited grading metadata only where a learner's cell matches no issued release
(it still restores the current release's metadata). `coursekit build` also says how many
grades were made against an earlier release."""
import copy
import json

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import build, course
from coursekit.grading import intake, releases
from support import tiny

A, NAME = tiny.ASSIGNMENT, tiny.NAME


def with_points(nb, grade_id, points):
    nb = copy.deepcopy(nb)
    tiny.cell(nb, grade_id).metadata["nbgrader"]["points"] = points
    return nb


def versions(*notebooks):
    """The issued history of releases made of these notebooks, as a task carries it."""
    return [{NAME: releases.grading_metadata(nb)} for nb in notebooks]


def known(*notebooks):
    """The same for one notebook, as restore_metadata takes it."""
    return [releases.grading_metadata(nb) for nb in notebooks]


def test_a_cell_as_an_earlier_release_had_it_is_no_edit():
    first = tiny.answered()                          # test_double: 1 point
    current = with_points(first, "test_double", 2.0)
    nb = copy.deepcopy(first)                        # fetched before the change, untouched
    assert intake.restore_metadata(nb, current, known(first, current)) == []
    assert tiny.cell(nb, "test_double").metadata["nbgrader"]["points"] == 2.0, "the current release's metadata"


def test_an_edit_matching_no_release_is_still_noted():
    first = tiny.answered()
    current = with_points(first, "test_double", 2.0)
    nb = with_points(first, "test_double", 100)
    assert intake.restore_metadata(nb, current, known(first, current)) == ["test_double"]
    assert intake.restore_metadata(with_points(first, "test_halve", 7), current,
                                   known(first, current)) == ["test_halve"]
    # without a history, only the current release counts (as before)
    assert intake.restore_metadata(copy.deepcopy(first), current) == ["test_double"]


def test_a_cell_an_earlier_release_had_loses_its_metadata_quietly():
    first = tiny.answered()
    current = copy.deepcopy(first)
    tiny.cell(current, "test_halve").metadata["nbgrader"]["grade_id"] = "test_halve_v2"
    nb = copy.deepcopy(first)
    assert intake.restore_metadata(nb, current, known(first, current)) == []
    assert course.grade_id(nb.cells[-1]) is None, "an id the current release lacks is stripped"


def test_prepare_reads_the_history_the_task_carries(tmp_path):
    first = tiny.answered()
    current = with_points(first, "test_double", 2.0)
    release = tmp_path / "release"
    release.mkdir()
    nbformat.write(current, release / NAME)
    tiny.submit(tmp_path / "in", "alice", first)
    notes = intake.prepare(tmp_path / "in", A, "alice", release, tmp_path / "scratch", issued=versions(first))
    assert notes == [], notes
    notes = intake.prepare(tmp_path / "in", A, "alice", release, tmp_path / "scratch2")
    assert len(notes) == 1 and "test_double had been edited" in notes[0], notes


def release_folder(root, nb):
    folder = root / "notebooks" / A
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NAME)
    return folder


def test_history_keeps_distinct_versions_newest_last(tmp_path):
    root = tiny.write_source(tmp_path / "course")
    first, second = tiny.answered(), with_points(tiny.answered(), "test_double", 2.0)
    release_folder(root, first)
    assert releases.record(root, A) is True
    assert releases.record(root, A) is False, "an identical release is not recorded twice"
    release_folder(root, second)
    assert releases.record(root, A) is True
    history = releases.issued(root, A)
    assert [v["notebooks"][NAME]["test_double"]["points"] for v in history] == [1.0, 2.0]
    release_folder(root, first)   # back to the first one: it moves to the end, not duplicated
    assert releases.record(root, A) is True
    assert [v["notebooks"][NAME]["test_double"]["points"] for v in releases.issued(root, A)] == [2.0, 1.0]
    path = root / "source" / "_issued" / f"{A}.json"
    assert json.loads(path.read_text()) == releases.issued(root, A)
    assert build.assignments(root) == [A], "source/_issued is not an assignment"
    assert releases.cells(root, A) == versions(second, first)


@pytest.mark.slow
@pytest.mark.integration
def test_build_records_releases_and_names_stale_grades(tmp_path):
    root = tiny.write_source(tmp_path / "course")
    lines = []
    build.build(root, [A], log=lines.append)
    assert [v["notebooks"][NAME]["test_double"]["points"] for v in releases.issued(root, A)] == [1.0]
    with Gradebook(course.gradebook_url(root)) as gb:   # alice graded against that release
        gb.update_or_create_student("alice")
        gb.add_submission(A, "alice")
    lines.clear()
    build.build(root, [A], log=lines.append)
    assert len(releases.issued(root, A)) == 1 and not any("earlier release" in ln for ln in lines), lines
    source = root / "source" / A / NAME
    nbformat.write(with_points(course.read(source), "test_double", 2.0), source)
    build.build(root, [A], log=lines.append)
    assert [v["notebooks"][NAME]["test_double"]["points"] for v in releases.issued(root, A)] == [1.0, 2.0]
    assert (f"1 submission of {A} was graded against an earlier release: run `coursekit autograde {A}` to "
            "regrade, then feedback is refreshed") in lines, lines
