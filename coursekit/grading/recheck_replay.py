"""The re-check, part 2 (recheck.py): replay the graded calls in a fresh kernel.

After nbgrader's pass, a fresh sandboxed kernel (the same kernelspec, IPC sockets of its own,
cell timeouts, restarts after a dead or hung cell) runs the learner's cells in order, except
the test cells (no expected value ever enters it) and the lesson cells left as released; in
place of each test cell it runs `driver_source`, which calls the graded functions on that
cell's recorded inputs and sends back plain data as JSON between two nonce markers: no pickle,
nothing that runs. The verdict is not made here (recheck_verdict.py).
"""
from __future__ import annotations

import copy
import json
import secrets
import subprocess
import time

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from .. import course
from . import kernel


def replayable(records, notebook=None):
    """The records the re-check replays (of one notebook, if named), in order."""
    return [r for r in records if "inputs" in r and (notebook is None or r.get("notebook", notebook) == notebook)]


def plan(records, release_nb):
    """What the re-check kernel needs: the calls (function + inputs, no expected values) and
    the lesson cells it may skip (lesson cells of the release: they define nothing a graded
    function may use; a learner's edited or added cell is not among them)."""
    calls = [{"cell": r.get("cell"), "function": r["function"], "inputs": r["inputs"], "pure": bool(r.get("pure")),
              "again": r.get("again"), "after": bool(r.get("after"))}
             for r in replayable(records)]
    skip = [c.source for c in release_nb.cells if course.is_lesson(c)]
    return {"calls": calls, "skip_sources": skip}


def driver_source(calls, nonce, per_call_seconds=60):
    """The code the fresh kernel runs in place of a test cell: coursekit.replay_driver.call_all
    of the cell's recorded calls, its results (plain data, see that module) printed as JSON
    between two nonce markers."""
    call = f"_coursekit_call_all({json.dumps(calls)!r}, {float(per_call_seconds)!r}, globals())"
    return (f"from coursekit.replay_driver import call_all as _coursekit_call_all\n"
            f"print({nonce!r} + {call} + {nonce!r})\n")


def new_nonce():
    return "@@" + secrets.token_hex(16) + "@@"


def parse_driver_output(text, nonce, n_calls):
    """The results between the markers, or an error result for every call."""
    parts = text.split(nonce)
    if len(parts) >= 3:
        try:
            results = json.loads(parts[1])
            if isinstance(results, list) and len(results) == n_calls:
                return results
        except ValueError:
            pass
    return [{"error": "the re-check kernel returned no readable result"}] * n_calls


class ReplayKernel(NotebookClient):
    """The re-check's kernel, started as `setup` (a sandbox.KernelSetup) says, with sockets
    of its own, run from the submission's folder."""

    def __init__(self, nb, folder, setup, timeout, setup_timeout=kernel.SETUP_TIMEOUT):
        super().__init__(nb, timeout=timeout, kernel_name=setup.name, allow_errors=True,
                         interrupt_on_timeout=True, raise_on_iopub_timeout=True, shutdown_kernel="immediate",
                         error_on_timeout={"ename": "CellTimeoutError", "evalue": "", "traceback": []},
                         kernel_manager_class=AsyncKernelManager, resources={"metadata": {"path": str(folder)}})
        self.setup, self.setup_timeout = setup, setup_timeout

    def create_kernel_manager(self):
        specs = KernelSpecManager(kernel_dirs=list(self.setup.kernel_dirs)) if self.setup.kernel_dirs \
            else KernelSpecManager()
        options = {"transport": "ipc", "ip": self.setup.sockets("recheck")} if self.setup.isolated else {}
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, kernel_spec_manager=specs, **options)
        self.owns_km = True
        return self.km

    def replay(self, calls, skip, max_restarts=20, deadline=None):
        """Run the notebook's non-test cells in order (those whose source is in `skip`
        excepted); at each test cell, its recorded calls. A cell that kills or hangs the
        kernel is skipped after a restart; only the calls of the test cell it was lose their
        results. Returns one result per call."""
        by_cell = {}
        for i, call in enumerate(calls):
            by_cell.setdefault(call["cell"], []).append(i)
        results, finished, broken = {}, set(), set()
        # the kernel's own stdout and stderr (start-up banners, a learner's os.write) are nobody's business
        start = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if self.setup.env is not None:
            start["env"] = self.setup.env
        for _ in range(max_restarts + 1):
            current = None
            try:
                with self.setup_kernel(**start):
                    for index, cell in enumerate(self.nb.cells):
                        if cell.cell_type != "code" or index in finished or index in broken:
                            continue
                        if deadline is not None and time.monotonic() > deadline:
                            break
                        current = index
                        if course.is_test(cell):
                            finished.add(index)
                            todo = by_cell.get(course.grade_id(cell), [])
                            if todo:
                                results.update(zip(todo, self._run_driver([calls[i] for i in todo], index)))
                        elif cell.source not in skip:
                            with kernel.cell_timeout(self, cell, self.setup_timeout):
                                kernel.execute_detached(self, copy.deepcopy(cell), index)
                break
            except Exception as exc:
                if current is None:   # no learner code ran: the kernel did not start (the grader's problem)
                    raise
                self.log.warning("re-check kernel failed in cell %s: %s", current, exc)
                broken.add(current)
        return [results.get(i, {"error": "no result (the kernel died or hung in this test cell, or the "
                                         "submission's time ran out)"}) for i in range(len(calls))]

    def _run_driver(self, calls, index):
        nonce = new_nonce()
        driver = nbformat.v4.new_code_cell(driver_source(calls, nonce, per_call_seconds=self.timeout))
        cell_timeout, functions = self.timeout, len({c["function"] for c in calls})
        self.timeout = cell_timeout * (functions + 2)  # each function may use one time limit
        try:
            kernel.execute_detached(self, driver, index)
        finally:
            self.timeout = cell_timeout
        text = "".join(o.get("text", "") for o in driver.get("outputs", []) if o.get("output_type") == "stream")
        return parse_driver_output(text, nonce, len(calls))


def run(records, release, submitted, setup, timeout, deadline=None):
    """The re-check of one submission: for each notebook of the release, its recorded calls
    replayed in a fresh kernel on the learner's notebook in the folder `submitted`. Returns
    one result per replayable record, in order (see `verdicts`)."""
    results = {}
    order = {id(r): i for i, r in enumerate(replayable(records))}
    for blank in sorted(release.glob("*.ipynb")):
        mine = replayable(records, blank.name)
        if not mine:
            continue
        steps = plan(mine, course.read(blank))
        client = ReplayKernel(course.read(submitted / blank.name), submitted, setup, timeout)
        out = client.replay(steps["calls"], set(steps["skip_sources"]), deadline=deadline)
        if any(r.get("error", "").startswith("NameError") for r in out):
            client = ReplayKernel(course.read(submitted / blank.name), submitted, setup, timeout)
            out = client.replay(steps["calls"], set(), deadline=deadline)  # the solution may use a lesson helper
        results.update({order[id(r)]: res for r, res in zip(mine, out)})
    missing = {"grader_error": "the re-check found no notebook for this check"}
    return [results.get(i, missing) for i in range(len(order))]
