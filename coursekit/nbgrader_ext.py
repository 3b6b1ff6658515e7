"""nbgrader preprocessors that make grading survive what learners submit.

nbgrader_config.py puts them in nbgrader's pipelines, so plain `nbgrader autograde` and
`nbgrader generate_feedback` use them too:

- ResilientExecute (autograde): a cell that kills its kernel (os._exit, a signal, the
  memory cap) gets an error output saying so; a new kernel replays the cells before it and
  grading goes on, so only the parts that depend on that cell lose points. A cell's
  printed output is capped (megabytes of prints would bloat the gradebook and feedback).
  With COURSEKIT_RECHECK_IN set (by `coursekit autograde`), it then replays the graded
  calls in a fresh kernel for the independent re-check (coursekit.recheck).
- RedactHiddenTests (feedback): hidden tests are cut out of test cells and error
  tracebacks of graded cells are reduced to their last line, which names the failed check
  but not the code that made it (nbgrader issue 917).
"""
from __future__ import annotations

import copy
import json
import os

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

from . import recheck

KERNEL_DIED = "KernelDied"
# Put at the top of a test cell that nbgrader restores after a learner deleted it
# (nbgrader_config.py sets OverwriteCells.missing_cell_notification to it): not run, scores 0.
MISSING_MARK = "coursekit: this test cell was deleted from the submission"


def error_output(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


class ResilientExecute(Execute):
    """nbgrader's Execute, restarting the kernel when a cell kills it or will not stop."""

    max_restarts = Integer(20, help="give up replaying after this many kernel deaths").tag(config=True)
    max_output_chars = Integer(100_000, help="characters kept of one cell's printed output").tag(config=True)
    setup_timeout = Integer(180, help="seconds for a cell tagged `setup` (imports are slow on a busy "
                                      "machine, and a slow import is no learner's fault)").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        done, start, restarts = [], 0, 0
        while start < len(self.nb.cells) and restarts <= self.max_restarts:
            try:
                with self.setup_kernel():
                    self.nb.metadata["language_info"] = self.wait_for_reply(
                        self.kc.kernel_info())["content"]["language_info"]
                    for index in done:  # replay what ran before the crash, outputs discarded
                        cell = self.nb.cells[index]
                        self._with_cell_timeout(cell, lambda: self._execute_detached(copy.deepcopy(cell), index))
                    for index in range(start, len(self.nb.cells)):
                        start = index + 1
                        cell = self.nb.cells[index]
                        if cell.cell_type != "code":
                            continue
                        if is_grade(cell) and MISSING_MARK in cell.source:
                            cell.outputs = [error_output("MissingCell", "this test cell was deleted from the "
                                                         "submission; it was put back by the grader and scores 0")]
                            continue
                        self._with_cell_timeout(cell, lambda: self.preprocess_cell(cell, resources, index))
                        self._cap_output(cell)
                        done.append(index)
            except (DeadKernelError, CellTimeoutError) as exc:
                cell = self.nb.cells[start - 1]
                if isinstance(exc, DeadKernelError):
                    cell.outputs.append(error_output(
                        KERNEL_DIED, "the kernel died while this cell ran (os._exit, a signal, or the "
                                     "memory limit); later cells ran in a new kernel"))
                else:
                    cell.outputs.append(error_output(
                        "CellTimeoutError", f"this cell did not finish within {self.timeout} s and could "
                                            "not be interrupted; later cells ran in a new kernel"))
                self.log.warning("%s in cell %d; restarting the kernel", type(exc).__name__, start - 1)
                restarts += 1
        for cell in self.nb.cells[start:]:
            if cell.cell_type == "code":
                cell.outputs = [error_output(KERNEL_DIED, "not run: the kernel kept dying")]
        if os.environ.get(recheck.IN_ENV) and os.environ.get(recheck.OUT_ENV):
            self._recheck()
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _recheck(self):
        """Replay the recorded calls in a fresh kernel that runs no test cell (coursekit.recheck)."""
        with open(os.environ[recheck.IN_ENV], encoding="utf-8") as fh:
            plan = json.load(fh)
        calls, skip = plan["calls"], set(plan["skip_sources"])
        results = self._replay(calls, skip)
        if any(r.get("error", "").startswith("NameError") for r in results):
            results = self._replay(calls, set())  # the solution may use a lesson helper
        with open(os.environ[recheck.OUT_ENV], "w", encoding="utf-8") as fh:
            json.dump(results, fh)

    def _replay(self, calls, skip):
        """Run the learner's non-test cells in order; at each test cell, its recorded calls.
        A cell that kills or hangs the kernel is skipped after a restart; only the calls of
        the test cell it belonged to lose their results."""
        by_cell = {}
        for i, call in enumerate(calls):
            by_cell.setdefault(call["cell"], []).append(i)
        results, finished, broken = {}, set(), set()
        for _ in range(self.max_restarts + 1):
            current = None
            try:
                with self.setup_kernel():
                    for index, cell in enumerate(self.nb.cells):
                        if cell.cell_type != "code" or index in finished or index in broken:
                            continue
                        current = index
                        if is_grade(cell) and not is_solution(cell):
                            finished.add(index)
                            todo = by_cell.get(cell.metadata["nbgrader"].get("grade_id"), [])
                            if todo and MISSING_MARK not in cell.source:
                                results.update(zip(todo, self._run_driver([calls[i] for i in todo], index)))
                        elif cell.source not in skip:
                            self._with_cell_timeout(cell, lambda: self._execute_detached(copy.deepcopy(cell), index))
                break
            except Exception as exc:  # a dead or stuck kernel: skip that cell from now on
                self.log.warning("re-check kernel failed in cell %s: %s", current, exc)
                if current is not None:
                    broken.add(current)
        return [results.get(i, {"error": "no result (the test cell was missing, or the kernel died in it)"})
                for i in range(len(calls))]

    def _with_cell_timeout(self, cell, run):
        """Run with the setup timeout for a cell tagged `setup`, the cell timeout otherwise."""
        cell_timeout = self.timeout
        if "setup" in cell.metadata.get("tags", []):
            self.timeout = max(cell_timeout or 0, self.setup_timeout)
        try:
            return run()
        finally:
            self.timeout = cell_timeout

    def _execute_detached(self, cell, index):
        """Execute `cell` as if it stood at `index`, leaving the notebook's own cell there
        (nbclient writes the executed cell back into the notebook)."""
        original = self.nb.cells[index]
        try:
            self.execute_cell(cell, index, store_history=False)
        finally:
            self.nb.cells[index] = original

    def _run_driver(self, calls, index):
        nonce = recheck.new_nonce()
        driver = new_code_cell(recheck.driver_source(calls, nonce, per_call_seconds=self.timeout))
        cell_timeout, functions = self.timeout, len({c["function"] for c in calls})
        self.timeout = cell_timeout * (functions + 2)  # each function may use one time limit
        try:
            self._execute_detached(driver, index)
        finally:
            self.timeout = cell_timeout
        text = "".join(o.get("text", "") for o in driver.get("outputs", []) if o.get("output_type") == "stream")
        return recheck.parse_driver_output(text, nonce, len(calls))

    def _cap_output(self, cell):
        if cell.cell_type != "code":
            return
        budget = self.max_output_chars
        for out in cell.outputs:
            if out.output_type == "stream":
                if len(out.text) > budget:
                    out.text = out.text[:budget] + f"\n... [output cut: over {self.max_output_chars} characters]\n"
                budget = max(0, budget - len(out.text))


class RedactHiddenTests(NbGraderPreprocessor):
    """For feedback: no hidden-test source, no tracebacks that would quote it."""

    def preprocess(self, nb, resources):
        clear = ClearHiddenTests(enforce_metadata=False)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not is_grade(cell):
                continue
            clear.preprocess_cell(cell, resources, index)
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    out.traceback = [f"\x1b[0;31m{out.ename}\x1b[0m: {out.evalue}"]
        return nb, resources
