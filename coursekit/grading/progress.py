"""Progress of a grading run: done / total, rate, time left and flags so far (autograde.py)."""
from __future__ import annotations

import sys


class Progress:
    """done / total, rate, time left and flags so far: a tqdm bar on a terminal, plain log
    lines elsewhere (a CI log, a file)."""

    def __init__(self, total, desc, log, bar=None):
        self.log, self.total, self.done, self.flagged = log, total, 0, 0
        use_bar = sys.stderr.isatty() if bar is None else bar
        self.bar = None
        if use_bar:
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=desc, unit="submission", dynamic_ncols=True)

    def update(self, outcome):
        self.done += 1
        self.flagged += bool(outcome.flags or outcome.grader_errors)
        if self.bar is not None:
            self.bar.set_postfix_str(f"flags {self.flagged}", refresh=False)
            self.bar.update(1)
        else:
            self.log(f"[{self.done}/{self.total}] {outcome.student}: {outcome.status} in {outcome.seconds:.1f} s"
                     + (" (flagged)" if outcome.flags or outcome.grader_errors else ""))

    def close(self):
        if self.bar is not None:
            self.bar.close()
