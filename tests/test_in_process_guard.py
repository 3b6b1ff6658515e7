"""The fast tier's guard (tests/support/in_process.py): what it refuses, what it lets through.

Each refusal is provoked inside `in_process.guard` directly, so these tests mean the same in a
fast and in a full run; the guard fails before anything starts (nothing here starts a process).
"""
import multiprocessing
import os
import subprocess
import sys

import pytest
from _pytest.outcomes import Failed

from support import in_process


def refused(start):
    """The guard's message when `start()` runs inside it."""
    with in_process.guard("tests/x.py::test_y") as seen:
        with pytest.raises(Failed) as info:
            start()
    assert seen == [str(info.value)], "expected the refusal recorded as well as raised"
    return str(info.value)


@pytest.mark.parametrize("start, what", [
    (lambda: subprocess.run([sys.executable, "-c", "pass"]), "a subprocess `" + sys.executable),
    (lambda: subprocess.run(["python3", "-m", "ipykernel_launcher", "-f", "k.json"]), "a kernel"),
    (lambda: subprocess.run(["bwrap", "--ro-bind", "/", "/", sys.executable, "-c", "pass"]), "a subprocess `bwrap"),
    (lambda: subprocess.Popen(["nbgrader", "autograde", "03"]), "a subprocess `nbgrader autograde"),
    (lambda: os.system("jupyter lab --no-browser"), "a subprocess `jupyter lab"),
    (lambda: multiprocessing.get_context("spawn").Process(target=print).start(), "a process (multiprocessing"),
    (lambda: multiprocessing.get_context("spawn").Pool(1), "a process (multiprocessing"),
])
def test_starting_a_process_fails_the_test_saying_what_and_what_to_do(start, what):
    message = refused(start)
    assert message.startswith(f"tests/x.py::test_y is marked fast but starts {what}"), message
    assert message.endswith("mark it integration (@pytest.mark.integration; docs/tests.md)"), message


def test_starting_a_kernel_fails_the_test():
    from jupyter_client.manager import AsyncKernelManager, KernelManager
    assert "starts a kernel:" in refused(lambda: KernelManager(kernel_name="python3").start_kernel())
    assert "starts a kernel:" in refused(lambda: AsyncKernelManager(kernel_name="python3").start_kernel())


def test_the_fork_server_fails_the_test():
    from multiprocessing import forkserver
    assert "starts the multiprocessing fork server:" in refused(lambda: forkserver.ensure_running())


def test_a_dask_cluster_fails_the_test():
    distributed = pytest.importorskip("distributed")
    assert "starts a Dask cluster (LocalCluster):" in refused(lambda: distributed.LocalCluster(processes=False))


def test_other_programs_run_and_everything_is_put_back():
    before = (subprocess.Popen._execute_child, os.system, multiprocessing.process.BaseProcess.start)
    with in_process.guard("tests/x.py::test_y") as seen:
        assert subprocess.run(["git", "--version"], capture_output=True).returncode == 0
    assert seen == []
    assert (subprocess.Popen._execute_child, os.system, multiprocessing.process.BaseProcess.start) == before


@pytest.mark.parametrize("expr, active", [
    ("not integration and not slow", True),
    ("not  integration", True),
    ("not slow", False),
    ("", False),
    ("integration", False),
])
def test_the_guard_is_on_when_the_selection_leaves_integration_tests_out(expr, active):
    class Config:
        def getoption(self, name, default=None):
            return expr
    assert in_process.is_active(Config()) is active
