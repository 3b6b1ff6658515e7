"""A class on JupyterHub (issue 24, items 1-3), as the operating system enforces it.

`tools/hub/hub.py` (what `./course hub` runs) starts a JupyterHub for a scratch copy of the
course, with OS accounts made for this test (a grader account, an instructor, three learners;
`useradd` as root, removed at the end even when the test fails) who log in with their passwords
(PAM) through the hub's login page in headless Chromium:

1. the grader account releases 01_derivatives to the hub's exchange;
2. each learner logs in, fetches it from the Assignment List, writes the answer of one graded
   function (slope_sign, 1 point) into its cell in Lab, saves and submits; the third learner
   first submits without an answer, then, after the due date the grader sets in the gradebook,
   submits again with it;
3. the grader account collects, autogrades (`coursekit autograde`, bubblewrap sandbox) and
   releases feedback; the instructor sees the three learners in the formgrader (a hub service);
4. each learner fetches their feedback in the Assignment List;
5. as each learner's own OS account (runuser), not as root: the exchange's inbound and feedback
   folders cannot be listed, other learners' homes (their work and feedback) cannot be read, nor
   the grader's course (gradebook, source/, submitted/); in the browser the formgrader answers 403.

Late work: the course's policy as the README's how-to sets it (`c.LateSubmissionPlugin.penalty_method
= "zero"`): the last submission is collected and graded, its raw point kept and taken away as the
late penalty; autograde's table and the report's CSV say so, with that submission's timestamp.

COURSEKIT_SCREENSHOTS=1 saves the hub's login page, a learner's Assignment List and the
formgrader into docs/screenshots/ (docs/hub.md shows them).
"""
from __future__ import annotations

import csv
import datetime
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from support import exchange as ex
from support.browser import browser_missing, chromium, free_port, new_page, screenshot
from support.courses import built, copy_course
from support.nbtools import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.integration]

HUB = ROOT / "tools" / "hub" / "hub.py"
ASSIGNMENT = "01_derivatives"
COURSE = "nn-course"
ANSWER_CELL = "slope_sign"      # the graded function each learner answers (its test is worth 1 point)
POINTS = 1.0
TOTAL = 7.0


def skip_reason():
    if os.geteuid() != 0:
        return "the hub test makes OS accounts and starts servers as them: it needs root"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy is missing (apt-get install node-configurable-http-proxy)"
    return browser_missing()


class Step:
    """Seconds per step, printed (pytest -s or on failure)."""

    def __init__(self):
        self.start = self.last = time.monotonic()
        self.steps = []

    def __call__(self, name):
        now = time.monotonic()
        self.steps.append(f"{name} {now - self.last:.1f} s")
        print(f"{now - self.last:6.1f} s  {name}", flush=True)
        self.last = now

    def report(self):
        return ", ".join(self.steps) + f"; total {time.monotonic() - self.start:.1f} s"


# ---------------------------------------------------------------- accounts and commands as them

def make_account(name, home, system=False):
    cmd = ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash"]
    subprocess.run(cmd + (["--system"] if system else []) + [name], check=True, capture_output=True)
    os.chmod(home, 0o700)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return password


def remove_account(name):
    """End what still runs as `name` (by process id), then remove the account and its home."""
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if proc.stat().st_uid == uid:
                    os.kill(int(proc.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass
    subprocess.run(["userdel", "--remove", name], capture_output=True)


def as_user(user, *cmd, cwd="/", env=None, check=True):
    """`cmd` as OS account `user` (runuser, a clean environment); the CompletedProcess."""
    entry = pwd.getpwnam(user)
    base = {"HOME": entry.pw_dir, "USER": user, "LOGNAME": user, "LANG": "C.UTF-8",
            "PATH": "/usr/bin:/bin"}
    base.update(env or {})
    proc = subprocess.run(["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in base.items()),
                           *map(str, cmd)], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"`{' '.join(map(str, cmd))}` as {user} in {cwd} should exit 0, exited "
                             f"{proc.returncode}:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return proc


def denied(user, *cmd):
    """True when the OS refuses `cmd` to `user` (non-zero exit, 'Permission denied')."""
    proc = as_user(user, *cmd, check=False)
    return proc.returncode != 0 and "Permission denied" in proc.stderr


# ---------------------------------------------------------------- the class

class Class:
    def __init__(self, root: Path, tmp_path_factory):
        self.root = root
        self.tag = secrets.token_hex(2)
        self.grader = f"ckg{self.tag}-grader"
        self.instructor = f"ck{self.tag}-teacher"
        self.learners = [f"ck{self.tag}-l{i}" for i in (1, 2, 3)]
        self.passwords = {}
        self.course = root / "grader" / COURSE
        self.tmp_path_factory = tmp_path_factory
        self.port = free_port()
        self.process = None
        self.settings = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def accounts(self):
        return [self.grader, self.instructor, *self.learners]

    def setup(self):
        self.passwords[self.grader] = make_account(self.grader, self.root / "grader", system=True)
        for name in (self.instructor, *self.learners):
            self.passwords[name] = make_account(name, self.root / "home" / name)
        copy_course(built(self.tmp_path_factory, ASSIGNMENT), self.course)
        with open(self.course / "nbgrader_config.py", "a") as config:   # the README's late-work policy
            config.write('\n# late work scores nothing (README, "Due dates and late penalties")\n'
                         'c.LateSubmissionPlugin.penalty_method = "zero"\n')
        g = pwd.getpwnam(self.grader)
        subprocess.run(["chown", "-R", f"{g.pw_uid}:{g.pw_gid}", str(self.course)], check=True)

    def start(self):
        log = open(self.root / "course-hub.out", "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(HUB), "--state", str(self.root), "start", "--port", str(self.port),
             "--course", str(self.course), "--grader", self.grader, "--instructor", self.instructor,
             "--learner", self.learners[0], "--learner", self.learners[1], "--open-python"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while b"JupyterHub for" not in (self.root / "course-hub.out").read_bytes():
            assert self.process.poll() is None and time.monotonic() < deadline, \
                f"./course hub should start and print its URL; it said:\n{self.out()}"
            time.sleep(0.3)
        self.settings = json.loads((self.root / "hub.json").read_text())

    def out(self):
        text = (self.root / "course-hub.out").read_text(errors="replace")
        log = self.root / "hub.log"
        return text + ("\n--- hub.log:\n" + log.read_text(errors="replace")[-4000:] if log.exists() else "")

    def add_learner(self, name):
        """The third learner joins while the hub runs: `./course hub add` (account exists already)."""
        proc = subprocess.run([sys.executable, str(HUB), "--state", str(self.root), "add", name],
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"./course hub add {name} should succeed:\n{proc.stdout}{proc.stderr}"

    def stop(self):
        """`./course hub stop`; the processes of the hub left afterwards (ids), none expected."""
        if self.process is None:
            return []
        stopped = subprocess.run([sys.executable, str(HUB), "--state", str(self.root), "stop"],
                                 capture_output=True, text=True)
        print(stopped.stdout.strip(), stopped.stderr.strip())
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        sys.path.insert(0, str(HUB.parent))
        try:
            import hub as hubtool
        finally:
            sys.path.remove(str(HUB.parent))
        return hubtool.marked_processes(self.root)

    def grader_run(self, *args):
        """`nbgrader ...` or `coursekit ...` typed in the grader account's terminal, in its course."""
        bin_dir = self.settings["venv_bin"]
        return as_user(self.grader, f"{bin_dir}/{args[0]}", *args[1:], cwd=self.course,
                       env={"PATH": f"{bin_dir}:/usr/bin:/bin"})

    def home(self, name):
        return Path(pwd.getpwnam(name).pw_dir)


@pytest.fixture
def hub_class(tmp_path_factory):
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="coursekit-hub-test-", dir="/tmp"))   # every account passes through
    os.chmod(root, 0o755)
    (root / "home").mkdir(mode=0o755)
    c = Class(root, tmp_path_factory)
    # --open-python may make the folders above this environment's Python passable (o+x);
    # their modes come back afterwards
    python = Path(os.path.realpath(sys.executable))
    modes = {p: os.stat(p).st_mode for p in python.parents}
    try:
        c.setup()
        c.start()
        yield c
    finally:
        left = c.stop()
        for name in c.accounts():
            remove_account(name)
        shutil.rmtree(root, ignore_errors=True)
        for folder, mode in modes.items():
            os.chmod(folder, stat.S_IMODE(mode))
        assert left == [], f"./course hub stop should leave nothing running; left processes {left}"


# ---------------------------------------------------------------- in the browser

def log_in(browser, c: Class, name, shot=None):
    """A fresh browser session: the hub's login page, name and password, until the user's Lab
    (spawned by the hub as their OS account) shows nbgrader's menu."""
    page = new_page(browser)
    page.goto(f"{c.url}/hub/login")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(c.passwords[name])
    if shot:
        shot(page, "hub-login")
    page.locator("#login_submit").click()
    ex.nbgrader_menu(page).wait_for(state="visible", timeout=150_000)
    return page


def answer(c: Class, page, name):
    """Open the fetched notebook in Lab, write the answer key's slope_sign into its cell, save."""
    key = json.loads((c.course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    index, source = next((i, "".join(cell["source"])) for i, cell in enumerate(key["cells"])
                         if cell["metadata"].get("nbgrader", {}).get("grade_id") == ANSWER_CELL)
    rel = f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    page.goto(f"{c.url}/user/{name}/lab/workspaces/answer/tree/{rel}")
    panel = page.locator(".jp-NotebookPanel:visible").first
    panel.locator(".jp-Cell").first.wait_for(state="visible", timeout=90_000)
    editor = panel.locator(".jp-Notebook-cell").nth(index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(source)
    page.keyboard.press("ControlOrMeta+s")
    saved = c.home(name) / rel
    deadline = time.monotonic() + 30
    while "YOUR CODE HERE" in cell_source(saved, index):
        assert time.monotonic() < deadline, f"{name}'s answer should reach {saved} after saving"
        time.sleep(0.3)
    return rel


def cell_source(path, index):
    """Cell `index`'s source in the notebook file; "YOUR CODE HERE" while the file is being written."""
    try:
        return "".join(json.loads(path.read_text())["cells"][index]["source"])
    except ValueError:
        return "YOUR CODE HERE"


def open_list(c: Class, page, name):
    page.goto(f"{c.url}/user/{name}/lab")
    ex.nbgrader_menu(page).wait_for(state="visible", timeout=90_000)
    ex.open_assignment_list(page)


def check_learner_tools(c: Class, page, name):
    """The learner's Nbgrader menu offers the Assignment List, not the formgrader, the course
    list or assignment creation; their server has no formgrader pages either."""
    ex.nbgrader_menu(page).click()
    items = page.locator(".lm-Menu:visible li[data-command]")
    items.first.wait_for()
    # nbgrader's menu lists every tool's command; a tool whose plugin is off has no command, and
    # its item is blank and disabled: what is offered is an enabled item with a label
    offered = dict(items.evaluate_all("""els => els
        .filter(e => !e.classList.contains('lm-mod-disabled') && e.innerText.trim())
        .map(e => [e.dataset.command, e.innerText.trim()])"""))
    page.keyboard.press("Escape")
    assert "nbgrader:open-assignment-list" in offered, f"{name}'s Nbgrader menu offers {offered}"
    extra = set(offered) & {"nbgrader:open-formgrader", "nbgrader:open-course-list", "nbgrader:open-create-assignment"}
    assert not extra, f"{name}'s Nbgrader menu should not offer {sorted(extra)}; it offers {offered}"
    response = page.request.get(f"{c.url}/user/{name}/formgrader")
    assert response.status == 404, f"{name}'s own server should have no formgrader page, answered {response.status}"


def inbound(c: Class, name):
    return sorted((c.root / "exchange" / COURSE / "inbound").glob(f"{name}+{ASSIGNMENT}+*"))


def submit(c: Class, page, name, count):
    """Submit from the Assignment List; the exchange holds `count` submissions of `name`."""
    ex.press(ex.row_named(page, "fetched", ASSIGNMENT), "Submit")
    deadline = time.monotonic() + 60
    while len(inbound(c, name)) < count:
        assert time.monotonic() < deadline, f"Submit should leave {count} submission(s) of {name} in inbound"
        time.sleep(0.3)
    return inbound(c, name)[-1]


def timestamp_of(submission: Path) -> str:
    return (submission / "timestamp.txt").read_text().strip()


# ---------------------------------------------------------------- the test

def test_a_class_on_the_hub(hub_class, tmp_path):
    c, step = hub_class, Step()
    shots = os.environ.get("COURSEKIT_SCREENSHOTS") == "1"
    shot = screenshot if shots else (lambda *a, **k: None)
    try:
        run_class(c, step, shot)
    finally:
        print(f"\nthe class on the hub, seconds per step: {step.report()} (load {os.getloadavg()[0]:.1f})")


def run_class(c: Class, step, shot):
    step("hub up")
    out = (c.root / "course-hub.out").read_text()
    assert c.url in out and "./course hub add" in out and "./course hub stop" in out, \
        f"./course hub should print its URL, how to add learners and how to stop it:\n{out}"
    c.add_learner(c.learners[2])
    c.grader_run("nbgrader", "release_assignment", ASSIGNMENT)
    step("release")
    first, second, third = c.learners
    with chromium() as browser:
        pages = {}
        for name in c.learners:
            page = pages[name] = log_in(browser, c, name, shot if name == first else None)
            open_list(c, page, name)
            check_learner_tools(c, page, name)
            ex.press(ex.row_named(page, "released", ASSIGNMENT), "Fetch")
            ex.row_named(page, "fetched", ASSIGNMENT)
            if name == first:
                shot(page, "hub-assignment-list")
            if name != third:
                answer(c, page, name)
                open_list(c, page, name)
                submit(c, page, name, 1)
            step(f"{name}: log in, fetch, answer, submit")

        # the third learner: a first submission without the answer, the due date, then the answer, late
        page = pages[third]
        on_time = submit(c, page, third, 1)
        time.sleep(1.1)
        due = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        c.grader_run("nbgrader", "db", "assignment", "add", ASSIGNMENT, f"--duedate={due}")
        time.sleep(1.1)
        answer(c, page, third)
        open_list(c, page, third)
        late = submit(c, page, third, 2)
        assert timestamp_of(late) > timestamp_of(on_time)
        step(f"{third}: submit, due date, submit again")

        # the instructor's side, as the grader account
        collected = c.grader_run("nbgrader", "collect", ASSIGNMENT)
        stamp = (c.course / "submitted" / third / ASSIGNMENT / "timestamp.txt")
        assert stamp.read_text().strip() == timestamp_of(late), \
            (f"collect should take {third}'s last submission ({timestamp_of(late)}), took "
             f"{stamp.read_text().strip()}:\n{collected.stdout[-1500:]}{collected.stderr[-1500:]}")
        graded = c.grader_run("coursekit", "autograde", ASSIGNMENT)
        table = graded.stdout
        rows = {ln.split()[0]: ln for ln in table.splitlines() if ln.split() and ln.split()[0] in c.learners}
        assert set(rows) == set(c.learners), f"autograde's table should list the three learners:\n{table}"
        assert "0 (1 - 1 late)" in rows[third] and "late by" in rows[third], \
            f"{third}'s late answer should show its point taken as the late penalty:\n{table}"
        for name in (first, second):
            assert "late" not in rows[name], f"{name} submitted on time:\n{table}"
        c.grader_run("coursekit", "report", ASSIGNMENT)
        report = {r["student"]: r for r in csv.DictReader((c.course / "reports" / f"{ASSIGNMENT}.csv").open())}
        assert report[third]["timestamp"].startswith(timestamp_of(late)[:19]), \
            f"the report should name the graded submission's timestamp {timestamp_of(late)}: {report[third]}"
        assert float(report[third]["raw_score"]) == POINTS and float(report[third]["late_penalty"]) == POINTS
        assert float(report[third]["score"]) == 0.0 and report[third]["due_date"].startswith(due[:19])
        for name in (first, second):
            assert float(report[name]["score"]) == POINTS and float(report[name]["late_penalty"]) == 0.0
        c.grader_run("nbgrader", "generate_feedback", ASSIGNMENT)
        c.grader_run("nbgrader", "release_feedback", ASSIGNMENT)
        step("collect, autograde, report, feedback (grader account)")

        teacher = log_in(browser, c, c.instructor)
        teacher.goto(f"{c.url}/services/{COURSE}/formgrader/manage_submissions/{ASSIGNMENT}")
        table_rows = teacher.locator("#main-table tr", has=teacher.locator("td.student-id"))
        table_rows.first.wait_for(timeout=90_000)
        deadline = time.monotonic() + 30
        while table_rows.count() < 3 and time.monotonic() < deadline:
            teacher.wait_for_timeout(300)
        listed = sorted(t.strip() for t in teacher.locator("#main-table td.student-id").all_inner_texts())
        assert listed == sorted(c.learners), f"the formgrader should list the three learners, lists {listed}"
        shot(teacher, "hub-formgrader")
        step("formgrader (instructor)")

        for name, page in pages.items():
            page.goto(f"{c.url}/user/{name}/lab")
            ex.nbgrader_menu(page).wait_for(state="visible", timeout=90_000)
            ex.open_assignment_list(page)
            page.locator("#submitted_assignments_list", has_text="feedback available to fetch").wait_for(
                timeout=60_000)
            ex.press(page.locator("#submitted_assignments_list > .list_item").last, "Fetch Feedback")
            feedback_dir = c.home(name) / COURSE / ASSIGNMENT / "feedback"
            deadline = time.monotonic() + 60
            while not list(feedback_dir.glob(f"*/{ASSIGNMENT}.html")):
                assert time.monotonic() < deadline, f"{name}'s Fetch Feedback should fill {feedback_dir}"
                time.sleep(0.3)
            pages_found = list(feedback_dir.glob(f"*/{ASSIGNMENT}.html"))
            text = ex.page_text(pages_found[-1].read_text())
            score = 0.0 if name == third else POINTS   # the late answer's point is its penalty
            want = f"{ASSIGNMENT} (Score: {score:.1f} / {TOTAL:.1f})"
            assert want in text, f"{name}'s feedback should say {want!r}"
            response = page.goto(f"{c.url}/services/{COURSE}/formgrader")
            assert response is not None and response.status == 403, \
                f"{name} should be refused the formgrader (403), got {response and response.status}"
        step("feedback fetched by each learner")

    check_the_os_enforces(c)
    step("the OS's refusals")


def check_the_os_enforces(c: Class):
    """As each learner's own account: nothing of another learner, nothing of the grader's."""
    exchange = c.root / "exchange" / COURSE
    for name in c.learners:
        assert denied(name, "ls", exchange / "inbound"), f"{name} should not list the exchange's inbound"
        assert denied(name, "ls", exchange / "feedback"), f"{name} should not list the exchange's feedback"
        for path in (c.course / "gradebook.db", c.course / "source", c.course / "submitted",
                     c.course / "autograded", c.course / "feedback"):
            assert denied(name, "ls", path), f"{name} should not reach {path}"
        for other in c.learners:
            if other == name:
                continue
            work = c.home(other) / COURSE / ASSIGNMENT
            assert denied(name, "ls", c.home(other)), f"{name} should not list {other}'s home"
            assert denied(name, "cat", work / f"{ASSIGNMENT}.ipynb"), f"{name} should not read {other}'s work"
            for page in (work / "feedback").glob(f"*/{ASSIGNMENT}.html"):
                assert denied(name, "cat", page), f"{name} should not read {other}'s feedback"
        for mine in inbound(c, name):   # a submission's folder name carries 72 random bits
            assert re.fullmatch(rf"{re.escape(name)}\+{ASSIGNMENT}\+[^+]+\+[A-Za-z0-9_-]{{12}}", mine.name), mine.name
        as_user(name, "ls", c.home(name) / COURSE / ASSIGNMENT)   # their own work they do reach
