"""Checks as data: record each graded call so that it can be replayed elsewhere.

With COURSEKIT_RECORD=<file> in the environment, every `checks.check` appends one JSON
line: the test cell, the graded function's name, its inputs, the oracle's expected value
and the options (tolerances, names, pure, after). Values are written with `coursekit.values`; a
function input is recorded by its import name, which is why test cells take their toy
functions from `coursekit.functions`.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping

from . import values

RECORD_ENV = "COURSEKIT_RECORD"

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
        entry["inputs"] = values.encode(inputs if not isinstance(inputs, Mapping) else dict(inputs))
        entry["expected"] = values.encode(expected)
        entry["again"] = values.encode(dict(options["again"])) if options.get("again") is not None else None
        entry["after"] = values.encode(dict(options["after"])) if options.get("after") is not None else None
    except values.Unreplayable as exc:
        entry["unreplayable"] = str(exc)
    entry["names"] = list(options["names"]) if options.get("names") else None
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
