"""Grading on a Dask distributed cluster: `coursekit autograde A --cluster tcp://HOST:8786`.

`run(address, tasks, fn, on_result)` sends every task (plain data: one submission and all a
worker needs to grade it, see coursekit.grading.worker) to the workers of the scheduler at
`address`, as `fn(task)`, and hands each result to `on_result` in this process, one at a
time, in the order they finish. The workers share no file system with the instructor and
never touch the gradebook: the caller (autograde's coordinator) writes each result.

What it guarantees:
- Before submitting anything, every connected worker is asked whether it can make the
  sandbox (daskworker.sandbox_problem); if one cannot and `require_sandbox`, nothing is
  graded and ClusterError names the workers and the fix. No worker at all: ClusterError.
  A worker that joins later checks itself before its first submission (once per worker
  process): one started without the preload and without bubblewrap fails the submissions
  it takes (error results) instead of grading them unsandboxed.
- `on_result` is called exactly once per task:
  - with what `fn` returned, or
  - with {"task": task, "error": "...", "traceback": "...", "student": ..., "assignment": ...}
    (an error result: "task" tells it from fn's results) when `fn` raised (after
    `retries` further attempts), when workers kept dying while it was on them (Dask's
    KilledWorker, twice: see below), or when the batch ran out of `timeout`.
  A worker that dies mid-task costs nothing else: the scheduler runs its tasks again on the
  remaining workers, and only the one result is reported. Dask gives a task up (KilledWorker)
  once more than distributed.scheduler.allowed-failures workers (3 by default) died while it
  was on them, running or only queued there; so a task given up gets one fresh start under a
  new key (it may have been queued behind the submission that kills workers), and only the
  second KilledWorker is an error result.
- Losing the scheduler is not a learner's problem: the tasks whose results had not arrived
  are not reported; run raises ClusterError naming them, after the others were handed over.
- If `on_result` raises, the remaining tasks are cancelled and the exception propagates.
The client is closed at the end in every case.
"""
from __future__ import annotations

import time
import traceback
import uuid
import warnings

from . import daskworker

CONNECT_TIMEOUT = 30     # seconds to reach the scheduler
POLL = 0.1               # seconds between looks at the finished tasks
WORKER_WATCH = 5         # seconds between looks at the number of connected workers
RETRIES = 1              # further attempts of a task whose fn raised
FETCH_TIMEOUT = 60       # seconds to fetch one finished result from its worker
AGAIN, LOST = object(), object()   # Batch.outcome: nothing to hand over yet / lost with the scheduler


class ClusterError(RuntimeError):
    """The cluster cannot grade (unreachable, no workers, workers without the sandbox, lost)."""


def label(task, index):
    """The name of a task in messages and in its Dask key: its student, else its position."""
    if isinstance(task, dict) and task.get("student"):
        return str(task["student"])
    return f"task-{index}"


def on_worker(fn, task, require_sandbox):
    """What runs on the worker: `fn(task)`, after checking that this worker can sandbox
    (once per worker process)."""
    if require_sandbox:
        problem = daskworker.cached_sandbox_problem()
        if problem:
            raise ClusterError(f"this worker cannot make the sandbox: {problem}")
    return fn(task)


def connect(address, connect_timeout):
    """A distributed.Client of the scheduler at `address`, or ClusterError saying why not."""
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError('--cluster needs Dask distributed: pip install -e ".[cluster]"') from exc
    try:
        return distributed.Client(address, timeout=connect_timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} within {connect_timeout:g} s "
                           f"({type(exc).__name__}: {exc}); is `dask scheduler` running there?") from exc


def worker_names(client):
    """{address: "address (name NAME)"} of the connected workers."""
    workers = client.scheduler_info(n_workers=-1)["workers"]
    return {addr: addr if str(info.get("name")) == addr else f"{addr} (name {info.get('name')})"
            for addr, info in workers.items()}


def check_workers(client, address, require_sandbox, log):
    """Raise ClusterError when no worker is connected, or when `require_sandbox` and some
    cannot make the sandbox; log the workers otherwise."""
    names = worker_names(client)
    if not names:
        raise ClusterError(f"no worker is connected to the scheduler at {address}: start one on each "
                           f"grading machine: dask worker {address} --nthreads 1 "
                           "--preload coursekit.grading.daskworker")
    answers = client.run(daskworker.sandbox_problem, on_error="return")
    problems = {addr: p if isinstance(p, str) else f"did not answer ({type(p).__name__}: {p})"
                for addr, p in answers.items() if p}
    if problems and require_sandbox:
        lines = "\n".join(f"  {names.get(addr, addr)}: {p}" for addr, p in sorted(problems.items()))
        raise ClusterError(f"{len(problems)} of {len(names)} workers cannot make the sandbox that keeps "
                           f"learners' code away from the machine's files:\n{lines}\n"
                           "Install bubblewrap on those machines (apt-get install bubblewrap) and restart "
                           "their workers (or stop them), or grade without the sandbox: --no-sandbox.")
    for addr, p in sorted(problems.items()):
        log(f"worker {names.get(addr, addr)} grades WITHOUT the sandbox: {p}")
    log(f"{len(names)} workers connected to {address}")


def error_result(task, message, tb=""):
    """What on_result gets for a task that ended without fn's result (with the task's
    "student" and "assignment" too, when it has them)."""
    result = {"task": task, "error": message, "traceback": tb}
    if isinstance(task, dict):
        result.update({k: task[k] for k in ("student", "assignment") if k in task})
    return result


class WorkerWatch:
    """Logs when no worker is left (the tasks wait for one) and when workers come back."""

    def __init__(self, client, address, log):
        self.client, self.address, self.log = client, address, log
        self.next_look, self.none_left = time.monotonic() + WORKER_WATCH, False

    def look(self, waiting):
        if time.monotonic() < self.next_look:
            return
        self.next_look = time.monotonic() + WORKER_WATCH
        try:
            count = len(self.client.scheduler_info(n_workers=-1)["workers"])
        except Exception:  # noqa: BLE001 - the scheduler being gone shows as lost tasks
            return
        if count == 0 and not self.none_left:
            self.log(f"no worker is connected to {self.address}: {waiting} submissions wait for one "
                     f"(dask worker {self.address} --nthreads 1 --preload coursekit.grading.daskworker)")
        elif count and self.none_left:
            self.log(f"{count} workers connected again")
        self.none_left = count == 0


class Batch:
    """The tasks of one run() on the cluster: submitted, followed, each outcome handed over once."""

    def __init__(self, client, fn, require_sandbox, retries, log):
        self.client, self.fn, self.require_sandbox, self.retries = client, fn, require_sandbox, retries
        self.log = log
        self.token = uuid.uuid4().hex[:8]   # keys unique on a scheduler that others may use too
        self.tasks = {}          # key -> (index, task)
        self.futures = []        # every future submitted, resubmissions included
        self.resubmitted = set()  # indexes of tasks submitted a second time (KilledWorker)
        self.done = None         # distributed.as_completed of the futures

    def submit(self, index, task, attempt=""):
        """Submit on_worker(fn, task) under a key naming the student.

        The task's data travels inside the task, through the scheduler (not scattered to one
        worker): when a worker dies, the scheduler still has what it needs to run it again
        elsewhere. Dask warns about tasks over 10 MiB; that is expected here, so not shown."""
        key = f"coursekit-grade-{label(task, index)}-{self.token}-{index}{attempt}"
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sending large graph")
            future = self.client.submit(on_worker, self.fn, task, self.require_sandbox, key=key, pure=False,
                                        retries=self.retries)
        self.tasks[key] = (index, task)
        self.futures.append(future)
        if self.done is not None:
            self.done.add(future)
        return future

    def outcome(self, future):
        """What on_result gets for a future as_completed gave back; AGAIN when there is
        nothing to hand over yet (its result was lost with a worker before we fetched it, or
        it was resubmitted); LOST when the scheduler lost it."""
        import distributed
        index, task = self.tasks[future.key]
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, distributed.KilledWorker) and index not in self.resubmitted:
                # workers died while it was on them: it may only have been queued behind the
                # submission that killed them, so it gets one fresh start (see the README)
                self.resubmitted.add(index)
                self.log(f"{label(task, index)}: workers died while it was on them; submitted once more")
                self.submit(index, task, "-again")
                return AGAIN
            tb = "".join(traceback.format_exception(type(exc), exc, future.traceback()))
            return error_result(task, f"{type(exc).__name__}: {exc}", tb)
        if future.status == "cancelled":
            return LOST
        if future.status != "finished":
            self.done.add(future)   # it comes again when computed again
            return AGAIN
        try:
            return future.result(timeout=FETCH_TIMEOUT)
        except (distributed.TimeoutError, TimeoutError):
            self.done.add(future)
            return AGAIN
        except distributed.CancelledError:
            return LOST
        except Exception as exc:  # noqa: BLE001 - e.g. a result this process cannot unpickle
            return error_result(task, f"the result could not be fetched from the worker "
                                      f"({type(exc).__name__}: {exc})", traceback.format_exc())

    def collect(self, on_result, timeout, watch):
        """Hand each outcome to on_result, in completion order; returns the labels of the
        tasks the scheduler lost."""
        import distributed
        deadline = None if timeout is None else time.monotonic() + timeout
        self.done = distributed.as_completed(self.futures, loop=self.client.loop)
        lost = []
        while not self.done.is_empty():
            batch = self.done.next_batch(block=False)
            for future in batch:
                result = self.outcome(future)
                if result is LOST:
                    index, task = self.tasks[future.key]
                    lost.append(label(task, index))
                elif result is not AGAIN:
                    on_result(result)
            if batch:
                continue
            if deadline is not None and time.monotonic() > deadline:
                self.give_up(on_result, f"not graded within the batch's {timeout:g} s")
                break
            watch.look(self.done.count())
            time.sleep(POLL)
        return lost

    def give_up(self, on_result, reason):
        """Cancel what is still pending and report each of those tasks as an error result."""
        pending = [f for f in self.futures if not f.done()]
        self.client.cancel(pending)
        for future in pending:
            on_result(error_result(self.tasks[future.key][1], reason))

    def cancel_pending(self):
        try:
            self.client.cancel([f for f in self.futures if not f.done()])
        except Exception:  # noqa: BLE001 - closing anyway
            pass


def run(address, tasks, fn, on_result, *, log=print, require_sandbox=True, timeout=None,
        retries=RETRIES, connect_timeout=CONNECT_TIMEOUT):
    """Run fn(task) for every task on the Dask cluster at `address`; on_result(result) once
    per task in this process (see the module's docstring). `timeout`: seconds for the whole
    batch (None: no limit)."""
    tasks = list(tasks)
    if not tasks:
        return
    client = connect(address, connect_timeout)
    batch = Batch(client, fn, require_sandbox, retries, log)
    try:
        check_workers(client, address, require_sandbox, log)
        for index, task in enumerate(tasks):
            batch.submit(index, task)
        log(f"{len(tasks)} submissions sent to {address}")
        lost = batch.collect(on_result, timeout, WorkerWatch(client, address, log))
        if lost:
            raise ClusterError(f"lost contact with the scheduler at {address}: {len(lost)} submissions not "
                               f"graded ({', '.join(lost)}); the others are recorded. Grade these again "
                               "(coursekit autograde ... --student ID).")
    finally:
        batch.cancel_pending()
        client.close()
