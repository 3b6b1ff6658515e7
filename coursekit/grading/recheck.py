"""An independent re-check: a verdict that learner code cannot touch.

In nbgrader the tests run inside the learner's kernel, after the learner's code, so that
code can change what the tests see (patch `abs`, numpy, the check helpers, IPython's
error display...). The re-check closes that door:

1. `record`: the answer key (source/) runs once with COURSEKIT_RECORD set; every
   `ck.check` call is written down as data: notebook, test cell, graded function, inputs,
   the oracle's expected value, the tolerance (coursekit.replay). `recorded_checks` caches
   the records, keyed on everything that can change an expected value.
2. `run`: after nbgrader's pass, a *fresh* sandboxed kernel (the same kernelspec, IPC
   sockets of its own, cell timeouts, restarts after a dead or hung cell) runs the learner's
   cells in order, except the test cells (so no expected value ever enters it) and the
   lesson cells left as released; in place of each test cell it runs `driver_source`, which
   calls the graded functions on that cell's recorded inputs and sends back plain data
   (numbers, strings, arrays, lists/tuples/dicts of those) as JSON: no pickle, nothing that
   runs. If a call fails with a NameError (a solution that uses a lesson helper), the replay
   is repeated with the lesson cells included.
3. `verdicts`: here, where no learner code runs, that data is compared with the recorded
   expected values using the notebook's own `checks.compare` and tolerances. `apply`: a
   graded cell keeps its points only if both the notebook's test and the re-check pass; a
   re-check that could not compare (the grader's failure) scores 0 and is marked for the
   instructor, never the notebook's in-kernel verdict.
"""
from __future__ import annotations

from .. import values  # noqa: F401 - tests patch recheck.values.decode
from .recheck_record import CACHE, PACKAGE, cache_key, library_versions, record, recorded_checks  # noqa: F401
from .recheck_replay import (  # noqa: F401
    ReplayKernel,
    driver_source,
    new_nonce,
    parse_driver_output,
    plan,
    replayable,
    run,
)
from .recheck_verdict import FAIL, GRADER_ERROR, PASS, apply, judge, verdicts  # noqa: F401
