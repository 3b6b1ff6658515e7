"""Unit tests of coursekit.checks and coursekit.replay: every failure message the checks promise."""
import functools
import json
import warnings

import numpy as np
import pytest

from coursekit import checks as ck
from coursekit import functions as F
from coursekit import replay, values


def identity(x):
    """Returns its input: lets a test choose exactly what the 'learner' returns."""
    return x


def failure(fn, inputs, expected, **options):
    """The message of the CheckFailed that check() raises."""
    with pytest.raises(ck.CheckFailed) as info:
        ck.check(fn, inputs, expected, quiet=True, **options)
    return str(info.value)


# ---------------------------------------------------------------- passing

def test_a_passing_check_prints_one_line_and_returns_nothing(capsys):
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    out = ck.check(sigmoid, {"z": np.array([0.0, 2.0])}, expected=np.array([0.5, 0.8807970779778823]), rtol=1e-9)
    assert out is None  # a value left as a test cell's last expression would read as partial credit
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and printed.startswith("\u2713 sigmoid() on z of shape (2,)")


def test_quiet_check_prints_nothing(capsys):
    ck.check(identity, {"x": 1.0}, 1.0, quiet=True)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("actual, expected", [
    (1.0, 1.0),
    (np.float64(2.0), 2.0),
    (np.array(2.0), 2.0),                     # a 0-d array is a single number
    (1.0 + 1e-9, 1.0),                        # within rtol 1e-7
    (3, 3),
    (np.int64(3), 3),
    (True, True),
    (np.True_, True),
    ("relu", "relu"),
    ([1.0, 2.0], np.array([1.0, 2.0])),       # a list is fine where an array is expected
    (np.array([np.inf, 1.0]), np.array([np.inf, 1.0])),
    ((1.0, np.ones(2)), (1.0, np.ones(2))),
    ([1.0, 2.0], (1.0, 2.0)),                 # a list for a tuple of return values
    ({"a": 1.0, "extra": "ok"}, {"a": 1.0}),  # extra keys allowed
])
def test_equal_values_pass(actual, expected):
    ck.check(identity, {"x": actual}, expected, quiet=True)


class FakeTensor:
    """Duck-types the part of a torch tensor that checks uses (.detach().cpu().numpy()),
    so that these tests need not import torch (4 s)."""

    def __init__(self, values, requires_grad=False):
        self.values, self.requires_grad = np.asarray(values, dtype=np.float32), requires_grad

    def detach(self):
        return FakeTensor(self.values)

    def cpu(self):
        return self

    def numpy(self):
        return self.values

    def __array__(self, dtype=None, copy=None):
        if self.requires_grad:  # what torch does
            raise RuntimeError("Can't call numpy() on Tensor that requires grad.")
        return self.values.astype(dtype) if dtype else self.values


def test_a_tensor_result_is_compared_as_an_array():
    def returns_a_tensor(x):
        return FakeTensor(x, requires_grad=True)

    ck.check(returns_a_tensor, {"x": np.array([1.0, 2.0])}, np.array([1.0, 2.0]), quiet=True)
    assert "got 2, expected 2.5" in failure(returns_a_tensor, {"x": np.array([1.0, 2.0])}, np.array([1.0, 2.5]))


# ---------------------------------------------------------------- shape

def test_wrong_shape_transposed():
    message = failure(identity, {"x": np.ones((3, 1))}, np.ones((1, 3)))
    assert "wrong shape: expected (1, 3), got (3, 1) (transposed?)" in message
    assert message.startswith("identity(): ")


def test_wrong_shape_lost_dimension_hints_keepdims():
    message = failure(identity, {"x": np.ones(4)}, np.ones((4, 1)))
    assert "wrong shape: expected (4, 1), got (4,)" in message
    assert "keepdims=True, or reshape?" in message


def test_wrong_shape_without_a_hint():
    message = failure(identity, {"x": np.ones((2, 3))}, np.ones((3, 3)))
    assert "wrong shape" in message and "transposed" not in message and "keepdims" not in message


def test_an_array_where_a_number_is_expected():
    message = failure(identity, {"x": np.array([2.0])}, 2.0)
    assert "expected a single number (shape ())" in message and "shape (1,)" in message
    assert ".item()" in message


# ---------------------------------------------------------------- finiteness

def test_non_finite_entries_are_named():
    message = failure(identity, {"x": np.array([[1.0, 2.0], [np.nan, np.inf]])}, np.ones((2, 2)))
    assert "2 of 4 entries are not finite" in message
    assert "index (1, 0)" in message and "nan" in message


def test_a_non_finite_number():
    message = failure(identity, {"x": float("inf")}, 1.0)
    assert "1 of 1 entries are not finite" in message and "inf" in message


# ---------------------------------------------------------------- values

def test_values_differ_names_the_worst_index_both_values_and_the_tolerance():
    expected = np.arange(12.0).reshape(3, 4)
    actual = expected.copy()
    actual[0, 1] += 1e-3
    actual[2, 3] += 0.5
    message = failure(identity, {"x": actual}, expected, rtol=1e-6, atol=1e-9)
    assert "2 of 12 entries differ" in message
    assert "worst at index (2, 3)" in message
    assert "got 11.5, expected 11" in message
    assert "|difference| 0.5 > tolerance 1.1e-05" in message
    assert "atol 1e-09 + rtol 1e-06 * |expected|" in message
    assert "shape (3, 4) as expected" in message


def test_a_number_that_differs():
    message = failure(identity, {"x": 0.3}, 0.25)
    assert "worst value: got 0.3, expected 0.25" in message


def test_the_expected_array_is_never_printed_in_full():
    expected = np.round(np.linspace(1.234567, 9.876543, 50) ** 1.5, 6)  # 50 distinctive values
    actual = expected + 1.0
    messages = [failure(identity, {"x": actual}, expected),
                failure(identity, {"x": actual.reshape(5, 10)}, expected.reshape(10, 5)),
                failure(identity, {"x": np.where(np.arange(50) == 7, np.nan, expected)}, expected)]
    for message in messages:
        shown = [v for v in expected if f"{v:.6g}" in message or repr(float(v)) in message]
        assert len(shown) <= 1, (shown, message)
        assert len(message) < 400


def test_tolerances_are_respected():
    ck.check(identity, {"x": 1.0 + 1e-6}, 1.0, rtol=1e-5, quiet=True)
    ck.check(identity, {"x": 1e-12}, 0.0, quiet=True)  # within the default atol
    with pytest.raises(ck.CheckFailed):
        ck.check(identity, {"x": 1e-9}, 0.0, quiet=True)


# ---------------------------------------------------------------- learner mistakes of other kinds

def test_not_implemented_yet():
    def sigmoid(z):
        raise NotImplementedError()

    with pytest.raises(ck.NotImplementedYet) as info:
        ck.check(sigmoid, {"z": 0.0}, 0.5, quiet=True)
    assert isinstance(info.value, ck.CheckFailed) and isinstance(info.value, AssertionError)
    assert "sigmoid: not implemented yet" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_none_returned():
    def forgot_return(x):
        x * 2

    assert "got None; did the function forget to `return`" in failure(forgot_return, {"x": np.ones(2)}, np.ones(2))


@pytest.mark.parametrize("actual, fragment", [
    ("0.5", "expected numbers, got str '0.5'"),
    ({"a": 1}, "expected numbers, got dict"),
    ([np.ones(2), np.ones(3)], "expected numbers"),
])
def test_not_numbers(actual, fragment):
    assert fragment in failure(identity, {"x": actual}, np.ones(2))


def test_tuple_length():
    message = failure(identity, {"x": (1.0, 2.0)}, (1.0, 2.0, 3.0))
    assert "expected a tuple of 3 values, got 2" in message
    assert "expected a tuple of 2 values, got float" in failure(identity, {"x": 1.0}, (1.0, 2.0))


def test_tuple_parts_are_named():
    message = failure(identity, {"x": (6.0, 11.0, 30.0)}, (6.0, 11.0, 33.0), names=("u", "v", "J"))
    assert message.startswith("identity() J: ")
    assert "got 30, expected 33" in failure(identity, {"x": (6.0, 30.0)}, (6.0, 33.0))
    assert failure(identity, {"x": (6.0, 30.0)}, (6.0, 33.0)).startswith("identity()[1]: ")


def test_dict_missing_keys():
    message = failure(identity, {"x": {"dw": np.zeros(2)}}, {"dw": np.zeros(2), "db": 0.0})
    assert "missing keys ['db']" in message
    assert "expected a dict with keys ['db', 'dw'], got list" in failure(identity, {"x": [1.0]}, {"dw": 1.0, "db": 0.0})


def test_dict_values_are_compared_by_key():
    message = failure(identity, {"x": {"W1": np.ones((2, 3))}}, {"W1": np.ones((3, 2))})
    assert message.startswith("identity()['W1']: wrong shape") and "transposed?" in message


def test_nested_tuple_of_dict_and_number():
    message = failure(identity, {"x": ({"dw": np.zeros(2)}, 0.7)},
                      ({"dw": np.zeros(2)}, 0.69), names=("grads", "cost"))
    assert message.startswith("identity() cost: ")


def test_string_mismatch_does_not_reveal_the_expected_string():
    message = failure(identity, {"x": "sigmoid"}, "tanh-secret")
    assert "'sigmoid'" in message and "not the right answer" in message
    assert "tanh" not in message and "secret" not in message
    assert "expected a string, got float" in failure(identity, {"x": 1.0}, "tanh-secret")


def test_bool_and_int_mismatches():
    assert "got False, which is not the right answer" in failure(identity, {"x": False}, True)
    assert "expected True or False, got int" in failure(identity, {"x": 1}, True)
    assert "got 4, expected 3" in failure(identity, {"x": 4}, 3)
    assert "expected an integer, got float" in failure(identity, {"x": 3.0}, 3)
    assert "expected an integer, got bool" in failure(identity, {"x": True}, 1)


# ---------------------------------------------------------------- Shape spec

def test_shape_spec_passes_random_values():
    rng = np.random.default_rng(0)
    ck.check(identity, {"x": 0.01 * rng.standard_normal((4, 2))}, ck.Shape((4, 2), max_abs=1.0, distinct=True),
             quiet=True)
    ck.check(identity, {"x": np.zeros((4, 1))}, ck.Shape((4, 1)), quiet=True)


def test_shape_spec_wrong_shape():
    assert "wrong shape: expected (4, 2), got (2, 4) (transposed?)" in failure(
        identity, {"x": np.zeros((2, 4))}, ck.Shape((4, 2)))


def test_shape_spec_max_abs():
    x = np.zeros((3, 2))
    x[2, 1] = -5.0
    message = failure(identity, {"x": x}, ck.Shape((3, 2), max_abs=1.0))
    assert "entries should be small (|x| <= 1)" in message and "index (2, 1) is -5" in message


def test_shape_spec_distinct():
    message = failure(identity, {"x": np.full((4, 2), 0.3)}, ck.Shape((4, 2), distinct=True))
    assert "all 8 entries are equal (0.3)" in message and "symmetry" in message


def test_shape_spec_non_finite():
    assert "not finite" in failure(identity, {"x": np.array([1.0, np.nan])}, ck.Shape((2,)))


def test_shape_spec_to_json_round_trip():
    spec = values.decode(json.loads(json.dumps(values.encode(ck.Shape((4, 2), max_abs=0.5, distinct=True)))))
    assert isinstance(spec, ck.Shape)
    assert (spec.shape, spec.max_abs, spec.distinct) == ((4, 2), 0.5, True)


# ---------------------------------------------------------------- isolation of the call

def test_warnings_inside_the_checked_function_never_reach_stderr(capfd):
    def noisy(x):
        warnings.warn("a learner's warning", UserWarning, stacklevel=2)
        return np.log(x) + np.exp(1000.0)  # RuntimeWarnings: divide by zero, overflow

    with warnings.catch_warnings():
        warnings.simplefilter("default")  # not swallowed by pytest's own capture
        with pytest.raises(ck.CheckFailed, match="not finite"):
            ck.check(noisy, {"x": np.array([0.0, 1.0])}, np.zeros(2), quiet=True)
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_warnings_are_not_turned_into_errors():
    def overflowing(x):
        return np.exp(x)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ck.check(overflowing, {"x": np.array([1000.0])}, np.array([np.inf]), quiet=True)


def test_the_global_generators_are_seeded_before_each_call():
    def draws(n):
        return np.random.rand(n)

    np.random.seed(123)
    first = ck.call(draws, {"n": 3})
    np.random.rand(10)  # code elsewhere draws from the global generator
    np.testing.assert_array_equal(ck.call(draws, {"n": 3}), first)


def test_inputs_are_deep_copied():
    def mutating(x, params):
        x *= 0.0
        params["W"][0, 0] = 99.0
        params["list"].append(1)
        return 1.0

    x = np.ones(3)
    params = {"W": np.zeros((2, 2)), "list": []}
    ck.check(mutating, {"x": x, "params": params}, 1.0, quiet=True)
    np.testing.assert_array_equal(x, np.ones(3))
    np.testing.assert_array_equal(params["W"], np.zeros((2, 2)))
    assert params["list"] == []


def test_describe_inputs():
    text = ck.describe_inputs({"X": np.zeros((2, 5)), "f": F.square, "lr": 0.1,
                               "layers": list(range(30)), "g": functools.partial(F.log1pexp, a=2.0)})
    assert text.startswith("X of shape (2, 5), f=coursekit.functions:square, lr=0.1, layers=<list of 30>")
    assert ck.describe_inputs({}) == "no inputs"


def test_custom_quantity_name():
    assert failure(identity, {"x": 1.0}, 2.0, quantity="dw1").startswith("dw1: ")


# ---------------------------------------------------------------- replay: encode / decode

ROUND_TRIP = [
    None, True, False, 0, -7, 2.5, "relu",
    float("inf"), float("-inf"),
    np.float64(0.1), np.int32(4),
    np.arange(6.0).reshape(2, 3), np.arange(6).reshape(3, 2), np.array(3.5), np.zeros((0, 2)),
    np.array([True, False]), np.arange(4, dtype=np.float32),
    (1.0, (2, "a")), [1, [2.0, None]],
    {"W1": np.ones((2, 1)), "cfg": {"layers": [2, 4, 1], "name": "x"}},
    F.square, F.d_bowl, np.tanh,
    functools.partial(F.log1pexp, a=2.0),
    functools.partial(F.log1pexp, 3.0),
]


def same(a, b):
    """Structural equality, arrays compared with dtype and shape."""
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
                and np.array_equal(a, b))
    if isinstance(a, functools.partial):
        return (isinstance(b, functools.partial) and a.func is b.func and same(a.args, b.args)
                and same(a.keywords, b.keywords))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(u, v) for u, v in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if callable(a):
        return a is b
    return a == b and type(a) is type(b) or (a == b and isinstance(a, np.generic))


@pytest.mark.parametrize("value", ROUND_TRIP, ids=lambda v: type(v).__name__)
def test_encode_decode_round_trip_through_json(value):
    text = json.dumps(values.encode(value))
    back = values.decode(json.loads(text))
    assert same(value, back), (value, back)


def test_a_decoded_partial_computes_the_same():
    g = values.decode(json.loads(json.dumps(values.encode(functools.partial(F.log1pexp, a=2.0)))))
    assert g(1.5) == F.log1pexp(1.5, a=2.0)


def test_callable_names():
    assert values.callable_name(F.bowl) == "coursekit.functions:bowl"
    assert values.callable_name(np.exp) == "numpy:exp"
    assert values.callable_name(lambda x: x) is None
    assert values.callable_name(identity) is None  # not importable from coursekit or numpy


@pytest.mark.parametrize("value, fragment", [
    (lambda x: x, "not importable"),
    (identity, "not importable"),
    ({frozenset(): 2.0}, "dict key of type frozenset"),
    (np.array([object()]), "dtype object"),
    (object(), "object"),
])
def test_unreplayable_values(value, fragment):
    with pytest.raises(values.Unreplayable, match=fragment):
        values.encode(value)


def test_decode_rejects_unknown_encodings():
    with pytest.raises(values.Unreplayable, match="unknown encoding"):
        values.decode({"__mystery__": 1})


# ---------------------------------------------------------------- replay: COURSEKIT_RECORD

def test_record_writes_one_json_line_per_check(tmp_path, monkeypatch):
    path = tmp_path / "checks.jsonl"
    monkeypatch.setenv(replay.RECORD_ENV, str(path))

    def graph_forward(a, b, c):
        u = b * c
        v = a + u
        return u, v, 3 * v

    def descend(grad, x0):
        return x0 - 0.1 * grad(x0)

    ck.check(graph_forward, {"a": 5.0, "b": 3.0, "c": 2.0}, expected=(6.0, 11.0, 33.0), names=("u", "v", "J"),
             quiet=True)
    ck.check(descend, {"grad": F.d_bowl, "x0": np.array([1.0, 1.0])}, expected=np.array([0.8, 0.0]),
             rtol=1e-9, quiet=True)
    with pytest.raises(ck.CheckFailed):  # a failing check is recorded too
        ck.check(identity, {"x": 1.0}, ck.Shape((2,)), quiet=True)

    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert first["function"] == "graph_forward" and first["names"] == ["u", "v", "J"]
    assert values.decode(first["inputs"]) == {"a": 5.0, "b": 3.0, "c": 2.0}
    assert values.decode(first["expected"]) == (6.0, 11.0, 33.0)
    assert (first["rtol"], first["atol"]) == (ck.DEFAULT_RTOL, ck.DEFAULT_ATOL)
    assert first["quantity"] == "graph_forward()"

    inputs = values.decode(second["inputs"])
    assert inputs["grad"] is F.d_bowl and second["rtol"] == 1e-9 and second["names"] is None
    # the recorded check replays: same function, decoded inputs and oracle
    ck.check(descend, inputs, values.decode(second["expected"]), rtol=second["rtol"], quiet=True)

    assert isinstance(values.decode(third["expected"]), ck.Shape)


def test_record_marks_unreplayable_checks_instead_of_failing(tmp_path, monkeypatch):
    path = tmp_path / "checks.jsonl"
    monkeypatch.setenv(replay.RECORD_ENV, str(path))
    with pytest.raises(ck.CheckFailed):
        ck.check(identity, {"x": lambda v: v}, expected=1.0, quiet=True)
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert "not importable" in entry["unreplayable"] and "inputs" not in entry


def test_no_record_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(replay.RECORD_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    ck.check(identity, {"x": 1.0}, 1.0, quiet=True)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- regressions (bugs found in review)

def test_a_torch_oracle_that_requires_grad():
    """e.g. expected=cost_torch, a 0-d tensor computed from leaves with requires_grad=True
    (checked by hand with real torch: RuntimeError "Can't call numpy() on Tensor that requires grad")."""
    def cost(w):
        return float(np.sum(w ** 2))

    ck.check(cost, {"w": np.array([1.0, 2.0])}, expected=FakeTensor(5.0, requires_grad=True), quiet=True)


def test_numpy_bool_is_replayable():
    assert values.decode(values.encode(np.True_)) is True


def test_recording_a_complex_input_does_not_break_the_check(tmp_path, monkeypatch):
    monkeypatch.setenv(replay.RECORD_ENV, str(tmp_path / "checks.jsonl"))
    with pytest.raises(ck.CheckFailed):
        ck.check(identity, {"x": np.array([1 + 1j])}, np.array([1.0]), quiet=True)


# ---------------------------------------------------------------- issue 15: keywords, exceptions, value kinds

def test_a_renamed_parameter_gets_a_message_naming_the_expected_ones():
    def sigmoid(x):
        return x

    with pytest.raises(ck.CheckFailed, match=r"called with the parameters \(z\) by these names, but it is defined "
                                             r"as sigmoid\(x\); keep the signature as given"):
        ck.check(sigmoid, {"z": 1.0}, 1.0, quiet=True)


def test_raises_spec():
    def positive(x):
        if x <= 0:
            raise ValueError("x must be positive")
        return x

    ck.check(positive, {"x": 0.0}, ck.Raises(ValueError, match="positive"), quiet=True)
    ck.check(positive, {"x": 0.0}, ck.Raises("Exception"), quiet=True)  # a base class is fine
    with pytest.raises(ck.CheckFailed, match="should raise ValueError for these inputs, but it returned"):
        ck.check(positive, {"x": 1.0}, ck.Raises(ValueError), quiet=True)
    with pytest.raises(ck.CheckFailed, match="should raise KeyError, but raised ValueError"):
        ck.check(positive, {"x": 0.0}, ck.Raises(KeyError), quiet=True)
    with pytest.raises(ck.NotImplementedYet):
        ck.check(lambda x: (_ for _ in ()).throw(NotImplementedError()), {"x": 0.0}, ck.Raises(ValueError))


@pytest.mark.parametrize("wrap", [np.asmatrix, lambda a: a.view(type("Sub", (np.ndarray,), {})),
                                  lambda a: a.tolist(), lambda a: __import__("torch").from_numpy(a.copy())])
def test_array_kinds_with_the_right_values_pass(wrap):
    ck.check(lambda: wrap(np.array([[1.0, 2.0]])), {}, np.array([[1.0, 2.0]]), quiet=True)


# ---------------------------------------------------------------- properties (checks judged without a fixed value)

def test_index_split_property_and_seed_properties():
    from coursekit import properties as P

    def split(m, seed):
        perm = np.random.default_rng(seed).permutation(m)
        return perm[:2], perm[2:4], perm[4:]

    ck.check(split, {"m": 10, "seed": 0}, ck.Satisfies(P.index_split, m=10, sizes=(2, 2, 6)), quiet=True)
    ck.check(split, {"m": 10, "seed": 0}, ck.Satisfies(P.same_result, what="the same seed"), again={"seed": 0},
             quiet=True)
    ck.check(split, {"m": 10, "seed": 0}, ck.Satisfies(P.different_result), again={"seed": 1}, quiet=True)
    with pytest.raises(ck.CheckFailed, match="is the seed argument used"):
        ck.check(lambda m, seed: split(m, 0), {"m": 10, "seed": 0}, ck.Satisfies(P.different_result),
                 again={"seed": 1}, quiet=True)
    with pytest.raises(ck.CheckFailed, match="exactly once; index 0 appears 2 times"):
        ck.check(lambda m, seed: (np.array([0, 0]), np.arange(2, 4), np.arange(4, 10)), {"m": 10, "seed": 0},
                 ck.Satisfies(P.index_split, m=10, sizes=(2, 2, 6)), quiet=True)
    with pytest.raises(ck.CheckFailed, match="original order"):
        ck.check(lambda m, seed: (np.arange(2), np.arange(2, 4), np.arange(4, 10)), {"m": 10, "seed": 0},
                 ck.Satisfies(P.index_split, m=10, sizes=(2, 2, 6)), quiet=True)
    spec = values.decode(json.loads(json.dumps(values.encode(ck.Satisfies(P.index_split, m=3, sizes=(1, 2))))))
    assert spec.prop is P.index_split and spec.params == {"m": 3, "sizes": (1, 2)}


def test_mini_batches_property():
    from coursekit import properties as P
    m = 7
    X = np.vstack([np.arange(m), np.arange(m) ** 2.0])
    Y = (np.arange(m) % 2).reshape(1, m) * 1.0

    def batches(X, Y, batch_size, seed, same_perm=True):
        p = np.random.default_rng(seed).permutation(m)
        q = p if same_perm else p[::-1]
        return [(X[:, p[k:k + batch_size]], Y[:, q[k:k + batch_size]]) for k in range(0, m, batch_size)]

    inputs = {"X": X, "Y": Y, "batch_size": 3, "seed": 1}
    ck.check(batches, inputs, ck.Satisfies(P.mini_batches, X=X, Y=Y, batch_size=3), quiet=True)
    with pytest.raises(ck.CheckFailed, match="same permutation"):
        ck.check(batches, {**inputs, "same_perm": False}, ck.Satisfies(P.mini_batches, X=X, Y=Y, batch_size=3),
                 quiet=True)
    with pytest.raises(ck.CheckFailed, match="last, smaller batch is missing"):
        ck.check(lambda **kw: batches(**kw)[:2], inputs, ck.Satisfies(P.mini_batches, X=X, Y=Y, batch_size=3),
                 quiet=True)


# ---------------------------------------------------------------- Build inputs and torch modules as data

def test_build_inputs_are_made_fresh_for_each_call_and_replayable():
    calls = []

    def fill(x):
        calls.append(x.copy())
        x += 1  # in place: every call must still get a fresh zeros array
        return x

    with pytest.raises(ck.CheckFailed, match="changed its argument 'x' in place"):
        ck.check(fill, {"x": ck.Build(np.zeros, shape=(2,))}, np.ones(2), pure=True, quiet=True)
    ck.check(fill, {"x": ck.Build(np.zeros, shape=(2,))}, np.ones(2), quiet=True)
    assert all(np.array_equal(c, np.zeros(2)) for c in calls)
    spec = values.decode(json.loads(json.dumps(values.encode(ck.Build(np.zeros, shape=(2, 3))))))
    assert isinstance(spec, ck.Build) and spec.build().shape == (2, 3)
    assert ck.describe_inputs(ck.Build(np.zeros, shape=3)) == "zeros(shape=3)"


def test_a_torch_module_is_compared_by_structure_and_weights():
    import torch

    def make(hidden, p):
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Linear(3, hidden), torch.nn.ReLU(), torch.nn.Dropout(p),
                                   torch.nn.Linear(hidden, 1)).double()

    expected = values.normalize(make(4, 0.5))
    assert [c["type"] for c in expected["children"]] == ["Linear", "ReLU", "Dropout", "Linear"]
    ck.check(make, {"hidden": 4, "p": 0.5}, expected, quiet=True)
    with pytest.raises(ck.CheckFailed, match=r"\[2\]\['p'\]"):
        ck.check(make, {"hidden": 4, "p": 0.25}, expected, quiet=True)
    with pytest.raises(ck.CheckFailed, match=r"\['children'\]\[0\]\['out_features'\]: got 5, expected 4"):
        ck.check(make, {"hidden": 5, "p": 0.5}, expected, quiet=True)
    back = values.decode(json.loads(json.dumps(values.encode(make(4, 0.5), strict=False, trusted=False))),
                         callables=False)
    ck.compare("model", back, expected)


def test_a_list_of_arrays_is_compared_part_by_part():
    parts = [np.arange(3), np.arange(3, 5)]
    ck.check(lambda: (np.arange(3), np.arange(3, 5)), {}, parts, quiet=True)
    ck.check(lambda: [np.arange(3), np.arange(3, 5)], {}, parts, quiet=True)
    with pytest.raises(ck.CheckFailed, match=r"\[1\]: wrong shape"):
        ck.check(lambda: [np.arange(3), np.arange(3, 6)], {}, parts, quiet=True)
    ck.check(lambda: np.ones((2, 3)), {}, [np.ones(3), np.ones(3)], quiet=True)  # stacked, as before


def test_after_compares_an_argument_as_the_call_left_it():
    import torch

    def train(model, steps):
        with torch.no_grad():
            for _ in range(steps):
                model.weight += 1.0
        return steps

    def make():
        torch.manual_seed(0)
        return torch.nn.Linear(2, 1).double()

    expected = values.normalize(make())
    expected["parameters"]["weight"] = expected["parameters"]["weight"] + 2.0
    ck.check(train, {"model": ck.Build(make), "steps": 2}, 2, after={"model": expected}, quiet=True)
    with pytest.raises(ck.CheckFailed, match=r"train\(\) left model\['parameters'\]\['weight'\]"):
        ck.check(train, {"model": ck.Build(make), "steps": 3}, 3, after={"model": expected}, quiet=True)
    with pytest.raises(ck.CheckFailed, match="changed the parameters or running statistics of its argument 'model'"):
        ck.check(train, {"model": ck.Build(make), "steps": 1}, 1, pure=True, quiet=True)


def test_purity_ignores_rounding_but_not_updates():
    def rounding(w):
        w[0] = w[0] * (1 + 1e-15)  # what another thread count could give when the input is made again
        return float(w.sum())

    def tiny_step(w):
        w -= 1e-6 * np.ones_like(w)
        return float(w.sum())

    ck.check(rounding, {"w": np.array([1.0, 2.0])}, 3.0, pure=True, quiet=True)
    with pytest.raises(ck.CheckFailed, match="changed its argument 'w' in place"):
        ck.check(tiny_step, {"w": np.array([1.0, 2.0])}, 3.0 - 2e-6, pure=True, quiet=True)
