"""The re-check's driver: what the grader's fresh kernel runs in place of each test cell.

`coursekit.grading.recheck_replay.driver_source` sends the kernel two lines: import this
module and print `call_all(...)` between two nonce markers. `call_all` calls each graded
function (found in the kernel's namespace) on its recorded inputs, each call under its own
time limit, and returns plain data as JSON, never an expected value (none enters the kernel)
and never a verdict: the grader judges the results outside the kernel (recheck_verdict.py).

A result is {"ok": value} (with "again" for a call repeated with some inputs changed, and
"inputs_after" for a pure check or one with after=), {"error": ..., "types": [exception class
names]} when the learner's function raised, or {"grader_error": ...} when encoding its result
failed (the grader's problem, never reported as the learner's).
"""
from __future__ import annotations

import contextlib
import json
import signal

from . import checks, values


def call_all(payload, seconds, namespace):
    """The results of every call in `payload` (JSON: [{"function", "inputs", ...}]), as JSON."""
    results, timed_out = [], set()
    for call in json.loads(payload):
        name = call["function"]
        if name in timed_out:
            results.append({"error": "TimeoutError: skipped, an earlier call timed out", "types": ["TimeoutError"]})
        elif name not in namespace:
            results.append({"error": f"NameError: {name} is not defined", "types": ["NameError"]})
        else:
            results.append(call_one(namespace[name], call, seconds, timed_out))
    return json.dumps(results)


def call_one(fn, call, seconds, timed_out):
    """One recorded call of `fn`, under a time limit of `seconds`."""
    try:
        with _time_limit(seconds):
            out, after = checks.call(fn, values.decode(call["inputs"]), keep_inputs=True)
            again = None
            if call.get("again"):   # a second call with some inputs changed (same seed, other seed...)
                changed = checks.with_overrides(values.decode(call["inputs"]), values.decode(call["again"]))
                again = checks.call(fn, changed)
    except BaseException as exc:  # noqa: BLE001 - whatever the learner's code raised is its result
        if isinstance(exc, (TimeoutError, KeyboardInterrupt)):
            timed_out.add(call["function"])
        return {"error": type(exc).__name__ + ": " + str(exc)[:300], "types": [c.__name__ for c in type(exc).__mro__]}
    return encoded(out, again, after, call)


def encoded(out, again, after, call):
    """The call's results as plain data, or a grader error if they cannot be encoded."""
    try:
        result = {"ok": values.encode(out, strict=False, trusted=False)}
        if call.get("again"):
            result["again"] = values.encode(again, strict=False, trusted=False)
        if call.get("pure") or call.get("after"):
            result["inputs_after"] = values.encode(after, strict=False, trusted=False)
        json.dumps(result)
        return result
    except BaseException as exc:  # noqa: BLE001 - odd objects a learner returned: the grader's problem to say
        return {"grader_error": "encoding the result failed: " + type(exc).__name__ + ": " + str(exc)[:200]}


@contextlib.contextmanager
def _time_limit(seconds):
    """TimeoutError (from SIGALRM) in the code of the `with` block after `seconds`."""
    def expire(signum, frame):
        raise TimeoutError(f"no result within {seconds} s")
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
