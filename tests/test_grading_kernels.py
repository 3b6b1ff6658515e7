"""The two kernels of grading on tiny notebooks, driven from this process: ResilientExecute (nbgrader's pass)
and the re-check's ReplayKernel, each with a cell that kills its kernel (os._exit) or will not
stop; the re-check's kernel also in the bubblewrap sandbox, as `coursekit autograde` runs it."""
import copy

import nbformat
import pytest

from coursekit.grading import recheck, sandbox
from coursekit.grading.execute import ResilientExecute
from coursekit.grading.kernel import KERNEL_DIED
from support import tiny

pytestmark = pytest.mark.integration   # every test starts real kernels

EXIT = "import os\nos._exit(1)"
HANG = "import time\nwhile True:\n    try:\n        time.sleep(0.01)\n    except BaseException:\n        pass"


def execute(cells, tmp_path, timeout=5):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    ex = ResilientExecute(timeout=timeout, iopub_timeout=2)
    nb, _ = ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    return nb.cells


def text(cell):
    return "".join(o.get("text", "") for o in cell.outputs)


def errors(cell):
    return [o.ename for o in cell.outputs if o.output_type == "error"]


def test_a_dead_kernel_costs_only_its_cell(tmp_path):
    cells = execute(["x = 41", EXIT, "print(x + 1)"], tmp_path)
    assert errors(cells[1]) == [KERNEL_DIED]
    assert text(cells[2]) == "42\n"      # a new kernel replayed cell 0 and went on


def test_a_cell_that_will_not_stop_costs_only_its_cell(tmp_path):
    cells = execute(["x = 41", HANG, "print(x + 1)"], tmp_path, timeout=2)
    assert "CellTimeoutError" in errors(cells[1])
    assert text(cells[2]) == "42\n"


def submission(*extra):
    """The answered tiny notebook with `extra` cells just before test_double."""
    nb = tiny.answered()
    at = nb.cells.index(tiny.cell(nb, "test_double"))
    nb.cells[at:at] = [nbformat.v4.new_code_cell(src) for src in extra]
    return nb


@pytest.fixture(scope="module")
def records():
    """The tiny notebook's checks, as recorded from its answer key (by hand: no kernel)."""
    import numpy as np

    from coursekit import values
    rec = dict(rtol=1e-7, atol=1e-10, names=None, pure=False, notebook=tiny.NAME)
    return [
        {**rec, "cell": "test_double", "function": "double", "quantity": "double()",
         "inputs": values.encode({"x": np.array([1.0, -2.0])}), "expected": values.encode(np.array([2.0, -4.0]))},
        {**rec, "cell": "test_halve", "function": "halve", "quantity": "halve()",
         "inputs": values.encode({"x": np.array([4.0, -1.0])}), "expected": values.encode(np.array([2.0, -0.5]))},
    ]


def replay(nb, folder, records, setup, timeout=5):
    nbformat.write(nb, folder / tiny.NAME)
    release = folder / "release"
    release.mkdir(exist_ok=True)
    nbformat.write(tiny.answered(), release / tiny.NAME)
    return recheck.verdicts(records, recheck.run(records, release, folder, setup, timeout))


def test_recheck_kernel_survives_a_dead_and_a_hung_cell(tmp_path, records):
    verdict = replay(submission(EXIT, HANG), tmp_path, records, sandbox.KernelSetup(), timeout=2)
    assert verdict == {"test_double": (recheck.PASS, ""), "test_halve": (recheck.PASS, "")}


def test_recheck_kernel_fails_what_is_wrong_and_never_runs_test_cells(tmp_path, records):
    nb = submission()
    tiny.cell(nb, "halve").source = "def halve(x):\n    return x / 3"
    tiny.cell(nb, "test_double").source = "raise SystemExit('a test cell must not run in the re-check')"
    verdict = replay(nb, tmp_path, records, sandbox.KernelSetup())
    assert verdict["test_double"] == (recheck.PASS, "")
    assert verdict["test_halve"][0] == recheck.FAIL and "entries differ" in verdict["test_halve"][1]


@pytest.mark.skipif(not sandbox.available(), reason="bubblewrap is not installed")
def test_recheck_kernel_in_the_sandbox(tmp_path, records):
    root, scratch = tmp_path / "course", tmp_path / "scratch"
    (root / "source").mkdir(parents=True)
    scratch.mkdir()
    secret = root / "source" / "secret.txt"
    secret.write_text("hidden")
    folder = scratch / "submitted"
    folder.mkdir()
    nb = submission(f"SEEN = open({str(secret)!r}).read() if __import__('os').path.exists({str(secret)!r}) else ''")
    tiny.cell(nb, "double").source = "def double(x):\n    return 2 * x if not SEEN else 3 * x"
    setup = sandbox.setup(root, scratch, 2 * 2 ** 30)
    verdict = replay(nb, folder, records, setup)
    assert verdict == {"test_double": (recheck.PASS, ""), "test_halve": (recheck.PASS, "")}
    # the same notebook outside the sandbox sees the file, and the re-check tells
    assert replay(copy.deepcopy(nb), tmp_path, records, sandbox.KernelSetup())["test_double"][0] == recheck.FAIL


DIES_ON_ITS_REPLAY = ("import os, pathlib\n_mark = pathlib.Path('ran-once')\nif _mark.exists():\n    os._exit(1)\n"
                      "_mark.write_text('x')")


def test_a_cell_that_dies_when_replayed_is_named_once(tmp_path):
    """Issue 21: a kernel that died while *replaying* an earlier cell was reported in the cell
    after the first crash, up to 20 times; now in the cell that was running, once, and that cell
    is not replayed again."""
    cells = execute([DIES_ON_ITS_REPLAY, EXIT, "print(1)"], tmp_path)
    assert errors(cells[0]) == [KERNEL_DIED] and "run again after a restart" in cells[0].outputs[-1].evalue
    assert errors(cells[1]) == [KERNEL_DIED], cells[1].outputs
    assert text(cells[2]) == "1\n"
