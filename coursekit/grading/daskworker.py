"""The preload of a grading worker: `dask worker tcp://HOST:8786 --preload coursekit.grading.daskworker`.

A grading worker runs learners' code (in the sandbox, sandbox.py). A worker that cannot make
the sandbox must not take submissions, and the instructor must learn it when the worker
starts, not halfway through a batch. So `dask_setup` (Dask calls it once the worker is set
up, before it registers with the scheduler) makes a real sandbox, runs Python in it, and,
when that fails, stops the worker process with a message saying why and how to fix it.

Only `SystemExit` stops it: Dask logs and ignores any `Exception` a preload raises (the
worker would start without the check; dask/distributed issue 8754). Measured with
distributed 2026.8: without a nanny the process exits with status 1 and the message;
with the default nanny the worker process exits, the nanny reports "Nanny failed to start"
and `dask worker` exits with status 1. Either way the worker never registers.

COURSEKIT_NO_SANDBOX=1 in the worker's environment lets it start without a sandbox (with a
warning); `coursekit autograde --cluster` still refuses such a worker unless the instructor
passes --no-sandbox.

It also refuses to start where the grader (coursekit.grading.worker) is not installed, and
imports the grader in a background thread, so that the first submission does not pay for
nbgrader's imports inside the worker's event loop.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import os
import threading

from . import sandbox

logger = logging.getLogger("distributed.coursekit")   # formatted like the worker's own log lines
NO_SANDBOX = "COURSEKIT_NO_SANDBOX"
GRADER = "coursekit.grading.worker"   # the module of grade_task, which every task imports
FIX = ("install bubblewrap on this machine (Debian/Ubuntu: apt-get install bubblewrap; it needs "
       "unprivileged user namespaces) and start the worker again")


def sandbox_problem():
    """Why a learner's kernel cannot be sandboxed on this machine; "" when it can (sandbox.probe,
    run afresh, and without touching the per-process answer autograde caches)."""
    return sandbox.probe()


@functools.lru_cache(maxsize=1)
def cached_sandbox_problem():
    """sandbox_problem(), probed once per process (a worker checks it before every submission)."""
    return sandbox_problem()


def sandbox_allowed_missing():
    """True when the worker was started with COURSEKIT_NO_SANDBOX=1."""
    return os.environ.get(NO_SANDBOX, "") == "1"


def dask_setup(worker):
    """Dask's preload hook: refuse to start a worker that cannot sandbox learners' kernels or
    has no grader; import the grader in the background (see warm_up)."""
    problem = sandbox_problem()
    if problem and not sandbox_allowed_missing():
        refuse(f"{problem}. To fix: {FIX}. To run it without a sandbox anyway, set {NO_SANDBOX}=1 in "
               "its environment (and grade with `coursekit autograde --no-sandbox`)")
    if problem:
        logger.warning("coursekit grading worker WITHOUT a sandbox (%s=1): %s; learners' code graded "
                       "here can read this machine's files", NO_SANDBOX, problem)
    else:
        logger.info("coursekit grading worker: the sandbox works here")
    if importlib.util.find_spec(GRADER) is None:
        refuse(f"{GRADER} is not installed here: install the same coursekit as the instructor's "
               '(pip install -e ".[cluster]") and start the worker again')
    warm_up()


def refuse(reason):
    """Stop the worker process before it registers, saying why."""
    message = f"coursekit grading worker refuses to start: {reason}"
    logger.error(message)
    raise SystemExit(message)   # not an Exception: Dask would log it and start the worker anyway


def warm_up():
    """Import the grader (nbgrader and co, seconds) in a background thread: otherwise the
    first task of each worker pays it, in the worker's event loop (measured: 10 s with the
    loop unresponsive, on a loaded 2-core machine), and registering does not wait for it."""
    def load():
        try:
            importlib.import_module(GRADER)
            logger.info("coursekit grading worker: %s imported", GRADER)
        except Exception:
            logger.exception("coursekit grading worker: %s cannot be imported", GRADER)
    threading.Thread(target=load, name="coursekit-warm-up", daemon=True).start()
