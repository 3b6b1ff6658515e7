"""A real Dask cluster on 127.0.0.1 for the --cluster tests, and stand-in grading functions.

`LocalDaskCluster(folder)`: `dask scheduler` and `dask worker`s as separate processes, each
in its own process group (a test can SIGKILL one worker, nanny and all, as if its machine
died), started the way the README says (`--nthreads 1 --preload coursekit.grading.daskworker`)
and listening on 127.0.0.1 only. The scheduler picks a free port itself and writes its
address to a scheduler file (no race for a port). Workers run with tests/ on PYTHONPATH so
that they can import the stand-ins below (Dask pickles functions by reference).

`cluster(folder, workers=2)` is a context manager: started, both workers registered, and
every process killed at the end, even when the test fails.
"""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

# not support.nbtools: the workers import this module for the stand-ins, and nbtools imports
# nbformat (seconds), which would make the first task of each worker look slow
ROOT = pathlib.Path(__file__).resolve().parents[2]
START_TIMEOUT = 60   # seconds for the scheduler, or a worker, to come up on a busy machine


class LocalDaskCluster:
    def __init__(self, folder):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.scheduler = None
        self.address = ""
        self.workers = {}        # name -> Popen
        self.timings = {}        # what took how long (seconds), for the report

    # ------------------------------------------------------------ processes

    def spawn(self, name, args, env=None):
        """`python -m dask ARGS` in its own process group, output to FOLDER/NAME.log."""
        log = open(self.folder / f"{name}.log", "w")
        full_env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
                        DASK_DISTRIBUTED__WORKER__DAEMON="False")   # as the README starts workers
        full_env.update(env or {})
        try:
            return subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=self.folder, env=full_env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()

    def log_text(self, name):
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_scheduler(self, env=None):
        start = time.monotonic()
        info = self.folder / "scheduler.json"
        self.scheduler = self.spawn("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0",
                                                  "--no-dashboard", "--scheduler-file", str(info)], env)
        while not info.exists() or not info.read_text().strip():
            self.fail_if_exited(self.scheduler, "scheduler", start)
            time.sleep(0.1)
        self.address = json.loads(info.read_text())["address"]
        self.timings["scheduler"] = time.monotonic() - start
        return self.address

    def start_worker(self, name, env=None, nanny=True):
        """Start a worker; it is not waited for (see wait_for_workers)."""
        args = ["worker", self.address, "--name", name, "--host", "127.0.0.1", "--nthreads", "1",
                "--no-dashboard", "--death-timeout", "60", "--local-directory", str(self.folder / name),
                "--preload", "coursekit.grading.daskworker"]
        if not nanny:
            args.append("--no-nanny")
        self.workers[name] = self.spawn(name, args, env)
        return self.workers[name]

    def fail_if_exited(self, proc, name, start):
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with status {proc.returncode} while starting; "
                               f"expected it running. Its log:\n{self.log_text(name)[-3000:]}")
        if time.monotonic() - start > START_TIMEOUT:
            raise RuntimeError(f"{name} did not come up within {START_TIMEOUT} s. Its log:\n"
                               f"{self.log_text(name)[-3000:]}")

    def registered(self):
        """{worker name: address} as the scheduler knows them."""
        import distributed
        with distributed.Client(self.address, timeout=10, set_as_default=False) as client:
            return {str(info["name"]): addr for addr, info in client.scheduler_info(n_workers=-1)["workers"].items()}

    def wait_for_workers(self, names):
        """Wait until every worker in `names` is registered with the scheduler."""
        start = time.monotonic()
        while not set(names) <= set(self.registered()):
            for name in names:
                self.fail_if_exited(self.workers[name], name, start)
            time.sleep(0.2)
        return time.monotonic() - start

    def kill(self, proc):
        """SIGKILL the process group of `proc` (a worker and its nanny die together), and reap it."""
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def kill_worker(self, name):
        self.kill(self.workers[name])

    def stop(self):
        for proc in [*self.workers.values(), self.scheduler]:
            if proc is not None:
                self.kill(proc)


@contextlib.contextmanager
def cluster(folder, workers=2, scheduler_env=None):
    """A scheduler and `workers` workers named w0, w1, ... all registered; killed at the end."""
    dask = LocalDaskCluster(folder)
    try:
        dask.start_scheduler(scheduler_env)
        start = time.monotonic()
        names = [f"w{i}" for i in range(workers)]
        for name in names:
            dask.start_worker(name)
        dask.wait_for_workers(names)
        dask.timings["workers"] = time.monotonic() - start
        yield dask
    finally:
        dask.stop()


# ------------------------------------------------------------ stand-ins for grade_task

def echo(task):
    """A grading stand-in: which task, graded by which worker (name, process)."""
    from distributed import get_worker
    if task.get("die"):
        os._exit(1)   # as a submission that takes its worker down would
    seconds = task.get("sleep", 0)
    if seconds:
        time.sleep(seconds)
    if task.get("fail"):
        raise ValueError(f"the grader failed on {task['student']}")
    return {"student": task["student"], "worker": str(get_worker().name), "pid": os.getpid()}
