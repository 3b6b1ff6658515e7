"""The variants data files, tests/variants/aNN_<assignment>.py, read in one shape.

A data file holds only data:

    CORRECT = {function: {label: source}}                 # correct formulations: must pass
    MISTAKES = {function: {label: (source, fragment)}}    # typical mistakes: must fail, and the
                                                          # failure message must contain `fragment`
    HIDDEN_ONLY = {"function-label": reason}              # mistakes that only hidden tests catch
    NOT_REPLAYED = {"function-label": reason}             # optional: caught by a notebook check the
                                                          # re-check cannot replay (rare; say why)

Sources are dedented here, so they may be written indented in the file.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import textwrap

from .nbtools import ROOT

FOLDER = ROOT / "tests" / "variants"


@dataclasses.dataclass(frozen=True)
class Case:
    assignment: str
    function: str
    label: str
    source: str
    correct: bool
    fragment: str = ""
    hidden_only: str = ""      # reason, for a mistake that only hidden tests catch
    not_replayed: str = ""     # reason, for a mistake the re-check cannot see

    @property
    def id(self):
        return f"{self.assignment[:2]}-{self.function}-{self.label}"


def path(assignment):
    return FOLDER / f"a{assignment}.py"


def load_module(assignment):
    spec = importlib.util.spec_from_file_location(f"variants_a{assignment}", path(assignment))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _src(text):
    return textwrap.dedent(text).strip("\n") + "\n"


def cases(assignment):
    """Every Case of an assignment's data file ([] when it has none yet)."""
    if not path(assignment).is_file():
        return []
    m = load_module(assignment)
    hidden, not_replayed = getattr(m, "HIDDEN_ONLY", {}), getattr(m, "NOT_REPLAYED", {})
    out = []
    for fn, table in m.CORRECT.items():
        out += [Case(assignment, fn, label, _src(source), True) for label, source in table.items()]
    for fn, table in m.MISTAKES.items():
        for label, (source, fragment) in table.items():
            key = f"{fn}-{label}"
            out.append(Case(assignment, fn, label, _src(source), False, fragment,
                            hidden.get(key, ""), not_replayed.get(key, "")))
    known = {f"{c.function}-{c.label}" for c in out if not c.correct}
    stray = [k for k in (*hidden, *not_replayed) if k not in known]
    assert not stray, f"{path(assignment).name}: HIDDEN_ONLY/NOT_REPLAYED name no mistake: {stray}"
    return out


def kinds(*which):
    """Mark a test taking the `case` parameter to get only correct formulations or only mistakes."""
    def mark(fn):
        fn.variant_kinds = which
        return fn
    return mark
