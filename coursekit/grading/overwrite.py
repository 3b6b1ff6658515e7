"""QuietOverwriteCells: nbgrader's OverwriteCells without a false alarm in every log.

OverwriteCells puts each locked cell of a submission back as the gradebook has it, and logs
"Attribute 'checksum' for cell test_sigmoid has changed!" whenever the submitted cell's
checksum differs from the gradebook's. For a test cell with hidden tests it always does: the
gradebook keeps the cell with its hidden tests, the learner's release without them (nbgrader
computes the checksum before and after cutting them). So a blank, untouched submission logged
one warning per such cell. Only that attribute is quiet here; every other change is still
logged, and edits by learners are found and said by intake.py, against the issued releases.
"""
from __future__ import annotations

from nbgrader.preprocessors import OverwriteCells


class QuietOverwriteCells(OverwriteCells):
    """OverwriteCells, silent about the checksum that hidden tests change by design."""

    def report_change(self, name, attr, old, new):
        if attr != "checksum":
            super().report_change(name, attr, old, new)
