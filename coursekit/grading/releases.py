"""The releases a course has issued, and the grades made against an earlier one.

A learner keeps the notebook of the release they fetched, and the instructor may change the
assignment afterwards (points, a fixed test, a fixed lesson). Intake must then not take the
earlier release's grading metadata for a learner's edit. So `coursekit build` records every
release it generates in a small committed file, source/_issued/<A>.json (folders of source/
starting with "_" are not assignments): a list of the distinct versions, oldest first, each

    {"id": "...", "built": "2026-01-02T10:00:00+00:00",
     "notebooks": {"<A>.ipynb": {"<grade_id>": {"grade", "solution", "task", "points", "checksum"}}}}

`id` digests the grading metadata and the source's code cells and data files, so a fixed
hidden test or lesson (which leaves the release's metadata as it was) makes a new version too.
`coursekit autograde` writes the id of the release it graded against in each submission's
coursekit-outcome.json; `coursekit build` counts the grades made against another one (`stale`).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import pathlib

from nbgrader.api import Gradebook, MissingEntry

from .. import course, expected
from .result import OUTCOME_NAME  # record.py writes it; `stale` reads its "release"

FOLDER = "_issued"
COMPARED = ("grade", "solution", "task", "points")     # the keys intake restores and compares
KEPT = (*COMPARED, "checksum")
SKIP = {".ipynb_checkpoints", "__pycache__"}


def path(root, assignment):
    return pathlib.Path(root) / "source" / FOLDER / f"{assignment}.json"


def grading_metadata(nb):
    """{grade_id: the nbgrader keys intake compares, and the checksum} of a notebook's cells."""
    out = {}
    for cell in nb.cells:
        gid = course.grade_id(cell)
        if isinstance(gid, str) and gid:
            meta = course.meta(cell)
            out[gid] = {k: meta[k] for k in KEPT if k in meta}
    return out


def issued(root, assignment):
    """The issued versions of `assignment`, oldest first ([] when none is recorded)."""
    try:
        data = json.loads(path(root, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [v for v in data if isinstance(v, dict) and isinstance(v.get("notebooks"), dict)] \
        if isinstance(data, list) else []


def cells(root, assignment):
    """What a grading task carries to intake: [{notebook: {grade_id: metadata}}], oldest first."""
    return [v["notebooks"] for v in issued(root, assignment)]


def source_digest(root, assignment):
    """A digest of what grading depends on in source/<A>: the notebooks' code cells (source and
    nbgrader metadata; markdown left out) and the other files (the recorded expected.json left
    out: it follows from the code)."""
    folder = pathlib.Path(root) / "source" / assignment
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if not file.is_file() or SKIP & set(rel.parts) or rel.as_posix() == expected.VISIBLE_FILE:
            continue
        if file.suffix == ".ipynb":
            nb = course.read(file)
            data = json.dumps([[c.source, course.meta(c)] for c in nb.cells if c.cell_type == "code"],
                              sort_keys=True).encode()
        else:
            data = file.read_bytes()
        digest.update(rel.as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def version(root, assignment, release_dir, source=True):
    """The version of the release in `release_dir` (its id and grading metadata); `source`:
    False for a release whose source is gone (only its notebooks count)."""
    notebooks = {p.name: grading_metadata(course.read(p)) for p in sorted(pathlib.Path(release_dir).glob("*.ipynb"))}
    digest = source_digest(root, assignment) if source else None
    key = json.dumps({"notebooks": notebooks, "source": digest}, sort_keys=True).encode()
    return {"id": hashlib.sha256(key).hexdigest()[:16], "notebooks": notebooks}


def previous(root, assignment):
    """The release in notebooks/<A> before a build overwrites it, when no history exists yet
    (a course that predates the history: its current release was issued too), else None."""
    folder = pathlib.Path(root) / "notebooks" / assignment
    if issued(root, assignment) or not any(folder.glob("*.ipynb")):
        return None
    return version(root, assignment, folder, source=False)


def record(root, assignment, release_dir=None, before=None, now=None):
    """Add the release in `release_dir` (default notebooks/<A>) to the history, after `before`
    (from `previous`) when its metadata differs; an identical version is not repeated (an
    older one moves to the end). True when the newest version changed."""
    release_dir = release_dir or pathlib.Path(root) / "notebooks" / assignment
    new = version(root, assignment, release_dir)
    history = issued(root, assignment)
    if before and before["notebooks"] != new["notebooks"]:
        history.append({**before, "built": None})
    if history and history[-1]["id"] == new["id"]:
        return False
    when = (now or datetime.datetime.now(datetime.timezone.utc)).isoformat(timespec="seconds")
    history = [v for v in history if v.get("id") != new["id"]] + [{"id": new["id"], "built": when,
                                                                    "notebooks": new["notebooks"]}]
    file = path(root, assignment)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(history, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return True


def newest_id(root, assignment):
    history = issued(root, assignment)
    return history[-1].get("id") if history else None


def stale(root, assignment, release_id, changed):
    """Students whose grades of `assignment` in the gradebook were made against another release
    than `release_id`: their outcome file names another one, or none (graded by hand, or
    before the history) while this build `changed` the release."""
    root = pathlib.Path(root)
    url = course.gradebook_url(root)
    if url.startswith("sqlite:///") and not pathlib.Path(url[len("sqlite:///"):]).is_file():
        return []
    with Gradebook(url) as gb:
        try:
            students = sorted(s.student.id for s in gb.find_assignment(assignment).submissions)
        except MissingEntry:
            return []
    out = []
    for student in students:
        try:
            graded = json.loads((root / "autograded" / student / assignment / OUTCOME_NAME).read_text()).get("release")
        except (OSError, ValueError, AttributeError):
            graded = None
        if (graded is None and changed) or (graded is not None and graded != release_id):
            out.append(student)
    return out


def fingerprint(files):
    """One submission's files ({relative path: bytes}, as a task carries them) as a short hash:
    `coursekit autograde --changed-only` compares it with the one its outcome file recorded."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return digest.hexdigest()[:16]


def graded_as(root, assignment, student):
    """(submission fingerprint, release id) the student's last grading recorded, or None."""
    try:
        outcome = json.loads((pathlib.Path(root) / "autograded" / student / assignment / OUTCOME_NAME).read_text())
        return outcome.get("submission"), outcome.get("release")
    except (OSError, ValueError, AttributeError):
        return None
