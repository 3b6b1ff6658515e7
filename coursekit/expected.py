"""Expected values as data: what a release's tests compare with, recorded, never computed.

An assignment's source notebook computes its tests' expected values with reference code in
its oracles cell (PyTorch, scikit-learn, autograd, a closed form). None of that code reaches
learners (issue 19): `coursekit build` runs the answer key once, writes down every value an
oracle returned together with a key of its arguments, and the release's oracles cell binds each
oracle's name to `recorded(name)` instead:

    torch_batchnorm, torch_layernorm = expected.recorded("torch_batchnorm", "torch_layernorm")

A recorded oracle computes nothing. Called with the exact arguments of a call the answer key
made (a visible test's, or a lesson's), it returns the recorded value; with anything else it
says there is none. It also refuses to answer while a graded function is being called by a
check (`coursekit.checks.call`), so a graded function that delegates to it fails its tests.

Files (JSON, written by `coursekit build`, values in `coursekit.values`' plain form):
    source/<A>/expected.json                 visible tests and lessons: released with the notebook
    source/_expected/<A>.hidden.json         hidden tests: the grader's only; `coursekit autograde`
                                             puts it next to the submission it grades, and stock
                                             `nbgrader autograde` finds it from the course folder

Keys: the oracle's name and its arguments in plain form, floats rounded to 36 bits of mantissa
(so a value computed a last bit differently on another machine finds the same entry), hashed.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pathlib

import numpy as np

from . import values

VISIBLE_FILE = "expected.json"
HIDDEN_FOLDER = "_expected"
RECORD_ENV = "COURSEKIT_RECORD_ORACLES"
FORMAT = 1

_state = {"graded_call": 0, "region": "visible", "depth": 0}
_tables = {}   # path -> {key: encoded value}


class NoRecordedValue(LookupError):
    """A recorded oracle was asked for a value nobody recorded, or from inside a graded function."""

    def _render_traceback_(self):
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


# ---------------------------------------------------------------- keys

def key(name, args, kwargs):
    """The lookup key of one oracle call (see the module docstring)."""
    plain = values.encode(_named_oracles({"args": tuple(args), "kwargs": dict(kwargs)}))
    text = json.dumps([name, _rounded(plain)], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def same_rounded(a, b):
    """Two plain-form values equal once their floats are rounded as keys round them."""
    return json.dumps(_rounded(a), sort_keys=True) == json.dumps(_rounded(b), sort_keys=True)


def _named_oracles(value):
    """Oracles passed to oracles (a graph function to a gradient) stand for their names."""
    name = getattr(value, "__coursekit_oracle__", None)
    if isinstance(name, str):
        return f"<oracle {name}>"
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        return type(value)(_named_oracles(v) for v in value)
    if isinstance(value, dict) and type(value) is dict:
        return {k: _named_oracles(v) for k, v in value.items()}
    return value


def _round_floats(xs):
    arr = np.asarray(xs, dtype=np.float64)
    mantissa, exponent = np.frexp(arr)
    return np.ldexp(np.round(mantissa * 2.0 ** 36), exponent - 36).tolist()


def _rounded(data):
    if isinstance(data, float):
        return _round_floats([data])[0]
    if isinstance(data, list):
        return [_rounded(x) for x in data]
    if isinstance(data, dict):
        if "__ndarray__" in data and data.get("dtype", "").startswith("float"):
            flat = data["__ndarray__"]
            finite = [x if isinstance(x, float) else 0.0 for x in flat]
            rounded = _round_floats(finite) if finite else []
            return {**data, "__ndarray__": [r if isinstance(x, float) else x for r, x in zip(rounded, flat)]}
        return {k: _rounded(v) for k, v in data.items()}
    return data


# ---------------------------------------------------------------- the guard

class graded_call:
    """Context manager `checks.call` wraps around the learner's function: no recorded value
    is handed out inside it."""

    def __enter__(self):
        self._before = _state["graded_call"]
        _state["graded_call"] = self._before + 1

    def __exit__(self, *exc):
        _state["graded_call"] = self._before
        return False


# ---------------------------------------------------------------- the release's side

def recorded(*names):
    """Recorded stand-ins for the oracles `names`, in that order (one name: the stand-in itself)."""
    found = tuple(Recorded(n) for n in names)
    return found[0] if len(found) == 1 else found


class Recorded:
    """An oracle's recorded values: a lookup table with the oracle's name, no code."""

    def __init__(self, name):
        self.__name__ = self.name = self.__coursekit_oracle__ = name

    def __repr__(self):
        return f"<recorded values of {self.name}>"

    def __call__(self, *args, **kwargs):
        __tracebackhide__ = True
        if _state["graded_call"]:
            raise NoRecordedValue(
                f"{self.name} holds recorded expected values for the tests; a graded function may not use "
                "them: compute the result yourself")
        try:
            k = key(self.name, args, kwargs)
        except values.Unreplayable as exc:
            raise NoRecordedValue(f"{self.name}: no recorded value for these arguments ({exc})") from None
        for table in _lookup_tables():
            if k in table:
                return values.decode(table[k])
        raise NoRecordedValue(
            f"{self.name}: no recorded value for these arguments. This copy of the notebook holds the values of "
            "the calls its tests and lessons make, as they stand; a changed test or lesson cell has none "
            "(ask your instructor for a fresh copy if you did not change it)")


def _lookup_tables():
    cwd = pathlib.Path.cwd()
    paths = [cwd / VISIBLE_FILE, *sorted(cwd.glob(f"*{HIDDEN_SUFFIX}"))]
    root = _course_root(cwd)
    if root is not None:   # stock `nbgrader autograde` runs in <root>/autograded/<student>/<A>/
        paths.append(root / "source" / HIDDEN_FOLDER / f"{cwd.name}{HIDDEN_SUFFIX}")
    return [t for t in map(_table, paths) if t]


HIDDEN_SUFFIX = ".hidden.json"


def _course_root(cwd):
    """The course folder when `cwd` is <root>/autograded/<student>/<A> (stock nbgrader's grading)."""
    if len(cwd.parents) < 3 or cwd.parents[1].name != "autograded":
        return None
    root = cwd.parents[2]
    return root if (root / "nbgrader_config.py").is_file() else None


def _table(path):
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _tables.get(path)
    if cached is None or cached[0] != stamp:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        cached = (stamp, data.get("values", {}) if isinstance(data, dict) else {})
        _tables[path] = cached
    return cached[1]


# ---------------------------------------------------------------- the recording side (coursekit build)

def set_region(region):
    """'visible' or 'hidden': which file the values recorded from now on belong to."""
    _state["region"] = region


def record_oracles(namespace, names):
    """Wrap the oracles `names` of `namespace` (the answer key's globals) so that each outermost
    call appends (region, name, key, value) to the file named by COURSEKIT_RECORD_ORACLES."""
    path = os.environ.get(RECORD_ENV)
    if not path:
        return
    for name in names:
        namespace[name] = _recording(namespace[name], name, path)


def _recording(fn, name, path):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        outermost = _state["depth"] == 0
        _state["depth"] += 1
        try:
            result = fn(*args, **kwargs)
        finally:
            _state["depth"] -= 1
        if outermost:
            entry = {"region": _state["region"], "name": name, "key": key(name, args, kwargs),
                     "value": values.encode(result)}
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry) + "\n")
        return result
    wrapper.__coursekit_oracle__ = name
    return wrapper


def tables(log_lines):
    """{'visible': {key: value}, 'hidden': {...}} from a recording's lines. A value recorded in
    the visible region is never repeated in the hidden table."""
    out = {"visible": {}, "hidden": {}}
    for line in log_lines:
        entry = json.loads(line)
        out[entry["region"]][entry["key"]] = entry["value"]
    out["hidden"] = {k: v for k, v in out["hidden"].items() if k not in out["visible"]}
    return out


def write_table(path, assignment, table):
    """One JSON file, one recorded value per line (so that a rebuild's diff shows what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = {"format": FORMAT, "assignment": assignment,
            "about": "expected values recorded from the answer key's reference computations by `coursekit build`"}
    lines = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in sorted(table.items())]
    text = json.dumps(head, indent=1)[:-2] + ',\n "values": {\n' + ",\n".join(lines) + "\n}}\n"
    path.write_text(text, encoding="utf-8")


def read_table(path):
    return json.loads(path.read_text(encoding="utf-8")).get("values", {})
