"""Checks as data: record each graded call so that it can be replayed elsewhere.

With COURSEKIT_RECORD=<file> in the environment, every `checks.check` appends one JSON
line: the graded function's name, its inputs, the oracle's expected value and the
tolerance. Inputs and values are encoded as plain JSON (numbers, strings, lists, dicts,
arrays as {"__ndarray__": ...}); a function input is recorded by its import name, which
is why test cells take their toy functions from `coursekit.functions`.
"""
from __future__ import annotations

import functools
import importlib
import json
import os

import numpy as np

RECORD_ENV = "COURSEKIT_RECORD"


class Unreplayable(ValueError):
    """A value that cannot be written as plain data."""


def callable_name(fn):
    """'module:qualname' for a function importable by that name, else None."""
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        return None
    if not (module.startswith("coursekit") or module.split(".")[0] == "numpy"):
        return None
    try:
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return f"{module}:{qualname}" if obj is fn else None


class Unencodable:
    """Stands for a value learner code returned that has no plain-data form (a function in
    a dict, say); it fails any comparison it takes part in, and only those."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def encode(value, strict=True):
    """Plain-JSON form of a value. Anything else raises Unreplayable, or with strict=False
    becomes {"__unencodable__": its type name}."""
    try:
        return _encode(value, strict)
    except Unreplayable:
        if strict:
            raise
        return {"__unencodable__": type(value).__name__}


def _encode(value, strict):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if hasattr(value, "detach"):  # a torch tensor
        return encode(value.detach().cpu().numpy(), strict)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if np.isfinite(f) else {"__float__": repr(f)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise Unreplayable(f"array of dtype {value.dtype}")
        flat = value.ravel().tolist()
        if value.dtype.kind == "f":  # JSON has no nan/inf: write those as strings
            flat = [x if np.isfinite(x) else repr(x) for x in flat]
        return {"__ndarray__": flat, "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, strict) for v in value]}
    if isinstance(value, list):
        return [encode(v, strict) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Unreplayable("dict with non-string keys")
        return {"__dict__": {k: encode(v, strict) for k, v in value.items()}}
    if isinstance(value, functools.partial):
        return {"__partial__": encode(value.func, strict), "args": [encode(a, strict) for a in value.args],
                "kwargs": {k: encode(v, strict) for k, v in value.keywords.items()}}
    if callable(value):
        name = callable_name(value)
        if name is None:
            raise Unreplayable(f"function {getattr(value, '__name__', value)!r} is not importable by name")
        return {"__callable__": name}
    if hasattr(value, "to_json"):
        return {"__spec__": type(value).__name__, **value.to_json()}
    raise Unreplayable(type(value).__name__)


def decode(data, callables=True):
    """Inverse of `encode` (specs come back as checks.Shape). With callables=False (for
    data that came from learner code) no function or spec is looked up: plain data only."""
    if isinstance(data, list):
        return [decode(v, callables) for v in data]
    if not isinstance(data, dict):
        return data
    if "__ndarray__" in data:
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biuf":
            raise Unreplayable(f"array of dtype {dtype}")
        return np.asarray(data["__ndarray__"], dtype=dtype).reshape(data["shape"])
    if "__float__" in data:
        return float(data["__float__"])
    if "__tuple__" in data:
        return tuple(decode(v, callables) for v in data["__tuple__"])
    if "__dict__" in data:
        return {k: decode(v, callables) for k, v in data["__dict__"].items()}
    if "__unencodable__" in data:
        return Unencodable(str(data["__unencodable__"]))
    if not callables:
        raise Unreplayable(f"not plain data: {sorted(data)}")
    if "__partial__" in data:
        return functools.partial(decode(data["__partial__"]), *decode(data["args"]),
                                 **{k: decode(v) for k, v in data["kwargs"].items()})
    if "__callable__" in data:
        module, qualname = data["__callable__"].split(":")
        if not (module.startswith("coursekit") or module.split(".")[0] == "numpy"):
            raise Unreplayable(f"refusing to import {module!r}")
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        return obj
    if "__spec__" in data:
        from . import checks
        spec = {k: v for k, v in data.items() if k != "__spec__"}
        return getattr(checks, data["__spec__"])(**spec)
    raise Unreplayable(f"unknown encoding {sorted(data)}")


_context = {"cell": None}


def set_context(cell):
    """Name the test cell whose checks are being recorded (its nbgrader grade_id)."""
    _context["cell"] = cell


def record(fn, inputs, expected, **options):
    """Append one check to the file named by COURSEKIT_RECORD, if set."""
    path = os.environ.get(RECORD_ENV)
    if not path:
        return
    entry = {"cell": _context["cell"], "function": getattr(fn, "__name__", type(fn).__name__), **options}
    try:
        entry["inputs"] = encode(dict(inputs))
        entry["expected"] = encode(expected)
    except Unreplayable as exc:
        entry["unreplayable"] = str(exc)
    entry["names"] = list(options["names"]) if options.get("names") else None
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
