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

from . import checks, replay, values

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
    calls = [{"cell": r.get("cell"), "function": r["function"], "inputs": r["inputs"], "pure": bool(r.get("pure")),
              "again": r.get("again")}
             for r in records if "inputs" in r]
    skip = [c.source for c in release_nb.cells if c.cell_type == "code"
            and "setup" not in c.metadata.get("tags", [])
            and not c.metadata.get("nbgrader", {}).get("solution")]
    return {"calls": calls, "skip_sources": skip}


def driver_source(calls, nonce, per_call_seconds=60):
    """The code the fresh kernel runs after the learner's cells: call each function on
    its recorded inputs (each call under its own time limit) and print the results as
    JSON between two nonce markers. A result is {"ok": value} (with "inputs_after" for a
    pure check), {"error": ..., "types": [exception class names]} when the learner's
    function raised, or {"grader_error": ...} when encoding its result failed (the
    grader's problem, never reported as the learner's)."""
    payload = json.dumps(calls)
    return f'''
def _coursekit_recheck(payload, seconds):
    import json, signal
    from coursekit import checks, values
    def _timeout(signum, frame):
        raise TimeoutError(f"no result within {{seconds}} s")
    results, timed_out = [], set()
    for call in json.loads(payload):
        if call["function"] in timed_out:
            results.append({{"error": "TimeoutError: skipped, an earlier call timed out", "types": ["TimeoutError"]}})
            continue
        try:
            fn = globals()[call["function"]]
        except KeyError:
            results.append({{"error": f"NameError: {{call['function']}} is not defined", "types": ["NameError"]}})
            continue
        signal.signal(signal.SIGALRM, _timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            out, after = checks.call(fn, values.decode(call["inputs"]), keep_inputs=True)
            again = None
            if call.get("again"):  # a second call with some inputs changed (same seed, other seed...)
                again = checks.call(fn, {{**values.decode(call["inputs"]), **values.decode(call["again"])}})
            signal.setitimer(signal.ITIMER_REAL, 0)
        except BaseException as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if isinstance(exc, (TimeoutError, KeyboardInterrupt)):
                timed_out.add(call["function"])
            results.append({{"error": type(exc).__name__ + ": " + str(exc)[:300],
                             "types": [c.__name__ for c in type(exc).__mro__]}})
            continue
        try:
            result = {{"ok": values.encode(out, strict=False, trusted=False)}}
            if call.get("again"):
                result["again"] = values.encode(again, strict=False, trusted=False)
            if call.get("pure"):
                result["inputs_after"] = values.encode(after, strict=False, trusted=False)
            json.dumps(result)
        except BaseException as exc:
            result = {{"grader_error": "encoding the result failed: " + type(exc).__name__ + ": " + str(exc)[:200]}}
        results.append(result)
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

PASS, FAIL, GRADER_ERROR = "pass", "fail", "grader error"


def judge(rec, res):
    """(verdict, message) of one recorded check against what the re-check kernel sent back,
    computed here, where no learner code runs, with the notebook's own comparison."""
    quantity = rec.get("quantity") or f"{rec.get('function')}()"
    try:
        if not isinstance(res, dict) or not ({"ok", "error", "grader_error"} & set(res)):
            raise ValueError(f"malformed result {str(res)[:80]}")
        if "grader_error" in res:
            return GRADER_ERROR, f"re-check could not compare {quantity}: {res['grader_error']}"
        expected = values.decode(rec["expected"])
        if "error" in res:
            if isinstance(expected, checks.Raises):
                message = res["error"].split(": ", 1)[-1]
                expected.judge(quantity, res.get("types") or [res["error"].split(":")[0]], message)
                return PASS, ""
            return FAIL, f"{quantity}: raised {res['error']}"
        actual = values.decode(res["ok"], callables=False)
        if rec.get("again"):
            expected.judge(quantity, actual, again=values.decode(res["again"], callables=False))
            return PASS, ""
        if rec.get("pure"):
            checks.compare_inputs(quantity, values.decode(rec["inputs"]),
                                  values.decode(res.get("inputs_after"), callables=False))
        checks.compare(quantity, actual, expected, rtol=rec["rtol"], atol=rec["atol"], names=rec.get("names"))
        return PASS, ""
    except checks.CheckFailed as exc:
        return FAIL, str(exc)[:400]
    except Exception as exc:  # noqa: BLE001 - decoding or comparing failed: the grader's problem
        return GRADER_ERROR, f"re-check could not compare {quantity}: {type(exc).__name__}: {str(exc)[:200]}"


def verdicts(records, results):
    """{test cell: (verdict, message)}: the first failure of a cell, else its first grader
    error, else pass. A learner's failure outranks a grader error (the part is lost anyway)."""
    out = {}
    replayable = [r for r in records if "inputs" in r]
    results = list(results[:len(replayable)]) + [{"grader_error": "no result came back"}] * (len(replayable) - len(results))
    for rec, res in zip(replayable, results):
        cell = rec.get("cell")
        verdict, message = judge(rec, res)
        current = out.get(cell, (PASS, ""))
        rank = {PASS: 0, GRADER_ERROR: 1, FAIL: 2}
        if rank[verdict] > rank[current[0]]:
            out[cell] = (verdict, message)
        else:
            out.setdefault(cell, current)
    return out


def apply(root, assignment, student, verdict, log=print):
    """Act on the re-check's verdicts in the gradebook. A graded cell whose notebook test
    passed but whose re-check failed scores 0 (a flag). A cell whose re-check could not
    compare (a grader error) scores 0 too, never the notebook's in-kernel verdict, and is
    marked for the instructor (needs manual grade). Both are said in the comment of the
    graded function. Returns (flags, grader_errors), lists of messages."""
    from nbgrader.api import Gradebook, MissingEntry
    from . import course
    flags, errors = [], []
    functions = course.assignment_functions(root, assignment)
    with Gradebook(course.gradebook_url(root)) as gb:
        sub = gb.find_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                status, message = verdict.get(grade.name, (PASS, ""))
                if status == PASS or (status == FAIL and not grade.auto_score):
                    continue
                if status == FAIL:
                    flags.append(f"{grade.name}: the notebook's test passed but the independent re-check "
                                 f"failed ({message}); scored 0")
                    note = f"Re-check failed for {grade.name}: {message}"
                else:
                    errors.append(f"{grade.name}: {message}; scored 0 until an instructor looks at it")
                    note = f"{message} (a grader problem, not yours: your instructor will review this part)"
                    grade.needs_manual_grade = True
                grade.auto_score = 0.0
                owner = course.owner(grade.name, functions) or grade.name
                try:
                    comment = gb.find_comment(owner, nb.name, assignment, student)
                    comment.manual_comment = "\n".join(filter(None, [comment.manual_comment, note]))
                except MissingEntry:
                    pass
        gb.db.commit()
    return flags, errors
