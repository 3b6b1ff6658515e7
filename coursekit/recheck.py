"""An independent re-check: a verdict that learner code cannot touch.

In nbgrader the tests run inside the learner's kernel, after the learner's code, so that
code can change what the tests see (patch `abs`, numpy, the check helpers, IPython's
error display...). The re-check closes that door:

1. `record`: the answer key (source/) runs once with COURSEKIT_RECORD set; every
   `ck.check` call is written down as data: test cell, graded function, inputs, the
   oracle's expected value, the tolerance (coursekit.replay).
2. During autograde, a *fresh* sandboxed kernel runs only the learner's setup and
   cells in order, except the test cells (so no expected value ever enters it) and the
   lesson cells left as released; in place of each test cell it calls the graded
   functions on that cell's recorded inputs and sends back plain data: numbers, strings,
   arrays, lists/tuples/dicts of those, as JSON (no pickle, nothing that runs).
   `driver_source` is that cell; nbgrader_ext.ResilientExecute runs it. If a call fails
   with a NameError (a solution that uses a lesson helper), the replay is repeated with
   the lesson cells included. The kernel has no network, so nothing can be fetched from
   the first pass.
3. `verdicts`: the grader process, where no learner code runs, compares that data with
   the recorded expected values using the same `checks.compare` and tolerances as the
   notebook. A graded cell keeps its points only if both the notebook's test and the
   re-check pass (`apply`).
"""
from __future__ import annotations

import itertools
import json
import os
import pathlib
import secrets
import subprocess
import sys
import tempfile

import nbformat

from . import checks, replay

IN_ENV = "COURSEKIT_RECHECK_IN"     # JSON file the nbgrader process reads: calls + cells to skip
OUT_ENV = "COURSEKIT_RECHECK_OUT"   # JSON file it writes: what the learner's functions returned


# ---------------------------------------------------------------- 1. record

def record(root, assignment, timeout=300):
    """Run the answer key with recording on; return the list of recorded checks."""
    from .measure import run_all
    src = root / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(src, as_version=4)
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cells.append(nbformat.v4.new_code_cell(
                f"__import__('coursekit.replay').replay.set_context({grade_id!r})"))
        cells.append(cell)
    nb.cells = cells
    with tempfile.TemporaryDirectory(prefix="coursekit-record-") as tmp:
        work = pathlib.Path(tmp) / assignment
        work.mkdir()
        for f in src.parent.iterdir():  # data files next to the notebook
            if f.is_file() and f.suffix != ".ipynb":
                (work / f.name).write_bytes(f.read_bytes())
        path = work / src.name
        nbformat.write(nb, path)
        log = pathlib.Path(tmp) / "checks.jsonl"
        env_before = os.environ.get(replay.RECORD_ENV)
        os.environ[replay.RECORD_ENV] = str(log)
        try:
            run_all(path, timeout=timeout)
        finally:
            if env_before is None:
                os.environ.pop(replay.RECORD_ENV, None)
            else:
                os.environ[replay.RECORD_ENV] = env_before
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


# ---------------------------------------------------------------- 2. replay in the learner's kernel

def plan(records, release_nb):
    """What the nbgrader process needs: the calls (function + inputs, no expected values)
    and the lesson cells it may skip (code cells of the release that are not setup or
    solution cells: they define nothing a graded function may use)."""
    calls = [{"cell": r.get("cell"), "function": r["function"], "inputs": r["inputs"]}
             for r in records if "inputs" in r]
    skip = [c.source for c in release_nb.cells if c.cell_type == "code"
            and "setup" not in c.metadata.get("tags", [])
            and not c.metadata.get("nbgrader", {}).get("solution")]
    return {"calls": calls, "skip_sources": skip}


def driver_source(calls, nonce, per_call_seconds=60):
    """The code the fresh kernel runs after the learner's cells: call each function on
    its recorded inputs (each call under its own time limit) and print the results as
    JSON between two nonce markers."""
    payload = json.dumps(calls)
    return f'''
def _coursekit_recheck(payload, seconds):
    import json, signal
    from coursekit import checks, replay
    def _timeout(signum, frame):
        raise TimeoutError(f"no result within {{seconds}} s")
    results, timed_out = [], set()
    for call in json.loads(payload):
        if call["function"] in timed_out:
            results.append({{"error": "TimeoutError: skipped, an earlier call timed out"}})
            continue
        signal.signal(signal.SIGALRM, _timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            fn = globals()[call["function"]]
            out = checks.call(fn, replay.decode(call["inputs"]))
            signal.setitimer(signal.ITIMER_REAL, 0)
            results.append({{"ok": replay.encode(out, strict=False)}})
        except BaseException as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if isinstance(exc, (TimeoutError, KeyboardInterrupt)):
                timed_out.add(call["function"])
            results.append({{"error": type(exc).__name__ + ": " + str(exc)[:300]}})
    return json.dumps(results)
print("{nonce}" + _coursekit_recheck({payload!r}, {float(per_call_seconds)!r}) + "{nonce}")
'''


def new_nonce():
    return "@@" + secrets.token_hex(16) + "@@"


def parse_driver_output(text, nonce, n_calls):
    """The results between the markers, or an error result for every call."""
    parts = text.split(nonce)
    if len(parts) >= 3:
        try:
            results = json.loads(parts[1])
            if isinstance(results, list) and len(results) == n_calls:
                return results
        except ValueError:
            pass
    return [{"error": "the re-check kernel returned no readable result"}] * n_calls


# ---------------------------------------------------------------- 3. the verdict

def verdicts(records, results):
    """{test cell: (passed, first failure message or "")}, computed here, outside the kernel."""
    out = {}
    replayable = [r for r in records if "inputs" in r]
    for rec, res in itertools.zip_longest(replayable, results[:len(replayable)],
                                          fillvalue={"error": "no result"}):
        cell = rec.get("cell")
        passed, message = out.get(cell, (True, ""))
        if not passed:
            continue
        try:
            if "error" in res:
                raise checks.CheckFailed(f"{rec['quantity']}: raised {res['error']}")
            actual = replay.decode(res["ok"], callables=False)
            expected = replay.decode(rec["expected"])
            checks.compare(rec["quantity"], actual, expected, rtol=rec["rtol"], atol=rec["atol"],
                           names=rec.get("names"))
        except (checks.CheckFailed, replay.Unreplayable, KeyError, TypeError, ValueError) as exc:
            out[cell] = (False, str(exc)[:400])
            continue
        out[cell] = (True, "")
    return out


def apply(root, assignment, student, verdict, log=print):
    """Zero every graded cell whose notebook test passed but whose re-check failed, and
    say so in the gradebook comment of the graded function. Returns the flags."""
    from nbgrader.api import Gradebook, MissingEntry
    from .autograde import parts, graded_functions
    flags = []
    functions = graded_functions(root, assignment)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        sub = gb.find_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                passed, message = verdict.get(grade.name, (True, ""))
                if passed or not grade.auto_score:
                    continue
                flags.append(f"{grade.name}: the notebook's test passed but the independent re-check "
                             f"failed ({message}); scored 0")
                grade.auto_score = 0.0
                owner = next(iter(parts([grade.name], functions)))
                try:
                    comment = gb.find_comment(owner, nb.name, assignment, student)
                    note = f"Re-check failed for {grade.name}: {message}"
                    comment.manual_comment = "\n".join(filter(None, [comment.manual_comment, note]))
                except MissingEntry:
                    pass
        gb.db.commit()
    return flags
