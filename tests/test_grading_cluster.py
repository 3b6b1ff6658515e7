"""`coursekit autograde --cluster`: coursekit.grading.cluster.run and the worker preload
(coursekit.grading.daskworker), on a REAL Dask cluster: a scheduler and two workers started
as separate processes on 127.0.0.1 (tests/support/dask_cluster.py), the way the README tells
an instructor to start them. The grader is a stand-in (support.dask_cluster.echo; the workers
import it by reference, tests/ being on their PYTHONPATH) except in the end-to-end test at the
bottom (slow: the coordinator and coursekit.grading.worker.grade_task for real).

What is shown: every task's result reaches on_result exactly once, in this process; a grader
that raises is one error result; a worker killed mid-batch loses nothing; a task that keeps
killing its workers is one error result and its neighbours are graded; a worker that cannot
make the sandbox refuses to start, and run() refuses a connected worker without it; no
workers, an unreachable scheduler, a lost scheduler, a failing on_result and a batch timeout
are all clear. About 40-70 s on 2 loaded cores (the tests not marked slow).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import warnings

import pytest

from coursekit.grading import cluster, daskworker
from support import dask_cluster
from support.dask_cluster import echo

VENV_BIN = os.path.dirname(sys.executable)   # a PATH with Python and dask but without bwrap


@pytest.fixture(scope="module")
def dask(tmp_path_factory):
    """The two-worker cluster shared by this module's tests (a test that kills a worker
    starts a new one before it ends)."""
    start = time.monotonic()
    with dask_cluster.cluster(tmp_path_factory.mktemp("dask")) as running:
        running.timings["cluster"] = time.monotonic() - start
        print(f"\ncluster up: {running.timings}")
        yield running


def tasks(n, **extra):
    return [{"student": f"s{i:02d}", **extra} for i in range(n)]


def students(results):
    return sorted(r["student"] if "student" in r else r["task"]["student"] for r in results)


def run(dask, todo, on_result, **kw):
    """cluster.run with the stand-in grader, quietly; returns its log lines."""
    lines = []
    cluster.run(dask.address, todo, kw.pop("fn", echo), on_result, log=lines.append, **kw)
    return lines


def replace_worker(dask, name):
    """Start worker `name` again (after a test killed it) and wait until it is registered."""
    dask.start_worker(name)
    dask.wait_for_workers([name])


# ---------------------------------------------------------------- the happy path and errors

@pytest.mark.integration
def test_every_result_arrives_exactly_once_in_this_process(dask):
    got, threads = [], set()

    def on_result(result):
        got.append(result)
        threads.add(threading.current_thread().name)

    lines = run(dask, tasks(8, sleep=0.2), on_result)
    assert students(got) == [f"s{i:02d}" for i in range(8)], f"expected each of s00..s07 once, got {students(got)}"
    assert threads == {threading.current_thread().name}, f"on_result ran in threads {threads}, expected the caller's"
    assert all(r["pid"] != os.getpid() for r in got), "expected every task graded in a worker process"
    assert {r["worker"] for r in got} == {"w0", "w1"}, f"expected both workers used, got {[r['worker'] for r in got]}"
    assert "2 workers connected" in lines[0], f"expected the workers logged first, got {lines}"


@pytest.mark.integration
def test_a_grader_that_raises_is_reported_once_as_an_error_result(dask):
    todo = tasks(4)
    todo[2]["fail"] = True
    got = []
    run(dask, todo, got.append, retries=1)
    assert students(got) == ["s00", "s01", "s02", "s03"], f"expected each task once, got {students(got)}"
    errors = [r for r in got if "error" in r]
    assert len(errors) == 1 and errors[0]["task"] is todo[2], f"expected one error result for s02, got {errors}"
    assert errors[0]["student"] == "s02", errors[0]
    assert errors[0]["error"] == "ValueError: the grader failed on s02", errors[0]["error"]
    assert "ValueError" in errors[0]["traceback"], f"expected the worker's traceback, got {errors[0]['traceback']!r}"


@pytest.mark.integration
def test_a_worker_killed_mid_batch_loses_no_submission(dask):
    """SIGKILL one worker (nanny and all, as if its machine died) while both grade: the
    scheduler runs its tasks on the other worker, and each result still arrives once."""
    got, killed, timeline = [], {}, []

    def on_result(result):
        got.append(result)
        timeline.append(f"{time.monotonic() - start:.1f}s {result['student']} on {result['worker']}")
        if not killed:   # the first result: the other worker is halfway through a task
            victim = "w1" if result["worker"] == "w0" else "w0"
            dask.kill_worker(victim)
            killed.update(name=victim, after=len(got), at=time.monotonic())

    start = time.monotonic()
    try:
        run(dask, tasks(6, sleep=1.5), on_result)
        seconds = time.monotonic() - start
        victim = killed["name"]
        assert students(got) == [f"s{i:02d}" for i in range(6)], f"expected s00..s05 once each, got {students(got)}"
        assert not [r for r in got if "error" in r], f"expected no error result, got {got}"
        late = [r for r in got[killed["after"]:] if r["worker"] == victim]
        assert not late, f"expected nothing from the killed worker {victim} after the kill, got {late}"
        assert dask.workers[victim].poll() is not None, f"expected worker {victim} dead"
        print(f"\n6 tasks of 1.5 s, {victim} killed after the first result: all done in {seconds:.1f} s "
              f"({', '.join(timeline)})")
    finally:
        for name, proc in list(dask.workers.items()):
            if name in ("w0", "w1") and proc.poll() is not None:
                replace_worker(dask, name)


@pytest.mark.integration
def test_a_large_task_goes_through_without_a_warning(dask):
    """Tasks carry files (submission, release, gradebook template): over 10 MiB Dask would
    warn about a large graph; that is by design here (the scheduler keeps what a rerun needs)."""
    got = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(dask, [{"student": "big", "files": {"data.npy": bytes(11 * 2 ** 20)}}], got.append)
    assert students(got) == ["big"], got
    assert not [w for w in caught if "large graph" in str(w.message)], [str(w.message) for w in caught]


@pytest.mark.integration
def test_a_task_that_keeps_killing_workers_is_one_error_result(tmp_path):
    """A submission that takes its worker down each time (the nanny restarts the worker) is
    given up after allowed-failures deaths (1 here, 3 by default): one error result, the
    other tasks graded."""
    env = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    with dask_cluster.cluster(tmp_path, workers=2, scheduler_env=env) as small:
        todo = tasks(4, sleep=0.3)
        todo[1]["die"] = True
        got = []
        start = time.monotonic()
        lines = run(small, todo, got.append)
        seconds = time.monotonic() - start
    assert students(got) == ["s00", "s01", "s02", "s03"], f"expected each task once, got {students(got)}"
    errors = [r for r in got if "error" in r]
    assert [e["task"]["student"] for e in errors] == ["s01"], f"expected one error result for s01, got {errors}"
    assert errors[0]["error"].startswith("KilledWorker"), errors[0]["error"]
    again = [line.split(":")[0] for line in lines if "submitted once more" in line]
    assert "s01" in again, f"expected s01 given a second start before it was given up, got {lines}"
    print(f"\na task killing every worker it lands on: all reported after {seconds:.1f} s; "
          f"given a second start: {again}")


@pytest.mark.integration
def test_run_reports_the_rest_as_errors_when_the_batch_times_out(dask):
    got = []
    start = time.monotonic()
    run(dask, tasks(3, sleep=1.5), got.append, timeout=0.5)
    seconds = time.monotonic() - start
    assert students(got) == ["s00", "s01", "s02"], f"expected every task reported, got {students(got)}"
    assert all("not graded within the batch's 0.5 s" in r.get("error", "") for r in got), got
    assert seconds < 5, f"expected run() back soon after its 0.5 s timeout, took {seconds:.1f} s"
    time.sleep(1.5)   # the workers finish the running (cancelled) stand-ins before the next test


@pytest.mark.integration
def test_an_on_result_that_raises_stops_the_batch(dask):
    def on_result(result):
        raise KeyError("the gradebook is locked")

    with pytest.raises(KeyError, match="gradebook is locked"):
        run(dask, tasks(6, sleep=0.5), on_result)
    assert left_on_scheduler(dask) == 0, "expected the remaining tasks cancelled on the scheduler"


def left_on_scheduler(dask, wait=10):
    """How many tasks the scheduler still holds, once it had `wait` s to forget cancelled ones."""
    import distributed
    with distributed.Client(dask.address, timeout=10, set_as_default=False) as client:
        deadline = time.monotonic() + wait
        while True:
            count = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
            if count == 0 or time.monotonic() > deadline:
                return count
            time.sleep(0.2)


# ---------------------------------------------------------------- no cluster to grade on

def test_an_unreachable_scheduler_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]   # free, and nothing listens once closed
    start = time.monotonic()
    with pytest.raises(cluster.ClusterError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        cluster.run(f"tcp://127.0.0.1:{port}", tasks(1), echo, print, log=print, connect_timeout=2)
    assert time.monotonic() - start < 15, "expected the connect timeout to bound the wait"


@pytest.mark.integration
def test_a_scheduler_without_workers_is_a_clear_error(tmp_path):
    bare = dask_cluster.LocalDaskCluster(tmp_path)
    try:
        bare.start_scheduler()
        got = []
        with pytest.raises(cluster.ClusterError, match="no worker is connected") as info:
            cluster.run(bare.address, tasks(2), echo, got.append, log=print)
        assert "--preload coursekit.grading.daskworker" in str(info.value), str(info.value)
        assert got == [], f"expected nothing graded, got {got}"
    finally:
        bare.stop()


# ---------------------------------------------------------------- the sandbox on every worker

@pytest.mark.integration
def test_a_worker_without_bubblewrap_refuses_to_start(dask):
    start = time.monotonic()
    proc = dask.start_worker("nobwrap", env={"PATH": VENV_BIN})
    try:
        proc.wait(timeout=60)
    finally:
        dask.kill(proc)
    seconds = time.monotonic() - start
    log = dask.log_text("nobwrap")
    assert proc.returncode != 0, f"expected the worker to exit with an error, got {proc.returncode}:\n{log[-2000:]}"
    assert "coursekit grading worker refuses to start: bubblewrap (bwrap) is not installed" in log, log[-3000:]
    assert "apt-get install bubblewrap" in log and "COURSEKIT_NO_SANDBOX=1" in log, log[-3000:]
    assert "nobwrap" not in dask.registered(), "expected the refused worker never registered"
    print(f"\nworker without bwrap exited with status {proc.returncode} after {seconds:.1f} s")


@pytest.mark.integration
def test_run_refuses_a_connected_worker_without_the_sandbox(dask):
    """A worker told to start anyway (COURSEKIT_NO_SANDBOX=1) joins; run() grades nothing
    unless the sandbox is not required (--no-sandbox)."""
    dask.start_worker("unsafe", env={"PATH": VENV_BIN, "COURSEKIT_NO_SANDBOX": "1"})
    try:
        dask.wait_for_workers(["unsafe"])
        assert "WITHOUT a sandbox (COURSEKIT_NO_SANDBOX=1)" in dask.log_text("unsafe"), dask.log_text("unsafe")[-2000:]
        got = []
        with pytest.raises(cluster.ClusterError) as info:
            run(dask, tasks(3), got.append)
        message = str(info.value)
        assert "1 of 3 workers cannot make the sandbox" in message and "(name unsafe)" in message, message
        assert "bubblewrap (bwrap) is not installed" in message, message
        assert "apt-get install bubblewrap" in message and "--no-sandbox" in message, message
        assert got == [], f"expected nothing graded, got {got}"

        lines = run(dask, tasks(6), got.append, require_sandbox=False)
        assert students(got) == [f"s{i:02d}" for i in range(6)], students(got)
        assert any("(name unsafe) grades WITHOUT the sandbox" in line for line in lines), lines
    finally:
        dask.kill_worker("unsafe")


def test_the_preload_stops_the_worker_process_when_the_sandbox_is_missing(monkeypatch):
    """SystemExit, not an Exception: Dask logs a preload's Exception and starts the worker
    anyway (dask/distributed issue 8754)."""
    monkeypatch.setattr(daskworker, "sandbox_problem", lambda: "bubblewrap (bwrap) is not installed")
    monkeypatch.delenv("COURSEKIT_NO_SANDBOX", raising=False)
    with pytest.raises(SystemExit) as info:
        daskworker.dask_setup(worker=None)
    assert not isinstance(info.value, Exception)
    assert "refuses to start: bubblewrap (bwrap) is not installed" in str(info.value), str(info.value)
    monkeypatch.setenv("COURSEKIT_NO_SANDBOX", "1")
    warmed = []
    monkeypatch.setattr(daskworker, "warm_up", lambda: warmed.append(True))
    assert daskworker.dask_setup(worker=None) is None
    assert warmed == [True], "expected the grader imported in the background once the checks pass"


def test_the_preload_stops_a_worker_without_the_grader(monkeypatch):
    monkeypatch.setattr(daskworker, "sandbox_problem", lambda: "")
    monkeypatch.setattr(daskworker, "GRADER", "coursekit.grading.no_such_module")
    with pytest.raises(SystemExit, match="coursekit.grading.no_such_module is not installed here"):
        daskworker.dask_setup(worker=None)


@pytest.mark.integration   # the probe starts python in a real sandbox
def test_the_probe_makes_a_real_sandbox_here_and_names_a_missing_bwrap(monkeypatch):
    assert daskworker.sandbox_problem() == "", "expected bubblewrap to work on the test machine"
    monkeypatch.setenv("PATH", VENV_BIN)
    assert daskworker.sandbox_problem() == "bubblewrap (bwrap) is not installed (not found on PATH)"


def test_a_task_landing_on_a_worker_without_the_sandbox_fails_instead_of_grading(monkeypatch):
    """A worker started without the preload, joining mid-batch, is caught before it grades."""
    monkeypatch.setattr(daskworker, "cached_sandbox_problem", lambda: "no bwrap")
    with pytest.raises(cluster.ClusterError, match="this worker cannot make the sandbox: no bwrap"):
        cluster.on_worker(echo, {"student": "s00"}, True)
    assert cluster.on_worker(len, {"student": "s00"}, False) == 1


@pytest.mark.integration
def test_losing_the_scheduler_names_the_submissions_not_graded(tmp_path):
    """The scheduler's machine dies mid-batch: what arrived is handed over, the rest is named
    in a ClusterError (grading them with zeros would blame the learners)."""
    with dask_cluster.cluster(tmp_path, workers=1) as small:
        got = []

        def on_result(result):
            got.append(result)
            if len(got) == 1:
                small.kill(small.scheduler)

        start = time.monotonic()
        with pytest.raises(cluster.ClusterError, match="lost contact with the scheduler") as info:
            run(small, tasks(4, sleep=0.5), on_result)
        seconds = time.monotonic() - start
    assert len(got) == 1, f"expected the one result before the loss handed over, got {got}"
    named = {f"s{i:02d}" for i in range(4)} - {got[0]["student"]}
    assert f"{len(named)} submissions not graded" in str(info.value), str(info.value)
    assert all(name in str(info.value) for name in named), f"expected {sorted(named)} named: {info.value}"
    print(f"\nscheduler killed after the first result: run() raised after {seconds:.1f} s")


# ---------------------------------------------------------------- end to end (the lead's coordinator)

E2E_ASSIGNMENT = "01_derivatives"


def e2e_submissions(course, assignment, scratch):
    """{student: folder}: the answer key (twice), the blank release, and the key with one
    graded function answering None (for three functions)."""
    import nbformat

    from support import corpus  # nbformat & co: imported only by the slow test
    key = corpus.Assignment.load(course, assignment)
    folders = {"key": course / "solutions" / assignment, "key_again": course / "solutions" / assignment,
               "blank": course / "notebooks" / assignment}
    for f in key.functions[:3]:
        folder = scratch / f"wrong_{f}"
        shutil.copytree(course / "solutions" / assignment, folder)
        nb = nbformat.read(folder / key.home[f], as_version=4)
        corpus.replace_body(corpus.solution_cell(nb, f), corpus.WRONG)
        nbformat.write(nb, folder / key.home[f])
        folders[f"wrong_{f}"] = folder
    return folders, key.functions


def graded_rows(course, assignment):
    """[student id] of the gradebook's submissions of `assignment`, one per row."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return sorted(s.student_id for s in gb.assignment_submissions(assignment))


def autograded_folders(course, assignment):
    folder = course / "autograded"
    return sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir()) if folder.is_dir() else []


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_cluster_grades_like_one_process_even_when_a_worker_dies(tmp_path, tmp_path_factory):
    """The same six submissions graded with --jobs 1 and with --cluster on two real workers,
    one of which is SIGKILLed after the first result is recorded: every submission graded
    exactly once (one gradebook row, one autograded folder each), with the same scores."""
    from coursekit.grading import gradebook
    from support import courses

    built = courses.built(tmp_path_factory, E2E_ASSIGNMENT)
    local = courses.copy_course(built, tmp_path / "local")
    remote = courses.copy_course(built, tmp_path / "remote")
    folders, functions = e2e_submissions(built, E2E_ASSIGNMENT, tmp_path / "folders")
    for course in (local, remote):
        for student, folder in folders.items():
            courses.submit(course, E2E_ASSIGNMENT, student, folder)
    who = sorted(folders)

    proc, local_seconds = courses.run(local, "coursekit.cli", "autograde", E2E_ASSIGNMENT, "--jobs", "1")
    assert proc.returncode == 0, f"--jobs 1 failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"

    with dask_cluster.cluster(tmp_path / "dask") as dask:
        start = time.monotonic()
        out = open(tmp_path / "cluster-run.log", "w")
        cli = subprocess.Popen([sys.executable, "-m", "coursekit.cli", "autograde", E2E_ASSIGNMENT,
                                "--cluster", dask.address], cwd=remote, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
        out.close()
        try:
            while not autograded_folders(remote, E2E_ASSIGNMENT) and cli.poll() is None:
                assert time.monotonic() - start < 900, "no result recorded within 900 s"
                time.sleep(0.2)
            first = time.monotonic() - start
            dask.kill_worker("w1")
            cli.wait(timeout=1200)
        finally:
            dask.kill(cli)
        cluster_seconds = time.monotonic() - start
    text = (tmp_path / "cluster-run.log").read_text(errors="replace")
    assert cli.returncode == 0, f"--cluster exited {cli.returncode}, expected 0:\n{text[-4000:]}"

    assert graded_rows(remote, E2E_ASSIGNMENT) == who, f"expected one gradebook row per student {who}"
    assert autograded_folders(remote, E2E_ASSIGNMENT) == who, f"expected one autograded folder per student {who}"
    local_scores, maxima = gradebook.scores(local, E2E_ASSIGNMENT, who)
    remote_scores, remote_maxima = gradebook.scores(remote, E2E_ASSIGNMENT, who)
    assert remote_maxima == maxima
    assert remote_scores == local_scores, f"--cluster scores {remote_scores}\n--jobs 1 scores {local_scores}"
    assert local_scores["key"] == maxima and local_scores["key_again"] == maxima, local_scores
    assert set(local_scores["blank"].values()) == {0.0}, local_scores["blank"]
    for f in functions[:3]:
        assert sum(local_scores[f"wrong_{f}"].values()) < sum(maxima.values()), local_scores[f"wrong_{f}"]
    print(f"\n{len(who)} submissions of {E2E_ASSIGNMENT}: --jobs 1 {local_seconds:.0f} s; --cluster (2 workers, "
          f"w1 killed after the first result at {first:.0f} s) {cluster_seconds:.0f} s; cluster up in "
          f"{dask.timings}")
