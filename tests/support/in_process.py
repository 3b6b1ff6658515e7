"""The fast tier stays in-process: a guard that fails a test which starts a kernel or a process.

`./course test --fast` runs `-m "not integration and not slow"` and promises in-process tests
only (docs/tests.md). While one of those tests runs (its setup, call and teardown), `guard`
makes these fail the test with a message that names what was started:

- a Jupyter kernel: jupyter_client's `KernelManager.start_kernel` (also `AsyncKernelManager`);
- a subprocess of python, jupyter, nbgrader, coursekit or dask (a kernel launched by hand is
  one too: `python -m ipykernel_launcher`), of a browser (chromium, Playwright's node driver)
  or of PostgreSQL's server, through `subprocess` (asyncio's too) or `os.system`;
- a process of `multiprocessing` (a Pool, a ProcessPoolExecutor, a Process), or the fork server;
- a Dask `LocalCluster` (any `SpecCluster`).

The failure is `pytest.fail` (a BaseException, so `except Exception` in the code under test
does not swallow it) and is also recorded, so that a test which swallows even that still fails
after its phase. Other programs (git, bwrap --version, ...) stay allowed.
"""
from __future__ import annotations

import contextlib
import multiprocessing.forkserver
import multiprocessing.process
import os
import re
import subprocess
import sys

import pytest

ADVICE = "mark it integration (@pytest.mark.integration; docs/tests.md)"
# program names a fast test may not start
_PROGRAM = re.compile(r"^(python[\d.]*|jupyter(-[\w-]+)?|ipython\d*|nbgrader|coursekit|dask(-\w+)?"
                      r"|node|chromium(-browser)?|chrome|headless_shell|chromedriver|initdb|postgres|pg_ctl)$")


def is_active(config):
    """The guard runs when the selection leaves integration tests out (`-m "not integration ..."`)."""
    expr = " ".join((config.getoption("markexpr", "") or "").split())
    return "not integration" in expr


def _what_runs(argv):
    """'a kernel', 'a subprocess `...`' or None for a command line (list or string)."""
    words = argv.split() if isinstance(argv, (str, bytes)) else [os.fsdecode(a) for a in argv]
    words = [os.fsdecode(w) for w in words]
    if any("ipykernel" in w for w in words):
        return "a kernel (" + " ".join(words[:4]) + ")"
    for word in words:   # the program, or the program behind env / bwrap / timeout
        if word == sys.executable or _PROGRAM.match(os.path.basename(word)):
            return "a subprocess `" + " ".join(words[:5]) + "`"
    return None


@contextlib.contextmanager
def guard(nodeid):
    """While inside: starting a kernel, a python/jupyter/nbgrader subprocess, a process or a
    Dask cluster fails the test. Yields the list of violations seen (messages)."""
    seen = []

    def refuse(what):
        message = f"{nodeid} is marked fast but starts {what}: {ADVICE}"
        seen.append(message)
        pytest.fail(message, pytrace=True)

    patches = []

    def patch(owner, name, make):
        own = name in vars(owner)
        original = vars(owner)[name] if own else getattr(owner, name)
        patches.append((owner, name, original if own else None))
        setattr(owner, name, make(original))

    def popen_guard(original):
        def _execute_child(self, args, *rest, **kwargs):
            what = _what_runs(args)
            if what:
                refuse(what)
            return original(self, args, *rest, **kwargs)
        return _execute_child

    def system_guard(original):
        def system(command):
            what = _what_runs(command)
            if what:
                refuse(what)
            return original(command)
        return system

    def refusing(what):
        def make(original):
            def refused(*args, **kwargs):
                refuse(what)
                return original(*args, **kwargs)
            return refused
        return make

    patch(subprocess.Popen, "_execute_child", popen_guard)
    patch(os, "system", system_guard)
    patch(multiprocessing.process.BaseProcess, "start", refusing("a process (multiprocessing: a pool or a Process)"))
    patch(multiprocessing.forkserver.ForkServer, "ensure_running", refusing("the multiprocessing fork server"))
    patch(multiprocessing.forkserver, "ensure_running", refusing("the multiprocessing fork server"))
    manager = sys.modules.get("jupyter_client.manager")
    if manager is not None:   # not imported yet: a kernel started later still shows as a subprocess
        patch(manager.KernelManager, "start_kernel", refusing("a kernel"))
        patch(manager.KernelManager, "_async_start_kernel", refusing("a kernel"))
        patch(manager.AsyncKernelManager, "start_kernel", refusing("a kernel"))
    spec = sys.modules.get("distributed.deploy.spec")
    if spec is not None:
        patch(spec.SpecCluster, "__init__", refusing("a Dask cluster (LocalCluster)"))
    try:
        yield seen
    finally:
        for owner, name, original in reversed(patches):
            if original is None:
                delattr(owner, name)   # it was inherited
            else:
                setattr(owner, name, original)
