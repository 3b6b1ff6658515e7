"""One verdict (issue 15): the independent re-check judges every answer as the notebook does.

The re-check kernel's driver (coursekit.recheck.driver_source) is executed here in-process on
a namespace holding the answer key with one function replaced, on the answer key's recorded
calls; `recheck.verdicts` judges its JSON as the grader does. For every case of the variants
data (tests/variants/) the verdict of each test cell must equal the notebook test's own
verdict, and for every correct formulation wrapped so that it returns another value kind
(tests/support/wrappers.py: np.matrix, subclasses, read-only arrays, 0-d arrays, numpy scalars,
nested lists, -0.0, torch tensors, dicts with extra keys, float32...) the two verdicts agree
too, and are a pass wherever the wrapper keeps the values. Then unit tests of the driver, of
its output parsing and of decoding learner data.
"""
from __future__ import annotations

import contextlib
import functools
import io
import json

import numpy as np
import pytest

from coursekit import checks, course, values
from coursekit.grading import recheck
from support import nbtools, wrappers
from support.variants import kinds

PASS, FAIL, GRADER_ERROR = recheck.PASS, recheck.FAIL, recheck.GRADER_ERROR


class _EmptyNotebook:
    cells = []


@functools.cache
def recorded(assignment):
    """The answer key's recorded checks (one kernel run per assignment and worker)."""
    records = recheck.record(nbtools.ROOT, assignment)
    assert records, f"{assignment}: no check recorded"
    return records


@functools.cache
def notebook(assignment):
    return nbtools.load(assignment)


def _run_driver(ns, calls, seconds=30.0):
    nonce = recheck.new_nonce()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(recheck.driver_source(calls, nonce, per_call_seconds=seconds), "<driver>", "exec"), ns)
    return recheck.parse_driver_output(out.getvalue(), nonce, len(calls))


def recheck_verdicts(assignment, function, ns):
    """{test cell of `function`: verdict} of the re-check on namespace `ns`."""
    nb = notebook(assignment)
    cells = [course.grade_id(c) for c in course.test_cells(nb, function)]
    records = [r for r in recorded(assignment) if r.get("cell") in cells and "inputs" in r]
    verdict = recheck.verdicts(records, _run_driver(dict(ns), recheck.plan(records, _EmptyNotebook())["calls"]))
    return {cell: verdict.get(cell, (PASS, "")) for cell in cells}


def notebook_verdicts(assignment, function, ns):
    """{test cell of `function`: verdict} of the notebook's own test cells on `ns`."""
    return {cell: (PASS, "") if exc is None else (FAIL, f"{type(exc).__name__}: {exc}")
            for cell, exc in nbtools.run_cells(notebook(assignment), function, ns).items()}


def both(assignment, function, source):
    ns = nbtools.namespace(notebook(assignment), {function: source})
    return notebook_verdicts(assignment, function, ns), recheck_verdicts(assignment, function, ns)


def _disagreements(nbv, rcv):
    return {cell: (nbv[cell], rcv[cell]) for cell in nbv if nbv[cell][0] != rcv[cell][0]}


# ---------------------------------------------------------------- a. the recording

@pytest.mark.slow
@pytest.mark.integration
def test_every_check_is_recorded_and_replayable(assignment):
    records = recorded(assignment)
    unreplayable = [(r.get("cell"), r.get("function"), r["unreplayable"]) for r in records if "unreplayable" in r]
    assert not unreplayable, unreplayable
    nb = notebook(assignment)
    covered = {r["cell"] for r in records}
    for name in course.graded_functions(nb):
        cells = {course.grade_id(c) for c in course.test_cells(nb, name)}
        assert cells <= covered, f"{assignment}: test cells of {name} without a recorded check: {cells - covered}"


@pytest.mark.slow
@pytest.mark.integration
def test_answer_key_passes_the_recheck(assignment):
    nb = notebook(assignment)
    ns = nbtools.namespace(nb)
    for name in course.graded_functions(nb):
        assert all(v == PASS for v, _ in recheck_verdicts(assignment, name, ns).values()), name


# ---------------------------------------------------------------- b. one verdict on every case

@pytest.mark.slow
@pytest.mark.integration
def test_one_verdict_on_every_variant(case):
    nbv, rcv = both(case.assignment, case.function, case.source)
    assert not [c for c, (v, _) in rcv.items() if v == GRADER_ERROR], rcv
    if case.not_replayed:  # the mark must be true: the notebook fails it, the re-check cannot see it
        assert _disagreements(nbv, rcv), f"{case.id} is caught by the re-check now: drop it from NOT_REPLAYED"
        return
    assert not _disagreements(nbv, rcv), f"{case.id}: notebook and re-check disagree: {_disagreements(nbv, rcv)}"
    assert all(v == (PASS if case.correct else v) for v, _ in nbv.values())


def _recording(fn, log):
    def recorded_call(*args, **kwargs):
        try:
            out = fn(*args, **kwargs)
        except Exception as exc:  # replayed as raised
            log.append((None, exc))
            raise
        log.append((out, None))
        return out
    return recorded_call


def _replaying(log, transform):
    outputs = iter(log)

    def replayed_call(*args, **kwargs):
        out, exc = next(outputs)
        if exc is not None:
            raise exc
        return transform(out)
    return replayed_call


def _transformed(fn, transform):
    def transformed_call(*args, **kwargs):
        return transform(fn(*args, **kwargs))
    return transformed_call


@kinds("correct")
@pytest.mark.slow
@pytest.mark.integration
def test_one_verdict_whatever_value_kind_a_correct_answer_returns(case):
    """Each correct formulation runs once on each side; its outputs, in call order, are then
    handed back wrapped in every value kind (tests/support/wrappers.py), to the notebook's
    test cells and to the re-check driver alike."""
    a, f = case.assignment, case.function
    ns = nbtools.namespace(notebook(a), {f: case.source})
    logs = {"notebook": [], "recheck": []}
    assert all(v == PASS for v, _ in notebook_verdicts(a, f, {**ns, f: _recording(ns[f], logs["notebook"])}).values())
    assert all(v == PASS for v, _ in recheck_verdicts(a, f, {**ns, f: _recording(ns[f], logs["recheck"])}).values())
    # a check of how the call leaves its arguments (after=) needs the call itself, not its output
    cells = {course.grade_id(c) for c in course.test_cells(notebook(a), f)}
    live = any(r.get("after") for r in recorded(a) if r.get("cell") in cells)
    problems = []
    for kind, transform in wrappers.transforms().items():
        if live:
            nbv = notebook_verdicts(a, f, {**ns, f: _transformed(ns[f], transform)})
            rcv = recheck_verdicts(a, f, {**ns, f: _transformed(ns[f], transform)})
        else:
            nbv = notebook_verdicts(a, f, {**ns, f: _replaying(logs["notebook"], transform)})
            rcv = recheck_verdicts(a, f, {**ns, f: _replaying(logs["recheck"], transform)})
        if _disagreements(nbv, rcv):
            problems.append(f"{kind}: notebook and re-check disagree: {_disagreements(nbv, rcv)}")
        if any(v == GRADER_ERROR for v, _ in rcv.values()):
            problems.append(f"{kind}: grader error {rcv}")
        if kind not in wrappers.LOSSY and not all(v == PASS for v, _ in rcv.values()):
            problems.append(f"{kind}: a correct answer fails: {rcv}")
    assert not problems, f"{case.id}:\n" + "\n".join(problems)


# ---------------------------------------------------------------- c. units

def test_parse_driver_output_reads_the_results_between_the_markers():
    nonce = recheck.new_nonce()
    results = [{"ok": 1.5}, {"error": "ValueError: no"}]
    text = f"learner's print\n{nonce}{json.dumps(results)}{nonce}\nmore"
    assert recheck.parse_driver_output(text, nonce, 2) == results


@pytest.mark.parametrize("text", [
    "",                                               # no output at all
    "all tests passed",                               # no markers
    "{N}[{{\"ok\": 1}}, {{\"ok\": 2}}]",              # one marker only
    "{N}[{{\"ok\": 1}}]{N}",                          # one result for two calls
    "{N}[{{\"ok\": 1}}, {{\"ok\": 2}}, {{\"ok\": 3}}]{N}",   # three
    "{N}[{{\"ok\": 1}}, {{\"ok\": {N}",               # garbage JSON
    "{N}{{\"ok\": 1, \"also\": 2}}{N}",               # JSON, not a list
    "{N}not json at all{N}",
    "@@0123456789abcdef0123456789abcdef@@[{{\"ok\": 1}}, {{\"ok\": 2}}]@@0123456789abcdef0123456789abcdef@@",
])
def test_parse_driver_output_fails_every_call_on_bad_output(text):
    nonce = recheck.new_nonce()
    results = recheck.parse_driver_output(text.format(N=nonce), nonce, 2)
    assert len(results) == 2 and all(set(r) == {"error"} for r in results)
    verdict = recheck.verdicts(_records(), results)
    assert set(verdict) == {"test_a", "test_b"}
    assert all(v == FAIL and "no readable result" in message for v, message in verdict.values())


def _records():
    return [
        {"cell": "test_a", "function": "double", "quantity": "double()", "rtol": 1e-7, "atol": 1e-10,
         "names": None, "inputs": values.encode({"x": np.array([1.0, 2.0])}),
         "expected": values.encode(np.array([2.0, 4.0]))},
        {"cell": "test_b", "function": "pair", "quantity": "pair()", "rtol": 1e-7, "atol": 1e-10,
         "names": ["s", "n"], "inputs": values.encode({"x": 3}), "expected": values.encode(("ok", 3))},
    ]


@pytest.mark.parametrize("data", [
    {"__callable__": "numpy:sum"},
    {"__callable__": "coursekit.functions:square"},
    {"__partial__": {"__callable__": "numpy:sum"}, "args": [], "kwargs": {}},
    {"__spec__": "Shape", "shape": [2], "max_abs": None, "distinct": False},
    {"__ndarray__": [1, "x"], "dtype": "object", "shape": [2]},
    {"__ndarray__": ["a"], "dtype": "<U1", "shape": [1]},
    {"__ndarray__": [1.0, 2.0], "dtype": "complex128", "shape": [2]},
    {"__something_else__": 1},
    {},
    [1.0, {"__callable__": "numpy:sum"}],
    {"__tuple__": [1.0, {"__spec__": "Shape", "shape": [1], "max_abs": None, "distinct": False}]},
    {"__dict__": {"dw": {"__callable__": "os:system"}}},
])
def test_decode_of_learner_data_refuses_callables_specs_and_objects(data):
    with pytest.raises(values.Unreplayable):
        values.decode(data, callables=False)


def test_decode_of_learner_data_keeps_plain_data():
    value = {"a": (1, 2.5, "s", None, True), "b": [np.arange(3.0), np.array([[1, 2]], dtype=np.int32)],
             "c": float("nan"), "d": np.array([np.inf, -np.inf, np.nan, 1.0])}
    back = values.decode(json.loads(json.dumps(values.encode(value))), callables=False)
    assert back["a"] == (1, 2.5, "s", None, True)
    np.testing.assert_array_equal(back["b"][0], np.arange(3.0))
    assert back["b"][1].dtype == np.int32 and back["b"][1].shape == (1, 2)
    assert np.isnan(back["c"])
    np.testing.assert_array_equal(back["d"], value["d"])


def test_encode_refuses_objects():
    for value in (np.array([object()]), np.array([1 + 2j]), lambda x: x, {frozenset(): 2}, {1.0, 2.0}, object()):
        with pytest.raises(values.Unreplayable):
            values.encode(value)


def _toy_namespace():
    import time as _time

    def double(x):
        print("the learner's own print")
        return x * 2

    def pair(x):
        return ["ok", np.int64(x)]

    def boom(x):
        raise ValueError("wrong input")

    def leaves(x):
        raise SystemExit(0)

    def interrupted(x):
        raise KeyboardInterrupt

    def returns_function(x):
        return lambda: x

    def slow(x):
        _time.sleep(5)
        return x

    return {"__name__": "__main__", **{f.__name__: f for f in
                                        (double, pair, boom, leaves, interrupted, returns_function, slow)}}


def test_driver_returns_plain_data_for_a_toy_function():
    records = _records()
    calls = recheck.plan(records, _EmptyNotebook())["calls"]
    results = _run_driver(_toy_namespace(), calls)
    assert results[0] == {"ok": {"__ndarray__": [2.0, 4.0], "dtype": "float64", "shape": [2]}}
    assert results[1] == {"ok": ["ok", 3]}
    assert recheck.verdicts(records, results) == {"test_a": (PASS, ""), "test_b": (PASS, "")}
    # the same calls on a wrong function fail where the notebook's check would, with its message
    wrong = {**_toy_namespace(), "double": lambda x: x * 3}
    verdict = recheck.verdicts(records, _run_driver(wrong, calls))
    assert verdict["test_b"] == (PASS, "")
    assert verdict["test_a"][0] == FAIL and "2 of 2 entries differ" in verdict["test_a"][1]


def test_driver_reports_errors_exits_interrupts_and_timeouts_as_failed_calls():
    calls = [{"function": name, "inputs": values.encode({"x": 1})}
             for name in ("boom", "leaves", "interrupted", "returns_function", "missing", "slow", "slow", "double")]
    results = _run_driver(_toy_namespace(), calls, seconds=0.3)
    errors = [r.get("error", "") for r in results]
    assert errors[0].startswith("ValueError: wrong input")
    assert errors[1].startswith("SystemExit")
    assert errors[2].startswith("KeyboardInterrupt")
    assert results[3] == {"ok": {"__unencodable__": "function"}}  # fails only where it is compared
    assert errors[4].startswith("NameError")
    assert errors[5].startswith("TimeoutError") and "skipped" in errors[6]
    assert results[7] == {"ok": 2}


def test_verdicts_fail_cells_without_a_result():
    verdict = recheck.verdicts(_records(), [{"ok": values.encode(np.array([2.0, 4.0]))}])
    assert verdict.get("test_b", (PASS, ""))[0] != PASS


def test_verdicts_reject_crafted_results():
    records = _records()
    for crafted in ({"ok": {"__callable__": "numpy:sum"}}, {"ok": {"__ndarray__": [2.0], "dtype": "float64",
                                                                   "shape": [2]}},
                    {"ok": {"__float__": "nan"}}, "ok", None, {"neither": 1}):
        verdict = recheck.verdicts(records[:1], [crafted])
        assert verdict["test_a"][0] != PASS, crafted



# ---------------------------------------------------------------- d. one verdict: specs, purity, grader errors

def _record(fn_name, inputs, expected, **options):
    return {"cell": "test_x", "function": fn_name, "quantity": f"{fn_name}()", "rtol": 1e-7, "atol": 1e-10,
            "names": None, "inputs": values.encode(inputs), "expected": values.encode(expected), **options}


def _replayed(ns, records):
    return recheck.verdicts(records, _run_driver(ns, recheck.plan(records, _EmptyNotebook())["calls"]))


def test_an_expected_exception_is_replayed():
    def strict_half(x):
        if x < 0:
            raise ValueError("x must be >= 0")
        return x / 2

    records = [_record("f", {"x": -1.0}, checks.Raises(ValueError)), _record("f", {"x": 4.0}, 2.0)]
    assert _replayed({"f": strict_half}, records)["test_x"] == (PASS, "")
    verdict, message = _replayed({"f": lambda x: x / 2}, records)["test_x"]
    assert verdict == FAIL and "should raise ValueError" in message
    verdict, message = _replayed({"f": lambda x: 1 / 0}, records[:1])["test_x"]
    assert verdict == FAIL and "ZeroDivisionError" in message


def test_a_pure_check_is_replayed_with_the_arguments_as_the_call_left_them():
    def in_place(w, dw):
        w -= 0.1 * dw
        return w

    inputs = {"w": np.array([1.0, 2.0]), "dw": np.array([1.0, 1.0])}
    records = [_record("step", inputs, np.array([0.9, 1.9]), pure=True)]
    assert _replayed({"step": lambda w, dw: w - 0.1 * dw}, records)["test_x"] == (PASS, "")
    verdict, message = _replayed({"step": in_place}, records)["test_x"]
    assert verdict == FAIL and "changed its argument 'w' in place" in message
    with pytest.raises(checks.CheckFailed, match="changed its argument 'w' in place"):  # the notebook agrees
        checks.check(in_place, inputs, np.array([0.9, 1.9]), pure=True, quiet=True)


def test_a_broken_encoder_is_the_graders_error_not_the_learners(monkeypatch):
    """A test double for the re-check's encoder: it fails on the learner's (correct) value. The
    verdict is a grader error with the grader's message, never "raised ..." as if the learner's
    function had raised."""
    records = [_record("double", {"x": np.array([1.0, 2.0])}, np.array([2.0, 4.0]))]

    def broken(value, *args, **kwargs):
        raise ValueError("The truth value of an array with more than one element is ambiguous")

    monkeypatch.setattr(values, "encode", broken)
    results = _run_driver({"double": lambda x: 2 * x}, [{"function": "double", "inputs": records[0]["inputs"]}])
    monkeypatch.undo()
    assert set(results[0]) == {"grader_error"}
    verdict, message = recheck.verdicts(records, results)["test_x"]
    assert verdict == GRADER_ERROR and message.startswith("re-check could not compare double()")
    assert "raised" not in message


def test_a_failing_decoder_or_comparison_is_the_graders_error(monkeypatch):
    records = [_record("double", {"x": np.array([1.0, 2.0])}, np.array([2.0, 4.0]))]
    results = [{"ok": values.encode(np.array([2.0, 4.0]))}]
    assert recheck.verdicts(records, results)["test_x"] == (PASS, "")
    monkeypatch.setattr(checks, "compare", lambda *a, **k: 1 / 0)
    verdict, message = recheck.verdicts(records, results)["test_x"]
    assert verdict == GRADER_ERROR and "ZeroDivisionError" in message


def test_a_learners_failure_outranks_a_grader_error_in_the_same_cell():
    records = [_record("f", {"x": 1.0}, 1.0), _record("f", {"x": 2.0}, 2.0)]
    verdict = recheck.verdicts(records, [{"grader_error": "boom"}, {"ok": 3.0}])
    assert verdict["test_x"][0] == FAIL


@pytest.mark.parametrize("value", [
    np.asmatrix([[1.0], [2.0]]), np.array([[1.0], [2.0]]).view(type("Sub", (np.ndarray,), {})),
    {1: np.ones(2), 2: 0.5}, {"dW1": np.ones((2, 2)), "extra": print}, [np.float64(1.5), np.array(2.0)],
    (np.float32(0.5), -0.0), np.arange(4.0).reshape(2, 2).T,
])
def test_encoding_keeps_what_compare_reads(value):
    back = values.decode(json.loads(json.dumps(values.encode(value, strict=False, trusted=False))), callables=False)
    normalized = values.normalize(value)
    if isinstance(normalized, dict):
        assert set(back) == set(normalized)
        for k in normalized:
            if not callable(normalized[k]):
                checks.compare("x", back[k], normalized[k], rtol=0, atol=0)
    else:
        checks.compare("x", back, normalized if not isinstance(normalized, tuple) else tuple(normalized),
                       rtol=0, atol=0)


def test_a_property_check_with_a_second_call_is_replayed():
    from coursekit import properties as P

    def split(m, seed):
        perm = np.random.default_rng(seed).permutation(m)
        return perm[:3], perm[3:]

    records = [_record("split", {"m": 8, "seed": 0}, checks.Satisfies(P.index_split, m=8, sizes=(3, 5))),
               {**_record("split", {"m": 8, "seed": 0}, checks.Satisfies(P.different_result)),
                "again": values.encode({"seed": 1})}]
    assert _replayed({"split": split}, records)["test_x"] == (PASS, "")
    verdict, message = _replayed({"split": lambda m, seed: split(m, 0)}, records)["test_x"]
    assert verdict == FAIL and "is the seed argument used" in message


def test_an_after_check_is_replayed_with_the_arguments_as_the_call_left_them():
    def scale(w, factor):
        w *= factor
        return float(w.sum())

    records = [_record("scale", {"w": np.array([1.0, 2.0]), "factor": 2.0}, 6.0,
                       after=values.encode({"w": np.array([2.0, 4.0])}))]
    assert _replayed({"scale": scale}, records)["test_x"] == (PASS, "")
    verdict, message = _replayed({"scale": lambda w, factor: float((w * factor).sum())}, records)["test_x"]
    assert verdict == FAIL and "scale() left w" in message
