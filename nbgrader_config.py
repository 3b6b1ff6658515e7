"""nbgrader configuration: the repository root is the course directory.

source/     master notebooks (instructor edits these)
notebooks/  learner release   (`nbgrader generate_assignment`, committed)
solutions/  answer key        (`nbgrader generate_solution`, committed)
submitted/, autograded/, feedback/, gradebook.db stay local (.gitignore).
Plain nbgrader commands use everything below; `coursekit autograde` adds the sandbox,
per-submission isolation and the independent re-check (see README).
"""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    IncludeHeaderFooter,
    InstantiateTests,
    LimitOutput,
    LockCells,
    OverwriteKernelspec,
    SaveAutoGrades,
    SaveCells,
)

from coursekit.grading import feedback_page, limits
from coursekit.grading.execute import ResilientExecute
from coursekit.grading.formgrader_guard import RefuseAutograde, in_jupyter_server
from coursekit.grading.mathml import MathToMathML
from coursekit.grading.overwrite import QuietOverwriteCells
from coursekit.grading.recorded_oracles import RecordedOracles
from coursekit.grading.redact import RedactHiddenTests

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "nn-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.solution_directory = "solutions"
# Data files next to a notebook are released with it; nothing else is. The grader's own files
# in autograded/<student>/<assignment>/ (`coursekit autograde`'s log and outcome) never reach
# a learner's feedback.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            "coursekit-autograde.log", "coursekit-outcome.json"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The release holds no reference code (issue 19): the oracles cell that computes the tests'
# expected values becomes recorded values (expected.json, written by `coursekit build`) before
# the cells are saved to the gradebook; otherwise nbgrader's own pipeline, in its order.
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput, RecordedOracles,
    CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme, ComputeChecksums,
    CheckCellMetadata,
]

# The answer key (solutions/) is for handing out after the deadline: answers in,
# hidden tests out, and no outputs (so that it is byte-for-byte reproducible from
# source/, which `coursekit build --check` verifies).
c.GenerateSolution.preprocessors = [
    IncludeHeaderFooter, LockCells, ClearOutput, ClearMarkScheme, ClearHiddenTests,
]

# Grading that survives what learners submit (coursekit/grading/execute.py): a cell that
# kills the kernel or will not stop costs only what depends on it.
c.Autograde.autograde_preprocessors = [
    ResilientExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
# nbgrader's intake of a submission, in its order; OverwriteCells without the "checksum has
# changed" warning that every test cell with hidden tests gave (coursekit/grading/overwrite.py)
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, QuietOverwriteCells, CheckCellMetadata,
]
# The formgrader's Autograde button (Lab: Nbgrader > Formgrader, a Jupyter server) would grade
# without the sandbox and re-check: there it refuses and says to run `coursekit autograde`
# (coursekit/grading/formgrader_guard.py). The command line is not a Jupyter server.
if in_jupyter_server():
    c.Autograde.sanitize_preprocessors = [RefuseAutograde]
# A learner's cell may not hang the grader: each cell gets this many seconds,
# then the kernel is interrupted and the cell counts as failed.
c.ResilientExecute.timeout = limits.CELL_TIMEOUT   # coursekit/grading/limits.py
c.ResilientExecute.interrupt_on_timeout = True
# the kernel's own start-up notes ("Ctrl-C will not work", "To connect another client...") are not
# the learner's output, nor the grader's: ipykernel prints them below CRITICAL
c.ResilientExecute.extra_arguments = ["--IPKernelApp.log_level=CRITICAL"]   # (a dying kernel is still seen: execute.py)

# Stock nbgrader gives 0 to any graded cell with output on stderr, so a correct
# answer that triggers a numpy RuntimeWarning scores nothing. Errors are errors
# (output_type "error"); stderr text is not: drop it before grading.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?s).*"

# A learner who deleted a test cell gets it back from the gradebook, and it is graded like any
# other (`coursekit autograde` puts it back itself, with a note, before nbgrader runs).
c.OverwriteCells.add_missing_cells = True
c.OverwriteCells.missing_cell_notification = (
    "# This test cell (id:{cell_id}) was deleted from the submission; the grader put it back.\n")

# Feedback never shows hidden tests (nbgrader issue 917) nor tracebacks that quote them.
c.GenerateFeedback.preprocessors = [GetGrades, RedactHiddenTests, MathToMathML, CSSHTMLHeaderPreprocessor]
# The page (coursekit/grading/feedback_page.py): test rows named after their cell, failure lines
# that wrap, formulas as MathML (above) and no MathJax from a CDN: it reads the same offline.
c.HTMLExporter.template_name = feedback_page.TEMPLATE
c.HTMLExporter.template_file = feedback_page.TEMPLATE_FILE
c.HTMLExporter.extra_template_basedirs = feedback_page.TEMPLATES
c.HTMLExporter.filters = {"name_test_rows": "coursekit.grading.feedback_page.name_test_rows",
                          "drop_mathjax": "coursekit.grading.feedback_page.drop_mathjax"}
