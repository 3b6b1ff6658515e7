"""The facts of `coursekit report` (report.py writes them, report_html.py shows them), each
read where it is kept:

- scores: the gradebook (nbgrader's Gradebook API at course.gradebook_url), so every number
  equals what nbgrader holds: totals, each graded part's mean and share of full marks (a part
  is a graded function and its test cells, coursekit.course.parts);
- late work: the submission's timestamp (none without timestamp.txt), its due date, the
  seconds past it, the late penalty nbgrader's policy assigned and the score after it, as
  `nbgrader export` computes them (gradebook.lateness); the distribution is of that score;
- what the class got wrong: the error outputs of the test cells in the autograded notebooks,
  one message per submission and test cell (the exception's first line; numbers masked, so
  that the same failure with other values counts once);
- status, seconds, notes, re-check flags, grader problems and events (timed out, kernel died,
  out of memory, unreadable, grader failed, restored cells, edited metadata): the
  coursekit-outcome.json that autograde writes next to the autograded notebooks ("unknown"
  where it is missing or unreadable);
- integrity flags: integrity.py on the autograded notebooks (for a person to look at);
- similar code: similarity.py on the autograded notebooks' graded functions (pairs of
  near-identical ones, the release's code left out; for a person to look at).
"""
from __future__ import annotations

import collections
import dataclasses
import json
import math
import pathlib
import re
import statistics

from nbgrader.api import Gradebook, MissingEntry

from .. import course
from . import gradebook, intake, integrity, similarity
from .result import EVENTS, OUTCOME_NAME
from .summary import duration

UNKNOWN = "unknown"
NO_SUBMISSION = "no submission"         # a learner of the roster (gradebook students) who submitted nothing
TROUBLE = ("timeout", "kernel_died", "out_of_memory", "unreadable", "grader_failed")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w])|\b(?:nan|inf)\b|0x[0-9a-f]+")


class ReportError(RuntimeError):
    """The report cannot be made (nothing graded yet); the message says why."""


@dataclasses.dataclass
class Submission:
    """One student's submission: gradebook scores and what autograde recorded about it."""
    student: str
    scores: dict | None                       # {grade_id: score} (None: not in the gradebook)
    status: str = UNKNOWN                     # "graded", "graded with zeros" or "unknown"
    seconds: float | None = None
    notes: list = dataclasses.field(default_factory=list)
    flags: list = dataclasses.field(default_factory=list)
    grader_errors: list = dataclasses.field(default_factory=list)
    events: list = dataclasses.field(default_factory=list)   # [{"kind", "notebook", "cell"}]
    failures: dict = dataclasses.field(default_factory=dict)  # {test grade_id: message}
    integrity: list = dataclasses.field(default_factory=list)  # [integrity.Finding]
    timestamp: object = None                  # datetime (None: no timestamp.txt, or not in the gradebook)
    duedate: object = None                    # datetime, with any extension (None: no due date)
    seconds_late: float = 0.0
    penalty: float = 0.0                      # the late penalty nbgrader assigned

    def total(self):
        """The raw score: the sum of the graded cells' scores."""
        return None if self.scores is None else sum(v or 0.0 for v in self.scores.values())

    def score(self):
        """The score after the late penalty, as `nbgrader export` gives it."""
        return None if self.scores is None else max(0.0, self.total() - self.penalty)

    def late_text(self):
        """On time, late by how much, or no timestamp ("" without a due date)."""
        if self.scores is None or (self.duedate is None and not self.penalty):
            return ""
        if self.timestamp is None:
            return "no timestamp"
        return f"late by {duration(self.seconds_late)}" if self.seconds_late else "on time"

    def part(self, grade_ids):
        return None if self.scores is None else sum(self.scores.get(g) or 0.0 for g in grade_ids)

    def event_text(self, kinds=tuple(EVENTS)):
        return [EVENTS[e["kind"]] + "".join(f" {w} {e[k]}" for w, k in (("in", "notebook"), ("cell", "cell"))
                                             if e.get(k)) for e in self.events if e["kind"] in kinds]


@dataclasses.dataclass
class Report:
    assignment: str
    maxima: dict        # {test grade_id: max score}, in notebook order
    parts: dict         # {part: [test grade_ids]}
    submissions: list   # [Submission], by student
    similar: object = None   # similarity.Result over the autograded notebooks (None: not checked)

    def graded(self):
        return [s for s in self.submissions if s.scores is not None]

    def absent(self):
        """The learners of the roster without a submission (score 0, as `nbgrader export` gives them)."""
        return [s for s in self.submissions if s.status == NO_SUBMISSION]

    def max_total(self):
        return sum(self.maxima.values())

    def part_stats(self):
        """[(part, max, mean or None, share of full marks or None)]."""
        rows = []
        for part, ids in self.parts.items():
            top, got = sum(self.maxima[g] for g in ids), [s.part(ids) for s in self.graded()]
            rows.append((part, top, statistics.fmean(got) if got else None,
                         sum(v >= top - 1e-9 for v in got) / len(got) if got else None))
        return rows

    def common_failures(self, limit=5):
        """{test grade_id: [(message, students, variants)]}, most common first: submissions whose
        messages differ only in numbers count as one failure (the most common wording is shown)."""
        return {gid: [(text, len(who), variants) for text, who, variants in groups]
                for gid, groups in self.failure_groups(limit).items()}

    def failure_groups(self, limit=None):
        """{test grade_id: [(message, [students who got it], variants)]}, most common first
        (as common_failures; `limit` None: every failure)."""
        out = {}
        for gid in self.maxima:
            groups, who = collections.defaultdict(collections.Counter), collections.defaultdict(list)
            for s in self.submissions:
                if gid in s.failures:
                    groups[normalise(s.failures[gid])][s.failures[gid]] += 1
                    who[normalise(s.failures[gid])].append(s.student)
            ranked = sorted(groups, key=lambda k: (-sum(groups[k].values()), groups[k].most_common(1)[0][0]))
            out[gid] = [(groups[k].most_common(1)[0][0], sorted(who[k]), len(groups[k])) for k in ranked[:limit]]
        return out


# ---------------------------------------------------------------- facts

def collect(root, assignment):
    """The Report of an assignment, from the gradebook and the autograded folders."""
    root = pathlib.Path(root)
    try:
        intake.known_assignment(root, assignment)
    except intake.IntakeError as exc:
        raise ReportError(str(exc)) from None
    students, maxima, roster = _gradebook_entries(root, assignment)
    folders = root / "autograded"
    on_disk = {p.parent.name for p in folders.glob(f"*/{assignment}") if p.is_dir()} if folders.is_dir() else set()
    table, _ = gradebook.scores(root, assignment, students)
    late = gradebook.lateness(root, assignment, students)
    subs = []
    for student in sorted(set(students) | on_disk | set(roster)):
        row = table.get(student)
        folder = folders / student / assignment
        if row is None and student not in on_disk:
            subs.append(Submission(student, None, status=NO_SUBMISSION))
            continue
        sub = Submission(student, None if row is None else {g: row.get(g) for g in maxima}, **read_outcome(folder))
        sub.failures = failure_messages(folder)
        sub.integrity = integrity.check_folder(root, assignment, folder) if folder.is_dir() else []
        if row is not None and student in late:
            info = late[student]
            sub.timestamp, sub.duedate = info["timestamp"], info["duedate"]
            sub.seconds_late, sub.penalty = info["seconds_late"], info["penalty"]
        subs.append(sub)
    return Report(assignment, maxima, course.parts(list(maxima), course.assignment_functions(root, assignment)),
                  subs, similarity.check(root, assignment, {s: folders / s / assignment for s in sorted(on_disk)}))


def _gradebook_entries(root, assignment):
    """(students with a submission, {test grade_id: max score} in the source notebooks' order,
    every student of the gradebook: the roster, `nbgrader db student import` or those who submitted)."""
    with Gradebook(course.gradebook_url(root)) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            raise ReportError(f"the gradebook has no assignment {assignment}: run `coursekit autograde "
                              f"{assignment}` first") from None
        students = sorted(s.student.id for s in found.submissions)
        roster = sorted(s.id for s in gb.students)
        maxima = {gc.name: gc.max_score for nb in found.notebooks for gc in nb.grade_cells if gc.max_score}
    order = [course.grade_id(c) for p in course.notebooks(root, assignment) for c in course.read(p).cells
             if course.is_test(c)]
    rank = {g: i for i, g in enumerate(order)}
    return students, {g: maxima[g] for g in sorted(maxima, key=lambda g: (rank.get(g, len(rank)), g))}, roster


def read_outcome(folder):
    """What coursekit-outcome.json says (status, seconds, notes, flags, grader_errors, events),
    whatever shape it is in: missing or malformed parts stay unknown/empty."""
    try:
        data = json.loads((pathlib.Path(folder) / OUTCOME_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    out = {}
    if isinstance(data.get("status"), str) and data["status"]:
        out["status"] = data["status"]
    seconds = data.get("seconds")
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and math.isfinite(seconds):
        out["seconds"] = float(seconds)
    for key in ("notes", "flags", "grader_errors"):
        if isinstance(data.get(key), list):
            out[key] = [str(x) for x in data[key]]
    if isinstance(data.get("events"), list):
        out["events"] = [{"kind": e["kind"], "notebook": _text(e.get("notebook")), "cell": _text(e.get("cell"))}
                         for e in data["events"] if isinstance(e, dict) and e.get("kind") in EVENTS]
    return out


def _text(value):
    return None if value is None else str(value)


def failure_messages(folder):
    """{test grade_id: the first error message of that test cell} over the autograded notebooks."""
    found = {}
    for path in sorted(pathlib.Path(folder).glob("*.ipynb")):
        try:
            nb = course.read(path)
        except Exception:  # noqa: BLE001 - an unreadable autograded notebook: nothing to read
            continue
        for cell in nb.cells:
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if course.is_test(cell) and errors and errors[0].get("ename") != "NotGraded":
                found.setdefault(course.grade_id(cell), message(errors[0]))
    return found


def message(error):
    """An error output in one line: `Name: first line of its value` (colours removed)."""
    name = _ANSI.sub("", str(error.get("ename") or "Error"))
    lines = [ln.strip() for ln in _ANSI.sub("", str(error.get("evalue") or "")).splitlines() if ln.strip()]
    text = f"{name}: {lines[0]}" if lines else name
    return text if len(text) <= 300 else text[:297] + "..."


def normalise(text):
    """The failure a message stands for: numbers (values, shapes, indices, addresses) masked."""
    return " ".join(_NUMBER.sub("#", text).split())


def fmt(x):
    """A score as the page shows it (6 significant digits: exact for the scores of a course)."""
    return f"{x:g}"


def exact(x):
    """A score as the CSV holds it: the float the gradebook holds, digit for digit."""
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)
