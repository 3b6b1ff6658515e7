"""coursekit.expected and coursekit.recording: the tests' expected values as data (issue 19)."""
import json

import nbformat
import numpy as np
import pytest

from coursekit import checks as ck
from coursekit import expected, recording
from coursekit.grading import recorded_oracles


def table_in(folder, entries):
    expected.write_table(folder / expected.VISIBLE_FILE, "A", entries)


def test_a_recorded_value_is_found_for_the_same_call_also_a_last_bit_away(tmp_path, monkeypatch):
    Z = np.random.default_rng(0).standard_normal((3, 4))
    table_in(tmp_path, {expected.key("oracle", (Z, 1e-5), {}): {"__ndarray__": [1.5], "dtype": "float64",
                                                                 "shape": [1]}})
    monkeypatch.chdir(tmp_path)
    oracle = expected.recorded("oracle")
    assert oracle(Z, 1e-5).tolist() == [1.5]
    assert oracle(np.nextafter(Z, 1.0), 1e-5).tolist() == [1.5]        # another machine's last bit
    with pytest.raises(expected.NoRecordedValue, match="no recorded value"):
        oracle(Z + 1e-3, 1e-5)
    with pytest.raises(expected.NoRecordedValue, match="no recorded value"):
        oracle(Z, epsilon=1e-5)                                          # another call is another key


def test_a_recorded_value_is_refused_inside_a_graded_call(tmp_path, monkeypatch):
    table_in(tmp_path, {expected.key("oracle", (2.0,), {}): 4.0})
    monkeypatch.chdir(tmp_path)
    oracle = expected.recorded("oracle")

    def square(x):
        return oracle(x)
    with pytest.raises(expected.NoRecordedValue, match="may not use"):
        ck.call(square, {"x": 2.0})
    assert oracle(2.0) == 4.0            # outside a graded call: the test's own value
    with pytest.raises(expected.NoRecordedValue):  # and a check fails, without printing the value
        ck.check(square, {"x": 2.0}, expected=oracle(2.0))


def test_the_guard_survives_a_learner_that_switches_it_off():
    with expected.graded_call():
        expected._state["graded_call"] = 0
    assert expected._state["graded_call"] == 0
    with expected.graded_call():
        with expected.graded_call():
            pass
        assert expected._state["graded_call"] == 1


def test_the_release_cell_keeps_names_constants_and_coursekit_imports_only():
    source = ("import torch\nfrom coursekit.functions import square\nNAMES = ('a', 'b')\nTABLE = {'relu': torch.relu}\n"
              "def torch_thing(x):\n    return torch.relu(x)\n\ndef _private(x):\n    return x\n")
    released = recorded_oracles.released_source(source)
    assert "torch" not in released.replace("torch_thing", "")
    assert "from coursekit.functions import square" in released and "NAMES = ('a', 'b')" in released
    assert "torch_thing = recorded('torch_thing')" in released and "_private" not in released
    compile(released, "<release>", "exec")


def test_recording_marks_hidden_regions_and_wraps_the_oracles():
    nb = nbformat.v4.new_notebook()
    oracles = nbformat.v4.new_code_cell("def torch_thing(x):\n    return x")
    oracles.metadata["nbgrader"] = {"grade_id": "oracles", "locked": True, "solution": False, "grade": False}
    test = nbformat.v4.new_code_cell("a = 1\n### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\nc = 3")
    test.metadata["nbgrader"] = {"grade_id": "test_f", "grade": True, "points": 1, "locked": True, "solution": False}
    nb.cells = [oracles, test]
    out = recording.instrumented(nb)
    text = "\n".join(c.source for c in out.cells)
    assert "record_oracles(globals(), ['torch_thing'])" in text
    assert "set_region('hidden')\nb = 2" in text and "set_region('visible')\nc = 3" in text


def test_tables_keep_a_visible_value_out_of_the_hidden_table():
    lines = [json.dumps({"region": r, "name": "o", "key": k, "value": 1}) for r, k in
             (("visible", "k1"), ("hidden", "k1"), ("hidden", "k2"))]
    assert expected.tables(lines) == {"visible": {"k1": 1}, "hidden": {"k2": 1}}


def test_build_check_compares_recorded_numbers_up_to_rounding(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    expected.write_table(a, "A", {"k": 0.1 + 0.2})
    expected.write_table(b, "A", {"k": 0.3})
    assert recording.in_step(a, b, "x") == []
    expected.write_table(b, "A", {"k": 0.31})
    assert "differs" in recording.in_step(a, b, "x")[0]
    expected.write_table(b, "A", {"other": 0.3})
    assert "recorded calls differ" in recording.in_step(a, b, "x")[0]
