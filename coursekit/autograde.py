"""`coursekit autograde`: nbgrader autograde, one submission at a time, then a score table.

    coursekit autograde ASSIGNMENT [--student ID ...] [--submission-timeout SECONDS]

1. The gradebook learns the assignment's graded cells from source/ (nbgrader
   generate_assignment into a scratch release folder, so the committed notebooks/
   are left alone).
2. Each submission under submitted/<student>/<assignment>/ is autograded by its own
   `nbgrader autograde` process, so that a submission that crashes or hangs its
   process cannot stop the others; its log is kept in autograded/<student>/<assignment>/.
3. A table of scores (student x graded part, from the gradebook) is printed.
`nbgrader generate_feedback ASSIGNMENT` works afterwards as usual.
"""
from __future__ import annotations

import dataclasses
import pathlib
import subprocess
import sys
import tempfile
import time

from .build import BuildError, generate

LOG_NAME = "coursekit-autograde.log"


@dataclasses.dataclass
class Outcome:
    student: str
    status: str          # "graded", "failed", "timed out"
    seconds: float
    detail: str = ""


def submissions(root, assignment, students=None):
    """Students with a submission of `assignment`, sorted."""
    folder = root / "submitted"
    found = sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir()) if folder.is_dir() else []
    if students:
        missing = [s for s in students if s not in found]
        if missing:
            raise BuildError(f"no submission of {assignment} from: {', '.join(missing)}")
        return list(students)
    return found


def sync_gradebook(root, assignment):
    """Record the assignment's graded cells in the gradebook, leaving notebooks/ untouched."""
    with tempfile.TemporaryDirectory(prefix="coursekit-release-") as tmp:
        generate(root, assignment, release_dir=tmp, solution_dir=False)


def grade_one(root, assignment, student, timeout):
    """Run `nbgrader autograde` for one submission in its own process."""
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment,
           "--student", student, "--create", "--force"]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout)
        status = "graded" if proc.returncode == 0 else "failed"
        log = proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        status, log = "timed out", f"{exc.stdout or ''}{exc.stderr or ''}\nstopped after {timeout} s"
    seconds = time.monotonic() - start
    out = root / "autograded" / student / assignment
    out.mkdir(parents=True, exist_ok=True)
    (out / LOG_NAME).write_text(log if isinstance(log, str) else log.decode(errors="replace"), encoding="utf-8")
    detail = "" if status == "graded" else _last_error(log)
    return Outcome(student, status, seconds, detail)


def _last_error(log):
    if isinstance(log, bytes):
        log = log.decode(errors="replace")
    lines = [ln for ln in log.splitlines() if "ERROR" in ln or "Error" in ln]
    return (lines[-1] if lines else log.strip().splitlines()[-1] if log.strip() else "")[:200]


def part_of(grade_id):
    """The graded part a test cell belongs to: test_sigmoid_large -> sigmoid when the
    assignment has a graded function `sigmoid`; see `parts`."""
    return grade_id[len("test_"):] if grade_id.startswith("test_") else grade_id


def scores(root, assignment, students):
    """{student: {grade_id: score}} and {grade_id: max_score} from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    table, maxima = {}, {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            row = {}
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                table[student] = None
                continue
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.max_score:
                        row[grade.name] = grade.score
                        maxima[grade.name] = grade.max_score
            table[student] = row
    return table, maxima


def parts(grade_ids, functions):
    """Group test-cell grade_ids into graded parts: the longest graded-function name that
    `test_<name>` starts with, else the grade_id itself."""
    grouped = {}
    for gid in grade_ids:
        rest = part_of(gid)
        owner = max((f for f in functions if rest == f or rest.startswith(f + "_")), key=len, default=rest)
        grouped.setdefault(owner, []).append(gid)
    return grouped


def graded_functions(root, assignment):
    import nbformat
    names = []
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and not meta.get("grade"):
                names.append(meta["grade_id"])
    return names


def format_table(assignment, outcomes, table, maxima, functions):
    grouped = parts(sorted(maxima, key=list(maxima).index), functions)
    cols = list(grouped)
    header = ["student", *cols, "total", "status"]
    rows = [[f"(max)", *[_fmt(sum(maxima[g] for g in grouped[c])) for c in cols],
             _fmt(sum(maxima.values())), ""]]
    for o in outcomes:
        row = table.get(o.student)
        status = o.status if not o.detail else f"{o.status}: {o.detail}"
        if row is None:
            rows.append([o.student, *["-"] * len(cols), "-", status])
            continue
        vals = [sum(row.get(g) or 0.0 for g in grouped[c]) for c in cols]
        rows.append([o.student, *map(_fmt, vals), _fmt(sum(vals)), status])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip()
    return "\n".join([f"{assignment}: autograded {len(outcomes)} submission(s)",
                      line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _fmt(x):
    return f"{x:g}"


def autograde(root, assignment, students=None, timeout=1800, log=print):
    """Autograde every submission of `assignment`; return the outcomes."""
    who = submissions(root, assignment, students)
    if not who:
        log(f"no submissions of {assignment} under submitted/*/{assignment}/")
        return []
    sync_gradebook(root, assignment)
    outcomes = []
    for student in who:
        outcome = grade_one(root, assignment, student, timeout)
        log(f"  {student}: {outcome.status} in {outcome.seconds:.1f} s")
        outcomes.append(outcome)
    table, maxima = scores(root, assignment, who)
    log(format_table(assignment, outcomes, table, maxima, graded_functions(root, assignment)))
    return outcomes
