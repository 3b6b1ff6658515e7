"""RefuseAutograde: the formgrader's Autograde button says to use `coursekit autograde`.

nbgrader's formgrader (JupyterLab: Nbgrader > Formgrader) grades a submission when its
Autograde button is pressed by running nbgrader's Autograde inside the Jupyter server: with
the course's execute step but without the sandbox, the per-submission isolation or the
independent re-check that `coursekit autograde` adds. So nbgrader_config.py, when it is loaded
by a running Jupyter server (`in_jupyter_server`), puts this step first in the autograde
pipeline: the button then fails at once with a message that says what to run instead. The
formgrader's other pages (submissions, manual grading, feedback) work as usual; the command
line's `nbgrader autograde` is not affected (it is not a Jupyter server).
"""
from __future__ import annotations

import sys

from nbgrader.preprocessors import NbGraderPreprocessor

MESSAGE = ("this course grades with `coursekit autograde {assignment} --student {student}` (in the course "
           "folder, from a terminal): it runs learners' code in a sandbox and re-checks the results, which "
           "the formgrader's Autograde button would not. Grades it writes appear here.")


def in_jupyter_server():
    """True inside a running Jupyter server (the formgrader's process)."""
    serverapp = sys.modules.get("jupyter_server.serverapp")
    return bool(serverapp and serverapp.ServerApp.initialized())


class AutogradeRefused(RuntimeError):
    pass


class RefuseAutograde(NbGraderPreprocessor):
    """First step of autograding inside a Jupyter server: refuse, saying what to run."""

    def preprocess(self, nb, resources):
        meta = resources.get("nbgrader", {})
        raise AutogradeRefused(MESSAGE.format(assignment=meta.get("assignment", "ASSIGNMENT"),
                                              student=meta.get("student", "STUDENT")))
