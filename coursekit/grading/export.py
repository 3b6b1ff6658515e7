"""`coursekit export ASSIGNMENT [--lms canvas|moodle] [--out DIR]`: an assignment's grades in the
column layouts that Canvas's and Moodle's gradebooks import, one file per LMS:
grades-<ASSIGNMENT>-canvas.csv and grades-<ASSIGNMENT>-moodle.csv (git-ignored: `grades*.csv`).

Who and what, read from the gradebook with nbgrader's API, as `nbgrader export` computes them
(nbgrader/plugins/export.py, CsvExportPlugin): every student of the gradebook (the roster, put in
with `nbgrader db student import roster.csv`, columns id, first_name, last_name, email and,
optionally, lms_user_id; and whoever submitted), the score after the late penalty nbgrader's
LateSubmissionPlugin assigned, max(0, raw - penalty), and 0 for a student without a submission;
the assignment's points (the gradebook's max score) as the maximum.

The layouts:

- Canvas, the gradebook's CSV as Canvas exports and imports it (Canvas guides, "How do I export
  grades in the Gradebook?" / "How do I import grades in the Gradebook?"): the columns `Student`
  ("Last, First"), `ID` (Canvas's user id), `SIS User ID`, `SIS Login ID`, `Section`, then one
  column per assignment named `<assignment> (<Canvas assignment id>)` (without an id, Canvas makes
  a new assignment of that name), and a second row `Points Possible` with the assignment's points.
  Canvas matches a row by ID, else by the SIS columns: ID is the roster's lms_user_id (nbgrader's
  Student.lms_user_id; Canvas's own export lists it), SIS User ID the nbgrader student id, SIS
  Login ID the email; Section is left empty.
- Moodle, the grade import from a CSV file (Moodle's grade/import/csv: Grades > Import > CSV file;
  the columns are free, the teacher maps one of them to the user and others to grade items):
  `First name`, `Last name`, `ID number`, `Email address` as Moodle's own grade export names
  them, then `<assignment>`. Identify users by "Email address" (or "ID number", the nbgrader
  student id) and map `<assignment>` to a grade item whose maximum grade is the assignment's
  points (Moodle keeps a grade item's maximum; a grade item the import creates gets 100).

cli.py wires it in: `export.add_parser(subparsers)`, then `export.run(args)`.
"""
from __future__ import annotations

import csv
import dataclasses
import pathlib
import sys

from nbgrader.api import Gradebook, MissingEntry

from .. import course
from ..course import CourseError as BuildError
from ..course import find_root
from .report import _safe  # a spreadsheet cell that is never a formula
from .report_facts import exact

LAYOUTS = ("canvas", "moodle")


class ExportError(RuntimeError):
    """The grades cannot be exported (no such assignment in the gradebook); the message says why."""


@dataclasses.dataclass(frozen=True)
class Grade:
    """One student's grade of one assignment, as `nbgrader export` gives it."""
    student: str
    first_name: str
    last_name: str
    email: str
    lms_user_id: str
    submitted: bool
    raw: float
    penalty: float

    @property
    def score(self):
        return max(0.0, self.raw - self.penalty)


def grades(root, assignment):
    """(the assignment's points, [Grade] for every student of the gradebook, by id)."""
    with Gradebook(course.gradebook_url(root)) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            have = sorted(a.name for a in gb.assignments)
            raise ExportError(f"the gradebook has no assignment {assignment} (have: {', '.join(have) or 'none'}): "
                              f"run `coursekit autograde {assignment}` first") from None
        top, out = float(found.max_score or 0.0), []
        for s in sorted(gb.students, key=lambda s: s.id):
            try:
                sub = gb.find_submission(assignment, s.id)
                submitted, raw, penalty = True, float(sub.score or 0.0), float(sub.late_submission_penalty or 0.0)
            except MissingEntry:
                submitted, raw, penalty = False, 0.0, 0.0
            out.append(Grade(s.id, s.first_name or "", s.last_name or "", s.email or "",
                             "" if s.lms_user_id is None else str(s.lms_user_id), submitted, raw, penalty))
    return top, out


def canvas_rows(assignment, top, rows, canvas_id=None):
    """The Canvas gradebook CSV: header, the Points Possible row, a row per student."""
    column = f"{assignment} ({canvas_id})" if canvas_id else assignment
    out = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column],
           ["    Points Possible", "", "", "", "", exact(top)]]
    for g in rows:
        name = ", ".join(x for x in (g.last_name, g.first_name) if x) or g.student
        out.append([_safe(name), _safe(g.lms_user_id), _safe(g.student), _safe(g.email), "", exact(g.score)])
    return out


def moodle_rows(assignment, rows):
    """The Moodle grade import CSV: header and a row per student."""
    out = [["First name", "Last name", "ID number", "Email address", assignment]]
    out += [[_safe(g.first_name), _safe(g.last_name), _safe(g.student), _safe(g.email), exact(g.score)] for g in rows]
    return out


def write(root, assignment, out_dir, layouts=LAYOUTS, canvas_id=None):
    """Write one file per layout; return ({layout: path}, the points, [Grade])."""
    top, rows = grades(root, assignment)
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for layout in layouts:
        table = canvas_rows(assignment, top, rows, canvas_id) if layout == "canvas" else moodle_rows(assignment, rows)
        paths[layout] = out_dir / f"grades-{assignment}-{layout}.csv"
        with open(paths[layout], "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(table)
    return paths, top, rows


# ---------------------------------------------------------------- command line

def add_parser(subparsers):
    p = subparsers.add_parser("export", help="the grades of an assignment as CSV files that Canvas and Moodle "
                                             "import (grades-<ASSIGNMENT>-<lms>.csv)")
    p.add_argument("assignment")
    p.add_argument("--lms", action="append", choices=LAYOUTS, help="only this layout (repeatable; default: both)")
    p.add_argument("--out", default=None, help="folder for the files (default: the course folder)")
    p.add_argument("--canvas-assignment-id", default=None,
                   help="the assignment's id in Canvas (its column in Canvas's own export): without it, "
                        "Canvas makes a new assignment")
    return p


def run(args):
    """`coursekit export`: print each file written and what it holds; 2 when it cannot run."""
    try:
        root = find_root()
        paths, top, rows = write(root, args.assignment, args.out or root, tuple(args.lms or LAYOUTS),
                                 args.canvas_assignment_id)
    except (BuildError, ExportError) as exc:
        print(f"coursekit export: {exc}", file=sys.stderr)
        return 2
    absent = [g.student for g in rows if not g.submitted]
    late = [g.student for g in rows if g.penalty]
    print(f"{args.assignment}: {len(rows)} student(s) of the gradebook, out of {exact(top)} points, scores after "
          f"the late penalty (as `nbgrader export`); {len(late)} with a late penalty, {len(absent)} without a "
          f"submission (score 0)" + (f": {', '.join(absent)}" if absent else ""))
    if not rows:
        print("  the gradebook has no students: import the roster with `nbgrader db student import roster.csv`")
    if "canvas" in paths and any(not g.lms_user_id for g in rows):
        print("  canvas: no lms_user_id for some students: Canvas matches them by SIS User ID (their nbgrader id) "
              "or SIS Login ID (their email)")
    if "moodle" in paths:
        print(f"  moodle: identify users by Email address or ID number; map {args.assignment} to a grade item "
              f"of maximum grade {exact(top)}")
    for path in paths.values():
        print(path)
    return 0
