"""Intake: which submissions there are, and one of them copied to a scratch folder, gradable.

`submitted/` is never modified. In the scratch copy, each notebook of the release is
- replaced by the blank release when it is missing or unreadable (graded as unanswered);
- given back the grading metadata of every graded cell (points, grade flags, checksums), with
  nbgrader metadata stripped from cells that claim a grade_id the release does not have, or
  claim one twice (nbgrader restores a test cell's source, but not these flags, and stops on
  an edited one). The learner is told only where their cell matches no release the course
  has issued (releases.py: a notebook fetched before the instructor changed points or fixed
  a test holds an earlier release's metadata, which is no edit of theirs);
- given back every test cell the learner deleted, where the release has it: it is then run
  and re-checked like any other test cell (a deleted cell costs nothing it did not already
  cost: the restored cell carries the hidden tests, and the re-check judges the function
  without any cell of the learner's).
Each of these says so in a note for the learner.
"""
from __future__ import annotations

import copy
import pathlib
import shutil

import nbformat

from .. import course
from . import releases, result


class IntakeError(RuntimeError):
    """No such assignment in source/, or students named on the command line have no submission."""


def known_assignment(root, assignment):
    """Raise IntakeError naming the assignments there are when source/ has no `assignment`."""
    folder = pathlib.Path(root) / "source"
    have = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))) \
        if folder.is_dir() else []
    if assignment not in have:
        raise IntakeError(f"no assignment named {assignment} (have: {', '.join(have) or 'none'})")


def submissions(root, assignment, students=None):
    """Students with a submission of `assignment`, sorted (or `students`, all checked)."""
    folder = root / "submitted"
    found = sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir()) if folder.is_dir() else []
    if students:
        missing = [s for s in students if s not in found]
        if missing:
            raise IntakeError(f"no submission of {assignment} from: {', '.join(missing)}")
        return list(students)
    return found


def readable(path):
    """None if `path` is a notebook nbgrader can grade, else why not."""
    if not path.is_file():
        return "the notebook is missing from the submission"
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - invalid JSON, truncated file, wrong schema...
        return f"the notebook could not be read ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})"
    return None


def prepare(root, assignment, student, release, scratch, issued=None, events=None):
    """Copy one submission to scratch/submitted and make it gradable (see the module
    docstring). `issued`: the releases the course has issued ([{notebook: {grade_id:
    metadata}}], releases.cells). Returns the notes for the learner; what it repaired is also
    appended to `events` (result.event dicts, for the report) when a list is given."""
    dest = scratch / "submitted" / student / assignment
    shutil.copytree(root / "submitted" / student / assignment, dest)
    notes, events = [], events if events is not None else []
    for blank in sorted(release.glob("*.ipynb")):
        path = dest / blank.name
        problem = readable(path)
        if problem:
            notes.append(f"{blank.name}: {problem}; it was graded as an unanswered notebook. "
                         "Your file is kept as submitted: ask your instructor.")
            events.append(result.event("unreadable", blank.name))
            shutil.copy2(blank, path)
            continue
        nb, release_nb = course.read(path), course.read(blank)
        earlier = [v.get(blank.name) or {} for v in issued or ()]
        edited, restored = restore_metadata(nb, release_nb, earlier), restore_test_cells(nb, release_nb)
        if edited:
            notes.append(f"{blank.name}: the grading metadata of cell(s) {', '.join(edited)} had been edited; "
                         "it was restored from the assignment")
            events.append(result.event("edited_metadata", blank.name))
        if restored:
            notes.append(f"{blank.name}: test cell(s) {', '.join(restored)} had been deleted; they were put back "
                         "from the assignment and graded as usual")
            events.append(result.event("restored_cells", blank.name))
        if edited or restored:
            nbformat.write(nb, path)
    return notes


def _grade_id(cell):
    gid = course.grade_id(cell)
    return gid if isinstance(gid, str) and gid else None   # a learner may write anything there


def restore_metadata(nb, release_nb, issued=()):
    """Give every graded cell of `nb` its nbgrader metadata from the release and strip it
    from impostors (see the module docstring), in place. `issued`: the grading metadata of
    the releases issued before ([{grade_id: metadata}], for this notebook). Returns the
    grade_ids whose metadata matched neither the release nor any issued one."""
    original = {_grade_id(c): course.meta(c) for c in release_nb.cells if _grade_id(c)}
    known = [original, *issued]
    seen, edited = set(), set()
    for cell in nb.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        meta, gid = course.meta(cell), _grade_id(cell)
        first = gid not in seen
        seen.add(gid)
        if not (first and any(_same(meta, version.get(gid)) for version in known)):
            edited.add(gid)
        if gid in original and first:
            cell.metadata["nbgrader"] = copy.deepcopy(original[gid])
        else:
            del cell.metadata["nbgrader"]
    return sorted(g for g in edited if g)


def _same(meta, issued_meta):
    return isinstance(issued_meta, dict) and all(meta.get(k) == issued_meta.get(k) for k in releases.COMPARED)


def restore_test_cells(nb, release_nb):
    """Put back, in place, the release's test cells missing from `nb` (run restore_metadata
    first), each just after the nearest cell before it in the release that `nb` has (the
    function's solution cell, or the test cell before it), else at the end. Returns their
    grade_ids."""
    position = {_grade_id(c): c for c in nb.cells if _grade_id(c)}
    restored, anchor = [], None   # anchor: the cell of `nb` after which the next restored one goes
    for cell in release_nb.cells:
        gid = _grade_id(cell)
        if gid in position:
            anchor = position[gid]
        elif course.is_test(cell):
            new = copy.deepcopy(cell)
            new.outputs, new.execution_count = [], None
            at = next((i + 1 for i, c in enumerate(nb.cells) if c is anchor), len(nb.cells))
            nb.cells.insert(at, new)
            anchor = new
            restored.append(gid)
    return restored
