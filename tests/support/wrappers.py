"""Return-value wrappers for the one-verdict test (issue 15), generated, not listed by case.

Each wrapper turns what a correct function returns into another form a learner's code may
produce: np.matrix, an ndarray subclass, read-only arrays, 0-d arrays for numbers, numpy
scalars, python floats, nested lists, lists for tuples, -0.0, torch tensors, dicts with
extra keys (one of them a function), float32. `wrap(source, function, kind)` appends to a
solution cell's source a definition of `function` that returns the wrapped value of the
original. All but LOSSY keep the values: a correct answer wrapped so must still pass.
"""
from __future__ import annotations

HELPERS = '''
import numpy as _ck_np


class _CkSub(_ck_np.ndarray):
    pass


def _ck_map(value, leaf):
    if isinstance(value, tuple):
        return tuple(_ck_map(v, leaf) for v in value)
    if isinstance(value, list):
        return [_ck_map(v, leaf) for v in value]
    if isinstance(value, dict):
        return {k: _ck_map(v, leaf) for k, v in value.items()}
    return leaf(value)


def _ck_readonly(v):
    if isinstance(v, _ck_np.ndarray):
        v = v.copy()
        v.flags.writeable = False
    return v


def _ck_neg_zero(v):
    if isinstance(v, _ck_np.ndarray) and v.dtype.kind == "f":
        return _ck_np.where(v == 0, -0.0, v)
    if type(v) is float and v == 0:
        return -0.0
    return v


def _ck_torch(v):
    import torch
    return torch.from_numpy(v.copy()) if isinstance(v, _ck_np.ndarray) and v.dtype.kind in "biuf" else v


def _ck_float32(v):
    if isinstance(v, _ck_np.ndarray) and v.dtype.kind == "f":
        return v.astype(_ck_np.float32)
    if isinstance(v, float):
        return _ck_np.float32(v)
    return v
'''

LEAF = {
    "matrix": "lambda v: _ck_np.asmatrix(v) if isinstance(v, _ck_np.ndarray) and v.ndim == 2 else v",
    "subclass": "lambda v: v.view(_CkSub) if isinstance(v, _ck_np.ndarray) else v",
    "readonly": "_ck_readonly",
    "zero_d_array": "lambda v: _ck_np.array(v) if isinstance(v, (float, _ck_np.floating)) else v",
    "numpy_scalar": "lambda v: _ck_np.float64(v) if type(v) is float else (_ck_np.int64(v) if type(v) is int else v)",
    "python_number": ("lambda v: v.item() if isinstance(v, _ck_np.generic) or "
                      "(isinstance(v, _ck_np.ndarray) and v.ndim == 0) else v"),
    "nested_lists": "lambda v: v.tolist() if isinstance(v, _ck_np.ndarray) and v.ndim >= 1 else v",
    "neg_zero": "_ck_neg_zero",
    "torch": "_ck_torch",
    "float32": "_ck_float32",
}
TOP = {  # wrappers of the whole value rather than of its leaves
    "tuple_as_list": "lambda out: list(out) if isinstance(out, tuple) else out",
    "extra_keys": ("lambda out: _ck_map_dicts(out)"),
}
EXTRA = '''
def _ck_map_dicts(value):
    if isinstance(value, tuple):
        return tuple(_ck_map_dicts(v) for v in value)
    if isinstance(value, list):
        return [_ck_map_dicts(v) for v in value]
    if isinstance(value, dict):
        return {**{k: _ck_map_dicts(v) for k, v in value.items()}, "extra_note": "mine", "extra_fn": print}
    return value
'''
KINDS = [*LEAF, *TOP]
LOSSY = {"float32"}


def wrap(source, function, kind):
    """`source` (a solution cell) followed by a `function` that returns its result wrapped."""
    original = f"_ck_original_{function}"  # one per wrapped function: several may share a notebook
    body = f"_ck_map({original}(*args, **kwargs), {LEAF[kind]})" if kind in LEAF else \
        f"({TOP[kind]})({original}(*args, **kwargs))"
    return (f"{source}\n{HELPERS}\n{EXTRA}\n"
            f"{original} = {function}\n\n\n"
            f"def {function}(*args, **kwargs):\n"
            f"    return {body}\n")


def transforms():
    """{kind: function value -> wrapped value}, the same wrappers as callables (for in-process tests)."""
    ns = {}
    exec(HELPERS + EXTRA, ns)
    out = {kind: (lambda leaf: lambda value: ns["_ck_map"](value, leaf))(eval(LEAF[kind], ns)) for kind in LEAF}
    out.update({kind: eval(TOP[kind], ns) for kind in TOP})
    return out
