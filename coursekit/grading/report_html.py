"""The page of `coursekit report`: one self-contained HTML file (inline style, figures as
base64 PNGs drawn with matplotlib's Agg canvas, no script, nothing fetched). Every learner's
text on it (failure messages, notes, student ids) is escaped.

Sections, in the order an instructor reads them: the numbers at a glance and the score
distribution (scores after the late penalty); late work (when there is a due date); the
graded parts (mean, share of full marks); what the class got wrong (per test cell, the most
common failure messages); what needs a person (re-check flags, grader problems, integrity
flags); similar code (pairs of near-identical graded functions); submissions that timed
out, crashed, ran out of memory or were graded with zeros; the intake's repairs; time per
submission; every learner (a learner of the roster without a submission: "no submission").
"""
from __future__ import annotations

import base64
import html
import io
import statistics

import numpy as np

from .report_facts import NO_SUBMISSION, TROUBLE, UNKNOWN, fmt
from .result import EVENTS
from .result import GRADED_WITH_ZEROS as ZEROS
from .similarity_html import section as _similar

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;
padding:0 1em;line-height:1.4}
h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;
vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#666}.flag{color:#a40000;font-weight:600}.ok{color:#1a7f37}
.cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #ddd;border-radius:6px;padding:.5em .9em}
.card b{display:block;font-size:1.4em}code{background:#f6f6f6;padding:0 .2em;white-space:pre-wrap}
img{max-width:100%}
table.side td{width:50%}mark{background:#fff3b0}pre{margin:0;white-space:pre-wrap}
"""


def render(report):
    """The whole page of a Report, as text."""
    body = [f"<h1>{_e(report.assignment)}: grading report</h1>",
            "<p class=muted>Scores are read from the nbgrader gradebook; flags are for a person to look at "
            "(none changes a score).</p>",
            _overview(report), _late(report), _parts(report), _failures(report), _attention(report),
            _similar(report.similar),
            _trouble(report), _repairs(report), _times(report), _everyone(report)]
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>{_e(report.assignment)}: grading report</title><style>{STYLE}</style></head>"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")


def _overview(report):
    graded, totals, absent = report.graded(), [s.score() for s in report.graded()], report.absent()
    cards = [("submissions", len(report.submissions) - len(absent)), ("max points", fmt(report.max_total()))]
    if totals:
        cards += [("mean", f"{statistics.fmean(totals):.2f}"), ("median", fmt(statistics.median(totals))),
                  ("lowest", fmt(min(totals))), ("highest", fmt(max(totals)))]
    cards += [("graded with zeros", sum(s.status == ZEROS for s in report.submissions)),
              ("need a look", sum(bool(s.flags or s.grader_errors or s.integrity) for s in report.submissions))]
    html_cards = "".join(f"<div class=card><span class=muted>{_e(k)}</span><b>{_e(v)}</b></div>" for k, v in cards)
    missing = len(report.submissions) - len(graded) - len(absent)
    note = (f"<p class=flag>{missing} submission(s) have an autograded folder but no gradebook entry: left out "
            "of every number.</p>") if missing else ""
    if absent:
        who = "learner in the roster has" if len(absent) == 1 else "learners in the roster have"
        note += (f"<p class=flag>{len(absent)} {who} no submission (score 0): "
                 f"{_e(', '.join(s.student for s in absent))}. The numbers above are of the submissions.</p>")
    return f"<h2>Score distribution</h2><div class=cards>{html_cards}</div>{note}" + (
        _img(_histogram(totals, report.max_total()), "histogram of total scores") if totals else
        "<p class=muted>No graded submission.</p>")


def _late(report):
    """Late work: only when the gradebook has a due date or a penalty."""
    graded = report.graded()
    dues = sorted({str(s.duedate) for s in graded if s.duedate is not None})
    if not dues and not any(s.penalty for s in graded):
        return ""
    rows = [[_e(s.student), _e(s.late_text()), _e("-" if s.timestamp is None else str(s.timestamp)),
             _n(fmt(s.total())), _n(fmt(s.penalty)), _n(fmt(s.score()))]
            for s in graded if s.late_text() != "on time" or s.penalty]
    on_time = sum(s.late_text() == "on time" and not s.penalty for s in graded)
    return (f"<h2>Late work</h2><p>Due {_e(', '.join(dues) or '(no due date)')}; {on_time} submission(s) on time. "
            "Scores are after the late penalty nbgrader's policy assigned (as <code>nbgrader export</code> gives "
            "them). A submission without timestamp.txt (collected by hand) can get no penalty.</p>"
            + (_table(["student", "late", "timestamp", "raw score", "penalty", "score"], rows) if rows else ""))


def _parts(report):
    stats = report.part_stats()
    rows = [[_e(part), _n(fmt(top)), _n("-" if mean is None else f"{mean:.2f}"),
             _n("-" if share is None else f"{share:.0%}")] for part, top, mean, share in stats]
    figure = _img(_part_bars(stats), "mean and full marks per part") if report.graded() and stats else ""
    return ("<h2>Graded parts</h2><p class=muted>A part is a graded function and its test cells.</p>"
            + _table(["part", "max", "mean", "full marks"], rows) + figure)


def _failures(report):
    out = ["<h2>What the class got wrong</h2><p class=muted>Per test cell, the most common failure messages "
           "as the notebooks show them (messages that differ only in numbers count as one).</p>"]
    graded = report.graded()
    for gid, common in report.failure_groups().items():
        lost = sum((s.scores.get(gid) or 0.0) < report.maxima[gid] - 1e-9 for s in graded)
        out.append(f"<h3><code>{_e(gid)}</code> <span class=muted>({fmt(report.maxima[gid])} point(s); "
                   f"{lost} of {len(graded)} submissions lost points)</span></h3>")
        rows = [[_n(len(who)), f"<code>{_e(text)}</code>" + (f" <span class=muted>({variants} variants)</span>"
                                                             if variants > 1 else ""), _who(who)]
                for text, who, variants in common]
        out.append(_table(["submissions", "message", "who"], rows) if rows else
                   "<p class=ok>No failure message.</p>")
    return "\n".join(out)


def _seconds(s):
    if s.seconds is not None:
        return f"{s.seconds:.1f}"
    return "-" if s.status == NO_SUBMISSION else UNKNOWN


def _who(students, shown=12):
    """The learners who got a failure: all of them, the ones past `shown` folded (no script)."""
    if len(students) <= shown:
        return _e(", ".join(students))
    return (f"<details><summary>{_e(', '.join(students[:shown]))} and {len(students) - shown} more</summary>"
            f"{_e(', '.join(students))}</details>")


def _attention(report):
    rows = []
    for s in report.submissions:
        rows += [[_e(s.student), "re-check flag", _e(f)] for f in s.flags]
        rows += [[_e(s.student), "grader problem", _e(f)] for f in s.grader_errors]
        rows += [[_e(s.student), "integrity", _e(f"{f.notebook}: {f}")] for f in s.integrity]
    return ("<h2>Needs a look</h2><p class=muted>Re-check flags: the notebook's test passed, the independent "
            "re-check did not. Grader problems: the grader could not compare (the part scored 0, marked for "
            "manual grading). Integrity: a graded function uses a library the exercise asks learners to do "
            "without (for a person to judge; never a zero by itself).</p>"
            + (_table(["student", "what", "details"], rows) if rows else "<p class=ok>Nothing flagged.</p>"))


def _trouble(report):
    rows = [[_e(s.student), _e(s.status), _e("; ".join(s.event_text(TROUBLE)) or "-")]
            for s in report.submissions if s.status == ZEROS or s.event_text(TROUBLE)]
    unknown = [s.student for s in report.submissions if s.status == UNKNOWN]
    note = (f"<p class=flag>No grading record (coursekit-outcome.json) for {len(unknown)} submission(s): their "
            f"status, time and events are unknown: {_e(', '.join(unknown))}</p>") if unknown else ""
    return ("<h2>Timed out, crashed, out of memory, graded with zeros</h2>"
            + (_table(["student", "status", "what happened"], rows) if rows else "<p class=ok>None.</p>") + note)


def _repairs(report):
    kinds = [k for k in EVENTS if k not in TROUBLE]
    rows = [[_e(s.student), _e("; ".join(s.event_text(kinds)))] for s in report.submissions if s.event_text(kinds)]
    return ("<h2>Repaired at intake</h2><p class=muted>Deleted or edited graded cells restored, grading "
            "metadata put back before grading.</p>"
            + (_table(["student", "what was repaired"], rows) if rows else "<p class=ok>None.</p>"))


def _times(report):
    seconds = [s.seconds for s in report.submissions if s.seconds is not None]
    if not seconds:
        return "<h2>Time per submission</h2><p class=muted>unknown</p>"
    text = (f"<p>{len(seconds)} submission(s): median {statistics.median(seconds):.1f} s, "
            f"longest {max(seconds):.1f} s, all together {sum(seconds):.0f} s.</p>")
    return "<h2>Time per submission</h2>" + text + _img(_time_histogram(seconds), "histogram of grading times")


def _everyone(report):
    head = ["student", "score", "raw", "late penalty", *report.parts, "late", "status", "seconds", "flags"]
    rows = []
    for s in report.submissions:
        marks = [len(s.flags) and f"{len(s.flags)} re-check", len(s.grader_errors) and "grader problem",
                 len(s.integrity) and "integrity"]
        graded = s.scores is not None
        scores = [_n(fmt(v) if graded else "-") for v in (s.score(), s.total(), s.penalty)]
        rows.append([_e(s.student), *([_n("0"), _n("-"), _n("-")] if s.status == NO_SUBMISSION else scores),
                     *[_n("-" if s.scores is None else fmt(s.part(ids))) for ids in report.parts.values()],
                     _e(s.late_text()), _e(s.status), _n(_seconds(s)),
                     f"<span class=flag>{_e(', '.join(m for m in marks if m))}</span>"])
    top = ["(max)", _n(fmt(report.max_total())), _n(fmt(report.max_total())), "",
           *[_n(fmt(sum(report.maxima[g] for g in ids))) for ids in report.parts.values()], "", "", "", ""]
    return "<h2>Every submission</h2>" + _table(head, [top, *rows])


# ---------------------------------------------------------------- figures

def score_bins(totals, top):
    """[(low, high, count)]: bins of whole points, `width` = 1 up to 40 points (more: the smallest
    whole width giving at most 40 bins); a bin holds low <= score < high. When the top score is a
    whole multiple of the width (a course of whole points), the last bin starts at it: full marks
    are a bar of their own. Counts are whole submissions."""
    width = max(1, int(np.ceil(top / 40)))
    last = int(np.floor(top / width))
    counts = [0] * (last + 1)
    for x in totals:
        counts[min(last, max(0, int(np.floor(x / width))))] += 1
    return [(i * width, (i + 1) * width, n) for i, n in enumerate(counts)]


def _histogram(totals, top):
    from matplotlib.ticker import MaxNLocator
    fig, ax = _figure()
    bins = score_bins(totals, top)
    ax.bar([lo for lo, _, _ in bins], [n for *_, n in bins], width=bins[0][1] - bins[0][0], align="edge",
           color="#4c72b0", edgecolor="white")
    ax.axvline(statistics.fmean(totals), color="#c44e52", linestyle="--", label=f"mean {statistics.fmean(totals):.2f}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel=f"total score (of {fmt(top)}); a bar from k holds k <= score < k + {bins[0][1]}",
           ylabel="submissions", title="Score distribution")
    ax.legend()
    return fig


def _part_bars(stats):
    fig, ax = _figure(height=max(2.4, 0.45 * len(stats) + 1.2))
    names = [s[0] for s in stats][::-1]
    y = np.arange(len(names))
    means = [100 * (m or 0) / t if t else 0 for _, t, m, _ in stats][::-1]
    full = [100 * (f or 0) for *_, f in stats][::-1]
    ax.barh(y + 0.2, means, height=0.4, color="#4c72b0", label="mean, % of the part's points")
    ax.barh(y - 0.2, full, height=0.4, color="#55a868", label="submissions with full marks, %")
    ax.set(yticks=y, yticklabels=names, xlim=(0, 100), xlabel="%", title="Graded parts")
    ax.legend(loc="lower right", fontsize="small")
    return fig


def _time_histogram(seconds):
    fig, ax = _figure(height=2.6)
    from matplotlib.ticker import MaxNLocator
    ax.hist(seconds, bins=min(20, max(5, len(seconds) // 3)), color="#8172b2", edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))    # whole submissions
    ax.set(xlabel="seconds to grade one submission", ylabel="submissions", title="Time per submission")
    return fig


def _figure(height=3.2):
    from matplotlib.figure import Figure  # here: `coursekit` starts without matplotlib (Agg: no pyplot, no display)
    fig = Figure(figsize=(8, height), dpi=100, layout="constrained")
    return fig, fig.subplots()


def _img(fig, alt):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<p><img alt="{_e(alt)}" src="data:image/png;base64,{data}"></p>'


# ---------------------------------------------------------------- html

def _e(value):
    return html.escape(str(value), quote=True)


def _n(text):
    return ("n", text)


def _table(head, rows):
    def cell(v):
        return f"<td class=n>{_e(v[1])}</td>" if isinstance(v, tuple) else f"<td>{v}</td>"
    return ("<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(cell(v) for v in r) + "</tr>" for r in rows) + "</tbody></table>")
