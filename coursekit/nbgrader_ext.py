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

from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

from . import recheck

KERNEL_DIED = "KernelDied"


def error_output(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


class ResilientExecute(Execute):
    """nbgrader's Execute, restarting the kernel when a cell kills it."""

    max_restarts = Integer(20, help="give up replaying after this many kernel deaths").tag(config=True)
    max_output_chars = Integer(100_000, help="characters kept of one cell's printed output").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        done, start, restarts = [], 0, 0
        while start < len(self.nb.cells):
            with self.setup_kernel():
                self.nb.metadata["language_info"] = self.wait_for_reply(
                    self.kc.kernel_info())["content"]["language_info"]
                try:
                    for index in done:  # replay what ran before the crash, outputs discarded
                        self.execute_cell(copy.deepcopy(self.nb.cells[index]), index, store_history=False)
                    for index in range(start, len(self.nb.cells)):
                        start = index + 1
                        self.preprocess_cell(self.nb.cells[index], resources, index)
                        self._cap_output(self.nb.cells[index])
                        if self.nb.cells[index].cell_type == "code":
                            done.append(index)
                except DeadKernelError:
                    cell = self.nb.cells[start - 1]
                    cell.outputs.append(error_output(
                        KERNEL_DIED, "the kernel died while this cell ran (os._exit, sys.exit in a "
                                     "thread, a signal, or the memory limit); later cells ran in a new kernel"))
                    self.log.warning("kernel died in cell %d; restarting", start - 1)
                    restarts += 1
                    if restarts > self.max_restarts:
                        for cell in self.nb.cells[start:]:
                            if cell.cell_type == "code":
                                cell.outputs = [error_output(KERNEL_DIED, "not run: the kernel kept dying")]
                        break
        if os.environ.get(recheck.IN_ENV) and os.environ.get(recheck.OUT_ENV):
            self._recheck()
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _recheck(self):
        """Replay the recorded calls in a fresh kernel that runs no test cell (coursekit.recheck)."""
        with open(os.environ[recheck.IN_ENV], encoding="utf-8") as fh:
            plan = json.load(fh)
        calls, skip = plan["calls"], set(plan["skip_sources"])
        nonce = recheck.new_nonce()
        driver = new_code_cell(recheck.driver_source(calls, nonce, per_call_seconds=self.timeout))
        try:
            with self.setup_kernel():
                for index, cell in enumerate(self.nb.cells):
                    if cell.cell_type != "code" or cell.source in skip or (is_grade(cell) and not is_solution(cell)):
                        continue
                    self.execute_cell(copy.deepcopy(cell), index, store_history=False)
                cell_timeout, functions = self.timeout, len({c["function"] for c in calls})
                self.timeout = cell_timeout * (functions + 2)  # each function may use one time limit
                try:
                    self.execute_cell(driver, len(self.nb.cells), store_history=False)
                finally:
                    self.timeout = cell_timeout
        except Exception as exc:  # a dead or stuck kernel: every call fails
            self.log.warning("re-check kernel failed: %s", exc)
        text = "".join(o.get("text", "") for o in driver.get("outputs", []) if o.get("output_type") == "stream")
        results = recheck.parse_driver_output(text, nonce, len(calls))
        with open(os.environ[recheck.OUT_ENV], "w", encoding="utf-8") as fh:
            json.dump(results, fh)

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
