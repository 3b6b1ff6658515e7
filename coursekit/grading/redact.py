"""RedactHiddenTests: nbgrader's feedback step, showing learners no hidden test.

nbgrader_config.py puts it in `nbgrader generate_feedback`'s pipeline: hidden tests are cut
out of test cells, and error tracebacks of graded cells are reduced to their last line, which
names the failed check but not the code that made it (nbgrader issue 917).
"""
from __future__ import annotations

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import List, Unicode

from .. import course


class RedactHiddenTests(NbGraderPreprocessor):
    """For feedback: no hidden-test source, no tracebacks that would quote it."""

    # nbconvert's HTML exporter configures it for every preprocessor; taken (unused) so that
    # `generate_feedback` does not warn "Config option display_data_priority not recognized"
    display_data_priority = List(Unicode()).tag(config=True)

    def preprocess(self, nb, resources):
        clear = ClearHiddenTests(enforce_metadata=False)
        for index, cell in enumerate(nb.cells):
            if not course.is_test(cell):
                continue
            clear.preprocess_cell(cell, resources, index)
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    out.traceback = [f"\x1b[0;31m{out.ename}\x1b[0m: {out.evalue}"]
        return nb, resources
