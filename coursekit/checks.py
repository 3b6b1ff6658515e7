"""The one-line checks that test cells call.

A check is *graded function + inputs + oracle*:

    ck.check(sigmoid, {"z": np.array([0.0, 2.0])}, expected=np.array([0.5, 0.8807970779778823]))

`check` calls the function itself (on copies of the inputs, with warnings captured so
that a numpy RuntimeWarning never reaches stderr), then compares the result with the
oracle's value: structure first, then shape, then finiteness, then values within
`atol + rtol * |expected|`. On failure it raises `CheckFailed` (an AssertionError) whose
message names the quantity, the expected and actual shape, the worst index with its two
values and the tolerance. It never prints the expected array.

Because every check is data (a function name, inputs, an expected value and a
tolerance), a grader can replay it outside the learner's kernel: with the environment
variable COURSEKIT_RECORD set to a file, each call is appended there as one JSON line
(see `coursekit.replay`).
"""
from __future__ import annotations

import copy
import inspect
import numbers
import random
import sys
import warnings
from collections.abc import Mapping

import numpy as np

from . import expected as recorded_values
from . import replay, values

DEFAULT_RTOL = 1e-7
DEFAULT_ATOL = 1e-10


class CheckFailed(AssertionError):
    """A graded check did not pass; the message says what and where."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback: the message is the whole story (the
        # learner's own errors, raised inside their function, keep their full traceback)
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


class NotImplementedYet(CheckFailed):
    """The graded function still raises NotImplementedError."""


# ---------------------------------------------------------------- specs

@values.register_spec
class Shape:
    """Oracle for values that are not fixed (random initialisation): only the shape,
    finiteness, an optional bound on |entries|, with `distinct=True` that not all entries
    are equal (symmetry broken), and optionally the entries' standard deviation and mean
    (std within a relative `tol`, mean within `tol * std`)."""

    def __init__(self, shape, *, max_abs=None, distinct=False, std=None, mean=None, tol=0.05):
        self.shape = tuple(int(n) for n in shape)
        self.max_abs = max_abs
        self.distinct = distinct
        self.std, self.mean, self.tol = std, mean, tol

    def to_json(self):
        return {"shape": list(self.shape), "max_abs": self.max_abs, "distinct": self.distinct,
                "std": self.std, "mean": self.mean, "tol": self.tol}

    @classmethod
    def from_json(cls, data):
        return cls(**data)

    def check(self, quantity, actual):
        __tracebackhide__ = True
        arr = _as_float_array(quantity, actual)
        _check_shape(quantity, arr.shape, self.shape)
        _check_finite(quantity, arr, None)
        if self.max_abs is not None and arr.size and np.max(np.abs(arr)) > self.max_abs:
            idx = _index(np.argmax(np.abs(arr)), arr.shape)
            _fail(f"{quantity}: entries should be small (|x| <= {self.max_abs:g}); "
                  f"index {idx} is {arr[idx]:.6g}")
        if self.distinct and arr.size > 1 and np.all(arr == arr.flat[0]):
            _fail(f"{quantity}: all {arr.size} entries are equal ({arr.flat[0]:.6g}); "
                  "they must differ, or every unit computes the same thing (symmetry)")
        if self.std is not None and abs(np.std(arr) - self.std) > self.tol * self.std:
            _fail(f"{quantity}: standard deviation of the entries is {np.std(arr):.4g}, expected "
                  f"{self.std:.4g} (tolerance {self.tol:g} relative)")
        if self.mean is not None and abs(np.mean(arr) - self.mean) > self.tol * (self.std or 1.0):
            _fail(f"{quantity}: mean of the entries is {np.mean(arr):.4g}, expected {self.mean:.4g} "
                  f"(tolerance {self.tol * (self.std or 1.0):.3g})")


@values.register_spec
class Raises:
    """Oracle for a call that must raise: `ck.check(f, inputs, ck.Raises("ValueError"))`
    passes when f raises that exception (or a subclass), and fails when it returns."""

    def __init__(self, exception, match=""):
        self.exception = exception if isinstance(exception, str) else exception.__name__
        self.match = match

    def to_json(self):
        return {"exception": self.exception, "match": self.match}

    @classmethod
    def from_json(cls, data):
        return cls(**data)

    def judge(self, quantity, raised_types, message):
        """raised_types: names of the raised exception's classes (its MRO), or None when
        the call returned normally."""
        __tracebackhide__ = True
        if raised_types is None:
            _fail(f"{quantity}: should raise {self.exception} for these inputs, but it returned normally")
        if self.exception not in raised_types:
            _fail(f"{quantity}: should raise {self.exception}, but raised {raised_types[0]}: {message[:200]}")
        if self.match and self.match.lower() not in message.lower():
            _fail(f"{quantity}: raised {self.exception}, but its message should mention {self.match!r}")


@values.register_spec
class Satisfies:
    """Oracle for a result judged by a property instead of a fixed value:
    `ck.check(split_indices, inputs, ck.Satisfies(properties.index_split, m=10, sizes=(6, 2, 2)))`.
    `prop(quantity, actual, **params)` raises CheckFailed with a message when the property does not
    hold; it must be importable by name (coursekit.properties) so the check can be replayed."""

    def __init__(self, prop, **params):
        self.prop, self.params = prop, params

    def to_json(self):
        return {"prop": values.encode(self.prop), "params": values.encode(self.params)}

    @classmethod
    def from_json(cls, data):
        return cls(values.decode(data["prop"]), **values.decode(data["params"]))

    def judge(self, quantity, actual, **extra):
        __tracebackhide__ = True
        if actual is None:
            _fail(f"{quantity}: got None; did the function forget to `return` its result?")
        self.prop(quantity, actual, **self.params, **extra)


@values.register_spec
class Build:
    """An input made fresh for every call by a named factory, for objects that are not plain
    data (a torch model, a DataLoader, an optimizer bound to that model):
    `{"model": ck.Build(F.small_mlp, seed=0), ...}`. Used as the whole inputs,
    `ck.check(fn, ck.Build(F.training_setup, seed=0), ...)`, the factory returns the dict of
    keyword arguments (so that an optimizer can hold the model's own parameters). The factory
    must be importable by name (coursekit.functions) so that the call can be replayed."""

    def __init__(self, factory, **kwargs):
        self.factory, self.kwargs = factory, kwargs

    def to_json(self):
        return {"factory": values.encode(self.factory), "kwargs": values.encode(self.kwargs)}

    @classmethod
    def from_json(cls, data):
        return cls(values.decode(data["factory"]), **values.decode(data["kwargs"]))

    def build(self):
        return self.factory(**copy.deepcopy(self.kwargs))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"{getattr(self.factory, '__name__', 'factory')}({args})"


@values.register_spec
class Instance:
    """The inputs of a check of a graded *class* (an nn.Module subclass a learner writes): the check makes
    `cls(**init)` and returns what one of its methods gives, `instance.method(**kwargs)` (`method="__call__"`,
    the default, calls the instance itself, as `model(X)` does for a module):
    `ck.check(MLP, ck.Instance({"layer_dims": [4, 3, 2]}, X=ck.Build(F.tensor, ...)), expected)`.
    `after={"instance": ...}` compares the object as the call left it (a module as data); `after={"X": ...}` an
    argument of the method. The init values and kwargs are plain data or ck.Build, as in any check."""

    def __init__(self, init, method="__call__", **kwargs):
        self.init, self.method, self.kwargs = dict(init), method, kwargs

    def to_json(self):
        return {"init": values.encode(self.init), "method": self.method, "kwargs": values.encode(self.kwargs)}

    @classmethod
    def from_json(cls, data):
        return cls(values.decode(data["init"]), data["method"], **values.decode(data["kwargs"]))

    def __repr__(self):
        call = "" if self.method == "__call__" else f".{self.method}"
        return f"an instance made with {describe_inputs(self.init)}, called{call} with {describe_inputs(self.kwargs)}"


def _call_instance(cls, inputs, keep_inputs):
    """checks.call for Instance inputs: make the object, then call its method (see Instance)."""
    __tracebackhide__ = True
    seed_everything(0)
    init = materialize(inputs.init)
    _check_signature(cls, init)
    kwargs = materialize(inputs.kwargs)
    seed_everything(0)  # the object's initial draws do not depend on how the inputs were made
    with warnings.catch_warnings(record=True), recorded_values.graded_call():
        warnings.simplefilter("always")
        try:
            instance = cls(**init)
            method = instance if inputs.method == "__call__" else getattr(instance, inputs.method)
            target = getattr(instance, "forward", None) if inputs.method == "__call__" and \
                hasattr(instance, "forward") else method
            _check_signature(target, kwargs)
            out = method(**kwargs)
        except NotImplementedError:
            raise NotImplementedYet(
                f"{_name(cls)}: not implemented yet. Write your code in its cell in place of "
                "`raise NotImplementedError()`, run that cell, then run this test again."
            ) from None
    return (out, {"instance": instance, **kwargs}) if keep_inputs else out


def with_overrides(inputs, again):
    """The inputs of a second call: `again` overrides keyword arguments (of the factory, for
    inputs given as one Build)."""
    if isinstance(inputs, Build):
        return Build(inputs.factory, **{**inputs.kwargs, **again})
    return {**inputs, **again}


def materialize(inputs):
    """The keyword arguments of one call: deep copies of plain inputs, fresh objects for Builds."""
    if isinstance(inputs, Build):
        built = inputs.build()
        if not isinstance(built, Mapping):
            raise TypeError(f"{inputs!r} is used as the inputs, so it must return a dict of keyword arguments")
        return dict(built)
    return {k: v.build() if isinstance(v, Build) else copy.deepcopy(v) for k, v in inputs.items()}


# ---------------------------------------------------------------- API

def check(fn, inputs, expected, *, quantity=None, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL,
          names=None, pure=False, again=None, after=None, quiet=False):
    """Call `fn(**inputs)` and compare the result with `expected`.

    fn:       the learner's graded function.
    inputs:   dict of keyword arguments (plain data, arrays, or named functions from
              coursekit.functions, so that the call can be replayed).
    expected: the oracle's value: a number, an array, a string, a `Shape`, or a tuple /
              dict of those for functions that return several values.
    names:    names of the parts of a returned tuple, e.g. ("u", "v", "J").
    pure:     also require that the function leaves its arguments untouched (no in-place
              change of an input array or dict).
    again:    input overrides for a second call, e.g. {"seed": 4}; `expected` is then a
              `Satisfies` whose property also receives the second result (again=...), e.g.
              properties.same_result or properties.different_result.
    after:    {argument name: expected value} for an argument the function must leave in a
              given state, compared like the result once the call returns: e.g. the model a
              training function receives must end with the weights of its best epoch,
              `after={"model": expected_model}` (a torch module is compared as plain data).
    Returns None: a value left as a test cell's last expression would be read by
    nbgrader as partial credit.
    """
    __tracebackhide__ = True
    quantity = quantity or f"{_name(fn)}()"
    if names is not None and (not isinstance(expected, tuple) or len(names) != len(expected)):
        raise ValueError(f"names {tuple(names)} must name each part of the expected tuple")
    if again is not None and not isinstance(expected, Satisfies):
        raise ValueError("again= needs a ck.Satisfies oracle whose property compares the two results")
    if after is not None and (again is not None or isinstance(expected, Raises)):
        raise ValueError("after= compares the arguments once one call has returned: not with again= or Raises")
    if isinstance(inputs, Instance) and (pure or again is not None):
        raise ValueError("ck.Instance inputs take after= (the object as the call left it), not pure= or again=")
    replay.record(fn, inputs, expected, rtol=rtol, atol=atol, names=names, quantity=quantity, pure=pure,
                  again=again, after=after)
    if again is not None:
        first = call(fn, inputs)
        second = call(fn, with_overrides(inputs, again))
        expected.judge(quantity, values.normalize(first), again=values.normalize(second))
    elif isinstance(expected, Raises):
        try:
            call(fn, inputs)
        except NotImplementedYet:
            raise
        except Exception as exc:  # noqa: BLE001 - judged below
            expected.judge(quantity, [c.__name__ for c in type(exc).__mro__], str(exc))
        else:
            expected.judge(quantity, None, "")
    else:
        actual, left = call(fn, inputs, keep_inputs=True)
        if pure:
            compare_inputs(quantity, inputs, left)
        compare(quantity, actual, expected, rtol=rtol, atol=atol, names=names)
        if after:
            compare_after(quantity, left, after, rtol=rtol, atol=atol)
    if not quiet:
        raises = f" raises {expected.exception}" if isinstance(expected, Raises) else ""
        print(f"\u2713 {quantity}{raises} on {describe_inputs(inputs)}")


def call(fn, inputs, keep_inputs=False):
    """Run fn(**inputs) on deep copies of the inputs, with the global random generators
    seeded (so code elsewhere that reseeds or draws from them changes nothing) and
    warnings recorded, not printed. With keep_inputs=True, return (result, the copies as
    the function left them)."""
    __tracebackhide__ = True
    if isinstance(inputs, Instance):
        return _call_instance(fn, inputs, keep_inputs)
    seed_everything(0)  # factories of Build inputs may draw (a model's initial weights)
    kwargs = materialize(inputs)
    _check_signature(fn, kwargs)
    seed_everything(0)
    with warnings.catch_warnings(record=True), recorded_values.graded_call():
        warnings.simplefilter("always")
        try:
            out = fn(**kwargs)
        except NotImplementedError:
            raise NotImplementedYet(
                f"{_name(fn)}: not implemented yet. Write your code in its cell in place of "
                "`raise NotImplementedError()`, run that cell, then run this test again."
            ) from None
    return (out, kwargs) if keep_inputs else out


def _check_signature(fn, kwargs):
    """Tests call graded functions by keyword: a renamed parameter gets a message that says
    which names are expected (not a bare TypeError from inside the call)."""
    __tracebackhide__ = True
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins, odd callables: let the call speak
        return
    try:
        sig.bind(**kwargs)
    except TypeError:
        _fail(f"{_name(fn)}() is called with the parameters ({', '.join(kwargs)}) by these names, "
              f"but it is defined as {_name(fn)}{sig}; keep the signature as given")


def compare_inputs(quantity, before, after):
    """Fail if a call changed one of its arguments in place (`after` are the copies the
    function received, `before` the originals)."""
    __tracebackhide__ = True
    if isinstance(before, Build) or any(isinstance(v, Build) for v in before.values()):
        seed_everything(0)  # the same objects the call received, made again
        before = materialize(before)
    for k, v in before.items():
        v = values.normalize(v)
        if not _same(v, values.normalize(after.get(k))):
            if isinstance(v, Mapping) and {"type", "parameters", "buffers"} <= v.keys():  # a torch module
                _fail(f"{quantity}: changed the parameters or running statistics of its argument {k!r}; "
                      "leave the model as it was")
            _fail(f"{quantity}: changed its argument {k!r} in place; leave the arguments untouched "
                  "and return new arrays (e.g. w = w - ..., not w -= ...)")


def compare_after(quantity, left, after, *, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL):
    """Compare the arguments as the call left them (`left`, name -> object) with `after`
    (name -> expected value): "fit() left model['children'][0]['parameters']['weight']: ..."."""
    __tracebackhide__ = True
    for name, expected in after.items():
        if name not in left:
            raise ValueError(f"after= names {name!r}, which is not one of the call's arguments")
        compare(f"{quantity} left {name}", left[name], expected, rtol=rtol, atol=atol)


def _same(a, b):
    data = (np.ndarray, Mapping, list, tuple, str, bytes, int, float, bool, np.generic, type(None))
    if not isinstance(a, data):
        return True  # a function, a loader, an optimizer: not data whose change we judge
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape):
            return False
        if a.dtype.kind == "f" and b.dtype.kind == "f":
            # the arguments may be made again in another process (a Build's model, trained a few steps
            # with another thread count): rounding is no change, an update of any real size is
            return bool(np.allclose(a, b, rtol=1e-10, atol=1e-13, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:  # noqa: BLE001 - incomparable means changed
        return a is b


def seed_everything(seed):
    """Seed Python's, numpy's and (if loaded) torch's global generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


def compare(quantity, actual, expected, *, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL, names=None):
    """Compare `actual` with `expected` (see `check`); raise CheckFailed on a mismatch."""
    __tracebackhide__ = True
    if hasattr(expected, "detach"):  # a torch tensor from an autograd oracle
        expected = expected.detach().cpu().numpy()
        expected = expected.item() if expected.ndim == 0 else expected
    actual = values.normalize(actual)
    if isinstance(actual, values.Unencodable):
        _fail(f"{quantity}: expected {_kind(expected)}, got a {actual.type_name} (not plain data)")
    if isinstance(expected, Raises):
        _fail(f"{quantity}: should raise {expected.exception}, but it returned {_type(actual)}")
    if isinstance(expected, Shape):
        expected.check(quantity, actual)
    elif isinstance(expected, Satisfies):
        expected.judge(quantity, actual)
    elif isinstance(expected, Mapping):
        _compare_dict(quantity, actual, expected, rtol, atol)
    elif isinstance(expected, tuple):
        _compare_tuple(quantity, actual, expected, rtol, atol, names)
    elif isinstance(expected, list) and not all(isinstance(e, numbers.Number) for e in expected) \
            and (isinstance(actual, (list, tuple)) or not _stackable(expected)):
        _compare_tuple(quantity, actual, tuple(expected), rtol, atol, None)  # a list of values, one by one
    elif isinstance(expected, str):
        if not isinstance(actual, str):
            _fail(f"{quantity}: expected a string, got {_type(actual)}")
        if actual != expected:
            _fail(f"{quantity}: got {actual!r}, which is not the right answer")
    elif isinstance(expected, (bool, np.bool_)):
        if not isinstance(actual, (bool, np.bool_)):
            _fail(f"{quantity}: expected True or False, got {_type(actual)}")
        if bool(actual) != bool(expected):
            _fail(f"{quantity}: got {bool(actual)}, which is not the right answer")
    elif isinstance(expected, numbers.Integral):
        if not isinstance(actual, numbers.Integral) or isinstance(actual, (bool, np.bool_)):
            _fail(f"{quantity}: expected an integer, got {_type(actual)}")
        if int(actual) != int(expected):
            _fail(f"{quantity}: got {int(actual)}, expected {int(expected)}")
    elif isinstance(expected, numbers.Real):
        _compare_scalar(quantity, actual, float(expected), rtol, atol)
    else:
        compare_arrays(quantity, actual, expected, rtol=rtol, atol=atol)


def compare_arrays(quantity, actual, expected, *, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL):
    """Shape, then finiteness, then values within atol + rtol * |expected|."""
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=np.float64)
    arr = _as_float_array(quantity, actual)
    _check_shape(quantity, arr.shape, expected.shape)
    _check_finite(quantity, arr, expected)
    _check_values(quantity, arr, expected, rtol, atol)


def describe_inputs(inputs):
    """A short description of a call's inputs: arrays by shape, functions by name."""
    if isinstance(inputs, (Build, Instance)):
        return repr(inputs)
    parts = []
    for k, v in inputs.items():
        if isinstance(v, np.ndarray) or hasattr(v, "detach"):
            parts.append(f"{k} of shape {tuple(v.shape)}")
        elif callable(v):
            parts.append(f"{k}={values.callable_name(v) or getattr(v, '__name__', 'function')}")
        elif isinstance(v, (dict, list, tuple)) and len(repr(v)) > 40:
            parts.append(f"{k}=<{type(v).__name__} of {len(v)}>")
        else:
            parts.append(f"{k}={v!r}")
    return ", ".join(parts) if parts else "no inputs"


# ---------------------------------------------------------------- internals

def _name(fn):
    return getattr(fn, "__name__", type(fn).__name__)


def _stackable(items):
    """True for a list of numeric arrays of one shape (compared as one stacked array)."""
    try:
        arrays = [np.asarray(e) for e in items]
    except Exception:  # noqa: BLE001
        return False
    return all(a.dtype.kind in "biuf" and a.shape == arrays[0].shape for a in arrays)


def _kind(expected):
    if isinstance(expected, tuple):
        return f"a tuple of {len(expected)} values"
    if isinstance(expected, Mapping):
        return "a dict"
    return "numbers" if not isinstance(expected, str) else "a string"


def _fail(message):
    __tracebackhide__ = True
    raise CheckFailed(message)


def _type(x):
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    return f"{type(x).__name__} {_short(x)}"


def _short(x):
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _index(flat, shape):
    return tuple(int(i) for i in np.unravel_index(int(flat), shape)) if shape else ()


def _as_float_array(quantity, actual):
    __tracebackhide__ = True
    if actual is None:
        _fail(f"{quantity}: got None; did the function forget to `return` its result?")
    if isinstance(actual, (str, bytes, Mapping)):
        _fail(f"{quantity}: expected numbers, got {_type(actual)}")
    try:
        if hasattr(actual, "detach"):  # a torch tensor
            actual = actual.detach().cpu().numpy()
        arr = np.asarray(actual)
        if arr.dtype.kind not in "biuf":  # objects, strings, complex numbers
            raise TypeError(arr.dtype)
        return arr.astype(np.float64)
    except (TypeError, ValueError):
        _fail(f"{quantity}: expected numbers, got {_type(actual)}")


def _check_shape(quantity, actual_shape, expected_shape):
    __tracebackhide__ = True
    if tuple(actual_shape) != tuple(expected_shape):
        hint = ""
        if sorted(actual_shape) == sorted(expected_shape) and len(actual_shape) == 2:
            hint = " (transposed?)"
        elif len(actual_shape) + 1 == len(expected_shape) and 1 in expected_shape:
            hint = " (a lost dimension of size 1: keepdims=True, or reshape?)"
        _fail(f"{quantity}: wrong shape: expected {tuple(expected_shape)}, got {tuple(actual_shape)}{hint}")


def _check_finite(quantity, arr, expected):
    __tracebackhide__ = True
    bad = ~np.isfinite(arr)
    if expected is not None:
        bad &= np.isfinite(expected)
    if np.any(bad):
        idx = _index(np.argmax(bad), arr.shape)
        where = f" at index {idx}" if idx else ""
        _fail(f"{quantity}: {int(bad.sum())} of {arr.size} entries are not finite; "
              f"the first{where} is {arr[idx] if idx else arr.item()}")


def _check_values(quantity, arr, expected, rtol, atol):
    __tracebackhide__ = True
    both_inf = (np.isinf(arr) & np.isinf(expected) & (np.sign(arr) == np.sign(expected))) | (
        np.isnan(arr) & np.isnan(expected))
    with np.errstate(invalid="ignore"):
        diff = np.where(both_inf, 0.0, np.abs(arr - expected))
    tol = atol + rtol * np.abs(np.where(np.isfinite(expected), expected, 0.0))
    excess = np.where(np.isnan(diff), np.inf, diff - tol)
    if arr.size == 0 or np.max(excess) <= 0:
        return
    flat = int(np.argmax(excess))
    idx = _index(flat, arr.shape)
    n_bad = int(np.sum(excess > 0))
    where = f"at index {idx}" if arr.ndim else "value"
    _fail(f"{quantity}: {n_bad} of {arr.size} entries differ; worst {where}: "
          f"got {arr[idx]:.10g}, expected {expected[idx]:.10g} "
          f"(|difference| {diff[idx]:.3g} > tolerance {tol[idx]:.3g} = atol {atol:g} + rtol {rtol:g} * |expected|); "
          f"shape {arr.shape} as expected")


def _compare_scalar(quantity, actual, expected, rtol, atol):
    __tracebackhide__ = True
    arr = _as_float_array(quantity, actual)
    if arr.ndim != 0:
        _fail(f"{quantity}: expected a single number (shape ()), got an array of shape {arr.shape}; "
              "use float(...) or .item() to return a number")
    _check_finite(quantity, arr, np.asarray(expected))
    _check_values(quantity, arr, np.asarray(expected), rtol, atol)


def _compare_tuple(quantity, actual, expected, rtol, atol, names):
    __tracebackhide__ = True
    if actual is None:
        _fail(f"{quantity}: got None; did the function forget to `return` its result?")
    if expected and all(isinstance(e, numbers.Integral) and not isinstance(e, bool) for e in expected) \
            and isinstance(actual, (tuple, list)) and len(actual) == len(expected) \
            and all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in actual):
        if tuple(int(a) for a in actual) != tuple(int(e) for e in expected):  # a shape
            hint = " (transposed?)" if sorted(actual) == sorted(expected) else ""
            _fail(f"{quantity}: got {tuple(int(a) for a in actual)}, expected {tuple(expected)}{hint}")
        return
    if not isinstance(actual, (tuple, list)):
        _fail(f"{quantity}: expected a tuple of {len(expected)} values, got {_type(actual)}")
    if len(actual) != len(expected):
        _fail(f"{quantity}: expected a tuple of {len(expected)} values, got {len(actual)}")
    for i, (a, e) in enumerate(zip(actual, expected)):
        part = names[i] if names else f"[{i}]"
        compare(f"{quantity} {part}" if names else f"{quantity}{part}", a, e, rtol=rtol, atol=atol)


def _compare_dict(quantity, actual, expected, rtol, atol):
    __tracebackhide__ = True
    if actual is None:
        _fail(f"{quantity}: got None; did the function forget to `return` its result?")
    if not isinstance(actual, Mapping):
        _fail(f"{quantity}: expected a dict with keys {sorted(expected)}, got {_type(actual)}")
    missing = [k for k in expected if k not in actual]
    if missing:
        _fail(f"{quantity}: missing keys {missing}")
    for k, e in expected.items():
        compare(f"{quantity}[{k!r}]", actual[k], e, rtol=rtol, atol=atol)
