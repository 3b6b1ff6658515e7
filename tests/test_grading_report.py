"""coursekit report (coursekit/grading/report.py, report_html.py, integrity.py): the numbers
equal the gradebook's, failures are counted once per submission and wording, the outcome
files are read defensively, flags and troubles are listed, the page is self-contained and
escaped, and the integrity check flags libraries only where the source notebook does not
allow them (never on the answer keys).

The course is the tiny one (tests/support/tiny.py) with a real nbgrader gradebook written
through nbgrader's API, and autograded notebooks and outcome files written here as
`coursekit autograde` leaves them: no kernel runs, so these tests take seconds.
"""
import argparse
import base64
import copy
import csv
import io
import json
import pathlib
import re
import shutil
import statistics

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import course
from coursekit.grading import integrity, report
from coursekit.grading.kernel import error_output
from support import tiny
from support.nbtools import ROOT

A = tiny.ASSIGNMENT
WRONG_DOUBLE_BOB = ("double(x of shape (2,)): 1 of 2 entries differ; worst at index (1,): got -3, expected -4 "
                    "(|difference| 1 > tolerance 4e-07 = atol 1e-10 + rtol 1e-07 * |expected|); shape (2,) as expected")
WRONG_DOUBLE_CAROL = WRONG_DOUBLE_BOB.replace("got -3", "got -2.5").replace("|difference| 1 ", "|difference| 1.5 ")
NOT_YET = ("halve: not implemented yet. Write your code in its cell in place of `raise NotImplementedError()`, "
           "run that cell, then run this test again.")
TORCH_DOUBLE = "def double(x):\n    return torch.mul(torch.from_numpy(x), 2).numpy()"

SCORES = {
    "alice": {"test_double": 1.0, "test_halve": 2.0},
    "bob": {"test_double": 0.0, "test_halve": 2.0},
    "carol": {"test_double": 0.0, "test_halve": 0.0},
    "dave": {"test_double": 0.0, "test_halve": 0.0},
    "erin": {"test_double": 1.0, "test_halve": 1.5},
    "frank": {"test_double": 1.0, "test_halve": 2.0},
}
OUTCOMES = {
    "alice": {"status": "graded", "seconds": 3.5, "notes": [], "flags": [], "grader_errors": [], "events": []},
    "bob": {"status": "graded", "seconds": 4.25, "notes": [], "flags": [], "grader_errors": [],
            "events": [{"kind": "restored_cells", "notebook": tiny.NAME, "cell": "test_halve"}]},
    "carol": {"status": "graded", "seconds": 5.0, "notes": ["n"], "flags": ["test_halve: the re-check failed <b>"],
              "grader_errors": ["test_double: could not compare"], "events": []},
    "dave": {"status": "graded with zeros", "seconds": 61.0, "notes": [], "flags": [], "grader_errors": [],
             "events": [{"kind": "timeout", "notebook": tiny.NAME, "cell": "test_halve"},
                        {"kind": "kernel_died", "notebook": tiny.NAME, "cell": None}]},
    # erin: no outcome file; frank: a malformed one
}


def autograded_notebook(errors=None, replace=None):
    """The tiny notebook as autograde leaves it: `errors` {test grade_id: error output},
    `replace` {solution grade_id: source}."""
    nb = tiny.answered()
    for gid, source in (replace or {}).items():
        tiny.cell(nb, gid).source = source
    for gid, error in (errors or {}).items():
        tiny.cell(nb, gid).outputs = [error]
    return nb


def write_submission(root, student, nb, outcome=None):
    folder = root / "autograded" / student / A
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / tiny.NAME)
    if outcome is not None:
        text = outcome if isinstance(outcome, str) else json.dumps({"student": student, "assignment": A, **outcome})
        (folder / report.OUTCOME_NAME).write_text(text)
    return folder


@pytest.fixture(scope="module")
def gradebooks(tmp_path_factory):
    """Tiny courses with a gradebook (nbgrader makes one in seconds: made once, copied by tests):
    {"graded": the SCORES of six students, "empty": no submission}."""
    graded = tiny.write_source(tmp_path_factory.mktemp("graded") / "course")
    tiny.gradebook(graded, SCORES)
    empty = pathlib.Path(shutil.copytree(graded, tmp_path_factory.mktemp("empty") / "course"))
    with Gradebook(course.gradebook_url(empty)) as gb:
        for student in SCORES:
            gb.remove_submission(A, student)
    return {"graded": graded, "empty": empty}


def course_copy(gradebooks, name, tmp_path):
    return pathlib.Path(shutil.copytree(gradebooks[name], tmp_path / "course"))


@pytest.fixture
def graded(gradebooks, tmp_path):
    """The tiny course after a grading run of six submissions (see SCORES and OUTCOMES)."""
    root = course_copy(gradebooks, "graded", tmp_path)
    write_submission(root, "alice", autograded_notebook(), OUTCOMES["alice"])
    write_submission(root, "bob", autograded_notebook({"test_double": error_output("CheckFailed", WRONG_DOUBLE_BOB)}),
                     OUTCOMES["bob"])
    write_submission(root, "carol", autograded_notebook(
        {"test_double": error_output("CheckFailed", WRONG_DOUBLE_CAROL),
         "test_halve": error_output("NotImplementedYet", NOT_YET)}, {"double": TORCH_DOUBLE}), OUTCOMES["carol"])
    write_submission(root, "dave", autograded_notebook(
        {"test_double": error_output("NotGraded", "the grader stopped after 1800 s"),
         "test_halve": error_output("CellTimeoutError", "A cell timed out while it was being executed, after "
                                                        "60 seconds.\nThe message was: Cell execution timed out.")}),
        OUTCOMES["dave"])
    write_submission(root, "erin", autograded_notebook({"test_halve": error_output(
        "ValueError", "operands could not be broadcast together with shapes (2,) (3,) <script>alert(1)</script>")}))
    write_submission(root, "frank", autograded_notebook(), '{"status": 3, "seconds": "fast", "events": [7, {"kind": '
                                                           '"boom"}], "flags": "not a list"')
    return root


def gradebook_truth(root):
    """{student: (total, {grade_id: score})} straight from nbgrader's Gradebook API."""
    with Gradebook(course.gradebook_url(root)) as gb:
        return {s: (gb.find_submission(A, s).score,
                    {g.name: g.score for nb in gb.find_submission(A, s).notebooks for g in nb.grades})
                for s in SCORES}


def read_csv(path):
    rows = list(csv.reader(io.StringIO(path.read_text())))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


# ---------------------------------------------------------------- the numbers

def test_csv_and_html_numbers_equal_the_gradebook(graded, tmp_path):
    html_path, csv_path = report.write(report.collect(graded, A), tmp_path / "out")
    truth = gradebook_truth(graded)
    rows = {r["student"]: r for r in read_csv(csv_path)}
    assert sorted(rows) == sorted(SCORES), f"CSV rows: expected {sorted(SCORES)}, got {sorted(rows)}"
    for student, (total, cells) in truth.items():
        got = (float(rows[student]["raw_score"]), float(rows[student]["double"]), float(rows[student]["halve"]))
        want = (total, cells["test_double"], cells["test_halve"])
        assert got == want, f"{student}: CSV (total, double, halve) {got}, gradebook {want}"
    page = html_path.read_text()
    totals = [t for t, _ in truth.values()]
    for label, value in [("mean", f"{statistics.fmean(totals):.2f}"), ("median", f"{statistics.median(totals):g}"),
                         ("lowest", f"{min(totals):g}"), ("highest", f"{max(totals):g}")]:
        assert f"{label}</span><b>{value}</b>" in page, f"the page should show {label} {value} (from the gradebook)"
    for part, gid, top in [("double", "test_double", 1.0), ("halve", "test_halve", 2.0)]:
        scores = [cells[gid] for _, cells in truth.values()]
        mean, full = statistics.fmean(scores), sum(s == top for s in scores) / len(scores)
        row = f"<tr><td>{part}</td><td class=n>{top:g}</td><td class=n>{mean:.2f}</td><td class=n>{full:.0%}</td></tr>"
        assert row in page, f"the parts table should have the row {row}"
    for student, (total, _) in truth.items():
        assert f"<tr><td>{student}</td><td class=n>{total:g}</td>" in page, f"{student}'s total {total:g} on the page"


def test_parts_group_test_cells_by_graded_function(graded):
    rep = report.collect(graded, A)
    assert rep.parts == {"double": ["test_double"], "halve": ["test_halve"]}, rep.parts
    assert rep.maxima == tiny.POINTS, f"maxima: expected {tiny.POINTS}, got {rep.maxima}"
    assert rep.part_stats()[1] == ("halve", 2.0, pytest.approx(7.5 / 6), pytest.approx(3 / 6))


# ---------------------------------------------------------------- failures and facts

def test_common_failures_count_each_failure_once_whatever_its_numbers(graded):
    common = report.collect(graded, A).common_failures()
    assert common["test_double"] == [(f"CheckFailed: {WRONG_DOUBLE_BOB}", 2, 2)] or \
        common["test_double"] == [(f"CheckFailed: {WRONG_DOUBLE_CAROL}", 2, 2)], \
        f"bob's and carol's messages differ only in numbers: one failure of 2 submissions, got {common['test_double']}"
    halve = sorted(common["test_halve"], key=lambda x: x[0])
    assert [(t.split(":")[0], n) for t, n, _ in halve] == [("CellTimeoutError", 1), ("NotImplementedYet", 1),
                                                          ("ValueError", 1)], halve
    assert halve[0][0] == "CellTimeoutError: A cell timed out while it was being executed, after 60 seconds.", \
        f"a message is its first line, got {halve[0][0]!r}"


def test_grader_zeros_are_not_failures_of_the_class(graded):
    failures = report.collect(graded, A).submissions[3].failures
    assert "test_double" not in failures, f"dave's NotGraded output is the grader's doing, got {failures}"


def test_normalise_masks_numbers_not_names():
    assert report.normalise("f(W1 of shape (3, 1)): got -0.5, expected 1e-07 at 0x7f3a") == \
        "f(W1 of shape (#, #)): got #, expected # at #"
    assert report.normalise("got nan, expected inf") == "got #, expected #"


def test_outcome_files_read_defensively(graded):
    subs = {s.student: s for s in report.collect(graded, A).submissions}
    assert (subs["dave"].status, subs["dave"].seconds) == ("graded with zeros", 61.0)
    for student in ("erin", "frank"):
        s = subs[student]
        assert (s.status, s.seconds, s.flags, s.events) == ("unknown", None, [], []), \
            f"{student}: a missing or malformed outcome file is unknown, got {s}"
    assert report.read_outcome(graded / "nowhere") == {}
    bad = graded / "autograded" / "frank" / A / report.OUTCOME_NAME
    bad.write_text('{"status": "graded", "events": [7, {"kind": "boom"}, {"kind": "timeout"}], "flags": [1]}')
    assert report.read_outcome(bad.parent) == {"status": "graded", "flags": ["1"], "events": [
        {"kind": "timeout", "notebook": None, "cell": None}]}


def test_flags_troubles_and_integrity_are_listed(graded, tmp_path):
    html_path, csv_path = report.write(report.collect(graded, A), tmp_path / "out")
    rows = {r["student"]: r for r in read_csv(csv_path)}
    assert rows["carol"]["integrity_flags"] == "double uses torch (torch.mul, torch.from_numpy)", rows["carol"]
    assert rows["carol"]["recheck_flags"] == "test_halve: the re-check failed <b>"
    assert rows["carol"]["grader_problems"] == "test_double: could not compare"
    assert rows["dave"]["events"] == f"timed out in {tiny.NAME} cell test_halve; kernel died in {tiny.NAME}", \
        rows["dave"]
    assert (rows["dave"]["status"], rows["dave"]["seconds"]) == ("graded with zeros", "61.0")
    assert (rows["erin"]["status"], rows["erin"]["seconds"]) == ("unknown", "unknown")
    assert all(rows[s]["integrity_flags"] == "" for s in SCORES if s != "carol"), rows
    page = html_path.read_text()
    for text in ["re-check flag</td><td>test_halve: the re-check failed &lt;b&gt;",
                 "grader problem</td><td>test_double: could not compare",
                 f"integrity</td><td>{tiny.NAME}: double uses torch (torch.mul, torch.from_numpy)",
                 f"<td>dave</td><td>graded with zeros</td><td>timed out in {tiny.NAME} cell test_halve",
                 f"<td>bob</td><td>restored cells in {tiny.NAME} cell test_halve",
                 "median 4.6 s, longest 61.0 s", "their status, time and events are unknown: erin, frank"]:
        assert text in page, f"the page should say {text!r}"


def test_page_is_self_contained_and_escapes_learner_text(graded, tmp_path):
    html_path, _ = report.write(report.collect(graded, A), tmp_path / "out")
    page = html_path.read_text()
    assert "<script" not in page.lower(), "a learner's message must not become markup"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    links = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert links and all(link.startswith("data:image/png;base64,") for link in links), \
        f"every figure embedded, nothing fetched; got {[link[:40] for link in links]}"
    for link in links:
        assert base64.b64decode(link.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(links) == 3, f"score histogram, parts, times: expected 3 figures, got {len(links)}"
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_csv_cells_cannot_become_formulas(graded, tmp_path):
    folder = graded / "autograded" / "bob" / A
    outcome = json.loads((folder / report.OUTCOME_NAME).read_text())
    (folder / report.OUTCOME_NAME).write_text(json.dumps({**outcome, "flags": ["=HYPERLINK(\"x\")"]}))
    _, csv_path = report.write(report.collect(graded, A), tmp_path / "out")
    assert {r["student"]: r for r in read_csv(csv_path)}["bob"]["recheck_flags"] == "'=HYPERLINK(\"x\")"


# ---------------------------------------------------------------- the command

def run_command(root, monkeypatch, capsys, *argv):
    parser = argparse.ArgumentParser()
    report.add_parser(parser.add_subparsers(dest="command"))
    monkeypatch.chdir(root)
    code = report.run(parser.parse_args(["report", *argv]))
    return code, capsys.readouterr()


def test_command_writes_reports_and_prints_both_paths(graded, monkeypatch, capsys):
    code, out = run_command(graded, monkeypatch, capsys, A)
    expected = [str(graded / "reports" / f"{A}.html"), str(graded / "reports" / f"{A}.csv")]
    assert (code, out.out.splitlines()) == (0, expected), f"expected 0 and {expected}, got {code} {out}"
    code, out = run_command(graded, monkeypatch, capsys, A, "--out", "elsewhere")
    assert code == 0 and out.out.splitlines() == [f"elsewhere/{A}.html", f"elsewhere/{A}.csv"], out
    assert (graded / "elsewhere" / f"{A}.csv").is_file()


def test_command_says_when_nothing_was_graded(graded, monkeypatch, capsys):
    code, out = run_command(graded, monkeypatch, capsys, "99_nothing")
    assert code == 2 and f"no assignment named 99_nothing (have: {A})" in out.err and not out.out, (code, out)


def test_a_gradebook_without_submissions_still_makes_a_page(gradebooks, tmp_path):
    root = course_copy(gradebooks, "empty", tmp_path)
    html_path, csv_path = report.write(report.collect(root, A), tmp_path / "out")
    assert "No graded submission." in html_path.read_text()
    rows = read_csv(csv_path)
    assert sorted(r["student"] for r in rows) == sorted(SCORES), "the gradebook's students are the roster"
    assert all((r["status"], r["score"], r["raw_score"]) == ("no submission", "0", "") for r in rows), rows


# ---------------------------------------------------------------- integrity

def solution(assignment, function, source):
    """The answer key of `assignment` with `function`'s solution cell replaced by `source`."""
    nb = course.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    cell = next(c for c in nb.cells if course.is_solution(c) and course.grade_id(c) == function)
    cell.source = source
    return nb


def flags(assignment, nb):
    allow, forbid = integrity.source_rules(ROOT, assignment, f"{assignment}.ipynb")
    return [str(f) for f in integrity.check(nb, allow, forbid)]


def test_answer_keys_raise_no_integrity_flag(assignment):
    """Every selected assignment (all twelve by default; conftest.py parametrizes `assignment`)."""
    for path in course.notebooks(ROOT, assignment, "solutions"):
        allow, forbid = integrity.source_rules(ROOT, assignment, path.name)
        found = [str(f) for f in integrity.check(course.read(path), allow, forbid)]
        assert found == [], f"{path.relative_to(ROOT)}: the answer key must raise no flag, got {found}"


SIGMOID_CHEATS = {
    "the setup cell's torch": ("def sigmoid(z):\n    return torch.sigmoid(torch.from_numpy(z)).numpy()",
                               "sigmoid uses torch (torch.sigmoid, torch.from_numpy)"),
    "from scipy.special import": ("def sigmoid(z):\n    from scipy.special import expit\n    return expit(z)",
                                  "sigmoid uses scipy.special (from scipy.special import expit, scipy.special.expit)"),
    "import as, in the cell": ("import scipy.special as sp\n\ndef sigmoid(z):\n    return sp.expit(z)",
                               "sigmoid uses scipy.special (import scipy.special, scipy.special.expit)"),
    "attribute chain": ("import scipy\n\ndef sigmoid(z):\n    return scipy.special.expit(z)",
                        "sigmoid uses scipy.special (scipy.special.expit)"),
    "__import__": ("def sigmoid(z):\n    t = __import__('torch')\n    return t.sigmoid(t.tensor(z)).numpy()",
                   "sigmoid uses torch (__import__('torch'))"),
    "importlib": ("import importlib\n\ndef sigmoid(z):\n    return importlib.import_module('jax.nn').sigmoid(z)",
                  "sigmoid uses jax (importlib.import_module('jax.nn'))"),
    "computed name": ("def sigmoid(z):\n    return __import__('to' + 'rch').sigmoid(z)",
                      "sigmoid uses a module named at run time (__import__(...))"),
    "sys.modules": ("import sys\ndef sigmoid(z):\n    return sys.modules['torch'].sigmoid(z)",
                    "sigmoid uses torch (sys.modules['torch'])"),
    "exec of a string": ("def sigmoid(z):\n    exec('import torch')\n    return 1 / (1 + np.exp(-z))",
                         "sigmoid uses torch (import torch)"),
    "a magic line": ("%time import torch\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
                     "sigmoid uses torch (import torch)"),
}


@pytest.mark.parametrize("cheat", SIGMOID_CHEATS)
def test_a_numpy_exercise_solved_with_a_library_is_flagged(cheat):
    source, expected = SIGMOID_CHEATS[cheat]
    found = flags("03_logistic_regression", solution("03_logistic_regression", "sigmoid", source))
    assert found == [expected], f"{cheat}: expected [{expected!r}], got {found}"


def test_sklearn_in_a_numpy_exercise_is_flagged():
    source = "def kfold_indices(m, k):\n    return [(tr, te) for tr, te in KFold(n_splits=k).split(np.zeros(m))]"
    found = flags("07_evaluation", solution("07_evaluation", "kfold_indices", source))
    assert found == ["kfold_indices uses sklearn (sklearn.model_selection.KFold)"], found


def test_names_that_only_look_like_a_library_are_not_flagged():
    source = ("def sigmoid(z):\n    torch = np  # a parameter or local named like a library\n"
              "    def inner(TF):\n        return TF.exp(-z)\n    return 1 / (1 + torch.exp(-z)) + 0 * inner(np)")
    assert flags("03_logistic_regression", solution("03_logistic_regression", "sigmoid", source)) == []


def test_a_graded_function_redefined_in_another_cell_is_checked():
    nb = course.read(ROOT / "solutions" / "03_logistic_regression" / "03_logistic_regression.ipynb")
    nb.cells.append(nbformat.v4.new_code_cell("def sigmoid(z):\n    return torch.sigmoid(z)\n\nx = torch.zeros(1)"))
    assert flags("03_logistic_regression", nb) == ["sigmoid uses torch (torch.sigmoid)"]


def test_allow_list_is_per_function_and_per_name():
    built = "def build_mlp(layer_dims, dropout=0.0, batchnorm=False):\n    import sklearn\n    return nn.Sequential()"
    assert flags("12_pytorch", solution("12_pytorch", "build_mlp", built)) == [
        "build_mlp uses sklearn (import sklearn)"]
    cheat = ("def cv_grid_search(make_model, X, y, grid, k, seed):\n"
             "    search = GridSearchCV(make_model(), grid, cv=StratifiedKFold(k, shuffle=True, random_state=seed))\n"
             "    return search.fit(X, y).best_params_, []")
    assert flags("11_tuning", solution("11_tuning", "cv_grid_search", cheat)) == \
        ["cv_grid_search uses sklearn (sklearn.model_selection.GridSearchCV)"]
    torch_grid = "def grid_search(score, grid):\n    return torch.zeros(1), 0"
    assert flags("11_tuning", solution("11_tuning", "grid_search", torch_grid)) == [
        "grid_search uses torch (torch.zeros)"]


def test_allow_list_comes_from_the_source_never_the_learners_notebook(gradebooks, tmp_path):
    root = course_copy(gradebooks, "empty", tmp_path)
    nb = autograded_notebook(replace={"double": TORCH_DOUBLE})
    nb.metadata["coursekit"] = {"integrity": {"allow": {"double": ["torch"]}}}
    folder = write_submission(root, "mallory", nb)
    assert [str(f) for f in integrity.check_folder(root, A, folder)] == [
        "double uses torch (torch.mul, torch.from_numpy)"]
    source = course.read(root / "source" / A / tiny.NAME)
    source.metadata["coursekit"] = {"integrity": {"allow": {"double": ["torch.mul", "torch.from_numpy"]}}}
    nbformat.write(source, root / "source" / A / tiny.NAME)
    assert integrity.check_folder(root, A, folder) == []


def test_rules_survive_malformed_metadata():
    nb = copy.deepcopy(tiny.notebook())
    for bad in (None, [], {"integrity": 3}, {"integrity": {"allow": ["torch"], "forbid": "numpy"}},
                {"integrity": {"allow": {"double": "torch"}}}):
        nb.metadata["coursekit"] = bad
        assert integrity.rules(nb) == ({}, integrity.DEFAULT_FORBIDDEN), bad
    nb.metadata["coursekit"] = {"integrity": {"forbid": ["numpy.linalg"]}}
    assert integrity.rules(nb)[1] == (*integrity.DEFAULT_FORBIDDEN, "numpy.linalg")


# ---------------------------------------------------------------- the screenshot

@pytest.mark.integration
@pytest.mark.browser
def test_screenshot_of_the_report(graded, tmp_path):
    from support import browser
    reason = browser.browser_missing()
    if reason:
        pytest.skip(reason)
    plant_similar(graded)          # the page then shows a Similar code pair side by side
    html_path, _ = report.write(report.collect(graded, A), tmp_path / "out")
    with browser.chromium() as chromium:
        page = browser.new_page(chromium)
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html_path.as_uri())
        assert page.locator("img").count() == 3
        path = browser.screenshot(page, "report", full_page=True)
    assert path.stat().st_size > 10_000, f"{path}: an empty screenshot?"
    fetched = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert fetched == [], f"the page must fetch nothing, it asked for {fetched}"


# ---------------------------------------------------------------- end to end

def _wrong_with_torch():
    nb = tiny.answered()
    tiny.cell(nb, "double").source = "def double(x):\n    import torch\n    return (torch.from_numpy(x) * 3).numpy()"
    return nb


def _blank():
    return tiny.unanswered("double", "halve")


def _dies():
    return tiny.with_cell(6, tiny.KILL_KERNEL)   # before halve's cells


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_after_a_real_autograde_run(tmp_path):
    """`coursekit autograde` (nbgrader, sandbox, re-check) on four submissions, then the report."""
    from coursekit.grading import autograde, sandbox
    root = tiny.write_source(tmp_path / "course")
    students = {"key": tiny.answered, "blank": _blank, "wrong": _wrong_with_torch, "dies": _dies}
    for student, make in students.items():
        tiny.submit(root, student, make())
    opts = autograde.Options(cell_timeout=20, memory_limit=2 * 2 ** 30, sandbox=sandbox.available())
    autograde.autograde(root, A, opts=opts, log=lambda *_: None)
    rep = report.collect(root, A)
    _, csv_path = report.write(rep, tmp_path / "out")
    rows = {r["student"]: r for r in read_csv(csv_path)}
    with Gradebook(course.gradebook_url(root)) as gb:
        truth = {s: gb.find_submission(A, s).score for s in students}
    assert {s: float(r["raw_score"]) for s, r in rows.items()} == truth, f"CSV totals vs the gradebook's {truth}"
    assert truth["key"] == 3.0 and truth["blank"] == 0.0, truth
    subs = {s.student: s for s in rep.submissions}
    assert all(s.status == "graded" and s.seconds is not None for s in subs.values()), \
        f"every submission has its outcome file: {[(s.student, s.status, s.seconds) for s in subs.values()]}"
    assert "kernel_died" in [e["kind"] for e in subs["dies"].events], subs["dies"].events
    assert [str(f) for f in subs["wrong"].integrity] == ["double uses torch (import torch, torch.from_numpy)"]
    assert all(not s.integrity for name, s in subs.items() if name != "wrong")
    assert subs["blank"].failures["test_double"].startswith("NotImplementedYet: double: not implemented yet."), \
        subs["blank"].failures
    assert subs["wrong"].failures["test_double"].startswith("CheckFailed: double("), subs["wrong"].failures
    common = rep.common_failures()["test_double"]
    assert sorted(n for _, n, _ in common) == [1, 1], f"blank's and wrong's failures differ: {common}"


# ---------------------------------------------------------------- issue 25: counts, bins, who, the roster

def test_lost_points_are_counted_in_submissions(graded, tmp_path):
    html_path, _ = report.write(report.collect(graded, A), tmp_path / "out")
    page = html_path.read_text()
    # test_double: bob, carol and dave scored below 1 point; test_halve: carol, dave and erin below 2
    for gid in ("test_double", "test_halve"):
        assert "3 of 6 submissions lost points" in page.split(f"<code>{gid}</code>", 1)[1][:200], \
            f"{gid}: the count is of submissions, said so ('3 of 6 submissions lost points')"
    assert " lost points)" not in page.replace("submissions lost points)", ""), "no bare 'N of M lost points'"


def test_each_failure_message_names_the_learners_who_got_it(graded, tmp_path):
    html_path, _ = report.write(report.collect(graded, A), tmp_path / "out")
    page = html_path.read_text()
    double = page.split("<code>test_double</code>", 1)[1].split("<h3>", 1)[0]
    row = next(r for r in double.split("<tr>") if "CheckFailed" in r)
    assert "bob, carol" in row, f"the CheckFailed row of test_double should name bob and carol, got {row[:300]!r}"
    halve = page.split("<code>test_halve</code>", 1)[1].split("<h2>", 1)[0]
    for who, what in (("carol", "NotImplementedYet"), ("erin", "ValueError")):
        line = next(r for r in halve.split("<tr>") if what in r)
        assert f"<td>{who}</td>" in line, f"the {what} row of test_halve should name {who}, got {line[:300]!r}"


@pytest.mark.parametrize("totals, top", [([0.0, 1.0, 2.5, 3.0, 3.0, 1.5], 3.0), ([7.0, 12.0, 33.5, 40.0], 40.0),
                                         ([55.0, 99.0, 120.0], 120.0)])
def test_the_histogram_bins_are_whole_points_and_its_counts_integers(totals, top):
    from coursekit.grading import report_html
    ax = report_html._histogram(totals, top).axes[0]
    edges = sorted({round(x, 9) for p in ax.patches for x in (p.get_x(), p.get_x() + p.get_width())})
    assert all(float(e).is_integer() for e in edges), f"bin edges should be whole points, got {edges}"
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == len(totals) and all(float(h).is_integer() for h in heights), heights
    ticks = [t for t in ax.get_yticks() if 0 <= t <= max(heights)]
    assert all(float(t).is_integer() for t in ticks), f"the count axis should tick whole numbers, got {ticks}"
    full = [p for p in ax.patches if p.get_x() <= top < p.get_x() + p.get_width()]
    assert full and full[0].get_height() == sum(t == top for t in totals), "full marks have a bin of their own"


def test_learners_in_the_roster_without_a_submission_appear(graded, tmp_path):
    with Gradebook(course.gradebook_url(graded)) as gb:
        gb.update_or_create_student("zoe", first_name="Zoe", last_name="Z", email="zoe@example.org")
    rep = report.collect(graded, A)
    zoe = next(s for s in rep.submissions if s.student == "zoe")
    assert zoe.status == "no submission", zoe
    html_path, csv_path = report.write(rep, tmp_path / "out")
    rows = {r["student"]: r for r in read_csv(csv_path)}
    assert (rows["zoe"]["score"], rows["zoe"]["status"]) == ("0", "no submission"), rows["zoe"]
    page = html_path.read_text()
    assert "1 learner in the roster has no submission (score 0): zoe" in page, "the page says who submitted nothing"
    assert "<tr><td>zoe</td><td class=n>0</td>" in page and "no submission</td>" in page
    assert "autograded folder but no gradebook entry" not in page, "zoe is not a submission missing from the gradebook"
    assert "submissions</span><b>6</b>" in page, "the six submissions are still six"


# ---------------------------------------------------------------- issue 24: similar code

LONG_HALVE = ("def halve(x):\n    out = np.empty_like(x, dtype=float)\n    for i, value in enumerate(x.flat):\n"
              "        out.flat[i] = value / 2.0   # one entry at a time\n    return out.reshape(x.shape)\n")
LONG_HALVE_RENAMED = ("def halve(x):\n    # my own loop\n    result = np.empty_like(x, dtype=float)\n"
                      "    for k, v in enumerate(x.flat):\n        result.flat[k] = v/2.0\n\n"
                      "    return result.reshape(x.shape)\n")


def plant_similar(root):
    """frank's halve becomes a renamed, re-spaced, re-commented copy of alice's (both long enough)."""
    for student, source in (("alice", LONG_HALVE), ("frank", LONG_HALVE_RENAMED)):
        folder = root / "autograded" / student / A
        nb = course.read(folder / tiny.NAME)
        tiny.cell(nb, "halve").source = source
        nbformat.write(nb, folder / tiny.NAME)


def test_similar_code_is_shown_side_by_side_and_scores_nothing(graded, tmp_path):
    plant_similar(graded)
    rep = report.collect(graded, A)
    assert [(p.function, p.a, p.b) for p in rep.similar.pairs] == [("halve", "alice", "frank")], rep.similar
    html_path, csv_path = report.write(rep, tmp_path / "out")
    page = html_path.read_text()
    section = page.split("<h2>Similar code</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<code>halve</code>: alice and frank" in section and "Jaccard" in section, section[:600]
    assert "<mark>" in section and "# my own loop" in section and "one entry at a time" in section, \
        "both functions shown, shared lines marked"
    assert "1 pair(s) of functions compared, 1 flagged; no pair below the threshold;" in section, section[:900]
    rows = {r["student"]: r for r in read_csv(csv_path)}
    assert rows["alice"]["similar_code"] == "halve like frank (1.00)", rows["alice"]
    assert rows["bob"]["similar_code"] == "" and rows["frank"]["score"] == "3", "a flag changes no score"


def test_a_long_list_of_learners_is_folded_not_cut():
    from coursekit.grading import report_html
    few, many = [f"s{i:02d}" for i in range(3)], [f"s{i:02d}" for i in range(30)]
    assert report_html._who(few) == "s00, s01, s02"
    folded = report_html._who(many)
    assert folded.startswith("<details><summary>s00, ") and "and 18 more</summary>" in folded, folded[:120]
    assert ", ".join(many) in folded, "every learner is in the page"
