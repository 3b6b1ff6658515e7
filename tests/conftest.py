"""Suite-wide options and the `assignment` / `case` parameters.

    --assignments 03,05   only these assignments (by number or full name); default: all
    --all-corpora         run the hostile and tampering corpora on every selected assignment
                          (default: one assignment each, see tests/test_hostile.py, test_tampering.py)

Tiers (docs/tests.md): a test that starts a kernel, a process, nbgrader's command line, a Dask
cluster or a browser is marked `integration`. When the selection leaves those out
(`./course test --fast`: -m "not integration and not slow"), every test that runs is guarded:
starting any of them fails it (tests/support/in_process.py).
"""
import sys

# jsonschema (imported by nbformat) builds some 35 Lark grammars for its "iri" format checker at
# import: 1.5-4 s in every pytest process (collecting the fast tier: 7.1 s of CPU, 5.3 s without). No notebook
# schema uses that format and jsonschema skips the checker when the import fails; the grader's
# nbgrader processes skip it the same way (coursekit/grading/nbgrader_main.py).
sys.modules.setdefault("rfc3987_syntax", None)

import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")

from support import in_process, variants  # noqa: E402
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


_GUARD = pytest.StashKey[bool]()


def _guarded(item):
    return item.config.stash.get(_GUARD, False) and item.get_closest_marker("integration") is None


def pytest_configure(config):
    config.stash[_GUARD] = in_process.is_active(config)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _in_process(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _in_process(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    return (yield from _in_process(item))


def _in_process(item):
    """One phase of a test, under the in-process guard when it applies."""
    if not _guarded(item):
        return (yield)
    with in_process.guard(item.nodeid) as seen:
        result = yield
    if seen:   # started something and swallowed the failure
        pytest.fail(seen[0], pytrace=False)
    return result
