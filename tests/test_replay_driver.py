"""coursekit/replay_driver.py: what the re-check's kernel runs in place of a test cell, tested
in-process (the kernel's side of the re-check; its verdicts: test_grading_verdicts.py)."""
import json

import numpy as np

from coursekit import replay_driver, values


def double(x):
    return 2 * x


def scale_in_place(x):
    x *= 3
    return None


def hangs(x):
    while True:
        pass


def returns_a_generator(x):
    return (v for v in x)


def run(calls, seconds=0.5, **namespace):
    payload = json.dumps([{**c, "inputs": values.encode(c["inputs"])} for c in calls])
    return json.loads(replay_driver.call_all(payload, seconds, namespace))


def test_results_are_plain_data_and_errors_are_named():
    out = run([{"function": "double", "inputs": {"x": np.array([1.0, 2.0])}},
               {"function": "missing", "inputs": {}},
               {"function": "double", "inputs": {"x": "a"}, "again": values.encode({"x": "b"})}], double=double)
    assert values.decode(out[0]["ok"]).tolist() == [2.0, 4.0]
    assert out[1] == {"error": "NameError: missing is not defined", "types": ["NameError"]}
    assert (out[2]["ok"], out[2]["again"]) == ("aa", "bb")


def test_a_call_past_its_time_is_stopped_and_its_function_not_called_again():
    out = run([{"function": "hangs", "inputs": {"x": 1}}, {"function": "hangs", "inputs": {"x": 2}},
               {"function": "double", "inputs": {"x": 1}}], seconds=0.2, hangs=hangs, double=double)
    assert out[0]["error"].startswith("TimeoutError: no result within 0.2 s")
    assert out[1]["error"] == "TimeoutError: skipped, an earlier call timed out"
    assert out[2] == {"ok": 2}


def test_inputs_after_for_pure_checks_and_odd_results_as_data():
    out = run([{"function": "scale_in_place", "inputs": {"x": np.ones(2)}, "pure": True},
               {"function": "returns_a_generator", "inputs": {"x": [1]}}],
              scale_in_place=scale_in_place, returns_a_generator=returns_a_generator)
    assert values.decode(out[0]["inputs_after"])["x"].tolist() == [3.0, 3.0]
    assert out[1] == {"ok": {"__unencodable__": "generator"}}   # said as data; the verdict fails it outside
