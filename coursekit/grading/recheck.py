"""An independent re-check: a verdict that learner code cannot touch.

In nbgrader the tests run inside the learner's kernel, after the learner's code, so that
code can change what the tests see (patch `abs`, numpy, the check helpers, IPython's
error display...). The re-check closes that door:

1. `record`: the answer key (source/) runs once with COURSEKIT_RECORD set; every
   `ck.check` call is written down as data: notebook, test cell, graded function, inputs,
   the oracle's expected value, the tolerance (coursekit.replay). `recorded_checks` caches
   the records, keyed on everything that can change an expected value.
2. `run`: after nbgrader's pass, a *fresh* sandboxed kernel (the same kernelspec, IPC
   sockets of its own, cell timeouts, restarts after a dead or hung cell) runs the learner's
   cells in order, except the test cells (so no expected value ever enters it) and the
   lesson cells left as released; in place of each test cell it runs `driver_source`, which
   calls the graded functions on that cell's recorded inputs and sends back plain data
   (numbers, strings, arrays, lists/tuples/dicts of those) as JSON: no pickle, nothing that
   runs. If a call fails with a NameError (a solution that uses a lesson helper), the replay
   is repeated with the lesson cells included.
3. `verdicts`: here, where no learner code runs, that data is compared with the recorded
   expected values using the notebook's own `checks.compare` and tolerances. `apply`: a
   graded cell keeps its points only if both the notebook's test and the re-check pass; a
   re-check that could not compare (the grader's failure) scores 0 and is marked for the
   instructor, never the notebook's in-kernel verdict.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.metadata
import json
import pathlib
import platform
import secrets
import shutil
import subprocess
import tempfile
import time

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbgrader.api import Gradebook, MissingEntry

from .. import checks, course, replay, values
from . import kernel

PACKAGE = pathlib.Path(__file__).resolve().parents[1]   # coursekit/
CACHE = ".coursekit"


# ---------------------------------------------------------------- 1. record

def record(root, assignment, timeout=300):
    """Run the answer key with recording on; return the list of recorded checks."""
    records = []
    for src in course.notebooks(root, assignment):
        nb = course.read(src)
        cells = []
        for cell in nb.cells:
            if course.is_test(cell):
                cells.append(nbformat.v4.new_code_cell(
                    f"__import__('coursekit.replay').replay.set_context({course.grade_id(cell)!r})"))
            cells.append(cell)
        nb.cells = cells
        with tempfile.TemporaryDirectory(prefix="coursekit-record-") as tmp:
            work = pathlib.Path(tmp) / assignment
            shutil.copytree(src.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
            path = work / src.name
            nbformat.write(nb, path)
            log = pathlib.Path(tmp) / "checks.jsonl"
            kernel.run_all(path, timeout=timeout, env={replay.RECORD_ENV: str(log)})
            lines = log.read_text().splitlines() if log.exists() else []
        records += [{**json.loads(line), "notebook": src.name} for line in lines]
    return records


def cache_key(root, assignment, package=PACKAGE, versions=None):
    """A digest of everything that can change a recorded expected value: the assignment's
    source folder (notebooks and data files), every module of coursekit (functions.py and the
    checks included), the versions of Python, numpy and torch."""
    digest = hashlib.sha256()

    def add(label, data):
        digest.update(label.encode() + b"\0" + data + b"\0")

    folder = pathlib.Path(root) / "source" / assignment
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not {".ipynb_checkpoints", "__pycache__"} & set(path.parts):
            add(f"source/{path.relative_to(folder).as_posix()}", path.read_bytes())
    package = pathlib.Path(package)
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts:
            add(f"coursekit/{path.relative_to(package).as_posix()}", path.read_bytes())
    for name, version in sorted((versions or library_versions()).items()):
        add(name, str(version).encode())
    return digest.hexdigest()[:16]


def library_versions():
    out = {"python": platform.python_version()}
    for name in ("numpy", "torch"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def recorded_checks(root, assignment):
    """The answer key's checks (`record`), cached in .coursekit/ next to the gradebook."""
    cache = pathlib.Path(root) / CACHE / f"recheck-{assignment}-{cache_key(root, assignment)}.json"
    if cache.is_file():
        return json.loads(cache.read_text())
    records = record(root, assignment)
    cache.parent.mkdir(exist_ok=True)
    cache.write_text(json.dumps(records))
    return records


# ---------------------------------------------------------------- 2. replay in a fresh kernel

def replayable(records, notebook=None):
    """The records the re-check replays (of one notebook, if named), in order."""
    return [r for r in records if "inputs" in r and (notebook is None or r.get("notebook", notebook) == notebook)]


def plan(records, release_nb):
    """What the re-check kernel needs: the calls (function + inputs, no expected values) and
    the lesson cells it may skip (lesson cells of the release: they define nothing a graded
    function may use; a learner's edited or added cell is not among them)."""
    calls = [{"cell": r.get("cell"), "function": r["function"], "inputs": r["inputs"], "pure": bool(r.get("pure")),
              "again": r.get("again"), "after": bool(r.get("after"))}
             for r in replayable(records)]
    skip = [c.source for c in release_nb.cells if course.is_lesson(c)]
    return {"calls": calls, "skip_sources": skip}


def driver_source(calls, nonce, per_call_seconds=60):
    """The code the fresh kernel runs in place of a test cell: call each function on its
    recorded inputs (each call under its own time limit) and print the results as JSON
    between two nonce markers. A result is {"ok": value} (with "inputs_after" for a pure
    check or one with after=), {"error": ..., "types": [exception class names]} when the learner's function
    raised, or {"grader_error": ...} when encoding its result failed (the grader's problem,
    never reported as the learner's)."""
    payload = json.dumps(calls)
    return f'''
def _coursekit_recheck(payload, seconds):
    import json, signal
    from coursekit import checks, values
    def _timeout(signum, frame):
        raise TimeoutError(f"no result within {{seconds}} s")
    results, timed_out = [], set()
    for call in json.loads(payload):
        if call["function"] in timed_out:
            results.append({{"error": "TimeoutError: skipped, an earlier call timed out", "types": ["TimeoutError"]}})
            continue
        try:
            fn = globals()[call["function"]]
        except KeyError:
            results.append({{"error": f"NameError: {{call['function']}} is not defined", "types": ["NameError"]}})
            continue
        signal.signal(signal.SIGALRM, _timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            out, after = checks.call(fn, values.decode(call["inputs"]), keep_inputs=True)
            again = None
            if call.get("again"):  # a second call with some inputs changed (same seed, other seed...)
                again = checks.call(fn, checks.with_overrides(values.decode(call["inputs"]), values.decode(call["again"])))
            signal.setitimer(signal.ITIMER_REAL, 0)
        except BaseException as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if isinstance(exc, (TimeoutError, KeyboardInterrupt)):
                timed_out.add(call["function"])
            results.append({{"error": type(exc).__name__ + ": " + str(exc)[:300],
                             "types": [c.__name__ for c in type(exc).__mro__]}})
            continue
        try:
            result = {{"ok": values.encode(out, strict=False, trusted=False)}}
            if call.get("again"):
                result["again"] = values.encode(again, strict=False, trusted=False)
            if call.get("pure") or call.get("after"):
                result["inputs_after"] = values.encode(after, strict=False, trusted=False)
            json.dumps(result)
        except BaseException as exc:
            result = {{"grader_error": "encoding the result failed: " + type(exc).__name__ + ": " + str(exc)[:200]}}
        results.append(result)
    return json.dumps(results)
print("{nonce}" + _coursekit_recheck({payload!r}, {float(per_call_seconds)!r}) + "{nonce}")
'''


def new_nonce():
    return "@@" + secrets.token_hex(16) + "@@"


def parse_driver_output(text, nonce, n_calls):
    """The results between the markers, or an error result for every call."""
    parts = text.split(nonce)
    if len(parts) >= 3:
        try:
            results = json.loads(parts[1])
            if isinstance(results, list) and len(results) == n_calls:
                return results
        except ValueError:
            pass
    return [{"error": "the re-check kernel returned no readable result"}] * n_calls


class ReplayKernel(NotebookClient):
    """The re-check's kernel, started as `setup` (a sandbox.KernelSetup) says, with sockets
    of its own, run from the submission's folder."""

    def __init__(self, nb, folder, setup, timeout, setup_timeout=kernel.SETUP_TIMEOUT):
        super().__init__(nb, timeout=timeout, kernel_name=setup.name, allow_errors=True,
                         interrupt_on_timeout=True, raise_on_iopub_timeout=True, shutdown_kernel="immediate",
                         error_on_timeout={"ename": "CellTimeoutError", "evalue": "", "traceback": []},
                         kernel_manager_class=AsyncKernelManager, resources={"metadata": {"path": str(folder)}})
        self.setup, self.setup_timeout = setup, setup_timeout

    def create_kernel_manager(self):
        specs = KernelSpecManager(kernel_dirs=list(self.setup.kernel_dirs)) if self.setup.kernel_dirs \
            else KernelSpecManager()
        options = {"transport": "ipc", "ip": self.setup.sockets("recheck")} if self.setup.isolated else {}
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, kernel_spec_manager=specs, **options)
        self.owns_km = True
        return self.km

    def replay(self, calls, skip, max_restarts=20, deadline=None):
        """Run the notebook's non-test cells in order (those whose source is in `skip`
        excepted); at each test cell, its recorded calls. A cell that kills or hangs the
        kernel is skipped after a restart; only the calls of the test cell it was lose their
        results. Returns one result per call."""
        by_cell = {}
        for i, call in enumerate(calls):
            by_cell.setdefault(call["cell"], []).append(i)
        results, finished, broken = {}, set(), set()
        # the kernel's own stdout and stderr (start-up banners, a learner's os.write) are nobody's business
        start = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if self.setup.env is not None:
            start["env"] = self.setup.env
        for _ in range(max_restarts + 1):
            current = None
            try:
                with self.setup_kernel(**start):
                    for index, cell in enumerate(self.nb.cells):
                        if cell.cell_type != "code" or index in finished or index in broken:
                            continue
                        if deadline is not None and time.monotonic() > deadline:
                            break
                        current = index
                        if course.is_test(cell):
                            finished.add(index)
                            todo = by_cell.get(course.grade_id(cell), [])
                            if todo:
                                results.update(zip(todo, self._run_driver([calls[i] for i in todo], index)))
                        elif cell.source not in skip:
                            with kernel.cell_timeout(self, cell, self.setup_timeout):
                                kernel.execute_detached(self, copy.deepcopy(cell), index)
                break
            except Exception as exc:  # noqa: BLE001 - a dead or stuck kernel: skip that cell from now on
                if current is None:   # no learner code ran: the kernel did not start (the grader's problem)
                    raise
                self.log.warning("re-check kernel failed in cell %s: %s", current, exc)
                broken.add(current)
        return [results.get(i, {"error": "no result (the kernel died or hung in this test cell, or the "
                                         "submission's time ran out)"}) for i in range(len(calls))]

    def _run_driver(self, calls, index):
        nonce = new_nonce()
        driver = nbformat.v4.new_code_cell(driver_source(calls, nonce, per_call_seconds=self.timeout))
        cell_timeout, functions = self.timeout, len({c["function"] for c in calls})
        self.timeout = cell_timeout * (functions + 2)  # each function may use one time limit
        try:
            kernel.execute_detached(self, driver, index)
        finally:
            self.timeout = cell_timeout
        text = "".join(o.get("text", "") for o in driver.get("outputs", []) if o.get("output_type") == "stream")
        return parse_driver_output(text, nonce, len(calls))


def run(records, release, submitted, setup, timeout, deadline=None):
    """The re-check of one submission: for each notebook of the release, its recorded calls
    replayed in a fresh kernel on the learner's notebook in the folder `submitted`. Returns
    one result per replayable record, in order (see `verdicts`)."""
    results = {}
    order = {id(r): i for i, r in enumerate(replayable(records))}
    for blank in sorted(release.glob("*.ipynb")):
        mine = replayable(records, blank.name)
        if not mine:
            continue
        steps = plan(mine, course.read(blank))
        client = ReplayKernel(course.read(submitted / blank.name), submitted, setup, timeout)
        out = client.replay(steps["calls"], set(steps["skip_sources"]), deadline=deadline)
        if any(r.get("error", "").startswith("NameError") for r in out):
            client = ReplayKernel(course.read(submitted / blank.name), submitted, setup, timeout)
            out = client.replay(steps["calls"], set(), deadline=deadline)  # the solution may use a lesson helper
        results.update({order[id(r)]: res for r, res in zip(mine, out)})
    return [results.get(i, {"grader_error": "the re-check found no notebook for this check"}) for i in range(len(order))]


# ---------------------------------------------------------------- 3. the verdict

PASS, FAIL, GRADER_ERROR = "pass", "fail", "grader error"


def judge(rec, res):
    """(verdict, message) of one recorded check against what the re-check kernel sent back,
    computed here, where no learner code runs, with the notebook's own comparison."""
    quantity = rec.get("quantity") or f"{rec.get('function')}()"
    try:
        if not isinstance(res, dict) or not ({"ok", "error", "grader_error"} & set(res)):
            raise ValueError(f"malformed result {str(res)[:80]}")
        if "grader_error" in res:
            return GRADER_ERROR, f"re-check could not compare {quantity}: {res['grader_error']}"
        expected = values.decode(rec["expected"])
        if "error" in res:
            if isinstance(expected, checks.Raises):
                message = res["error"].split(": ", 1)[-1]
                expected.judge(quantity, res.get("types") or [res["error"].split(":")[0]], message)
                return PASS, ""
            return FAIL, f"{quantity}: raised {res['error']}"
        actual = values.decode(res["ok"], callables=False)
        if rec.get("again"):
            expected.judge(quantity, actual, again=values.decode(res["again"], callables=False))
            return PASS, ""
        if rec.get("pure"):
            checks.compare_inputs(quantity, values.decode(rec["inputs"]),
                                  values.decode(res.get("inputs_after"), callables=False))
        checks.compare(quantity, actual, expected, rtol=rec["rtol"], atol=rec["atol"], names=rec.get("names"))
        if rec.get("after"):
            checks.compare_after(quantity, values.decode(res.get("inputs_after"), callables=False),
                                 values.decode(rec["after"]), rtol=rec["rtol"], atol=rec["atol"])
        return PASS, ""
    except checks.CheckFailed as exc:
        return FAIL, str(exc)[:400]
    except Exception as exc:  # noqa: BLE001 - decoding or comparing failed: the grader's problem
        return GRADER_ERROR, f"re-check could not compare {quantity}: {type(exc).__name__}: {str(exc)[:200]}"


def verdicts(records, results):
    """{test cell: (verdict, message)}: the first failure of a cell, else its first grader
    error, else pass. A learner's failure outranks a grader error (the part is lost anyway)."""
    out = {}
    rank = {PASS: 0, GRADER_ERROR: 1, FAIL: 2}
    replayed = replayable(records)
    results = list(results[:len(replayed)]) + [{"grader_error": "no result came back"}] * (len(replayed) - len(results))
    for rec, res in zip(replayed, results):
        cell = rec.get("cell")
        verdict, message = judge(rec, res)
        current = out.get(cell, (PASS, ""))
        if rank[verdict] > rank[current[0]]:
            out[cell] = (verdict, message)
        else:
            out.setdefault(cell, current)
    return out


def apply(root, assignment, student, verdict, functions=None):
    """Act on the re-check's verdicts in the gradebook. A graded cell whose notebook test
    passed but whose re-check failed scores 0 (a flag). A cell whose re-check could not
    compare (a grader error) scores 0 too, never the notebook's in-kernel verdict, and is
    marked for the instructor (needs manual grade). Both are said in the comment of the
    graded function (`functions`: the assignment's graded functions, by default read from
    source/). Returns (flags, grader_errors), lists of messages."""
    flags, errors = [], []
    functions = functions if functions is not None else course.assignment_functions(root, assignment)
    with Gradebook(course.gradebook_url(root)) as gb:
        sub = gb.find_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                status, message = verdict.get(grade.name, (PASS, ""))
                if status == PASS or (status == FAIL and not grade.auto_score):
                    continue
                if status == FAIL:
                    flags.append(f"{grade.name}: the notebook's test passed but the independent re-check "
                                 f"failed ({message}); scored 0")
                    note = f"Re-check failed for {grade.name}: {message}"
                else:
                    errors.append(f"{grade.name}: {message}; scored 0 until an instructor looks at it")
                    note = f"{message} (a grader problem, not yours: your instructor will review this part)"
                    grade.needs_manual_grade = True
                grade.auto_score = 0.0
                owner = course.owner(grade.name, functions) or grade.name
                try:
                    comment = gb.find_comment(owner, nb.name, assignment, student)
                    comment.manual_comment = "\n".join(filter(None, [comment.manual_comment, note]))
                except MissingEntry:
                    pass
        gb.db.commit()
    return flags, errors
