"""ResilientExecute: nbgrader's execute step, surviving what learners submit.

nbgrader_config.py puts it in nbgrader's autograde pipeline, so plain `nbgrader autograde`
uses it too. A cell that kills its kernel (os._exit, a signal, the memory cap) gets an error
output saying so; a new kernel replays the cells before it and grading goes on, so only the
parts that depend on that cell lose points. A cell that will not stop (not even when
interrupted) gets a timeout error output, and the same happens. A cell's printed output is
capped (megabytes of prints would bloat the gradebook and the feedback).

The independent re-check is not run here: `coursekit autograde` runs it after this pass
(coursekit.grading.recheck, driven by coursekit.grading.worker.grade_task).
"""
from __future__ import annotations

import copy
import json
import pathlib

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode

from .. import course
from . import kernel, loops, slicing
from .kernel import KERNEL_DIED, error_output


class ResilientExecute(Execute):
    """nbgrader's Execute, restarting the kernel when a cell kills it or will not stop."""

    max_restarts = Integer(20, help="give up replaying after this many kernel deaths").tag(config=True)
    max_output_chars = Integer(100_000, help="characters kept of one cell's printed output").tag(config=True)
    setup_timeout = Integer(kernel.SETUP_TIMEOUT, help="seconds for a cell tagged `setup` (imports are slow on "
                                                       "a busy machine, and a slow import is no learner's "
                                                       "fault)").tag(config=True)

    grade_slice = Bool(False, help="run only the cells the grade needs (slicing.py); the whole notebook "
                                   "if they need a name a skipped cell makes").tag(config=True)
    released_lessons = Unicode("", help="a JSON file: the fingerprints of the release's lesson cells, the only "
                                        "cells the slice may leave out (empty: any ungraded cell)").tag(config=True)

    kernel_dirs = List(Unicode(), help="folders holding the kernelspec (empty: Jupyter's search path, whose "
                                       "default imports IPython: 1 s at load 5)").tag(config=True)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if self.kernel_dirs:
            km.kernel_spec_manager = KernelSpecManager(kernel_dirs=list(self.kernel_dirs), parent=km)
        return km

    def preprocess(self, nb, resources=None, km=None):
        if not self.grade_slice:
            return self._run(nb, resources, km, None)
        original = copy.deepcopy(nb)
        released = json.loads(pathlib.Path(self.released_lessons).read_text()) if self.released_lessons else None
        needed = slicing.needed(nb, None if released is None else set(released))
        nb, resources = self._run(nb, resources, km, needed)
        if not slicing.missing_names(nb, needed):
            return nb, resources
        self.log.warning(slicing.WHOLE_LOG)   # the worker reads it from the log and notes it
        return self._run(original, resources, km, None)

    def _run(self, nb, resources, km, needed):
        """Run the code cells of `nb` (those in `needed`, or all), surviving deaths and hangs."""
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        done, start, restarts = [], 0, 0
        functions, blocked = loops.learner_functions(self.nb), {}   # blocked: {function: where it looped}
        while start < len(self.nb.cells) and restarts <= self.max_restarts:
            running, replaying = start, False
            try:
                with self.setup_kernel():
                    self.nb.metadata["language_info"] = self.wait_for_reply(
                        self.kc.kernel_info())["content"]["language_info"]
                    replaying = True
                    for running in list(done):  # replay what ran before the crash, outputs discarded
                        cell = self.nb.cells[running]
                        with kernel.cell_timeout(self, cell, self.setup_timeout):
                            kernel.execute_detached(self, copy.deepcopy(cell), running)
                    replaying = False
                    for running in range(start, len(self.nb.cells)):
                        start = running + 1
                        cell = self.nb.cells[running]
                        if cell.cell_type != "code":
                            continue
                        if needed is not None and running not in needed:
                            cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                                   text=slicing.NOT_RUN_TEXT)]
                            cell.execution_count = None
                            continue
                        if self._skip_if_blocked(cell, functions, blocked):
                            continue
                        with kernel.cell_timeout(self, cell, self.setup_timeout):
                            self.preprocess_cell(cell, resources, running)
                        self._cap_output(cell)
                        if loops.timed_out(cell):
                            self._name_the_loop(cell, running, functions, blocked)
                        done.append(running)
            except (DeadKernelError, CellTimeoutError) as exc:
                if replaying:   # a cell that ran before fails on its replay: said once, not replayed again
                    done.remove(running)
                self._record_failure(exc, running, replaying, functions, blocked)
                restarts += 1
        for cell in self.nb.cells[start:]:
            if cell.cell_type == "code":
                cell.outputs = [error_output(KERNEL_DIED, "not run: the kernel kept dying")]
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _record_failure(self, exc, index, replaying, functions, blocked):
        """The error output of the cell at `index`, the one that was running when the kernel died
        or would not stop (on its replay after an earlier restart, if `replaying`)."""
        cell, where = self.nb.cells[index], loops.label(self.nb, index)
        again = " when it was run again after a restart" if replaying else ""
        if isinstance(exc, DeadKernelError):
            # whether the kernel said it began this cell before dying is a race: say it did not
            cell.execution_count = None
            cell.metadata.pop("execution", None)
            cell.outputs.append(error_output(
                KERNEL_DIED, f"the kernel died while this cell ran{again} (os._exit, a signal, or the "
                             "memory limit); later cells ran in a new kernel"))
        else:
            # no traceback to read: the learner function the cell calls is the one that hung
            function = loops.uses(cell.source, functions) if not course.is_solution(cell) else None
            what = f"`{function}` did not return" if function else "this cell did not finish"
            cell.outputs.append(error_output(
                "CellTimeoutError", f"{what} in {where}{again} within {self.timeout} s and could not be "
                                    "interrupted; later cells ran in a new kernel"))
            if function:
                blocked.setdefault(function, where)
        self.log.warning("%s in cell %d; restarting the kernel", type(exc).__name__, index)

    def _skip_if_blocked(self, cell, functions, blocked):
        """A test or lesson cell that calls a function known to loop (directly or through another
        of the learner's functions) is not run again: it says why instead (issue 22)."""
        if course.is_solution(cell) or course.is_setup(cell):
            return False
        looping = next((f for f in blocked if loops.uses(cell.source, loops.callers(functions, f))), None)
        if looping is None:
            return False
        cell.outputs = [loops.not_run_output(looping, blocked[looping])]
        cell.execution_count = None
        cell.metadata.pop("execution", None)
        return True

    def _name_the_loop(self, cell, index, functions, blocked):
        """One error saying which learner function ran past the limit, instead of an interrupt's
        traceback and nbclient's bare CellTimeoutError."""
        function = loops.looping_function(cell.outputs, functions)
        where = loops.label(self.nb, index)
        cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
        cell.outputs.append(loops.timeout_output(function, self.timeout, where))
        if function and not course.is_solution(cell):
            blocked.setdefault(function, where)

    def _cap_output(self, cell):
        budget = self.max_output_chars
        for out in cell.outputs:
            if out.output_type == "stream":
                if len(out.text) > budget:
                    out.text = out.text[:budget] + f"\n... [output cut: over {self.max_output_chars} characters]\n"
                budget = max(0, budget - len(out.text))
