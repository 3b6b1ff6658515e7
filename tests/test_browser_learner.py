"""The learner's experience in JupyterLab, in a real (headless) browser.

One Lab server, started the way `./course lab` starts it (cwd = the course root, so nbgrader's
Validate finds nbgrader_config.py), serves COPIES of the notebooks (Lab autosaves: notebooks/
and solutions/ are never touched). As a learner, in Chromium:

- an unfinished notebook (the 02 release): Run All stops at the first check with one short
  "not implemented yet" line, not a traceback wall; typing the answer into the solution cell
  and running it and its test cell shows the check lines (✓ ...); the explorer widget draws
  the learner's own gradient descent and redraws when a slider moves; Validate lists the
  checks that still fail, and no longer the one just solved;
- a finished notebook (a copy of the 03 answer key): Run All draws its figures and its
  explorer widget, a slider redraws the figure, and Validate reports success.

Screenshots of each step go to docs/screenshots/learner-*.png (the README shows some).
Skipped, saying why, without Debian's chromium or playwright (see support/browser.py).
"""
import re
import shutil

import pytest

from coursekit import course
from support import browser as web
from support.nbtools import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.browser,
              pytest.mark.xdist_group("browser-learner")]

UNFINISHED = "02_gradient_descent"     # released: every graded function raises NotImplementedError
SOLVED = "gradient_descent"           # the graded function the learner types in
FINISHED = "03_logistic_regression"   # the answer key: every check passes
WAIT_MS = 60_000                      # one cell's run, or a redraw, on a busy 2-core machine
VALIDATE_MS = 150_000                 # the server runs the whole notebook


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """Copies the learner works on: release/02_.../ (as handed out) and finished/03_.../ (the key)."""
    reason = web.browser_missing()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("learner")
    shutil.copytree(ROOT / "notebooks" / UNFINISHED, work / "release" / UNFINISHED)
    shutil.copytree(ROOT / "solutions" / FINISHED, work / "finished" / FINISHED)
    return work


@pytest.fixture(scope="module")
def server(work):
    with web.lab(work, cwd=ROOT) as lab:
        yield lab


@pytest.fixture(scope="module")
def chromium(work):
    with web.chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium, request, tmp_path):
    """A fresh page; when the test fails, what it showed last is saved next to the test's tmp files."""
    page = web.new_page(chromium)
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        shot = tmp_path / "failure.png"
        page.screenshot(path=str(shot))
        print(f"the page when the test failed: {shot}")
    page.context.close()


def index_of(nb, found, what):
    """Index of the first cell of `nb` for which found(cell) is true; `what` names it for the error."""
    for i, cell in enumerate(nb.cells):
        if found(cell):
            return i
    raise AssertionError(f"no {what} in the notebook")


def solution_source(assignment, function):
    """The answer key's cell for `function` (what a learner who got it right would type)."""
    key = course.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    source = key.cells[index_of(key, lambda c: course.is_solution(c) and course.grade_id(c) == function,
                                f"solution cell for {function}")].source
    markers = (course.SOLUTION_BEGIN, course.SOLUTION_END)
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


def error_outputs(page):
    """The texts of the shown notebook's error outputs (tracebacks, or one-line check failures)."""
    stderr = page.locator(f'{web.CELL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    texts = [t or "" for t in stderr.all_text_contents()]
    return [t[:300] for t in texts if "Traceback" in t or re.search(r"^\s*\w+(Error|Exception|Failed|Yet)\b", t)]


def move_slider_and_wait_for_redraw(page, widget):
    """Press → on the widget's first slider handle (noUiSlider, keyboard-driven like a learner's
    arrow key) and wait until the widget's image is a new one. Returns (old src, new src)."""
    image = widget.locator(".widget-image").first
    image.wait_for(state="visible", timeout=WAIT_MS)
    before = image.get_attribute("src")
    handle = widget.locator(".widget-slider .noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function("([img, src]) => img.getAttribute('src') !== src",
                           arg=[image.element_handle(), before], timeout=WAIT_MS)
    return before, image.get_attribute("src")


def test_an_unfinished_notebook_says_what_to_do_and_checks_a_typed_answer(server, page):
    path = server.notebook_dir / "release" / UNFINISHED / f"{UNFINISHED}.ipynb"
    nb = course.read(path)
    solution = index_of(nb, lambda c: course.is_solution(c) and course.grade_id(c) == SOLVED,
                        f"solution cell {SOLVED}")
    first_check = index_of(nb, course.is_test, "test cell")
    explorer = index_of(nb, lambda c: "widgets.descent_explorer_1d(" in c.source, "1-D descent explorer")
    took = web.StepTimer()
    server.open(page, path.relative_to(server.notebook_dir))
    took("open the notebook (kernel idle)")

    # Run All: the run stops at the first check, which says in one line what to do
    web.run_all(page, until=lambda p: web.cell(p, first_check).locator(".jp-OutputArea-output").first
                .wait_for(state="visible", timeout=WAIT_MS))
    shown = web.output_text(page, first_check)
    assert "not implemented yet" in shown, f"first check should say 'not implemented yet'; it shows: {shown!r}"
    assert "Traceback" not in shown and len(shown.strip().splitlines()) <= 3, (
        f"first check should show one short message, not a traceback; it shows: {shown!r}")
    failures = error_outputs(page)
    assert len(failures) == 1 and "not implemented yet" in failures[0], (
        f"Run All should stop at the first check, its one failure; the errors shown: {failures}")
    web.cell(page, first_check).scroll_into_view_if_needed()
    web.screenshot(page, "learner-failed-check")
    took("Run All up to the first check")

    # the learner types the answer, runs it (Shift+Enter) and then its check (Shift+Enter)
    web.replace_cell_source(page, solution, solution_source(UNFINISHED, SOLVED))
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    check = web.cell(page, first_check).locator(".jp-OutputArea-output", has_text="\u2713").first
    check.wait_for(state="visible", timeout=WAIT_MS)
    web.wait_settled(page, timeout=WAIT_MS)
    shown = web.output_text(page, first_check)
    assert "not implemented" not in shown and "Error" not in shown, (
        f"the check of a correct {SOLVED} should pass; it shows: {shown!r}")
    checks = nb.cells[first_check].source.count("ck.check(")
    assert shown.count("\u2713") == checks, (
        f"expected one check line (\u2713 ...) per check of {SOLVED}, {checks}; it shows: {shown!r}")
    web.cell(page, first_check).scroll_into_view_if_needed()
    web.screenshot(page, "learner-check-passes")
    took("type the answer, run it and its check")

    # the learner runs the explorer, then presses Validate (it saves, then the server runs the
    # saved notebook in a kernel of its own while the explorer draws in the learner's kernel)
    widget_cell = web.cell(page, explorer)
    widget_cell.locator(".jp-InputArea").click()
    page.keyboard.press("Shift+Enter")
    web.press_validate(page)
    widget = widget_cell.locator(".jupyter-widgets.widget-vbox").first
    widget.locator(".widget-slider").first.wait_for(state="visible", timeout=WAIT_MS)
    assert widget.locator(".widget-slider").count() == 2, "the 1-D explorer should show two sliders"
    assert "implement gradient_descent first" not in (widget_cell.text_content() or ""), (
        f"the explorer should draw the typed {SOLVED}, not ask for it")

    # Validate's dialog: the functions still to write fail; the typed one no longer does
    message = web.validation_message(page, timeout=VALIDATE_MS)
    report = message.text_content() or ""
    assert "validation-failed" in (message.get_attribute("class") or ""), (
        f"Validate should report failures in the unfinished notebook; it says: {report[:500]!r}")
    assert "The following cell failed" in report and "learning_rate_behaviour: not implemented yet" in report, (
        f"Validate should name the functions still to write; it says: {report[:1000]!r}")
    assert f"{SOLVED}: not implemented yet" not in report, (
        f"Validate should see the typed {SOLVED} (the button saves first); it says: {report[:1000]!r}")
    web.screenshot(page, "learner-validate")
    web.close_dialog(page)
    took("run the explorer, and Validate meanwhile")

    # the explorer draws the learner's own descent, and redraws when a slider moves
    before, after = move_slider_and_wait_for_redraw(page, widget)
    assert before != after, "moving the learning-rate slider should redraw the figure"
    widget_cell.scroll_into_view_if_needed()
    web.screenshot(page, "learner-widget")
    took("move a slider")


def test_a_finished_notebook_runs_all_draws_its_widget_and_validates(server, page):
    path = server.notebook_dir / "finished" / FINISHED / f"{FINISHED}.ipynb"
    nb = course.read(path)
    explorer = index_of(nb, lambda c: "widgets.explorer(" in c.source, "explorer widget")
    took = web.StepTimer()
    server.open(page, path.relative_to(server.notebook_dir))
    took("open the notebook (kernel idle)")

    # Run All, and Validate while it runs (the button saves the notebook as it is; the server
    # validates the saved file in a kernel of its own, so the two runs overlap)
    widget_cell = web.cell(page, explorer)
    web.menu(page, "Run", "Run All Cells")
    web.press_validate(page)
    message = web.validation_message(page, timeout=VALIDATE_MS)
    report = message.text_content() or ""
    assert "validation-success" in (message.get_attribute("class") or ""), (
        f"Validate should pass the finished notebook; it says: {report[:1000]!r}")
    assert "Success! Your notebook passes all the tests." in report, report[:1000]
    web.screenshot(page, "learner-validate-success")
    web.close_dialog(page)
    took("Run All, and Validate meanwhile")

    # the run draws the lesson's figures (image outputs) and the explorer, and nothing fails
    widget_cell.locator(".widget-slider").first.wait_for(state="visible", timeout=web.RUN_TIMEOUT_MS)
    web.wait_settled(page)
    figures = page.locator(f"{web.CELL} .jp-RenderedImage img").count()
    assert figures >= 2, f"Run All should draw the lesson's figures; found {figures} image outputs"
    failures = error_outputs(page)
    assert not failures, f"Run All on the answer key should show no error; it shows: {failures}"
    widget = widget_cell.locator(".jupyter-widgets.widget-vbox").first
    sliders = widget.locator(".widget-slider").count()
    assert sliders == 2, f"the explorer should show its two sliders (w, b); found {sliders}"
    readout = widget.locator(".widget-readout").first.text_content()
    before, after = move_slider_and_wait_for_redraw(page, widget)
    assert widget.locator(".widget-readout").first.text_content() != readout, (
        f"→ on the w slider should change its value (readout {readout!r} before and after)")
    widget_cell.scroll_into_view_if_needed()
    web.screenshot(page, "learner-finished-widget")
    took("the rest of the run, move a slider")
