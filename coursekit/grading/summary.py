"""What a run of `coursekit autograde` tells people: the score table for the instructor, and
the grading notes at the top of each learner's autograded notebook (the feedback shows them).

The table has a row per student and a column per graded part (a graded function and its
test cells, grouped by coursekit.course.parts). Its status column says `RE-CHECK FLAG` when
the notebook's test passed but the independent re-check failed, and `GRADER PROBLEM` when the
re-check could not compare (the part scored 0 and is marked for the instructor); the notes
below the table give each message.
"""
from __future__ import annotations

import os
import re

import nbformat

from .. import course
from . import loops
from .kernel import KERNEL_DIED

NOTES_TAG = "coursekit-grading-notes"
RECHECK_FLAG = "RE-CHECK FLAG"
GRADER_PROBLEM = "GRADER PROBLEM"
INTEGRITY_FLAG = "INTEGRITY FLAG"


def format_table(assignment, outcomes, table, maxima, functions, integrity=None, late=None):
    """The score table: `outcomes` (with .student, .status, .notes, .flags, .grader_errors),
    `table`/`maxima` from gradebook.scores, `functions` the graded functions in order,
    `integrity` {student: [integrity findings]} (for a person to look at, never a zero),
    `late` {student: gradebook.lateness}: the total is the score after the late penalty
    (what `nbgrader export` gives), "0 (13 - 13 late)", and the status says how late."""
    integrity, late = integrity or {}, late or {}
    grouped = course.parts(list(maxima), functions)
    cols = list(grouped)
    header = ["student", *cols, "total", "status"]
    rows = [["(max)", *[_fmt(sum(maxima[g] for g in grouped[c])) for c in cols],
             _fmt(sum(maxima.values())), ""]]
    for o in outcomes:
        row = table.get(o.student) or {}
        vals = [sum(row.get(g) or 0.0 for g in grouped[c]) for c in cols]
        status = o.status + (f" ({len(o.notes)} note{'s' * (len(o.notes) > 1)})" if o.notes else "")
        status += f" {RECHECK_FLAG}" if o.flags else ""
        status += f" {GRADER_PROBLEM}" if o.grader_errors else ""
        status += f" {INTEGRITY_FLAG}" if integrity.get(o.student) else ""
        info = late.get(o.student) or {}
        total = _fmt(sum(vals))
        if info.get("penalty"):
            total = f"{_fmt(info['score'])} ({_fmt(info['raw'])} - {_fmt(info['penalty'])} late)"
        if info.get("timestamp") and info.get("seconds_late"):
            status += f" late by {duration(info['seconds_late'])}"
        rows.append([o.student, *map(_fmt, vals), total, status])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r):
        return "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip()

    notes = [f"  {o.student}: {n}" for o in outcomes for n in o.notes]
    problems = [f"  {o.student}: {e}" for o in outcomes for e in o.grader_errors]
    flagged = [f"  {o.student}: {f}" for o in outcomes for f in integrity.get(o.student, [])]
    due = any((late.get(o.student) or {}).get("duedate") for o in outcomes)
    unstamped = [o.student for o in outcomes if o.student in late and late[o.student]["timestamp"] is None]
    stamped = [f"{o.student} {_when(late[o.student]['timestamp'])}" for o in outcomes
               if (late.get(o.student) or {}).get("timestamp")]
    if due and stamped:   # which submission was graded: nbgrader collect keeps the last one
        notes.append(f"  graded submissions (the last one collected), submitted at: {'; '.join(stamped)}")
    if due and unstamped:
        notes.append(f"  no timestamp.txt in the submission of {', '.join(unstamped)}: no late penalty can apply "
                     "(submissions collected by hand have none; nbgrader collect writes it)")
    return "\n".join([f"{assignment}: autograded {len(outcomes)} submission(s)",
                      line(header), line(["-" * w for w in widths]), *map(line, rows),
                      *(["notes:", *notes] if notes else []),
                      *([f"{GRADER_PROBLEM} (the grader failed, not the learner: these parts scored 0 and are "
                         "marked for manual grading):", *problems] if problems else []),
                      *([f"{INTEGRITY_FLAG} (code that may not be the learner's own work: for a person to look "
                         "at, scores unchanged):", *flagged] if flagged else [])])


def _when(stamp):
    """A submission's timestamp as a person reads it, to the second, in UTC."""
    text = stamp.isoformat(sep=" ") if hasattr(stamp, "isoformat") else str(stamp)
    return text.split(".")[0].replace("+00:00", "") + " UTC"


def _fmt(x):
    return f"{x:g}"


def duration(seconds):
    """Seconds as a person reads them: 40 s, 12 min, 34 h, 3.5 d."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / 86400:.3g} d"


def cell_events(autograded, release):
    """What happened in the kernel, read from the autograded notebooks in the folder
    `autograded`: timeouts, deaths, memory errors, by cell, as dicts: kind ("timeout",
    "kernel_died", "out_of_memory"), notebook, cell, text. Cells not run because they call a
    function that looped (loops.py) make one event-less note per notebook, under kind None."""
    events = []
    for blank in sorted(release.glob("*.ipynb")):
        nb = course.read(autograded / blank.name)
        code_index, skipped = 0, {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            code_index += 1
            label = course.grade_id(cell) or f"code cell {code_index}"
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                if out.get("ename") == loops.NOT_RUN_ENAME:
                    named = re.search(r"`(\w+)`", out.get("evalue", ""))
                    skipped.setdefault(named.group(1) if named else "?", []).append((label, course.is_test(cell)))
                    continue
                kind = _event_kind(out)
                if kind:
                    events.append({"kind": kind, "notebook": blank.name, "cell": label,
                                   "text": f"{blank.name}: {_event_text(kind, out, label)}"})
        for function, cells in skipped.items():
            tests = " (a test cell that did not run scores 0)" if any(test for _, test in cells) else ""
            events.append({"kind": None, "notebook": blank.name, "cell": None,
                           "text": f"{blank.name}: not run, since they call `{function}`, which had run past the "
                                   f"limit: {', '.join(label for label, _ in cells)}{tests}"})
    return events


def _event_text(kind, out, label):
    if kind == "timeout" and "`" in out.get("evalue", ""):      # loops.py named the function and the cell
        return re.split(r": it was stopped|; later cells", out["evalue"])[0]
    where = f"cell {label}" if not label.startswith("code cell") else label
    return f"{EVENT_TEXT[kind]} in {where}" + (" (limit per cell reached)" if kind == "timeout" else "")


EVENT_TEXT = {"timeout": "timed out", "kernel_died": "the kernel died", "out_of_memory": "ran out of memory"}


def _event_kind(out):
    name = out.get("ename", "")
    if name == "CellTimeoutError" or "Timeout" in name:
        return "timeout"
    if name == KERNEL_DIED:
        return "kernel_died"
    if name == "MemoryError":
        return "out_of_memory"
    return None


def add_notes(autograded, release, notes):
    """Put the notes at the top of each autograded notebook in `autograded`, where the
    feedback shows them (replacing notes of an earlier run)."""
    if not notes:
        return
    notes = list(dict.fromkeys(notes))   # a line said once, however many steps found it
    text = "**Grading notes** (from the autograder)\n\n" + "\n".join(f"- {n}" for n in notes)
    for blank in sorted(release.glob("*.ipynb")):
        path = autograded / blank.name
        if not path.is_file():
            continue
        nb = course.read(path)
        nb.cells = [c for c in nb.cells if NOTES_TAG not in c.metadata.get("tags", [])]
        cell = nbformat.v4.new_markdown_cell(text)
        cell.id = NOTES_TAG   # not a random id: the same submission gets the same notebook
        cell.metadata["tags"] = [NOTES_TAG]
        nb.cells.insert(0, cell)
        os.chmod(path, 0o644)
        nbformat.write(nb, path)
