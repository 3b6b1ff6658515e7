"""The independent re-check (coursekit.recheck), in-process and without nbgrader.

For every assignment the answer key's checks are recorded once; then every correct variant
of tests/test_variants_NN.py is replayed on the recorded inputs exactly as the re-check
kernel's driver does (checks.call, replay.encode, through JSON) and judged by
`recheck.verdicts` as the grader does: the re-check must never reject what the notebook's
tests accept, and must reject what they reject (typical mistakes). Plus unit tests of the
driver, of its output parsing and of `replay.decode(callables=False)`.
"""
from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

import nbtools
import tampering
from coursekit import build, checks, recheck, replay

ASSIGNMENTS = build.assignments(nbtools.ROOT)

# Notebook checks that the re-check does not replay: plain asserts and ck.call/ck.compare
# lines of a test cell (only ck.check calls are recorded). A part scores only if the notebook
# test AND the re-check pass, so these mistakes still score 0; the re-check is just not the
# one that catches them. (assignment, function, mistake label) -> why.
NOT_REPLAYED = {
    ("02_gradient_descent", "gradient_descent", "changes_x0_in_place"):
        "x0 modified in place: a plain assert on the caller's array; the re-check calls on copies",
    # test_initialize_parameters checks reproducibility, seed use and the spread of the weights
    # with ck.call + ck.compare/assert on two calls: not replayed (the spread is, through ck.Shape)
    ("04_backprop", "initialize_parameters", "global np.random, seed ignored"): "assert: seeds 3 and 4 differ",
    ("04_backprop", "initialize_parameters", "one generator made once, outside the function"):
        "ck.compare of two ck.call results",
}


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def recorded(request):
    """(assignment, source notebook, the answer key's recorded checks): recorded once."""
    assignment = request.param
    return assignment, nbtools.load(assignment), recheck.record(nbtools.ROOT, assignment)


def replay_in_process(ns, records):
    """What the re-check kernel's driver sends back, computed here on the namespace `ns`."""
    results = []
    for rec in records:
        if "inputs" not in rec:
            continue
        try:
            out = checks.call(ns[rec["function"]], replay.decode(rec["inputs"]))
            results.append({"ok": replay.encode(out, strict=False)})
        except Exception as exc:
            results.append({"error": type(exc).__name__ + ": " + str(exc)[:300]})
    return json.loads(json.dumps(results))


def recheck_failures(nb, records, replace=None):
    """{test cell: message} of the cells the re-check fails with `replace` (grade_id -> source)."""
    ns = nbtools.namespace(nb, replace)
    verdict = recheck.verdicts(records, replay_in_process(ns, records))
    return {cell: message for cell, (passed, message) in verdict.items() if not passed}


def notebook_failures(nb, name, source):
    """{test cell of `name`: message} of the cells the notebook's own test fails."""
    ns = nbtools.namespace(nb, {name: source})
    failed = {}
    for cell in nbtools.test_cells(nb, name):
        try:
            exec(compile(cell.source, f"<{nbtools.meta(cell)['grade_id']}>", "exec"), dict(ns))
        except Exception as exc:
            failed[nbtools.meta(cell)["grade_id"]] = f"{type(exc).__name__}: {exc}"
    return failed


def cells_of(nb, name):
    return {nbtools.meta(c)["grade_id"] for c in nbtools.test_cells(nb, name)}


# ---------------------------------------------------------------- a. the recording

@pytest.mark.slow
def test_every_check_is_recorded_and_replayable(recorded):
    assignment, nb, records = recorded
    assert records, f"{assignment}: no check recorded"
    unreplayable = [(r.get("cell"), r.get("function"), r["unreplayable"]) for r in records if "unreplayable" in r]
    assert not unreplayable, unreplayable
    assert all((r.get("cell") or "").startswith("test_") for r in records), \
        sorted({r.get("cell") for r in records})
    # every graded function's test cells are covered by at least one recorded check
    covered = {r["cell"] for r in records}
    for name in nbtools.graded_functions(nb):
        assert cells_of(nb, name) & covered, f"{assignment}: no recorded check for {name}"


@pytest.mark.slow
def test_answer_key_passes_the_recheck(recorded):
    assignment, nb, records = recorded
    assert recheck_failures(nb, records) == {}


# ---------------------------------------------------------------- b. as lenient and as strict as the notebook

@pytest.mark.slow
def test_recheck_accepts_every_correct_variant(recorded):
    assignment, nb, records = recorded
    problems = []
    for name, table in tampering.variants(assignment).items():
        for label, source in table["correct"].items():
            failed = recheck_failures(nb, records, {name: source})
            if failed:
                problems.append(f"{name} [{label}]: {failed}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_recheck_fails_what_the_notebook_fails(recorded):
    assignment, nb, records = recorded
    problems, checked = [], 0
    for name, table in tampering.variants(assignment).items():
        for label, source in table["mistakes"].items():
            expected = notebook_failures(nb, name, source)
            assert expected, f"{name} [{label}]: the notebook's test passes this mistake"
            failed = recheck_failures(nb, records, {name: source})
            missing = set(expected) - set(failed)
            if (assignment, name, label) in NOT_REPLAYED:
                assert missing, f"{name} [{label}] is caught by the re-check now: drop it from NOT_REPLAYED"
                continue
            checked += 1
            if missing:
                problems.append(f"{name} [{label}]: the notebook fails {sorted(missing)} "
                                f"({[expected[c][:120] for c in sorted(missing)]}) but the re-check passes it")
    assert checked
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_extra_unencodable_key_is_ignored_like_the_notebook_does(recorded):
    assignment, nb, records = recorded
    if assignment != "03_logistic_regression":
        pytest.skip("03 only")
    source = tampering._src("""
        def propagate(w, b, X, Y):
            m = X.shape[1]
            A = sigmoid(w.T @ X + b)
            grads = {"dw": X @ (A - Y).T / m, "db": float(np.mean(A - Y)), "activation": sigmoid}
            return grads, logistic_cost(A, Y)
    """)
    assert notebook_failures(nb, "propagate", source) == {}
    assert recheck_failures(nb, records, {"propagate": source}) == {}


@pytest.mark.slow
def test_recheck_catches_a_wrong_initialization(recorded):
    assignment, nb, records = recorded
    if assignment != "04_backprop":
        pytest.skip("04 only")
    source = tampering.variants(assignment)["initialize_parameters"]["mistakes"]["0.01 scale instead of He"]
    assert "test_initialize_parameters" in notebook_failures(nb, "initialize_parameters", source)
    assert "test_initialize_parameters" in recheck_failures(nb, records, {"initialize_parameters": source})


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
    assert all(not passed and "no readable result" in message for passed, message in verdict.values())


def _records():
    return [
        {"cell": "test_a", "function": "double", "quantity": "double()", "rtol": 1e-7, "atol": 1e-10,
         "names": None, "inputs": replay.encode({"x": np.array([1.0, 2.0])}),
         "expected": replay.encode(np.array([2.0, 4.0]))},
        {"cell": "test_b", "function": "pair", "quantity": "pair()", "rtol": 1e-7, "atol": 1e-10,
         "names": ["s", "n"], "inputs": replay.encode({"x": 3}), "expected": replay.encode(("ok", 3))},
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
    with pytest.raises(replay.Unreplayable):
        replay.decode(data, callables=False)


def test_decode_of_learner_data_keeps_plain_data():
    value = {"a": (1, 2.5, "s", None, True), "b": [np.arange(3.0), np.array([[1, 2]], dtype=np.int32)],
             "c": float("nan"), "d": np.array([np.inf, -np.inf, np.nan, 1.0])}
    back = replay.decode(json.loads(json.dumps(replay.encode(value))), callables=False)
    assert back["a"] == (1, 2.5, "s", None, True)
    np.testing.assert_array_equal(back["b"][0], np.arange(3.0))
    assert back["b"][1].dtype == np.int32 and back["b"][1].shape == (1, 2)
    assert np.isnan(back["c"])
    np.testing.assert_array_equal(back["d"], value["d"])


def test_encode_refuses_objects():
    for value in (np.array([object()]), np.array([1 + 2j]), lambda x: x, {1: 2}, {1.0, 2.0}, object()):
        with pytest.raises(replay.Unreplayable):
            replay.encode(value)


def _run_driver(ns, calls, seconds=5.0):
    nonce = recheck.new_nonce()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(recheck.driver_source(calls, nonce, per_call_seconds=seconds), "<driver>", "exec"), ns)
    return recheck.parse_driver_output(out.getvalue(), nonce, len(calls))


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
    assert recheck.verdicts(records, results) == {"test_a": (True, ""), "test_b": (True, "")}
    # the same calls on a wrong function fail where the notebook's check would, with its message
    wrong = {**_toy_namespace(), "double": lambda x: x * 3}
    verdict = recheck.verdicts(records, _run_driver(wrong, calls))
    assert verdict["test_b"] == (True, "")
    assert not verdict["test_a"][0] and "2 of 2 entries differ" in verdict["test_a"][1]


def test_driver_reports_errors_exits_interrupts_and_timeouts_as_failed_calls():
    calls = [{"function": name, "inputs": replay.encode({"x": 1})}
             for name in ("boom", "leaves", "interrupted", "returns_function", "missing", "slow", "slow", "double")]
    results = _run_driver(_toy_namespace(), calls, seconds=0.3)
    errors = [r.get("error", "") for r in results]
    assert errors[0].startswith("ValueError: wrong input")
    assert errors[1].startswith("SystemExit")
    assert errors[2].startswith("KeyboardInterrupt")
    assert results[3] == {"ok": {"__unencodable__": "function"}}  # fails only where it is compared
    assert errors[4].startswith("KeyError")
    assert errors[5].startswith("TimeoutError") and "skipped" in errors[6]
    assert results[7] == {"ok": 2}


class _EmptyNotebook:
    cells = []


def test_verdicts_fail_cells_without_a_result():
    verdict = recheck.verdicts(_records(), [{"ok": replay.encode(np.array([2.0, 4.0]))}])
    assert verdict.get("test_b", (True, ""))[0] is False


def test_verdicts_reject_crafted_results():
    records = _records()
    for crafted in ({"ok": {"__callable__": "numpy:sum"}}, {"ok": {"__ndarray__": [2.0], "dtype": "float64",
                                                                   "shape": [2]}},
                    {"ok": {"__float__": "nan"}}, "ok", None, {"neither": 1}):
        verdict = recheck.verdicts(records[:1], [crafted])
        assert verdict["test_a"][0] is False, crafted

