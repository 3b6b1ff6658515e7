"""The coordinator's side of a result: one graded submission (plain data from
worker.grade_task) written into the course, by the one process that writes there.

- The gradebook (course.gradebook_url: sqlite or a database server) gets the submission,
  its timestamp and every graded cell's scores and comments, as nbgrader autograde would
  have written them; re-grading a student overwrites the earlier grading.
- autograded/<student>/<assignment>/ gets the autograded notebooks and files, the grader's
  log and `coursekit-outcome.json` (status, seconds, notes, flags, grader errors and events:
  what `coursekit report` counts; the release graded against: what `coursekit build`
  compares). The course's nbgrader_config.py keeps these two out of the feedback
  (CourseDirectory.ignore).
A task the grader could not run at all (no gradebook part in the result) is graded with
zeros from the release and marked for the instructor, so nothing is left ungraded.
"""
from __future__ import annotations

import datetime
import json
import pathlib
import shutil

from nbgrader.api import Gradebook, MissingEntry

from .. import course
from . import gradebook, summary
from .result import OUTCOME_KEYS, OUTCOME_NAME, write_files


def write(root: pathlib.Path, result: dict, release: pathlib.Path, graded_against: str | None = None) -> dict:
    """Put one result into the course (see the module docstring); returns the outcome dict.
    `graded_against`: the id of the release it was graded against (releases.version), which
    `coursekit build` compares with the release it builds."""
    root = pathlib.Path(root)
    assignment, student = result["assignment"], result["student"]
    out = root / "autograded" / student / assignment
    shutil.rmtree(out, ignore_errors=True)
    if result.get("gradebook"):
        write_files(out, result["autograded"])
        write_gradebook(root, assignment, student, result["gradebook"])
    else:
        reason = result.get("error") or "no result came back"
        submitted = root / "submitted" / student / assignment
        gradebook.grade_with_zeros(root, assignment, student, release, submitted, reason, for_review=True)
        summary.add_notes(out, release, [f"the grader could not run this submission ({reason}); your "
                                         "instructor will review it"])
    outcome = {k: result.get(k) for k in OUTCOME_KEYS}
    outcome["release"] = graded_against
    (out / OUTCOME_NAME).write_text(json.dumps(outcome, indent=1), encoding="utf-8")
    return outcome


def write_gradebook(root, assignment, student, data):
    """The scores and comments a worker's private gradebook held, into the course gradebook."""
    with Gradebook(course.gradebook_url(root)) as gb:
        gb.update_or_create_student(student)
        stamp = data.get("timestamp")
        fields = {"timestamp": datetime.datetime.fromisoformat(stamp)} if stamp else {}
        sub = gb.update_or_create_submission(assignment, student, **fields)
        for nb in sub.notebooks:
            mine = data["notebooks"].get(nb.name)
            if mine is None:
                raise MissingEntry(f"the grader's result lacks notebook {nb.name}")
            nb.flagged = mine["flagged"]
            nb.late_submission_penalty = mine["late_submission_penalty"]
            for grade in nb.grades:
                for key, value in mine["grades"][grade.name].items():
                    setattr(grade, key, value)
            for comment in nb.comments:
                for key, value in mine["comments"].get(comment.name, {}).items():
                    setattr(comment, key, value)
        gb.db.commit()
