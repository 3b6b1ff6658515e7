"""Hostile and broken submissions (issue 4), generated from the built answer key.

For one assignment (the first; `--all-corpora`: every selected one) a scratch course is
built, the corpus (support/corpus.py) is written as one student per family, and graded
- with `coursekit autograde` (one run, all students), then `nbgrader generate_feedback`;
- with STOCK nbgrader 0.9 in a second scratch course whose nbgrader_config.py sets only the
  course directories (`nbgrader autograde --student S` per student, then generate_feedback),
  in a background thread, for comparison: the families the stock assertions read (all of
  them with --all-corpora);
- two more `coursekit autograde --student key` runs in a third copy (determinism, with the
  main run's key: three), also in the background.
That work is done once per test run (support/once.py), whichever pytest-xdist worker asks
first; the tests then read the gradebooks, notebooks and feedback pages.
"""
from __future__ import annotations

import html
import json
import pathlib
import re
import threading
import time

import pytest
from nbgrader.api import Gradebook

from coursekit import course as conventions
from coursekit.grading import gradebook
from support import corpus as hc
from support import courses, options
from support.nbtools import ROOT
from support.once import once

# The setup cells (imports) get 180 s whatever this says; 10 s is plenty for the answer key's
# other cells even on a loaded machine, and keeps the loops' timeouts short.
CELL_TIMEOUT = 10
MEMORY_GIB = 2
STOCK_SHOWN = ["key", "os_exit", "warnings", "snooper"]   # what the stock assertions read
MORE_KEY_RUNS = 2                                          # determinism: with the main run's key, three

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.xdist_group("hostile")]


# Families where the sabotaged function F (and what depends on it) must score 0, the rest full.
F_ZERO = ["infinite_loop",
          "uninterruptible_loop",
          "os_exit", "sys_exit",
          "signal_kill",
          "memory_bomb", "syntax_error",
          "missing_import", "edited_tests", "reordered_tests"]
FULL = ["deleted_tests", "changed_kernelspec", "big_output",
        "warnings",
        "reseed", "snooper"]
UNREADABLE = ["not_json", "truncated"]


def pytest_generate_tests(metafunc):
    if "graded" in metafunc.fixturenames:
        names = options.corpus_assignments(metafunc.config, options.ALL[0])
        metafunc.parametrize("graded", names, indirect=True, scope="module")


# ---------------------------------------------------------------- grading the corpus, once per run

def _proc(proc):
    return {"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def grade_stock(result, stock, name, members):
    start = time.monotonic()
    runs = {}
    for student in members:
        # --Execute.timeout: stock has no setup allowance, and its default is 30 s
        proc, secs = courses.run(stock, "nbgrader", "autograde", name, "--student", student, "--create", "--force",
                                 f"--Execute.timeout={max(CELL_TIMEOUT, 30)}", timeout=600)
        out = stock / "autograded" / student / name
        exists = bool(list(out.glob("*.ipynb"))) if out.is_dir() else False
        runs[student] = [proc.returncode, exists, round(secs, 1), (proc.stdout + proc.stderr)[-3000:]]
    result["stock_runs"] = runs
    result["stock_feedback"] = _proc(courses.run(stock, "nbgrader", "generate_feedback", name, "--force")[0])
    result["stock_table"] = gradebook.scores(stock, name, members)[0]
    result["seconds"]["stock"] = round(time.monotonic() - start, 1)


def grade_determinism(result, det, name):
    start = time.monotonic()
    runs = []
    for _ in range(MORE_KEY_RUNS):
        proc, _ = courses.run(det, "coursekit.cli", "autograde", name, "--student", "key",
                              f"--cell-timeout={CELL_TIMEOUT}", f"--memory-limit={MEMORY_GIB}")
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(gradebook.scores(det, name, ["key"])[0]["key"])
    result["determinism"] = runs
    result["seconds"]["determinism"] = round(time.monotonic() - start, 1)


def grade(folder, name, template, all_stock):
    """Write and grade the corpus of `name` under `folder`; the JSON-able result."""
    start = time.monotonic()
    course = courses.copy_course(template, folder / "course")
    stock = courses.stock(course, folder / "stock")
    det = courses.copy_course(course, folder / "determinism")
    courses.submit(det, name, "key", course / "solutions" / name)
    corpus = hc.write_corpus(course, name, ROOT)
    hc.write_corpus(stock, name, ROOT)
    result = {"name": name, "course": str(course), "stock": str(stock),
              "seconds": {"build": round(time.monotonic() - start, 1)}}
    errors = []

    def background(fn, *args):
        try:
            fn(*args)
        except BaseException as exc:  # noqa: BLE001 - raised below
            errors.append(exc)

    threads = [threading.Thread(target=background,
                                args=(grade_stock, result, stock, name, corpus.members if all_stock else STOCK_SHOWN)),
               threading.Thread(target=background, args=(grade_determinism, result, det, name))]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    proc, _ = courses.run(course, "coursekit.cli", "autograde", name,
                          f"--cell-timeout={CELL_TIMEOUT}", f"--memory-limit={MEMORY_GIB}")
    result["seconds"]["coursekit"] = round(time.monotonic() - t0, 1)
    result["proc"] = _proc(proc)
    result["feedback"] = _proc(courses.run(course, "nbgrader", "generate_feedback", name, "--force")[0])
    result["table"], result["maxima"] = gradebook.scores(course, name, corpus.members)
    for t in threads:
        t.join()
    result["seconds"]["total"] = round(time.monotonic() - start, 1)
    if errors:
        raise errors[0]
    return result


class Graded:
    """What the corpus run left, read back in this worker."""

    def __init__(self, data):
        self.__dict__.update(data)
        self.course, self.stock = map(pathlib.Path, (data["course"], data["stock"]))
        self.corpus = hc.describe(self.course, self.name, ROOT)
        self.grouped = conventions.parts(list(self.maxima), conventions.assignment_functions(self.course, self.name))

    @property
    def F(self):
        return self.corpus.F

    def part(self, row, f):
        return sum((row or {}).get(g) or 0.0 for g in self.grouped[f])

    def full(self, f):
        return sum(self.maxima[g] for g in self.grouped[f])

    def autograded(self, course, student):
        return [course / "autograded" / student / self.name / nb for nb in self.corpus.assignment.key]

    def feedback_html(self, course, student):
        return [course / "feedback" / student / self.name / (pathlib.Path(nb).stem + ".html")
                for nb in self.corpus.assignment.key]

    def summary(self):
        return {"assignment": self.name, "F": self.F, "seconds": self.seconds,
                "coursekit": {s: {f: self.part(self.table[s], f) for f in self.grouped} for s in self.corpus.members},
                "stock": {s: {f: self.part(self.stock_table.get(s), f) for f in self.grouped}
                          for s in self.stock_table},
                "stock_runs": {s: r[:3] for s, r in self.stock_runs.items()},
                "max": {f: self.full(f) for f in self.grouped}}


@pytest.fixture(scope="module")
def graded(request, tmp_path_factory):
    name = request.param
    template = courses.built(tmp_path_factory, name)
    data, folder = once(tmp_path_factory, f"hostile-{name}",
                        lambda d: grade(d, name, template, request.config.getoption("--all-corpora")))
    g = Graded(data)
    print(json.dumps(g.summary(), indent=1))
    return g


# ---------------------------------------------------------------- every member

def test_every_member_ends_graded(graded):
    g = graded
    assert g.proc["returncode"] == 0, g.proc["stderr"][-3000:]
    out = g.proc["stdout"]
    assert f"{g.name}: autograded {len(g.corpus.members)} submission(s)" in out, out
    for f in g.grouped:
        assert f in out
    for student in g.corpus.members:
        assert re.search(rf"^{re.escape(student)}\s", out, re.M), f"no row for {student} in\n{out}"
        row = g.table[student]
        assert row is not None and set(row) == set(g.maxima), (student, row)
        assert all(v is not None for v in row.values()), (student, row)
        for path in g.autograded(g.course, student):
            assert path.is_file(), path
    assert g.feedback["returncode"] == 0, g.feedback["stderr"][-3000:]
    for student in g.corpus.members:
        for path in g.feedback_html(g.course, student):
            assert path.is_file(), path


def test_answer_key_full_marks(graded):
    assert graded.table["key"] == graded.maxima


# ---------------------------------------------------------------- one function sabotaged

def assert_only(g, student, zero):
    row = g.table[student]
    for f in g.grouped:
        want = 0.0 if f in zero else g.full(f)
        notes = hc.notes_text(g.course, student, g.name)[:3000]
        assert g.part(row, f) == want, (f"{student}: part {f} scored {g.part(row, f)}, expected {want} "
                                        f"(sabotaged: {sorted(zero)})\n{notes}")


@pytest.mark.parametrize("family", F_ZERO)
def test_sabotaged_function_alone_scores_zero(graded, family):
    g = graded
    assert_only(g, family, g.corpus.assignment.depends[g.F])


def test_infinite_loop_note_names_the_cell(graded):
    g = graded
    cell = g.corpus.assignment.tests[g.F][0]
    notes = g.autograded(g.course, "infinite_loop")[0].read_text()
    said = f"`{g.F}` was still running in cell {cell} after"     # the function and the cell (loops.py)
    assert said in notes, notes[:3000]
    page = "".join(p.read_text() for p in g.feedback_html(g.course, "infinite_loop"))
    assert said.replace("`", "") in re.sub(r"<[^>]+>|`", "", page)   # markdown makes `F` a <code> element
    assert "KeyboardInterrupt" not in page


@pytest.mark.parametrize("family", ["os_exit", "signal_kill"])
def test_kernel_death_note_names_the_cell(graded, family):
    g = graded
    cell = g.corpus.assignment.tests[g.F][0]
    notes = hc.notes_text(g.course, family, g.name)
    assert f"the kernel died in cell {cell}" in notes, notes[:3000]
    page = "".join(p.read_text() for p in g.feedback_html(g.course, family))
    assert f"the kernel died in cell {cell}" in page


def test_memory_bomb_is_a_memory_error(graded):
    g = graded
    cell = g.corpus.assignment.tests[g.F][0]
    assert f"ran out of memory in cell {cell}" in hc.notes_text(g.course, "memory_bomb", g.name)


def test_deleted_tests_are_put_back_and_graded(graded):
    """All test cells of a (correct) F deleted: put back from the assignment and graded like
    any other (full marks, as test_harmless_oddities_keep_full_marks says), with a note."""
    g = graded
    for cell in g.corpus.assignment.tests[g.F]:
        assert cell in hc.notes_text(g.course, "deleted_tests", g.name)
    notes = "".join(p.read_text() for p in g.autograded(g.course, "deleted_tests"))
    assert "had been deleted; they were put back from the assignment and graded as usual" in notes


def test_edited_metadata_scores_zero_and_keeps_max(graded):
    g = graded
    wrong = set()
    for f in g.corpus.edited_metadata.values():
        wrong |= g.corpus.assignment.depends[f]
    assert_only(g, "edited_metadata", wrong)
    with Gradebook(conventions.gradebook_url(g.course)) as gb:
        sub = gb.find_submission(g.name, "edited_metadata")
        maxima = {gr.name: gr.max_score for nb in sub.notebooks for gr in nb.grades if gr.max_score}
        total = sub.max_score
    assert maxima == g.maxima
    assert total == sum(g.maxima.values())


# ---------------------------------------------------------------- full marks

@pytest.mark.parametrize("family", FULL)
def test_harmless_oddities_keep_full_marks(graded, family):
    assert graded.table[family] == graded.maxima, graded.table[family]


def test_big_output_is_capped(graded):
    for path in graded.autograded(graded.course, "big_output"):
        assert path.stat().st_size < 2_000_000, path.stat().st_size


def test_snooper_reads_nothing(graded):
    g = graded
    text = hc.outputs_text(g.course, "snooper", g.name)
    assert "LEAK:" not in text, [ln for ln in text.splitlines() if "LEAK:" in ln]
    # the snooper did run (its cells have no error) and printed nothing
    assert g.table["snooper"] == g.maxima


# ---------------------------------------------------------------- unreadable notebooks

@pytest.mark.parametrize("family", UNREADABLE)
def test_unreadable_notebook(graded, family):
    g = graded
    assert set(g.table[family].values()) == {0.0}, g.table[family]
    for path in g.autograded(g.course, family):
        assert path.is_file()
        assert "could not be read" in path.read_text(), path
    page = "".join(p.read_text() for p in g.feedback_html(g.course, family))
    assert "could not be read" in page
    for nb_name, data in g.corpus.raw[family].items():
        assert (g.course / "submitted" / family / g.name / nb_name).read_bytes() == data


# ---------------------------------------------------------------- determinism, feedback

def test_determinism(graded):
    runs = [graded.table["key"], *graded.determinism]
    assert len(runs) == 1 + MORE_KEY_RUNS and all(run == graded.maxima for run in runs), runs


def hidden_leaks(g, course, students):
    lines = g.corpus.assignment.hidden_lines(course)
    assert lines, "no hidden tests found in source/"
    found = {}
    for student in students:
        for page in g.feedback_html(course, student):
            if not page.is_file():
                continue
            raw = page.read_text(encoding="utf-8")
            text = html.unescape(re.sub(r"<[^>]+>", "", raw))   # code is highlighted token by token
            hits = [ln for ln in lines if html.escape(ln, quote=False) in raw or ln in text]
            if hits:
                found[str(page.relative_to(course))] = hits
    return found


def test_feedback_never_shows_hidden_tests(graded):
    assert hidden_leaks(graded, graded.course, graded.corpus.members) == {}


# ---------------------------------------------------------------- stock nbgrader, for comparison

def test_stock_nbgrader_fails_where_coursekit_holds(graded):
    g = graded
    runs, table = g.stock_runs, g.stock_table
    # a kernel killed by os._exit: stock exits non-zero and leaves no autograded notebook
    rc, exists, _, log = runs["os_exit"]
    assert rc != 0 and not exists, (rc, exists, log)
    # a logged warning on stderr in a test cell: stock gives that part 0 (the answers are right)
    assert table["warnings"] is not None
    assert any(g.part(table["warnings"], f) == 0 for f in g.grouped), table["warnings"]
    # the snooper reads the course from disk on stock
    leaks = hc.outputs_text(g.stock, "snooper", g.name)
    assert "LEAK:" in leaks
    # nbgrader issue 917: stock feedback shows hidden tests to the student
    assert hidden_leaks(g, g.stock, ["key"]), "stock feedback did not show hidden tests"
