"""The result contract: what grading one submission sends back, in one place.

A worker (worker.grade_task, on a local process or a Dask worker) returns a `Result` as plain
data (`to_json`: it crosses process and machine boundaries); the coordinator reads it back
(`from_json`), writes it into the course (record.py) and keeps the part a person reads, the
outcome, in `autograded/<student>/<assignment>/OUTCOME_NAME` (report_facts.py and
releases.py read it). The events a result carries are counted by the report; their kinds and
texts are defined here and nowhere else.

Modules that produce or consume results import this one; it imports none of them.
"""
from __future__ import annotations

import dataclasses
import pathlib
from typing import Any

GRADED = "graded"
GRADED_WITH_ZEROS = "graded with zeros"      # the grader could not run it: zeros, marked for the instructor
OUTCOME_NAME = "coursekit-outcome.json"      # the outcome, next to the autograded notebooks
LOG_NAME = "coursekit-autograde.log"         # nbgrader's log of the grading pass, for the instructor

# the kinds of event a result carries, and how the report names them
EVENTS = {
    "timeout": "timed out",
    "kernel_died": "kernel died",
    "out_of_memory": "ran out of memory",
    "unreadable": "unreadable notebook",
    "grader_failed": "grader failed",
    "restored_cells": "restored cells",
    "edited_metadata": "edited grading metadata",
}
# the outcome file's fields (the result without the gradebook part and the files)
OUTCOME_KEYS = ("student", "assignment", "status", "seconds", "notes", "flags", "grader_errors", "events",
                "submission")


def event(kind: str, notebook: str | None = None, cell: str | None = None) -> dict:
    """One event of a result, as plain data."""
    if kind not in EVENTS:
        raise ValueError(f"unknown event kind {kind!r}")
    return {"kind": kind, "notebook": notebook, "cell": cell}


@dataclasses.dataclass
class Result:
    """One graded submission.

    status: GRADED or GRADED_WITH_ZEROS; notes: what the learner is told (in the feedback);
    flags: the re-check failed where the notebook passed; grader_errors: parts the grader could
    not compare (scored 0, marked for the instructor); events: event() dicts for the report;
    gradebook: the private gradebook's scores and comments (worker.read_submission), None if the
    grader could not run it; autograded: {relative path: bytes} of the autograded folder;
    error: why the grader could not run it; submission: the fingerprint of the files graded
    (releases.fingerprint, set by the coordinator)."""
    student: str
    assignment: str
    status: str = GRADED
    seconds: float = 0.0
    notes: list = dataclasses.field(default_factory=list)
    flags: list = dataclasses.field(default_factory=list)
    grader_errors: list = dataclasses.field(default_factory=list)
    events: list = dataclasses.field(default_factory=list)
    gradebook: dict | None = None
    autograded: dict = dataclasses.field(default_factory=dict)
    error: str | None = None
    submission: str | None = None

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Result:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def outcome(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in OUTCOME_KEYS}


@dataclasses.dataclass
class Outcome:
    """What the coordinator keeps of a result (the outcome file, the table, the progress bar)."""
    student: str
    status: str                  # GRADED or GRADED_WITH_ZEROS
    seconds: float
    notes: list = dataclasses.field(default_factory=list)          # what the learner is told
    flags: list = dataclasses.field(default_factory=list)          # re-check failed where the notebook passed
    grader_errors: list = dataclasses.field(default_factory=list)  # the grader could not compare or run
    events: list = dataclasses.field(default_factory=list)         # timeouts, deaths... (for the report)

    @classmethod
    def from_json(cls, data: dict) -> Outcome:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def failed(task: dict, reason: str, seconds: float = 0.0) -> dict:
    """The result (plain data) of a task the grader could not run at all: the coordinator grades
    it with zeros and marks it for the instructor (otter-grader's `without_results`)."""
    return Result(task["student"], task["assignment"], GRADED_WITH_ZEROS, seconds, error=reason,
                  grader_errors=[f"the grader could not run this submission ({reason})"],
                  events=[event("grader_failed")]).to_json()


def write_files(folder, files: dict[str, bytes]) -> None:
    """Write {relative posix path: bytes} under `folder`, refusing a path that leaves it."""
    folder = pathlib.Path(folder)
    for rel, data in files.items():
        path = (folder / rel).resolve()
        if folder.resolve() not in path.parents:
            raise ValueError(f"a file outside the task folder: {rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
