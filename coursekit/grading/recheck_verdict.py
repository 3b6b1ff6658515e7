"""The re-check, part 3 (recheck.py): the verdict, where no learner code runs.

What the replay kernel sent back is compared with the recorded expected values using the
notebook's own `checks.compare` and tolerances (`judge`, `verdicts`). `apply`: a graded cell
keeps its points only if both the notebook's test and the re-check pass; a re-check that could
not compare (the grader's failure) scores 0 and is marked for the instructor.
"""
from __future__ import annotations

from nbgrader.api import Gradebook, MissingEntry

from .. import checks, course, values
from .recheck_replay import replayable

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
        if rec.get("after"):
            checks.compare_after(quantity, values.decode(res.get("inputs_after"), callables=False),
                                 values.decode(rec["after"]), rtol=rec["rtol"], atol=rec["atol"])
        return PASS, ""
    except checks.CheckFailed as exc:
        return FAIL, str(exc)[:400]
    except Exception as exc:  # noqa: BLE001 - decoding or comparing failed: the grader's problem
        return GRADER_ERROR, f"re-check could not compare {quantity}: {type(exc).__name__}: {str(exc)[:200]}"


def verdicts(records, results):
    """{test cell: (verdict, message)}: the first failure of a cell, else its first grader
    error, else pass. A learner's failure outranks a grader error (the part is lost anyway)."""
    out = {}
    rank = {PASS: 0, GRADER_ERROR: 1, FAIL: 2}
    replayed = replayable(records)
    results = list(results[:len(replayed)]) + [{"grader_error": "no result came back"}] * (len(replayed) - len(results))
    for rec, res in zip(replayed, results):
        cell = rec.get("cell")
        verdict, message = judge(rec, res)
        current = out.get(cell, (PASS, ""))
        if rank[verdict] > rank[current[0]]:
            out[cell] = (verdict, message)
        else:
            out.setdefault(cell, current)
    return out


def apply(root, assignment, student, verdict, functions=None):
    """Act on the re-check's verdicts in the gradebook. A graded cell whose notebook test
    passed but whose re-check failed scores 0 (a flag). A cell whose re-check could not
    compare (a grader error) scores 0 too, never the notebook's in-kernel verdict, and is
    marked for the instructor (needs manual grade). Both are said in the comment of the
    graded function (`functions`: the assignment's graded functions, by default read from
    source/). Returns (flags, grader_errors), lists of messages."""
    flags, errors = [], []
    functions = functions if functions is not None else course.assignment_functions(root, assignment)
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
