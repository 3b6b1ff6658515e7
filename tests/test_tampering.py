"""Tampering submissions (issue 5), end to end: `coursekit autograde` against stock nbgrader.

From the built answer key of 03_logistic_regression (`--all-corpora`: every selected
assignment) a corpus is generated (support/tampering.py): each tampering student answers one
graded function F wrongly and adds one trick meant to make the notebook's test of F pass.
The same submissions are graded twice:

- by `coursekit autograde` (sandbox + independent re-check): F's parts must score 0, and
  where the notebook's own test was fooled, the summary and the gradebook comment say so;
- by stock `nbgrader autograde` in a second scratch course whose nbgrader_config.py sets
  only the course folders: each trick is asserted to fool it (F's parts at full marks), or
  the test says that it does not and asserts what it gave.

The answer key and two correct variants of F get full marks from coursekit, and the key keeps
them through a run without and one with the re-check (their cost is measured by
tools/benchmark.py --runs jobs1,norecheck, not here).
All of it is done once per test run (support/once.py), whichever pytest-xdist worker asks
first.

To keep the run short, every corpus submission except the key leaves out the lesson cells
(a learner may delete them: they are not graded, nbgrader does not restore them); the
timing uses the full answer key.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import course as conventions
from coursekit.grading import gradebook
from support import courses, options, tampering
from support.once import once

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.xdist_group("tampering")]

DEFAULT = "03_logistic_regression"
CELL_TIMEOUT = "10"

# What stock nbgrader 0.9 gives F's parts, per trick, on this course. Its test cells call
# coursekit's ck.check, which turns the learner's value into a plain float array before
# comparing it with numpy, so the tricks aimed at `abs(f(x) - y) < tol` style tests do not
# fool it; those are marked "not fooled" and the test asserts the 0 that stock gave.
STOCK = {
    # not fooled: ck.check never calls the builtin abs (it uses numpy), so the patch changes nothing
    "builtins_abs": "not fooled",
    # not fooled: ck.check takes np.asarray(value), i.e. the object's __array__ (the wrong
    # values), and compares that plain array; the lying comparison operators are never used
    "lying_object": "not fooled",
    # not fooled: np.asarray strips the subclass; the real shape, dtype and values are compared
    "lying_ndarray": "not fooled",
    "numpy_patched": "fooled",     # ck.check's tolerance test goes through np.abs and np.max
    "helpers_patched": "fooled",
    "import_swapped": "fooled",
    # not fooled: IPython still marks the execute_reply as an error, and nbgrader 0.9's
    # Execute.on_cell_executed adds an error output for it, so the test cell scores 0
    "ipython_custom_exc": "not fooled",
    "ipython_post_run_cell": "fooled",   # error output cleared, reply marked ok, result "-1" = full marks
    # not fooled: IPython shows both as an error output of the test cell
    "raise_system_exit": "not fooled",
    "raise_keyboard_interrupt": "not fooled",
}
assert set(STOCK) == set(tampering.TRICKS)

FLAG = "the notebook's test passed but the independent re-check failed"


def pytest_generate_tests(metafunc):
    if "graded" in metafunc.fixturenames:
        names = options.corpus_assignments(metafunc.config, DEFAULT)
        metafunc.parametrize("graded", names, indirect=True, scope="module")


# ---------------------------------------------------------------- corpus

def _lean(nb, lessons, keep=()):
    """The notebook without the answer key's lesson code cells (`lessons`: their sources),
    except those whose source contains one of `keep`. Graded, setup and added cells stay."""
    out = copy_nb(nb)
    out.cells = [c for c in nb.cells if c.cell_type != "code" or c.source not in lessons
                 or any(k in c.source for k in keep)]
    return out


def copy_nb(nb):
    return nbformat.from_dict(json.loads(json.dumps(nb)))


class _Store(http.server.BaseHTTPRequestHandler):
    """A learner's server somewhere on the network (here: on this machine)."""
    data: dict = {}

    def do_GET(self):
        body = json.dumps(self.data).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.data.update(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def learner_server():
    _Store.data = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def write_corpus(course, assignment, url):
    """Submissions of the corpus; returns {student: kind}."""
    key = conventions.read(course / "solutions" / assignment / f"{assignment}.ipynb")
    courses.submit(course, assignment, "key", course / "solutions" / assignment)
    fn, wrong, correct = tampering.target(assignment)
    lessons = {c.source for c in key.cells if conventions.is_lesson(c)}
    lean = functools.partial(_lean, lessons=lessons)
    kinds = {"key": "key"}
    for i, source in enumerate(correct, 1):
        tampering.write(course, assignment, f"correct_{i}", lean(tampering.with_function(key, fn, source)))
        kinds[f"correct_{i}"] = "correct"
    tampering.write(course, assignment, "wrong_only", lean(tampering.with_function(key, fn, wrong)))
    kinds["wrong_only"] = "wrong"
    for trick in tampering.TRICKS:
        tampering.write(course, assignment, trick, lean(tampering.with_trick(key, fn, wrong, trick)))
        kinds[trick] = "trick"
    tampering.write(course, assignment, "exfiltrate", lean(tampering.exfiltrating(key, fn, wrong, url)))
    kinds["exfiltrate"] = "coursekit only"
    functions = conventions.graded_functions(key)
    if "propagate" in functions and any("def cost_and_grads_loop" in c.source for c in key.cells):
        # an honest learner whose solution calls a lesson helper (see the tests at the end)
        helper = tampering._src("""
            def propagate(w, b, X, Y):
                cost, dw, db = cost_and_grads_loop(w, b, X, Y)   # the lesson's loop, defined above
                return {"dw": dw, "db": db}, cost
        """)
        tampering.write(course, assignment, "lesson_helper",
                        lean(tampering.with_function(key, "propagate", helper), keep=["def cost_and_grads_loop"]))
        kinds["lesson_helper"] = "coursekit only"
    if "sigmoid" in functions:
        scratch = copy_nb(key)
        scratch.cells.append(tampering._code_cell(tampering._src("""
            # scratch: the sigmoid of one number, with math
            import math
            sigmoid = lambda z: 1 / (1 + math.exp(-z))
            print(sigmoid(0.0))
        """)))
        tampering.write(course, assignment, "late_scratch", lean(scratch))
        kinds["late_scratch"] = "coursekit only"
    return kinds


def stock_autograde(stock, assignment, student):
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", student,
                           "--create", "--force", f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}",
                           # a loaded machine may take over 4 s (the default) to send a slow import's output
                           "--ExecutePreprocessor.iopub_timeout=30"],
                          cwd=stock, capture_output=True, text=True)
    return proc.returncode, proc.stderr[-2000:]


def by_function(root, assignment, table, maxima):
    """{student: {function: (score, max)}} from the per-cell scores."""
    grouped = conventions.parts(list(maxima), conventions.assignment_functions(root, assignment))
    return {s: {f: (sum((row or {}).get(g) or 0.0 for g in gids), sum(maxima[g] for g in gids))
                for f, gids in grouped.items()} for s, row in table.items()}


def _per_submission_seconds(stdout, student):
    found = re.search(rf"\] {re.escape(student)}: graded in ([0-9.]+) s", stdout)
    assert found, stdout
    return float(found.group(1))


def recheck_cost(course, assignment):
    """Per-submission seconds of autograding the key without, then with the re-check."""
    timings = {}
    for label, extra in (("without", ["--no-recheck"]), ("with", [])):
        proc, wall = courses.run(course, "coursekit.cli", "autograde", assignment, "--student", "key",
                                 "--cell-timeout", CELL_TIMEOUT, *extra)
        assert proc.returncode == 0, proc.stderr[-3000:]
        timings[label] = [_per_submission_seconds(proc.stdout, "key"), wall]
    timings["key_after"] = gradebook.scores(course, assignment, ["key"])[0]["key"]
    return timings


def grade(folder, assignment, template):
    """Write and grade the corpus of `assignment` under `folder`; the JSON-able result."""
    course = courses.copy_course(template, folder / "course")
    server, url = learner_server()
    try:
        kinds = write_corpus(course, assignment, url)
        both = [s for s, k in kinds.items() if k != "coursekit only"]
        stock = courses.stock(course, folder / "stock")
        for student in both:
            courses.submit(stock, assignment, student, course / "submitted" / student / assignment)
        # coursekit: one run over all students; stock: one nbgrader process per student, meanwhile
        start = time.perf_counter()
        ck_proc = subprocess.Popen([sys.executable, "-m", "coursekit.cli", "autograde", assignment,
                                    "--cell-timeout", CELL_TIMEOUT, "--jobs", "1"], cwd=course, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with ThreadPoolExecutor(max_workers=1) as pool:
            stock_runs = dict(zip(both, pool.map(lambda s: stock_autograde(stock, assignment, s), both)))
        stock_seconds = time.perf_counter() - start
        out, err = ck_proc.communicate(timeout=1800)
        ck_seconds = time.perf_counter() - start
    finally:
        server.shutdown()
    assert ck_proc.returncode == 0, err[-3000:]
    print(f"\n{assignment}: coursekit autograde of {len(kinds)} submissions {ck_seconds:.0f} s; "
          f"stock nbgrader of {len(both)} {stock_seconds:.0f} s (concurrently)\n{out}")
    ck_table, ck_max = gradebook.scores(course, assignment, list(kinds))
    st_table, st_max = gradebook.scores(stock, assignment, both)
    comments = {}
    with Gradebook(conventions.gradebook_url(course)) as gb:
        for student in kinds:
            comments[student] = {f: gb.find_comment(f, assignment, assignment, student).manual_comment or ""
                                 for f in conventions.assignment_functions(course, assignment)}
    return {"assignment": assignment, "course": str(course), "F": tampering.target(assignment)[0],
            "kinds": kinds, "stdout": out, "stock_runs": stock_runs, "comments": comments, "maxima": ck_max,
            "coursekit": by_function(course, assignment, ck_table, ck_max),
            "stock": by_function(stock, assignment, st_table, st_max),
            "cost": recheck_cost(course, assignment)}


@pytest.fixture(scope="module")
def graded(request, tmp_path_factory):
    assignment = request.param
    template = courses.built(tmp_path_factory, assignment)
    data, _ = once(tmp_path_factory, f"tampering-{assignment}", lambda d: grade(d, assignment, template))
    return {**data, "course": pathlib.Path(data["course"])}


def notebook_test_passed(graded, student):
    """Did the notebook's own test of F pass in coursekit's kernel? (from the autograded notebook)"""
    path = graded["course"] / "autograded" / student / graded["assignment"] / f"{graded['assignment']}.ipynb"
    nb = conventions.read(path)
    cells = conventions.test_cells(nb, graded["F"])
    assert cells, f"no test cell of {graded['F']} in {path}"
    return all(not any(o.get("output_type") == "error" for o in c.outputs) for c in cells)


def summary_row(graded, student):
    return next(line for line in graded["stdout"].splitlines() if line.split()[:1] == [student])


# ---------------------------------------------------------------- the tests

def test_key_and_correct_variants_get_full_marks(graded):
    for student, kind in graded["kinds"].items():
        if kind in ("key", "correct"):
            for f, (score, top) in graded["coursekit"][student].items():
                assert score == top, f"{student}: {f} scored {score} of {top}\n{summary_row(graded, student)}"
            assert "RE-CHECK FLAG" not in summary_row(graded, student)
    # the control: stock grades the key and the correct variants in full too
    for student in ("key", "correct_1", "correct_2"):
        assert all(s == t for s, t in graded["stock"][student].values()), (student, graded["stock"][student])


def test_wrong_answer_alone_scores_zero_everywhere(graded):
    f = graded["F"]
    assert graded["coursekit"]["wrong_only"][f][0] == 0
    assert graded["stock"]["wrong_only"][f][0] == 0


@pytest.mark.parametrize("trick", list(tampering.TRICKS))
def test_trick_scores_zero_with_coursekit(graded, trick):
    f = graded["F"]
    score, top = graded["coursekit"][trick][f]
    assert score == 0, f"{trick}: coursekit gave {f} {score} of {top}"
    if notebook_test_passed(graded, trick):
        # the trick fooled the notebook's test: the re-check caught it, and says so
        assert "RE-CHECK FLAG" in summary_row(graded, trick)
        assert FLAG in graded["stdout"]
        assert "Re-check failed for test_" in graded["comments"][trick][f]


@pytest.mark.parametrize("trick", list(tampering.TRICKS))
def test_trick_against_stock_nbgrader(graded, trick):
    f = graded["F"]
    code, err = graded["stock_runs"][trick]
    assert code == 0, err
    score, top = graded["stock"][trick][f]
    if STOCK[trick] == "fooled":
        assert score == top, f"{trick}: expected to fool stock nbgrader, which gave {f} {score} of {top}"
    else:
        assert score == 0, f"{trick}: stock nbgrader gave {f} {score} of {top}"


def test_notebook_test_fooled_in_coursekit_kernel_exactly_where_stock_is(graded):
    # the notebook's own tests see the same tricks in coursekit's sandboxed kernel
    fooled = {t for t in tampering.TRICKS if notebook_test_passed(graded, t)}
    assert fooled == {t for t, v in STOCK.items() if v == "fooled"}


def test_exfiltrated_expected_values_do_not_pass_the_recheck(graded):
    f = graded["F"]
    assert graded["coursekit"]["exfiltrate"][f][0] == 0


def test_function_using_a_lesson_helper_keeps_its_marks(graded):
    if "lesson_helper" not in graded["kinds"]:
        pytest.skip("03 only")
    score, top = graded["coursekit"]["lesson_helper"]["propagate"]
    assert score == top, graded["comments"]["lesson_helper"]["propagate"]


def test_later_scratch_redefinition_keeps_the_marks(graded):
    if "late_scratch" not in graded["kinds"]:
        pytest.skip("03 only")
    score, top = graded["coursekit"]["late_scratch"]["sigmoid"]
    assert score == top, graded["comments"]["late_scratch"]["sigmoid"]


# ---------------------------------------------------------------- the key with and without the re-check

def test_the_key_keeps_full_marks_with_and_without_the_recheck(graded):
    """Both runs of the key (--no-recheck, then with the re-check) exit 0 and leave it at full marks.
    What the re-check costs is measured by the benchmark, not asserted on a shared machine:
    `python tools/benchmark.py --runs jobs1,norecheck`."""
    cost = graded["cost"]
    (with_s, with_wall), (without_s, without_wall) = cost["with"], cost["without"]
    print(f"\n{graded['assignment']}: autograde of the answer key, per submission: {without_s:.1f} s without "
          f"the re-check, {with_s:.1f} s with it; whole command {without_wall:.1f} s vs {with_wall:.1f} s "
          f"(load {os.getloadavg()[0]:.1f}; not a measurement: tools/benchmark.py)")
    assert cost["key_after"] == graded["maxima"], f"the key after both runs: {cost['key_after']}"
