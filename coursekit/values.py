"""Values as the checks see them, and as plain JSON.

One normalization serves the notebook's check and the grader's re-check alike, so that the
two verdicts are the same comparison run twice (issue 15):

    normalize(value)  what a learner's function returned, in the forms `checks.compare`
                      reads: torch tensors, np.matrix and other ndarray subclasses (and
                      anything with __array__) become plain ndarrays; lists, tuples and
                      dicts are normalized inside. Nothing else changes (numpy scalars,
                      0-d arrays, float32, -0.0 and read-only arrays stay what they are;
                      compare reads them all).
    encode(value)     normalize, then plain JSON: numbers, strings, lists, and tagged
                      dicts for arrays, tuples, dicts (any hashable plain keys), non-finite
                      floats, numpy Generators (their exact state), named functions and
                      check specs. encode(normalized) then
                      decode gives back a value that compare judges exactly as the
                      original.
    decode(data)      the inverse; with callables=False (data that came from learner code)
                      no function or spec is looked up: plain data only.
"""
from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Mapping

import numpy as np

SPECS = {}   # name -> class of a check spec (checks.Shape, checks.Raises register themselves)


class Unreplayable(ValueError):
    """A value that cannot be written as plain data."""


class Unencodable:
    """Stands for a value learner code returned that has no plain-data form (a function in
    a dict, say); it fails any comparison it takes part in, and only those."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def register_spec(cls):
    SPECS[cls.__name__] = cls
    return cls


# ---------------------------------------------------------------- normalize

def normalize(value):
    """The one normalization of returned values (see the module docstring)."""
    if isinstance(value, np.ndarray):
        return value if type(value) is np.ndarray else np.asarray(value)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        return _tensor_data(value)
    if _is_torch_module(value):
        return describe_module(value)
    if _is_torch_optimizer(value):
        return describe_optimizer(value)
    if isinstance(value, tuple):  # a namedtuple too: a tuple of its fields
        return tuple(normalize(v) for v in value)
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, Mapping):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (str, bytes, bool, int, float, complex, np.generic)) or value is None:
        return value
    if hasattr(value, "__array__") and not callable(value):
        try:
            return np.asarray(value)
        except Exception:  # noqa: BLE001 - an object that lies about being an array
            return value
    return value


def _is_torch_module(value):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.nn.Module)


def _is_torch_optimizer(value):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.optim.Optimizer)


def _tensor_data(t):
    """A tensor's numbers as an ndarray. A tensor on torch's "meta" device has a shape and no numbers (tests
    of device-agnostic code use it as a second device on a machine without a GPU): it reads as
    {"device": "meta", "shape": (...)}."""
    if getattr(t, "is_meta", False):
        return {"device": "meta", "shape": tuple(int(n) for n in t.shape)}
    return np.asarray(t.detach().cpu().numpy())


OPTIMIZER_HYPERPARAMETERS = ("lr", "momentum", "dampening", "betas", "eps", "weight_decay", "alpha")


def describe_optimizer(optimizer):
    """A torch optimizer as plain data: its type, each parameter group's numeric hyperparameters (lr, betas...)
    and the number of its parameters, and its state per parameter (Adam's step, exp_avg, exp_avg_sq; SGD's
    momentum_buffer), keyed by the parameter's position in the groups, as optimizer.state_dict() numbers them."""
    saved = optimizer.state_dict()
    groups = []
    for group in saved["param_groups"]:
        kept = {k: group[k] for k in OPTIMIZER_HYPERPARAMETERS if isinstance(group.get(k), (int, float, tuple))}
        groups.append({**kept, "n_parameters": len(group["params"])})
    state = {int(i): {k: _tensor_data(v) if hasattr(v, "detach") else v for k, v in s.items() if v is not None}
             for i, s in saved["state"].items()}
    return {"type": type(optimizer).__name__, "param_groups": groups, "state": state}


MODULE_ATTRIBUTES = ("in_features", "out_features", "num_features", "p", "eps", "momentum", "affine",
                     "track_running_stats", "negative_slope")


def describe_module(module):
    """A torch module as plain data: its type, its hyperparameters (in_features, p, eps...),
    its children in order, its own parameters and buffers as arrays. Checks of model-building
    functions compare this structure; the train/eval mode is left out (not part of any contract)."""
    out = {"type": type(module).__name__}
    for attr in MODULE_ATTRIBUTES:
        value = getattr(module, attr, None)
        if isinstance(value, (bool, int, float)):
            out[attr] = value
    children = [describe_module(child) for _, child in module.named_children()]
    if children:
        out["children"] = children
    out["parameters"] = {n: _copy(_tensor_data(p)) for n, p in module.named_parameters(recurse=False)}
    out["buffers"] = {n: _copy(_tensor_data(b)) for n, b in module.named_buffers(recurse=False)}
    return out


def _copy(data):
    return data.copy() if isinstance(data, np.ndarray) else data


# ---------------------------------------------------------------- callables by name

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


# ---------------------------------------------------------------- encode / decode

def encode(value, strict=True, trusted=True):
    """Plain-JSON form of normalize(value). Anything else raises Unreplayable, or with
    strict=False becomes {"__unencodable__": its type name}. trusted=False (values that came
    from learner code) never writes a check spec or a function reference: those are
    unencodable there, as decode(callables=False) would refuse them."""
    try:
        return _encode(normalize(value), strict, trusted)
    except Unreplayable:
        if strict:
            raise
        return {"__unencodable__": type(value).__name__}


def _encode(value, strict, trusted):
    enc = functools.partial(encode, strict=strict, trusted=trusted)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if np.isfinite(f) else {"__float__": repr(f)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise Unreplayable(f"array of dtype {value.dtype}")
        flat = np.asarray(value, dtype=value.dtype).reshape(-1).tolist()
        if value.dtype.kind == "f":  # JSON has no nan/inf: write those as strings
            flat = [x if np.isfinite(x) else repr(x) for x in flat]
        return {"__ndarray__": flat, "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.random.Generator):  # a seeded generator passed in: its exact state
        return {"__generator__": value.bit_generator.state}
    if isinstance(value, tuple):
        return {"__tuple__": [enc(v) for v in value]}
    if isinstance(value, list):
        return [enc(v) for v in value]
    if isinstance(value, dict):
        keys = [_key(k) for k in value]
        return {"__items__": [[k, enc(v)] for k, v in zip(keys, value.values())]}
    if not trusted and (callable(value) or type(value).__name__ in SPECS):
        raise Unreplayable(f"{type(value).__name__} in learner data")
    if isinstance(value, functools.partial):
        return {"__partial__": enc(value.func), "args": [enc(a) for a in value.args],
                "kwargs": {k: enc(v) for k, v in value.keywords.items()}}
    if type(value).__name__ in SPECS and isinstance(value, SPECS[type(value).__name__]):
        return {"__spec__": type(value).__name__, **value.to_json()}
    if callable(value):
        name = callable_name(value)
        if name is None:
            raise Unreplayable(f"function {getattr(value, '__name__', value)!r} is not importable by name")
        return {"__callable__": name}
    raise Unreplayable(type(value).__name__)


def _key(k):
    """A dict key as JSON: str, int, float, bool, None or a tuple of those."""
    if k is None or isinstance(k, (str, bool)):
        return k
    if isinstance(k, (int, np.integer)):
        return {"__int__": int(k)}
    if isinstance(k, (float, np.floating)):
        return {"__float__": repr(float(k))}
    if isinstance(k, tuple):
        return {"__tuple__": [_key(x) for x in k]}
    raise Unreplayable(f"dict key of type {type(k).__name__}")


def _unkey(k):
    if isinstance(k, dict):
        if "__int__" in k:
            return int(k["__int__"])
        if "__float__" in k:
            return float(k["__float__"])
        if "__tuple__" in k:
            return tuple(_unkey(x) for x in k["__tuple__"])
        raise Unreplayable(f"unknown key encoding {sorted(k)}")
    return k


def decode(data, callables=True):
    """Inverse of `encode`. With callables=False (for data that came from learner code) no
    function or spec is looked up: plain data only."""
    dec = functools.partial(decode, callables=callables)
    if isinstance(data, list):
        return [dec(v) for v in data]
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
        return tuple(dec(v) for v in data["__tuple__"])
    if "__items__" in data:
        return {_unkey(k): dec(v) for k, v in data["__items__"]}
    if "__generator__" in data:
        state = data["__generator__"]
        if state.get("bit_generator") not in ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937"):
            raise Unreplayable(f"unknown bit generator {state.get('bit_generator')!r}")
        bit_generator = getattr(np.random, state["bit_generator"])()
        bit_generator.state = state
        return np.random.Generator(bit_generator)
    if "__unencodable__" in data:
        return Unencodable(str(data["__unencodable__"]))
    if not callables:
        raise Unreplayable(f"not plain data: {sorted(data)}")
    if "__partial__" in data:
        return functools.partial(dec(data["__partial__"]), *dec(data["args"]),
                                 **{k: dec(v) for k, v in data["kwargs"].items()})
    if "__callable__" in data:
        module, qualname = data["__callable__"].split(":")
        if not (module.startswith("coursekit") or module.split(".")[0] == "numpy"):
            raise Unreplayable(f"refusing to import {module!r}")
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        return obj
    if "__spec__" in data:
        if data["__spec__"] not in SPECS:  # specs register themselves when coursekit.checks is imported
            raise Unreplayable(f"unknown check spec {data['__spec__']!r} (import coursekit.checks first)")
        spec = {k: v for k, v in data.items() if k != "__spec__"}
        return SPECS[data["__spec__"]].from_json(spec)
    raise Unreplayable(f"unknown encoding {sorted(data)}")
