"""Suite-wide options and the `assignment` / `case` parameters.

    --assignments 03,05   only these assignments (by number or full name); default: all
    --all-corpora         run the hostile and tampering corpora on every selected assignment
                          (default: one assignment each, see tests/test_hostile.py, test_tampering.py)
"""
import matplotlib

matplotlib.use("Agg")

from support import variants  # noqa: E402
from support.options import selected  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--assignments", default="", help="comma-separated assignments (numbers or names)")
    parser.addoption("--all-corpora", action="store_true", help="corpora on every selected assignment")


def pytest_generate_tests(metafunc):
    names = selected(metafunc.config)
    if "assignment" in metafunc.fixturenames:
        metafunc.parametrize("assignment", names)
    if "case" in metafunc.fixturenames:
        kinds = getattr(metafunc.function, "variant_kinds", ("correct", "mistake"))
        cases = [c for a in names for c in variants.cases(a)
                 if ("correct" if c.correct else "mistake") in kinds]
        metafunc.parametrize("case", cases, ids=[c.id for c in cases])
