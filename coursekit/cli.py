"""The `coursekit` command: what nbgrader lacks for this course.

    coursekit build [--check] [ASSIGNMENT ...]
    coursekit autograde ASSIGNMENT [--student ID ...] [--jobs N | --cluster tcp://HOST:8786]
                        [--cell-timeout S] [--memory-limit GiB] [--submission-timeout S]
                        [--no-sandbox] [--no-recheck]
    coursekit report ASSIGNMENT [--out DIR]   what the class got wrong: HTML + CSV (reports/)
    coursekit export ASSIGNMENT [--lms canvas|moodle] [--out DIR]   grades for the LMS (grades-*.csv)
    coursekit measure [ASSIGNMENT ...]     Run All time of each source notebook
    coursekit show ASSIGNMENT FUNCTION     where a graded function is checked: its test cells
                                           (visible, hidden), points, oracles and variants

Exit status: 0; 1 when autograde graded everything but the grader itself had a problem with
some part (GRADER PROBLEM in the table); 2 when the command could not run (no such
assignment or submission, no sandbox without --no-sandbox, a cluster without sandboxed
workers...). `coursekit autograde` regenerates the feedback of the students it graded who
already had some; `coursekit build` says how many grades were made against an earlier release.
"""
from __future__ import annotations

import argparse
import sys
import warnings

from . import build as _build
from .build import BuildError, find_root
from .grading import export as _export
from .grading import limits
from .grading import report as _report
from .grading.autograde import Options, SandboxMissing, autograde, default_jobs
from .grading.cluster import ClusterError
from .grading.intake import IntakeError
from .measure import measure
from .show import run as show


def _quiet():
    """nbgrader 0.9's gradebook API makes SQLAlchemy warn about objects "not in session" while it
    adds submissions (nbgrader's own autoflush, harmless): not the instructor's business."""
    try:
        from sqlalchemy.exc import SAWarning
    except ImportError:
        return
    warnings.filterwarnings("ignore", category=SAWarning)


def main(argv=None):
    _quiet()
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="generate the release (notebooks/) and answer key (solutions/)")
    p.add_argument("assignments", nargs="*", help="default: all assignments in source/")
    p.add_argument("--check", action="store_true",
                   help="fail if notebooks/ or solutions/ differ from what source/ generates")

    p = sub.add_parser("autograde", help="autograde every submission, then print a score table")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, default=default_jobs(),
                       help=f"submissions graded at once on this machine (default: the cores, {default_jobs()})")
    where.add_argument("--cluster", metavar="tcp://HOST:8786",
                       help="grade on the workers of this Dask scheduler instead (pip install coursekit[cluster])")
    p.add_argument("--submission-timeout", type=float, default=limits.SUBMISSION_TIMEOUT,
                   help=f"seconds allowed for one submission as a whole (default {limits.SUBMISSION_TIMEOUT})")
    p.add_argument("--cell-timeout", type=int, default=limits.CELL_TIMEOUT,
                   help=f"seconds allowed for one cell (default {limits.CELL_TIMEOUT})")
    p.add_argument("--memory-limit", type=float, default=limits.MEMORY_LIMIT / 2 ** 30,
                   help="GiB of address space for one learner kernel (default 4; 0 = no cap)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade even without bubblewrap: learner code then runs unisolated (not recommended)")
    p.add_argument("--changed-only", action="store_true",
                   help="grade only submissions that are new, changed since last graded, or graded against an "
                        "earlier release")
    p.add_argument("--all-cells", action="store_true",
                   help="run every cell of each submission, not only those the grade needs (slower; the lesson "
                        "cells' output then shows in the feedback)")
    p.add_argument("--no-recheck", action="store_true",
                   help="skip the independent re-check of graded calls (faster, can be fooled)")

    p = sub.add_parser("measure", help="time Run All of each source notebook (for the README's course map)")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--where", default="source", choices=["source", "solutions"])

    p = sub.add_parser("show", help="a graded function's test cells (visible and hidden), points, oracles and "
                                    "variants: where is it checked?")
    p.add_argument("assignment", help="its folder name in source/ or its number (04)")
    p.add_argument("function", help="the graded function")

    _report.add_parser(sub)
    _export.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        root = find_root()
        if args.command == "build":
            if args.check:
                problems = _build.check(root, args.assignments)
                for problem in problems:
                    print(f"build check: {problem}", file=sys.stderr)
                return 1 if problems else 0
            _build.build(root, args.assignments)
            return 0
        if args.command == "autograde":
            opts = Options(memory_limit=int(args.memory_limit * 2 ** 30), cell_timeout=args.cell_timeout,
                           submission_timeout=args.submission_timeout, sandbox=not args.no_sandbox,
                           recheck=not args.no_recheck, all_cells=args.all_cells)
            outcomes = autograde(root, args.assignment, args.student, opts, jobs=args.jobs, cluster=args.cluster,
                                 changed_only=args.changed_only)
            troubled = [o.student for o in outcomes if o.grader_errors]
            if troubled:
                print(f"coursekit autograde: the grader had a problem with {len(troubled)} submission(s) "
                      f"({', '.join(troubled)}); their parts concerned scored 0 and are marked for manual "
                      "grading (GRADER PROBLEM above)", file=sys.stderr)
                return 1
            return 0
        if args.command == "report":
            return _report.run(args)
        if args.command == "export":
            return _export.run(args)
        if args.command == "show":
            return show(root, args.assignment, args.function)
        if args.command == "measure":
            measure(root, args.assignments, where=args.where)
            return 0
    except (BuildError, IntakeError, SandboxMissing, ClusterError) as exc:
        print(f"coursekit {args.command}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
