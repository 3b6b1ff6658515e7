"""`coursekit autograde`: nbgrader autograde that an instructor can leave running unattended.

    coursekit autograde ASSIGNMENT [--student ID ...] [--jobs N | --cluster tcp://HOST:8786]
                                   [--memory-limit GB] [--cell-timeout S] [--submission-timeout S]
                                   [--no-sandbox] [--no-recheck]

What it guarantees, per submission (see the README's instructor section):
- It ends graded: a score for every graded part in the gradebook, an autograded notebook,
  and notes the learner reads in the feedback (unreadable notebook, restored cells, timed
  out in cell N, kernel died in cell N...).
- One submission cannot affect another: each is graded by worker.grade_task in a private
  folder of its own (submitted/ is never modified), by its own `nbgrader autograde`
  process, and every learner kernel runs in a sandbox (sandbox.py) that sees neither the
  course folder nor anything it could leave behind, under a memory cap. Cell timeouts and
  kernel deaths cost only the parts they touch (execute.py).
- A verdict learner code cannot touch: the independent re-check (recheck.py) of every
  graded cell that passed nbgrader's pass, in a fresh sandboxed kernel, judged in the
  grader. A part whose re-check could not compare scores 0 and is marked for the
  instructor; the table says GRADER PROBLEM and the command exits with status 1.
- Secure by default: without bubblewrap it refuses to grade (SandboxMissing) unless the
  instructor passes --no-sandbox.

Grading at scale: tasks are plain data (worker.py), so N local processes (`--jobs N`) or
the workers of a Dask cluster (`--cluster`, cluster.py) grade them; only this process
writes the gradebook and the autograded folders (record.py), one result at a time, so
sqlite never sees two writers and the results do not depend on N or on the order.
`nbgrader generate_feedback ASSIGNMENT` works afterwards and never shows hidden tests; the
feedback of a student who already had some is regenerated here (it would keep the earlier
grades). The table's total is the score after nbgrader's late penalty, as `nbgrader export`
gives it.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import pathlib
import sqlite3
import tempfile
from collections.abc import Callable

from nbgrader.api import Gradebook

from .. import course
from ..course import CourseError as BuildError
from . import gradebook, intake, integrity, recheck, record, releases, sandbox, summary, worker
from .nbgrader_cli import generate, nbgrader, warm_up
from .progress import Progress
from .result import LOG_NAME, Outcome, failed  # noqa: F401 - the CLI's and the tests' names
from .worker import Options, grade_task

MEMORY_SHARE = 0.8   # learner kernels running at once may take this share of the machine's memory


class SandboxMissing(RuntimeError):
    """bubblewrap is not installed where learner code would run, and --no-sandbox was not given."""


NO_SANDBOX = ("without it learner code would run unisolated, able to read the answer key and the gradebook: "
              "install bubblewrap (apt-get install bubblewrap, or ./course setup --dev as root), or grade on "
              "Linux workers with --cluster, or pass --no-sandbox to grade anyway")


def sync_gradebook(root, assignment, release_dir):
    """Record the assignment's graded cells in the course gradebook and write its release to
    `release_dir` (the committed notebooks/ stay untouched)."""
    generate(root, assignment, release_dir=str(release_dir), solution_dir=False)


LEARNER_TABLES = ("comment", "grade", "submitted_notebook", "submitted_assignment", "student")   # nbgrader 0.9


def template_gradebook(root, assignment, folder):
    """A scratch sqlite gradebook that knows the assignment and no learner: each worker
    grades into a copy of it. From a sqlite course gradebook (already synced), a copy with
    the learners' rows deleted; else (a database server) its own `generate_assignment`."""
    path = pathlib.Path(folder) / "template.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    url = course.gradebook_url(root)
    if url.startswith("sqlite:///") and pathlib.Path(url[len("sqlite:///"):]).is_file():
        with contextlib.closing(sqlite3.connect(url[len("sqlite:///"):])) as src, \
                contextlib.closing(sqlite3.connect(path)) as dst:
            src.backup(dst)
            for table in LEARNER_TABLES:
                dst.execute(f"DELETE FROM {table}")
            dst.commit()
            dst.execute("VACUUM")   # nothing of another learner stays in the file's free pages
        return path
    nbgrader(root, "generate_assignment", assignment, "--force",
             f"--CourseDirectory.release_directory={pathlib.Path(folder) / 'unused-release'}",
             f"--CourseDirectory.db_url={course.sqlite_url(path)}")
    with Gradebook(url) as gb:   # the due date, for nbgrader's late penalty in the workers
        duedate = gb.find_assignment(assignment).duedate
    if duedate is not None:
        with Gradebook(course.sqlite_url(path)) as gb:
            gb.update_or_create_assignment(assignment, duedate=duedate)
    return path


def default_jobs():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fit_jobs(jobs, memory_limit, log=print):
    """`jobs`, lowered so that the learner kernels' memory caps fit the machine (each job
    may run one learner kernel at a time, up to `memory_limit` bytes)."""
    total = _memory_bytes()
    if not memory_limit or not total:
        return jobs
    fits = max(1, int(total * MEMORY_SHARE // memory_limit))
    if jobs > fits:
        log(f"coursekit autograde: {jobs} jobs x {memory_limit / 2 ** 30:g} GiB per learner kernel would not fit "
            f"in {total / 2 ** 30:.0f} GiB of memory; grading with {fits} jobs (lower --memory-limit for more)")
        return fits
    return jobs


def _memory_bytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


# ---------------------------------------------------------------- running the tasks

def warm_pool(jobs):
    """Grading processes started and warmed up (imports done, nbgrader's fork server
    running) while the coordinator prepares the tasks: a pool for jobs > 1, else None (this
    process is warmed up instead)."""
    if jobs <= 1:
        warm_up()
        return None
    pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(jobs):   # a spawn pool starts a process per submission that finds none idle
        pool.submit(warm_up)
    return pool


def run_local(tasks: list[dict], on_result: Callable[[dict], None], jobs: int, pool=None) -> None:
    """grade_task of every task on `jobs` local processes (`pool`, from warm_pool, or a new
    one; in this process when jobs is 1); calls on_result once per task, here, in completion
    order. A grading process that dies breaks its pool: the tasks it left unfinished are then
    graded one at a time, each in a process of its own, so that the one whose process dies
    again is known and recorded as failed."""
    if jobs <= 1:
        for task in tasks:
            on_result(grade_task(task))
        return
    unfinished = _pool(tasks, on_result, jobs, pool)
    for task in unfinished:
        if _pool([task], on_result, 1):
            on_result(failed(task, "the grading process died twice"))


def _pool(tasks, on_result, jobs, pool=None):
    """Run `tasks` on `pool` or a pool of `jobs` fresh processes (no state of this process
    leaks into them: spawned); return the tasks lost to a dead process."""
    lost = []
    pool = pool or concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    with pool:
        futures = {pool.submit(grade_task, task): task for task in tasks}
        for future in concurrent.futures.as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
            except concurrent.futures.process.BrokenProcessPool:
                lost.append(task)
                continue
            except Exception as exc:  # noqa: BLE001 - e.g. a task that could not be sent
                result = failed(task, f"{type(exc).__name__}: {str(exc)[:200]}")
            on_result(result)
    return lost


# ---------------------------------------------------------------- the command

def autograde(root: pathlib.Path, assignment: str, students: list[str] | None = None, opts: Options | None = None,
              log: Callable[[str], None] = print, jobs: int = 1, cluster: str | None = None,
              progress: bool | None = None, changed_only: bool = False) -> list[Outcome]:
    """Autograde every submission of `assignment` (or of `students`) with `jobs` local
    processes, or on the Dask cluster at `cluster`; print the table; return the outcomes
    (sorted by student). `changed_only`: skip the submissions last graded with the same files
    against the same release."""
    root = pathlib.Path(root)
    opts = opts or Options()
    intake.known_assignment(root, assignment)
    who = intake.submissions(root, assignment, students)
    if not who:
        log(f"no submissions of {assignment} under submitted/*/{assignment}/")
        return []
    if opts.sandbox and not cluster and sandbox.problem():
        raise SandboxMissing(f"{sandbox.problem()}: {NO_SANDBOX}")
    jobs = 1 if cluster else fit_jobs(max(1, min(jobs, len(who))), opts.memory_limit if opts.sandbox else 0, log)
    outcomes = {}
    pool = None if cluster else warm_pool(jobs)   # warming up while the gradebooks are generated
    try:
        with tempfile.TemporaryDirectory(prefix="coursekit-release-") as tmp:
            release = pathlib.Path(tmp) / assignment
            sync_gradebook(root, assignment, tmp)
            graded_against = releases.version(root, assignment, release)["id"]   # what `coursekit build` compares
            template = template_gradebook(root, assignment, pathlib.Path(tmp) / "template")
            records = None
            if opts.recheck:
                records = recheck.recorded_checks(root, assignment)
                log(f"re-check: {len(recheck.replayable(records))} graded calls recorded from the answer key")
            shared = worker.bundle(root, assignment, release, template, records, opts)
            extensions = gradebook.extensions(root, assignment, who)
            tasks = [worker.make_task(shared, root, student, extensions.get(student)) for student in who]
            files = {t["student"]: releases.fingerprint(t["submission"]) for t in tasks}
            if changed_only:
                tasks, who = _changed(root, assignment, tasks, files, graded_against, log)
                if not tasks:
                    return []
            where = f"the cluster at {cluster}" if cluster else f"{jobs} process{'es' * (jobs > 1)}"
            log(f"grading {len(tasks)} submission(s) of {assignment} on {where}")
            bar = Progress(len(tasks), assignment, log, progress)

            def on_result(result):
                if result["student"] in outcomes:   # a task run twice (a lost worker): the first result stands
                    return
                result["submission"] = files[result["student"]]
                outcome = Outcome.from_json(record.write(root, result, release, graded_against))
                outcomes[outcome.student] = outcome
                bar.update(outcome)

            try:
                if cluster:
                    from . import cluster as dask_cluster

                    def on_cluster_result(result):   # a task the cluster could not grade comes back as an error
                        if "task" in result:
                            result = failed(result["task"], result.get("error") or "the worker failed")
                        on_result(result)

                    dask_cluster.run(cluster, tasks, grade_task, on_cluster_result, log=log,
                                     require_sandbox=opts.sandbox)
                else:
                    run_local(tasks, on_result, jobs, pool)
            finally:
                bar.close()
            for task in tasks:   # nothing lost: a task without a result is graded with zeros
                if task["student"] not in outcomes:
                    on_result(failed(task, "no result came back from the grading worker"))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    ordered = [outcomes[s] for s in who]
    table, maxima = gradebook.scores(root, assignment, who)
    flagged = {s: integrity.check_folder(root, assignment, root / "autograded" / s / assignment) for s in who
               if (root / "autograded" / s / assignment).is_dir()}
    log(summary.format_table(assignment, ordered, table, maxima, course.assignment_functions(root, assignment),
                             flagged, late=gradebook.lateness(root, assignment, who)))
    refresh_feedback(root, assignment, who, log)
    return ordered


def _changed(root, assignment, tasks, files, release_id, log):
    """The tasks (and students) whose submission is new, changed since it was last graded, or
    was graded against another release; says how many it skips."""
    same = {t["student"] for t in tasks if releases.graded_as(root, assignment, t["student"]) ==
            (files[t["student"]], release_id)}
    log(f"--changed-only: {len(same)} submission(s) unchanged since graded against this release, skipped"
        + (f"; grading {len(tasks) - len(same)}" if len(same) < len(tasks) else ": nothing to grade"))
    kept = [t for t in tasks if t["student"] not in same]
    return kept, [t["student"] for t in kept]


def refresh_feedback(root: pathlib.Path, assignment: str, students: list[str],
                     log: Callable[[str], None] = print) -> list[str]:
    """Regenerate the feedback of those of `students` who already had some: it would keep the
    earlier grades (nbgrader generate_feedback skips an existing feedback folder). One
    `nbgrader generate_feedback --force` for them all; if it fails, one line says what to run.
    Returns the students whose feedback was regenerated."""
    root = pathlib.Path(root)
    had = [s for s in students if (root / "feedback" / s / assignment).is_dir()]
    if not had:
        return []
    others = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}")
                    if p.is_dir() and p.parent.name not in had)
    args = ["generate_feedback", assignment, "--force"]
    if len(had) == 1:
        args.append(f"--CourseDirectory.student_id={had[0]}")
    elif others:
        args.append(f"--CourseDirectory.student_id_exclude={','.join(others)}")
    try:
        nbgrader(root, *args)
    except BuildError as exc:
        log(f"the feedback of {', '.join(had)} still shows the earlier grades: run `nbgrader generate_feedback "
            f"{assignment} --force` ({str(exc).splitlines()[0][:200]})")
        return []
    log(f"feedback regenerated for {len(had)} student(s) who had some ({', '.join(had)}); "
        f"`nbgrader release_feedback {assignment}` sends it to the exchange")
    return had
