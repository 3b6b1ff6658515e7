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
import multiprocessing
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from nbgrader.api import Gradebook, MissingEntry

from .. import course, expected
from ..build import tool_env
from . import gradebook, intake, recheck, releases, sandbox, summary

LOG_NAME = "coursekit-autograde.log"


@dataclasses.dataclass
class Options:
    memory_limit: int = sandbox.DEFAULT_MEMORY   # bytes for one learner kernel
    cell_timeout: int = 60                       # seconds for one cell
    submission_timeout: float = 1800             # seconds for one submission as a whole
    sandbox: bool = True
    recheck: bool = True                         # the independent re-check (recheck.py)


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


def write_files(folder, files):
    folder = pathlib.Path(folder)
    for rel, data in files.items():
        path = (folder / rel).resolve()
        if folder.resolve() not in path.parents:
            raise ValueError(f"a file outside the task folder: {rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def bundle(root, assignment, release, template, records, opts):
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


def make_task(shared, root, student, extension=None):
    """The task of one student: `shared` (from `bundle`) plus the submission's files and the
    extension of the due date the student was given (seconds, or None)."""
    folder = pathlib.Path(root) / "submitted" / student / shared["assignment"]
    return {**shared, "student": student, "submission": files_of(folder, skip={".ipynb_checkpoints"}),
            "extension": extension}


# ---------------------------------------------------------------- grading it

def grade_task(task):
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


def failed(task, reason, seconds=0.0):
    """The result of a task the grader could not run at all: the coordinator grades it with
    zeros and marks it for the instructor."""
    return {"student": task["student"], "assignment": task["assignment"], "error": reason,
            "status": "graded with zeros", "seconds": seconds, "notes": [], "flags": [],
            "grader_errors": [f"the grader could not run this submission ({reason})"],
            "events": [{"kind": "grader_failed", "notebook": None, "cell": None}]}


def run_nbgrader(root, assignment, student, setup, opts, extra=()):
    """`nbgrader autograde` of one submission under `root`/submitted, in a process of its
    own that a submission timeout can kill; returns (ok, log). On Linux that process is
    forked from a server that imported nbgrader once (forked_nbgrader), which saves every
    submission the start-up of Python and nbgrader's imports."""
    args = ["autograde", assignment, "--student", student, "--create", "--force",
            f"--CourseDirectory.submitted_directory={root / 'submitted'}",
            f"--ResilientExecute.timeout={opts.cell_timeout}",
            # the outputs are in: kill the kernel rather than wait for it to exit (3.0 s at load 5-10)
            "--ResilientExecute.shutdown_kernel=immediate",
            *setup.nbgrader_args("tests"), *extra]
    env = tool_env(setup.env)
    if forkserver_usable():
        return forked_nbgrader(args, root, env, opts.submission_timeout)
    try:
        proc = subprocess.run([sys.executable, "-m", "coursekit.grading.nbgrader_main", *args], cwd=root,
                              capture_output=True, text=True, env=env, timeout=opts.submission_timeout,
                              errors="replace")
        return proc.returncode == 0, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = "".join(x.decode(errors="replace") if isinstance(x, bytes) else (x or "")
                      for x in (exc.stdout, exc.stderr))
        return False, out + f"\ncoursekit: stopped after {opts.submission_timeout:g} s"


# what the fork server imports once: nbgrader's apps (without jsonschema's slow "iri" checker,
# see nbgrader_main.py), and what nbgrader_config.py imports
PRELOAD = ["coursekit.grading.nbgrader_main", "coursekit.grading.execute", "coursekit.grading.redact"]


def forkserver_usable():
    """Linux, and not inside a daemonic process (which may not have children)."""
    return (sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon and not os.environ.get("COURSEKIT_NO_FORKSERVER"))


def warm_up():
    """Import what grading needs and start nbgrader's fork server, ahead of the first task."""
    if forkserver_usable():
        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
        from multiprocessing import forkserver
        forkserver.ensure_running()


def forked_nbgrader(args, cwd, env, timeout):
    """Run `nbgrader ARGS` in a child of the fork server; (ok, log)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    log = pathlib.Path(cwd).parent / "nbgrader.log"
    child = context.Process(target=nbgrader_main, args=(args, str(cwd), env, str(log)), name="nbgrader")
    child.start()
    child.join(timeout)
    stopped = child.is_alive()
    if stopped:
        child.kill()
        child.join()
    text = log.read_text(errors="replace") if log.is_file() else ""
    if stopped:
        return False, text + f"\ncoursekit: stopped after {timeout:g} s"
    return child.exitcode == 0, text


def nbgrader_main(args, cwd, env, log):
    """The body of a forked nbgrader process: its output to `log`, its environment `env`."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    tempfile.tempdir = None   # TMPDIR is the submission's own
    from nbgrader.apps.nbgraderapp import NbGraderApp
    code = 0
    try:
        NbGraderApp.launch_instance(argv=list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - said in the log, a failed run
        import traceback
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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
    notes = intake.prepare(inbox, assignment, student, release, root, issued=task.get("issued"))
    events = intake_events(notes)
    submitted = root / "submitted" / student / assignment
    # the course folder where this machine has it (local jobs), this machine's coursekit checkout
    hide = sorted({p for p in task["hide"] if pathlib.Path(p).is_dir()} | {str(d) for d in sandbox.course_dirs(root)})
    setup = sandbox.setup(hide, work, opts.memory_limit) if opts.sandbox else sandbox.KernelSetup()
    ok, log = run_nbgrader(root, assignment, student, setup, opts,
                           extra=[f"--CourseDirectory.db_url={course.sqlite_url(root / 'gradebook.db')}",
                                  f"--CourseDirectory.root={root}"])
    out = root / "autograded" / student / assignment
    (out / hidden_values).unlink(missing_ok=True)
    status, flags, errors = "graded", [], []
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
        events.append({"kind": "grader_failed", "notebook": None, "cell": None})
        status = "graded with zeros"
    cells = summary.cell_events(out, release)
    notes += [e["text"] for e in cells]
    events += [{k: e[k] for k in ("kind", "notebook", "cell")} for e in cells if e["kind"]]
    summary.add_notes(out, release, notes + [f"{e} (a problem of the grader, not of your code: your "
                                             "instructor will review this part)" for e in errors])
    out.mkdir(parents=True, exist_ok=True)
    (out / LOG_NAME).write_text(log, encoding="utf-8")
    return {"student": student, "assignment": assignment, "status": status,
            "seconds": time.monotonic() - start, "notes": notes, "flags": flags, "grader_errors": errors,
            "events": events, "gradebook": read_submission(root, assignment, student),
            "autograded": files_of(out)}


def intake_events(notes):
    kinds = (("could not be read", "unreadable"), ("is missing", "unreadable"),
             ("grading metadata", "edited_metadata"), ("had been deleted", "restored_cells"))
    return [{"kind": kind, "notebook": note.split(":", 1)[0], "cell": None}
            for note in notes for text, kind in kinds if text in note]


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
