"""Running cells in a kernel that may die or hang: what nbgrader's pass (execute.py) and the
re-check's kernel (recheck.py) share; and Run All of a whole notebook (`run_all`: coursekit
measure, the build's recording of expected values, the re-check's recording of checks).

Both drive an nbclient NotebookClient cell by cell. A cell tagged `setup` (imports) gets
`setup_timeout` seconds whatever the cell timeout is: a slow import on a busy machine is no
learner's fault. A cell can be run "detached": as if it stood at some index of the notebook,
without nbclient writing it (and its outputs) back there.
"""
from __future__ import annotations

import contextlib
import os
import time

import nbformat
from nbclient import NotebookClient
from nbformat.notebooknode import NotebookNode

from .. import course

KERNEL_DIED = "KernelDied"
SETUP_TIMEOUT = 180


def error_output(ename, evalue):
    """An error output with a one-line traceback (no code quoted)."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


@contextlib.contextmanager
def cell_timeout(client, cell, setup_timeout=SETUP_TIMEOUT):
    """While running `cell`: the setup timeout for a setup cell, the client's timeout otherwise."""
    before = client.timeout
    if course.is_setup(cell):
        client.timeout = max(before or 0, setup_timeout)
    try:
        yield
    finally:
        client.timeout = before


def execute_detached(client, cell, index):
    """Execute `cell` as if it stood at `index`, leaving the notebook's own cell there
    (nbclient writes the executed cell back into the notebook)."""
    original = client.nb.cells[index]
    try:
        client.execute_cell(cell, index, store_history=False)
    finally:
        client.nb.cells[index] = original


def run_all(path, timeout=120, allow_errors=False, env=None):
    """Execute the notebook at `path` top to bottom in a fresh kernel from its own folder (as
    JupyterLab's Run All does), with the variables `env` added to the kernel's environment;
    return (seconds, executed notebook)."""
    nb = nbformat.read(path, as_version=4)
    # the kernel's own warnings (ipykernel's "running over TCP without encryption" on every start)
    # are nobody's business here; its errors still show
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path.parent)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    start = time.perf_counter()
    client.execute(**({"env": {**os.environ, **env}} if env else {}))
    return time.perf_counter() - start, nb
