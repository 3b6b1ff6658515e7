"""One submission graded from plain data, anywhere: `grade_task(task) -> result`.

A task carries everything grading needs and nothing else: the submission's files, the
assignment's release notebooks and the other files of its source folder, the course's
nbgrader_config.py, a scratch gradebook that knows the assignment (and no learner), the
answer key's recorded checks and the limits. The worker unpacks them into a private folder
laid out as a course of its own, grades there (intake, nbgrader's pass in its own process,
the re-check, notes) exactly as issue 4 and 5 require, and sends back plain data: the scores
and comments of every graded cell, the autograded folder's files, the notes, the re-check's
flags and grader errors, the events the report counts, and the time it took.

It never touches the course folder or the course gradebook: `coursekit autograde` (the
coordinator) writes results there, one at a time (record.py). So the same function serves
`--jobs N` (a pool of local processes) and `--cluster` (Dask workers on other machines that
share no file system with the instructor), and sqlite never sees two writers.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import pathlib
import shutil
import tempfile
import time
from typing import Any

from nbgrader.api import Gradebook, MissingEntry

from .. import course, expected
from . import gradebook, intake, limits, recheck, releases, sandbox, slicing, summary
from .nbgrader_cli import run_nbgrader, warm_up  # noqa: F401 - warm_up: the pool's initializer (autograde.py)
from .result import GRADED, GRADED_WITH_ZEROS, LOG_NAME, Result, event, failed, write_files

Task = dict[str, Any]   # plain data: see the module docstring and bundle / make_task


@dataclasses.dataclass
class Options:
    memory_limit: int = limits.MEMORY_LIMIT              # bytes for one learner kernel
    cell_timeout: int = limits.CELL_TIMEOUT              # seconds for one cell
    submission_timeout: float = limits.SUBMISSION_TIMEOUT  # seconds for one submission as a whole
    sandbox: bool = True
    recheck: bool = True                         # the independent re-check (recheck.py)
    all_cells: bool = False                      # run every cell, not only the graded slice (slicing.py)


# ---------------------------------------------------------------- the task

def files_of(folder, skip=()):
    """{relative posix path: bytes} of every file under `folder` (not following links out)."""
    folder = pathlib.Path(folder)
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part in skip for part in rel.parts):
            out[rel.as_posix()] = path.read_bytes()
    return out


def bundle(root: pathlib.Path, assignment: str, release: pathlib.Path, template: pathlib.Path, records: list | None,
           opts: Options) -> Task:
    """What every task of one assignment shares (plain data)."""
    source = pathlib.Path(root) / "source" / assignment
    return {
        "assignment": assignment,
        "config": (pathlib.Path(root) / "nbgrader_config.py").read_text(),
        "release": files_of(release),
        "source_files": {k: v for k, v in files_of(source, skip={".ipynb_checkpoints", "__pycache__"}).items()
                         if not k.endswith(".ipynb")},
        "gradebook": pathlib.Path(template).read_bytes(),
        "hidden_expected": _hidden_expected(root, assignment),
        "issued": releases.cells(root, assignment),   # what intake accepts as no edit of the learner's
        "functions": course.assignment_functions(root, assignment),
        "records": records,
        "options": dataclasses.asdict(opts),
        "hide": [str(d) for d in sandbox.course_dirs(root)],   # the course, where the worker has it
    }


def _hidden_expected(root, assignment):
    """The hidden tests' recorded expected values (coursekit.expected), or None."""
    path = pathlib.Path(root) / "source" / expected.HIDDEN_FOLDER / f"{assignment}{expected.HIDDEN_SUFFIX}"
    return path.read_bytes() if path.is_file() else None


def make_task(shared: Task, root: pathlib.Path, student: str, extension: float | None = None) -> Task:
    """The task of one student: `shared` (from `bundle`) plus the submission's files and the
    extension of the due date the student was given (seconds, or None)."""
    folder = pathlib.Path(root) / "submitted" / student / shared["assignment"]
    return {**shared, "student": student, "submission": files_of(folder, skip={".ipynb_checkpoints"}),
            "extension": extension}


# ---------------------------------------------------------------- grading it

def grade_task(task: Task) -> dict:
    """Grade one submission described by `task` (see the module docstring) in a private
    folder; return the result as plain data. A failure of the machinery still returns a
    result (graded with zeros, a grader problem), never raises."""
    start = time.monotonic()
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"coursekit-{task['student']}-"))
    try:
        return _grade(task, work, start)
    except Exception as exc:  # noqa: BLE001 - the grader's failure: said, never lost
        return failed(task, f"{type(exc).__name__}: {str(exc)[:300]}", time.monotonic() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_recheck(records, release, submitted, setup, opts, deadline):
    """recheck.run, where a failure of the machinery is a grader error for every check."""
    try:
        return recheck.run(records, release, submitted, setup, opts.cell_timeout, deadline)
    except Exception as exc:  # noqa: BLE001 - the grader's failure, never the learner's
        reason = f"the re-check could not run ({type(exc).__name__}: {str(exc)[:200]})"
        return [{"grader_error": reason}] * len(recheck.replayable(records))


def _grade(task, work, start):
    assignment, student = task["assignment"], task["student"]
    opts = Options(**task["options"])
    root, inbox, release = work / "course", work / "in", work / "release" / assignment
    write_files(inbox / "submitted" / student / assignment, task["submission"])
    write_files(release, task["release"])
    write_files(root / "source" / assignment, task["source_files"])
    (root / "source" / assignment).mkdir(parents=True, exist_ok=True)
    hidden_values = f"{assignment}{expected.HIDDEN_SUFFIX}"
    if task.get("hidden_expected"):
        # nbgrader copies it next to the notebook for its pass (the hidden tests' values, as data);
        # it is gone before the re-check, which runs in submitted/ and never sees an expected value
        (root / "source" / assignment / hidden_values).write_bytes(task["hidden_expected"])
    (root / "gradebook.db").write_bytes(task["gradebook"])
    (root / "nbgrader_config.py").write_text(
        task["config"] + "\n# coursekit worker: this submission's private gradebook\n"
        f"c.CourseDirectory.db_url = {course.sqlite_url(root / 'gradebook.db')!r}\n")

    if task.get("extension"):   # nbgrader's late penalty counts from the due date plus the extension
        with Gradebook(course.gradebook_url(root)) as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment, student,
                                           extension=datetime.timedelta(seconds=task["extension"]))
    events = []
    notes = intake.prepare(inbox, assignment, student, release, root, issued=task.get("issued"), events=events)
    submitted = root / "submitted" / student / assignment
    # the course folder where this machine has it (local jobs), this machine's coursekit checkout
    hide = sorted({p for p in task["hide"] if pathlib.Path(p).is_dir()} | {str(d) for d in sandbox.course_dirs(root)})
    setup = sandbox.setup(hide, work, opts.memory_limit) if opts.sandbox else sandbox.KernelSetup()
    lessons = work / "released-lessons.json"   # the cells the slice may leave out (slicing.py)
    lessons.write_text(json.dumps(slicing.fingerprints(sorted(release.glob("*.ipynb")))))
    ok, log = run_nbgrader(root, assignment, student, setup, opts,
                           extra=[f"--CourseDirectory.db_url={course.sqlite_url(root / 'gradebook.db')}",
                                  f"--CourseDirectory.root={root}",
                                  f"--ResilientExecute.grade_slice={not opts.all_cells}",
                                  f"--ResilientExecute.released_lessons={lessons}"])
    if slicing.WHOLE_LOG in log:
        notes.append(slicing.WHOLE_NOTE)
    out = root / "autograded" / student / assignment
    (out / hidden_values).unlink(missing_ok=True)
    status, flags, errors = GRADED, [], []
    complete = ok and gradebook.grading_complete(root, assignment, student, release)
    records = task["records"]
    if complete and records is not None:
        # a cell that failed nbgrader's pass scores 0 whatever the re-check says: replay the others
        passed = gradebook.passed(root, assignment, student)
        todo = [r for r in records if r.get("cell") in passed]
        if recheck.replayable(todo):
            results = run_recheck(todo, release, submitted, setup, opts, start + opts.submission_timeout)
            flags, errors = recheck.apply(root, assignment, student, recheck.verdicts(todo, results),
                                          functions=task["functions"])
            notes += flags
    if not complete:
        reason = reason_of(log)
        gradebook.grade_with_zeros(root, assignment, student, release, submitted, reason)
        notes.append(f"the grader could not run this submission ({reason}); every part scored 0. "
                     "Ask your instructor.")
        events.append(event("grader_failed"))
        status = GRADED_WITH_ZEROS
    cells = summary.cell_events(out, release)
    notes += [e["text"] for e in cells]
    events += [{k: e[k] for k in ("kind", "notebook", "cell")} for e in cells if e["kind"]]
    summary.add_notes(out, release, notes + [f"{e} (a problem of the grader, not of your code: your "
                                             "instructor will review this part)" for e in errors])
    out.mkdir(parents=True, exist_ok=True)
    (out / LOG_NAME).write_text(log, encoding="utf-8")
    return Result(student, assignment, status, time.monotonic() - start, notes, flags, errors, events,
                  gradebook=read_submission(root, assignment, student), autograded=files_of(out)).to_json()


def reason_of(log):
    """One line saying why nbgrader did not finish, from its log."""
    if "coursekit: stopped after" in log:
        return log.strip().splitlines()[-1].replace("coursekit: ", "")
    errors = [ln.strip() for ln in log.splitlines() if "ERROR" in ln or "Error:" in ln]
    return (errors[-1] if errors else "nbgrader failed")[:200]


def read_submission(root, assignment, student):
    """The submission as the private gradebook holds it, as plain data (record.py writes it
    into the course gradebook)."""
    with Gradebook(course.gradebook_url(root)) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        return {
            "timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
            "notebooks": {nb.name: {
                "flagged": bool(nb.flagged),
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: {"auto_score": g.auto_score, "manual_score": g.manual_score,
                                    "extra_credit": g.extra_credit,
                                    "needs_manual_grade": bool(g.needs_manual_grade)} for g in nb.grades},
                "comments": {c.name: {"auto_comment": c.auto_comment, "manual_comment": c.manual_comment}
                             for c in nb.comments},
            } for nb in sub.notebooks},
        }
