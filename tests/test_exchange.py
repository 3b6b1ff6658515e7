"""The whole nbgrader exchange cycle as an instructor and a learner live it (issue 14), on one
machine, in a scratch copy of the course with a temporary exchange folder:

1. the instructor releases 01_derivatives (`nbgrader release_assignment`), which creates the
   exchange with nbgrader's permissions;
2. the learner, in JupyterLab in a browser (their own Lab server, HOME and nbgrader config),
   fetches it from nbgrader's Assignment List, completes it (the answer key copied over the
   fetched notebook on disk, as if typed) and submits it from the Assignment List;
3. the instructor runs `nbgrader collect`, `coursekit autograde`, `nbgrader generate_feedback`
   and `nbgrader release_feedback`; the formgrader, in the instructor's JupyterLab, shows the
   submission with full marks;
4. the learner fetches the feedback from the Assignment List, follows its "view feedback" link
   and opens the feedback page: the score is there, no hidden test is.

Both people run as the same OS user; the learner's name comes from their nbgrader config
(tests/support/exchange.py says why). Where Chromium cannot run (browser_missing()), the browser
test skips and `test_exchange_cycle_on_the_command_line` runs the same cycle with nbgrader's
own learner commands (fetch_assignment, submit, fetch_feedback) instead; where the browser test
runs, that one skips, so a run pays for one cycle (one `coursekit autograde`) only.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coursekit.grading import gradebook
from support import exchange as ex
from support.browser import browser_missing, chromium, lab, new_page, screenshot
from support.courses import built, copy_course

ASSIGNMENT = "01_derivatives"   # small: four graded functions, one notebook
LEARNER = "learner"
BROWSER_TEST = "test_exchange_cycle_in_jupyterlab"


@dataclass
class Cycle:
    course: Path            # the instructor's course directory (a scratch copy)
    exchange: Path          # the exchange root (c.Exchange.root)
    course_id: str
    teacher: ex.Person
    student: ex.Person
    seconds: dict = field(default_factory=dict)

    def timed(self, step, started):
        self.seconds[step] = round(time.monotonic() - started, 1)

    def report(self):
        return ", ".join(f"{step} {s:.1f} s" for step, s in self.seconds.items())


@pytest.fixture
def cycle(tmp_path, tmp_path_factory):
    started = time.monotonic()
    course = copy_course(built(tmp_path_factory, ASSIGNMENT), tmp_path / "course")
    exchange = tmp_path / "exchange"   # not there yet: release_assignment creates it, with its modes
    cid = ex.course_id(course)
    c = Cycle(course, exchange, cid, ex.instructor(course, exchange, tmp_path / "home-instructor"),
              ex.learner(tmp_path / "home-learner", LEARNER, cid, exchange))
    c.timed("course", started)
    yield c
    print(f"\nexchange cycle, seconds per step: {c.report()}")   # shown with -s, also when it fails


# ---------------------------------------------------------------- the instructor's steps

def release(c: Cycle):
    started = time.monotonic()
    ex.nbgrader(c.teacher, c.course, "release_assignment", ASSIGNMENT)
    c.timed("release_assignment", started)
    assert (c.exchange / c.course_id / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file(), \
        f"release_assignment should put {ASSIGNMENT} in {c.exchange}/{c.course_id}/outbound"
    wanted = [".", "{course}", "{course}/outbound", "{course}/inbound"]
    assert ex.mode_problems(c.exchange, c.course_id, wanted) == {}, \
        "the exchange's folders should have nbgrader's modes: {folder: (wanted, found)}"


def grade(c: Cycle):
    """collect, autograde, generate and release feedback, as the instructor types them."""
    for step, args in (("collect", ("nbgrader", "collect", ASSIGNMENT)),
                       ("coursekit autograde", ("coursekit.cli", "autograde", ASSIGNMENT)),
                       ("generate_feedback", ("nbgrader", "generate_feedback", ASSIGNMENT)),
                       ("release_feedback", ("nbgrader", "release_feedback", ASSIGNMENT))):
        started = time.monotonic()
        output, _ = ex.run(c.teacher, c.course, *args)
        c.timed(step, started)
        if step == "collect":
            assert f"Collecting submission: {LEARNER} {ASSIGNMENT}" in output, \
                f"collect should take {LEARNER}'s submission from the exchange; it said:\n{output[-2000:]}"
    table, maxima = gradebook.scores(c.course, ASSIGNMENT, [LEARNER])
    assert maxima and table[LEARNER] == maxima, \
        f"the answer key should get full marks {maxima}; the gradebook says {table[LEARNER]}"
    assert ex.mode_problems(c.exchange, c.course_id, ["{course}/feedback"]) == {}
    return sum(maxima.values())


# ---------------------------------------------------------------- the learner's work and feedback

def complete(c: Cycle):
    """The learner answers every question: the answer key over the fetched notebook."""
    fetched = c.student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fetched.is_file(), f"fetching should put {fetched} in the learner's folder"
    shutil.copyfile(c.course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", fetched)


def feedback_file(c: Cycle) -> Path:
    """The one feedback page fetched into the learner's assignment folder
    (ASSIGNMENT/feedback/<timestamp>/<notebook>.html)."""
    pages = sorted((c.student.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
    assert len(pages) == 1, f"fetching feedback should leave one {ASSIGNMENT}.html; found {pages}"
    return pages[0]


def check_feedback_text(c: Cycle, text: str, total: float, where: str):
    """The score is on the page, and not one hidden test is."""
    score = f"{ASSIGNMENT} (Score: {total:.1f} / {total:.1f})"
    assert score in text, f"{where} should say {score!r}; it starts:\n{text.strip()[:1500]}"
    lines = ex.hidden_lines(c.course, ASSIGNMENT)
    assert lines, f"source/{ASSIGNMENT} should have hidden tests to look for"
    assert ex.leaks(text, lines) == [], f"{where} should show no hidden test; it shows these lines"


# ---------------------------------------------------------------- the cycle, in the browser

@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.browser
def test_exchange_cycle_in_jupyterlab(cycle):
    """Release, fetch and submit in the learner's JupyterLab (nbgrader's Assignment List),
    collect, autograde and release feedback, the score in the formgrader, and the feedback
    fetched in the Assignment List and read in the browser: full marks, no hidden test."""
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    c, start = cycle, time.monotonic()
    release(c)
    student = c.student
    with chromium() as browser, lab(student.home, cwd=student.home, env=student.env) as learner_lab:
        started = time.monotonic()
        page = new_page(browser)
        ex.open_lab(page, learner_lab)
        ex.open_assignment_list(page)
        c.timed("learner Lab up", started)

        started = time.monotonic()
        ex.press(ex.row_named(page, "released", ASSIGNMENT), "Fetch")
        ex.row_named(page, "fetched", ASSIGNMENT)
        complete(c)
        ex.press(ex.row_named(page, "fetched", ASSIGNMENT), "Submit")
        ex.row_named(page, "submitted", ASSIGNMENT)
        inbound = list((c.exchange / c.course_id / "inbound").glob(f"{LEARNER}+{ASSIGNMENT}+*"))
        assert len(inbound) == 1, f"Submit should leave one {LEARNER}+{ASSIGNMENT}+... in inbound; found {inbound}"
        screenshot(page, "exchange-assignment-list")
        c.timed("fetch and submit in Lab", started)

        total = grade(c)

        started = time.monotonic()
        with lab(c.course, cwd=c.course, env=c.teacher.env) as instructor_lab:
            check_formgrader(new_page(browser), instructor_lab, total)
        c.timed("formgrader", started)

        started = time.monotonic()
        read_feedback_in_lab(c, page, learner_lab, total)
        c.timed("fetch and read feedback in Lab", started)
    c.timed("whole test after the course", start)


def read_feedback_in_lab(c: Cycle, page, server, total):
    """The learner refreshes the Assignment List (the submission says feedback is there to
    fetch), presses Fetch Feedback, follows "(view feedback)" to the feedback folder in the file
    browser and opens the page: the score, and no hidden test (in the page and in its file)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where a browser runs

    ex.refresh_assignment_list(page)
    page.locator("#submitted_assignments_list", has_text="feedback available to fetch").wait_for(timeout=60_000)
    ex.press(ex.row_named(page, "submitted", ASSIGNMENT), "Fetch Feedback")
    link = page.locator('#submitted_assignments_list a:has-text("view feedback")')
    link.wait_for(state="attached", timeout=60_000)
    html_page = feedback_file(c)
    link.click()   # opens the feedback folder in the file browser
    listed = page.locator(".jp-DirListing-item", has_text=html_page.name)
    try:
        listed.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        shot = c.course.parent / "view-feedback.png"
        page.screenshot(path=str(shot))
        raise AssertionError(f"(view feedback) should show {html_page.name} in the file browser; it lists "
                             f"{page.locator('.jp-DirListing-itemText').all_inner_texts()} "
                             f"(screenshot {shot})") from None
    rel = html_page.relative_to(c.student.home).as_posix()
    page.goto(f"{server.url}/files/{rel}?token={server.token}")   # the page itself, as a browser tab
    page.get_by_text(f"{ASSIGNMENT} (Score:").first.wait_for(timeout=30_000)
    check_feedback_text(c, page.inner_text("body"), total, "the feedback page in the browser")
    check_feedback_text(c, ex.page_text(html_page.read_text(encoding="utf-8")), total, str(html_page))
    screenshot(page, "exchange-feedback")


def check_formgrader(page, server, total):
    """The formgrader (nbgrader's instructor pages in the instructor's Lab server) lists the
    learner's submission of ASSIGNMENT with full marks."""
    page.goto(f"{server.url}/formgrader?token={server.token}")
    page.locator("#main-table").wait_for(timeout=60_000)
    page.goto(f"{server.url}/formgrader/manage_submissions/{ASSIGNMENT}?token={server.token}")
    row = page.locator("#main-table tr", has=page.locator("td.student-id", has_text=LEARNER))
    row.wait_for(timeout=60_000)
    score = row.locator("td.score")
    expected = f"{total:g} / {total:g}"
    deadline = time.monotonic() + 30
    while score.inner_text().strip() != expected and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert score.inner_text().strip() == expected, \
        f"the formgrader should show {LEARNER}'s score as {expected!r}; shows {score.inner_text()!r}"
    screenshot(page, "exchange-formgrader")


# ---------------------------------------------------------------- the cycle, without a browser

def browser_test_runs(request):
    return browser_missing() is None and any(item.name == BROWSER_TEST for item in request.session.items)


@pytest.mark.slow
@pytest.mark.integration
def test_exchange_cycle_on_the_command_line(request):
    """The same cycle with nbgrader's learner commands (fetch_assignment, submit, fetch_feedback)
    where the browser test cannot run; skipped where it does (it covers all of this)."""
    if browser_test_runs(request):
        pytest.skip(f"{BROWSER_TEST} runs the same cycle in the browser")
    c, start = request.getfixturevalue("cycle"), time.monotonic()   # the course only when it runs
    release(c)
    home = c.student.home
    ex.nbgrader(c.student, home, "fetch_assignment", ASSIGNMENT)
    complete(c)
    ex.nbgrader(c.student, home, "submit", ASSIGNMENT)
    total = grade(c)
    ex.nbgrader(c.student, home, "fetch_feedback", ASSIGNMENT)
    html_page = feedback_file(c)
    check_feedback_text(c, ex.page_text(html_page.read_text(encoding="utf-8")), total, str(html_page))
    c.timed("whole test after the course", start)
