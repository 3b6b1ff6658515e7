"""Suite-wide options and the `assignment` / `case` parameters.

    --assignments 03,05   only these assignments (by number or full name); default: all
    --all-corpora         run the hostile and tampering corpora on every selected assignment
                          (default: one assignment each, see tests/test_hostile.py, test_tampering.py)
"""
import matplotlib
import pytest

matplotlib.use("Agg")

from coursekit import build  # noqa: E402
from support import nbtools, variants  # noqa: E402

ALL = build.assignments(nbtools.ROOT)


def pytest_addoption(parser):
    parser.addoption("--assignments", default="", help="comma-separated assignments (numbers or names)")
    parser.addoption("--all-corpora", action="store_true", help="corpora on every selected assignment")


def selected(config):
    wanted = [w.strip() for w in config.getoption("--assignments").split(",") if w.strip()]
    if not wanted:
        return list(ALL)
    chosen = [a for a in ALL if any(a == w or a.startswith(w.zfill(2) + "_") for w in wanted)]
    if not chosen:
        raise pytest.UsageError(f"--assignments {','.join(wanted)} matches none of {', '.join(ALL)}")
    return chosen


def pytest_generate_tests(metafunc):
    names = selected(metafunc.config)
    if "assignment" in metafunc.fixturenames:
        metafunc.parametrize("assignment", names)
    if "case" in metafunc.fixturenames:
        kinds = getattr(metafunc.function, "variant_kinds", ("correct", "mistake"))
        cases = [c for a in names for c in variants.cases(a)
                 if ("correct" if c.correct else "mistake") in kinds]
        metafunc.parametrize("case", cases, ids=[c.id for c in cases])
