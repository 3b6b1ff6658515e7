"""`coursekit autograde`: nbgrader autograde that an instructor can leave running unattended.

    coursekit autograde ASSIGNMENT [--student ID ...] [--memory-limit GB] [--cell-timeout S]
                                   [--submission-timeout S] [--no-sandbox] [--no-recheck]

What it guarantees, per submission (see the README's instructor section):
- It ends graded: a score for every graded part in the gradebook, an autograded notebook,
  and notes the learner reads in the feedback (unreadable notebook, restored cells, timed
  out in cell N, kernel died in cell N...).
- One submission cannot affect another: each is graded by its own `nbgrader autograde`
  process, from a scratch copy (submitted/ is never modified; intake.py), and every learner
  kernel runs in a sandbox (sandbox.py) that sees neither the course folder nor anything it
  could leave behind, under a memory cap. Cell timeouts and kernel deaths cost only the parts
  they touch (execute.py).
- A verdict learner code cannot touch: after nbgrader's pass, `grade_one` runs the
  independent re-check (recheck.py) of every graded cell that passed that pass, in a fresh
  sandboxed kernel, and judges it here (a cell that failed scores 0 whatever the re-check
  says). A part whose re-check could not compare (the grader's failure) scores 0 and is
  marked for the instructor; the table says GRADER PROBLEM and `coursekit autograde` exits
  with status 1 once everything is graded. Nothing runs concurrently: the re-check's kernel
  starts when nbgrader's kernels are gone, so that not even timing can pass anything on.
`nbgrader generate_feedback ASSIGNMENT` works afterwards and never shows hidden tests.
"""
from __future__ import annotations

import dataclasses
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from .. import course
from ..build import generate, tool_env
from . import gradebook, intake, recheck, sandbox, summary

LOG_NAME = "coursekit-autograde.log"


@dataclasses.dataclass
class Options:
    memory_limit: int = sandbox.DEFAULT_MEMORY   # bytes for one learner kernel
    cell_timeout: int = 60                       # seconds for one cell
    submission_timeout: float = 1800             # seconds for one submission as a whole
    sandbox: bool = True
    recheck: bool = True                         # the independent re-check (recheck.py)


@dataclasses.dataclass
class Outcome:
    student: str
    status: str                  # "graded" or "graded with zeros"
    seconds: float
    notes: list = dataclasses.field(default_factory=list)          # what the learner is told
    flags: list = dataclasses.field(default_factory=list)          # re-check failed where the notebook passed
    grader_errors: list = dataclasses.field(default_factory=list)  # the re-check could not compare


def sync_gradebook(root, assignment, release_dir):
    """Record the assignment's graded cells in the gradebook and write its release to
    `release_dir` (the committed notebooks/ stay untouched)."""
    generate(root, assignment, release_dir=str(release_dir), solution_dir=False)


def run_nbgrader(root, assignment, student, scratch, setup, opts):
    """`nbgrader autograde` of the scratch copy of one submission, in its own process;
    returns (ok, log)."""
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", student,
           "--create", "--force", f"--CourseDirectory.submitted_directory={scratch / 'submitted'}",
           f"--ResilientExecute.timeout={opts.cell_timeout}", *setup.nbgrader_args("tests")]
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=tool_env(setup.env),
                              timeout=opts.submission_timeout, errors="replace")
        return proc.returncode == 0, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = "".join(x.decode(errors="replace") if isinstance(x, bytes) else (x or "")
                      for x in (exc.stdout, exc.stderr))
        return False, out + f"\ncoursekit: stopped after {opts.submission_timeout:g} s"


def run_recheck(records, release, submitted, setup, opts, deadline):
    """recheck.run, where a failure of the machinery is a grader error for every check."""
    try:
        return recheck.run(records, release, submitted, setup, opts.cell_timeout, deadline)
    except Exception as exc:  # noqa: BLE001 - the grader's failure, never the learner's
        reason = f"the re-check could not run ({type(exc).__name__}: {str(exc)[:200]})"
        return [{"grader_error": reason}] * len(recheck.replayable(records))


def grade_one(root, assignment, student, release, opts, records=None):
    """Grade one submission: intake, nbgrader's pass, the re-check (when `records` are
    given), notes. Returns its Outcome."""
    start = time.monotonic()
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=f"coursekit-{student}-"))
    try:
        notes, flags, errors = intake.prepare(root, assignment, student, release, scratch), [], []
        submitted = scratch / "submitted" / student / assignment
        setup = sandbox.setup(root, scratch, opts.memory_limit) if opts.sandbox else sandbox.KernelSetup()
        ok, log = run_nbgrader(root, assignment, student, scratch, setup, opts)
        out = root / "autograded" / student / assignment
        status = "graded"
        complete = ok and gradebook.grading_complete(root, assignment, student, release)
        if complete and records is not None:
            # a cell that failed nbgrader's pass scores 0 whatever the re-check says: replay the others
            passed = gradebook.passed(root, assignment, student)
            todo = [r for r in records if r.get("cell") in passed]
            if recheck.replayable(todo):
                results = run_recheck(todo, release, submitted, setup, opts, start + opts.submission_timeout)
                flags, errors = recheck.apply(root, assignment, student, recheck.verdicts(todo, results))
                notes += flags
        if not complete:
            reason = _reason(log)
            gradebook.grade_with_zeros(root, assignment, student, release, submitted, reason)
            notes.append(f"the grader could not run this submission ({reason}); every part scored 0. "
                         "Ask your instructor.")
            status = "graded with zeros"
        notes += summary.cell_notes(out, release)
        summary.add_notes(out, release, notes + [f"{e} (a problem of the grader, not of your code: your "
                                                 "instructor will review this part)" for e in errors])
        out.mkdir(parents=True, exist_ok=True)
        (out / LOG_NAME).write_text(log, encoding="utf-8")
        return Outcome(student, status, time.monotonic() - start, notes, flags, errors)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _reason(log):
    if "coursekit: stopped after" in log:
        return log.strip().splitlines()[-1].replace("coursekit: ", "")
    errors = [ln.strip() for ln in log.splitlines() if "ERROR" in ln or "Error:" in ln]
    return (errors[-1] if errors else "nbgrader failed")[:200]


def autograde(root, assignment, students=None, opts=None, log=print):
    """Autograde every submission of `assignment` (or of `students`); print the table;
    return the outcomes."""
    opts = opts or Options()
    who = intake.submissions(root, assignment, students)
    if not who:
        log(f"no submissions of {assignment} under submitted/*/{assignment}/")
        return []
    if opts.sandbox and not sandbox.available():
        log("coursekit autograde: bubblewrap (bwrap) is not installed: learner code will NOT be isolated "
            "from the course files (apt-get install bubblewrap, or pass --no-sandbox to silence this)")
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="coursekit-release-") as tmp:
        release = pathlib.Path(tmp) / assignment
        sync_gradebook(root, assignment, tmp)
        records = None
        if opts.recheck:
            records = recheck.recorded_checks(root, assignment)
            log(f"re-check: {len(recheck.replayable(records))} graded calls recorded from the answer key")
        for i, student in enumerate(who, 1):
            outcome = grade_one(root, assignment, student, release, opts, records)
            log(f"[{i}/{len(who)}] {student}: {outcome.status} in {outcome.seconds:.1f} s")
            outcomes.append(outcome)
    table, maxima = gradebook.scores(root, assignment, who)
    log(summary.format_table(assignment, outcomes, table, maxima, course.assignment_functions(root, assignment)))
    return outcomes
