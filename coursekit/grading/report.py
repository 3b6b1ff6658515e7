"""`coursekit report ASSIGNMENT [--out DIR]`: what an instructor reads after `coursekit autograde`.

Writes reports/<ASSIGNMENT>.html (one self-contained page, report_html.py: figures are
embedded PNGs) and reports/<ASSIGNMENT>.csv (a row per submission: scores as the gradebook
holds them, status, seconds, events, re-check flags, grader problems, integrity flags), from
the facts that report_facts.py reads (the gradebook, the autograded notebooks, the
coursekit-outcome.json files) and the integrity check (integrity.py).

cli.py wires it in: `report.add_parser(subparsers)`, then `report.run(args)` for `coursekit report`.
"""
from __future__ import annotations

import csv
import pathlib
import sys

from ..course import CourseError as BuildError
from ..course import find_root
from .report_facts import (  # noqa: F401 - the report's facts, re-exported for callers and tests
    NO_SUBMISSION,
    OUTCOME_NAME,
    UNKNOWN,
    Report,
    ReportError,
    Submission,
    collect,
    exact,
    failure_messages,
    fmt,
    message,
    normalise,
    read_outcome,
)
from .report_html import render

# ---------------------------------------------------------------- files

def write(report, out_dir):
    """Write <out_dir>/<A>.html and <A>.csv; return their paths."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, csv_path = out_dir / f"{report.assignment}.html", out_dir / f"{report.assignment}.csv"
    html_path.write_text(render(report), encoding="utf-8")
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(csv_rows(report))
    return html_path, csv_path


def csv_rows(report):
    """The CSV: a header, then one row per submission (scores as the gradebook holds them) and per
    learner of the roster without one (status "no submission", score 0 as `nbgrader export` gives it):
    `score` is the score after the late penalty, equal to `nbgrader export`'s; `raw_score`
    the sum of the parts; `late_seconds` "no timestamp" for a submission without timestamp.txt;
    `similar_code` the graded functions near-identical to another submission's (similarity.py)."""
    rows = [["student", "score", "max", "raw_score", "late_penalty", *report.parts, "timestamp", "due_date",
             "late_seconds", "status", "seconds", "events", "recheck_flags", "grader_problems", "integrity_flags",
             "similar_code"]]
    similar = _similar_text(report.similar)
    for s in report.submissions:
        graded = s.scores is not None
        absent = s.status == NO_SUBMISSION        # score 0, as `nbgrader export` gives it
        rows.append([_safe(s.student), exact(s.score()) if graded else ("0" if absent else ""),
                     exact(report.max_total()),
                     exact(s.total()) if graded else "", exact(s.penalty) if graded else "",
                     *[exact(s.part(ids)) if graded else "" for ids in report.parts.values()],
                     "" if s.timestamp is None else str(s.timestamp), "" if s.duedate is None else str(s.duedate),
                     "" if not graded else ("no timestamp" if s.timestamp is None else exact(s.seconds_late)),
                     s.status, ("" if absent else UNKNOWN) if s.seconds is None else f"{s.seconds:.1f}",
                     _safe("; ".join(s.event_text())), _safe(" | ".join(s.flags)),
                     _safe(" | ".join(s.grader_errors)), _safe("; ".join(map(str, s.integrity))),
                     _safe("; ".join(similar.get(s.student, [])))])
    return rows


def _similar_text(result):
    """{student: ["function like OTHER (0.93)"]} of the flagged pairs (similarity.py)."""
    out = {}
    for p in (result.pairs if result is not None else []):
        out.setdefault(p.a, []).append(f"{p.function} like {p.b} ({p.similarity:.2f})")
        out.setdefault(p.b, []).append(f"{p.function} like {p.a} ({p.similarity:.2f})")
    return out


def _safe(text):
    """Text for a spreadsheet cell: a leading = + - @ would make it a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# ---------------------------------------------------------------- command line

def add_parser(subparsers):
    p = subparsers.add_parser("report", help="after autograde: the class's scores, failures and flags as "
                                             "reports/<ASSIGNMENT>.html and .csv")
    p.add_argument("assignment")
    p.add_argument("--out", default=None, help="folder for the two files (default: reports/ in the course)")
    return p


def run(args):
    """`coursekit report`: print the two paths written; 2 when there is nothing to report on."""
    try:
        root = find_root()
        html_path, csv_path = write(collect(root, args.assignment), args.out or root / "reports")
    except (BuildError, ReportError) as exc:
        print(f"coursekit report: {exc}", file=sys.stderr)
        return 2
    print(html_path)
    print(csv_path)
    return 0
