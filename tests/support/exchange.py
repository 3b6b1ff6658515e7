"""nbgrader's exchange on one machine: an instructor and a learner who share an exchange folder
(tests/test_exchange.py).

Who is who. nbgrader 0.9.6 names a submitter with `nbgrader.utils.get_username()`: the name of
the process's OS user (`pwd.getpwuid(os.getuid())`), not $USER or $LOGNAME; only when that name
is "jovyan" (the Docker stacks' user) does it read $JUPYTERHUB_USER instead. Both people of this
test run as the same OS user, so the learner's name comes from the setting nbgrader's exchange
reads first, `c.CourseDirectory.student_id`, in the learner's own nbgrader_config.py (submit and
fetch_feedback use it instead of get_username() when set). USER and LOGNAME are set as well, for
anything else that reads them. `nbgrader collect` then warns that the submission "claims to be
submitted by learner but is owned by root": its owner check (CollectApp.check_owner) compares
with the OS owner of the submitted folder, which on a real multi-user machine is the learner.

Each person has a HOME of their own (the learner's nbgrader cache of submissions, which
fetch_feedback matches feedback against, lives in it), and the learner's nbgrader config is
$HOME/.jupyter/nbgrader_config.py, where nbgrader's own docs put a student's.
"""
from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from coursekit import course as conventions

# nbgrader's exchange layout (nbgrader/exchange/default/release_assignment.py and
# release_feedback.py): the root writable by everyone, a course's outbound readable by all,
# inbound writable but not listable (set-gid, so submissions get the instructor's group),
# feedback reachable only by its hashed file names.
EXCHANGE_MODES = {
    ".": 0o777,
    "{course}": 0o755,
    "{course}/outbound": 0o755,
    "{course}/inbound": stat.S_ISGID | 0o733,
    "{course}/feedback": 0o711,
}


@dataclass
class Person:
    """Someone who runs nbgrader: a name, a HOME, and the environment of what they run."""
    name: str
    home: Path
    env: dict = field(default_factory=dict)

    def full_env(self):
        return {**os.environ, **self.env}


def course_id(course: Path) -> str:
    """The course id the course's nbgrader_config.py sets (c.CourseDirectory.course_id)."""
    found = re.search(r"""^c\.CourseDirectory\.course_id\s*=\s*["']([^"']+)["']""",
                      (course / "nbgrader_config.py").read_text(), re.M)
    assert found, f"{course / 'nbgrader_config.py'} sets no c.CourseDirectory.course_id"
    return found.group(1)


def instructor(course: Path, exchange: Path, home: Path) -> Person:
    """The instructor, working in `course`: its nbgrader_config.py gets the exchange root (what
    an instructor adds for a shared exchange; the default is /usr/local/share/nbgrader/exchange)."""
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\n# the exchange this course shares with its learners\nc.Exchange.root = {str(exchange)!r}\n")
    home.mkdir(parents=True, exist_ok=True)
    return Person("instructor", home, {"HOME": str(home), "USER": "instructor", "LOGNAME": "instructor"})


def learner(home: Path, name: str, course: str, exchange: Path) -> Person:
    """A learner with their own HOME and nbgrader config: the course, the exchange, who they are."""
    config_dir = home / ".jupyter"
    config_dir.mkdir(parents=True)
    (config_dir / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "# nbgrader would take the OS user's name; on a shared machine every learner has their own,\n"
        "# here both people run as one OS user (see tests/support/exchange.py)\n"
        f"c.CourseDirectory.student_id = {name!r}\n")
    return Person(name, home, {
        "HOME": str(home), "USER": name, "LOGNAME": name,
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
    })


class CommandFailed(AssertionError):
    pass


def run(person: Person, cwd: Path, *args, timeout=600):
    """`python -m ARGS` as `person` in `cwd`; (stdout + stderr, seconds). Fails with the output
    when the command exits non-zero."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=person.full_env(),
                          capture_output=True, text=True, errors="replace", timeout=timeout)
    seconds = time.monotonic() - start
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise CommandFailed(f"{person.name}: `{' '.join(map(str, args))}` in {cwd} should exit 0, "
                            f"exited {proc.returncode}:\n{output[-3000:]}")
    return output, seconds


def nbgrader(person: Person, cwd: Path, *args, timeout=600):
    """`nbgrader ARGS` as `person` in `cwd`; (output, seconds)."""
    return run(person, cwd, "nbgrader", *args, timeout=timeout)


def mode_problems(exchange: Path, course: str, names=EXCHANGE_MODES):
    """Where the exchange's folders differ from nbgrader's modes: {folder: (wanted, found)} in octal."""
    problems = {}
    for rel in names:
        path = exchange / rel.format(course=course)
        found = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        if found != EXCHANGE_MODES[rel]:
            problems[rel.format(course=course)] = (oct(EXCHANGE_MODES[rel]), found and oct(found))
    return problems


# ---------------------------------------------------------------- the feedback page

def hidden_lines(course: Path, assignment: str):
    """Lines of the hidden tests in source/ that appear nowhere else in its notebooks (a line
    of under 12 characters, such as `)`, says nothing and would occur in any page)."""
    hidden, visible = set(), set()
    for path in conventions.notebooks(course, assignment):
        for cell in conventions.read(path).cells:
            for block in conventions.hidden_blocks(cell.source):
                hidden |= {ln.strip() for ln in block.splitlines() if ln.strip()}
            visible |= {ln.strip() for ln in conventions.visible_source(cell.source).splitlines()}
    return sorted(s for s in hidden - visible if len(s) >= 12)


def page_text(raw_html: str) -> str:
    """What a reader of an HTML page sees: tags, styles and scripts dropped, entities decoded
    (code in nbgrader's feedback is highlighted token by token, so raw HTML never holds a line)."""
    raw = re.sub(r"(?is)<(style|script)\b.*?</\1>", "", raw_html)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def leaks(text: str, lines, markers=(conventions.HIDDEN_BEGIN, conventions.HIDDEN_END)):
    """The hidden-test lines and markers that `text` shows."""
    return [s for s in (*markers, *lines) if s in text]


# ---------------------------------------------------------------- nbgrader's Assignment List in JupyterLab
# Selectors as nbgrader's own UI tests use them (nbgrader/tests/ui-tests/assignment_list.spec.ts).

def open_lab(page, server):
    """JupyterLab's main page, ready: the Nbgrader menu is in the menu bar."""
    page.goto(f"{server.url}/lab?token={server.token}")
    nbgrader_menu(page).wait_for(state="visible", timeout=90_000)


def nbgrader_menu(page):
    return page.locator('#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("Nbgrader")')


def open_assignment_list(page):
    """Nbgrader menu > Assignment List: the "Assignments" tab, its lists loaded."""
    nbgrader_menu(page).click()
    page.locator('.lm-Menu li[data-command="nbgrader:open-assignment-list"]').click()
    page.locator('#jp-main-dock-panel .lm-TabBar-tab .lm-TabBar-tabLabel:text-is("Assignments")').wait_for()
    for name in ("released", "fetched", "submitted"):
        page.locator(f"#{name}_assignments_list").wait_for(state="attached")


def list_rows(page, name, count, timeout=60_000):
    """The rows of the Assignment List's `name` list ("released", "fetched", "submitted"), once
    it has loaded and holds `count` of them."""
    for state in ("loading", "error"):
        page.locator(f"#{name}_assignments_list_{state}").wait_for(state="hidden", timeout=timeout)
    rows = page.locator(f"#{name}_assignments_list > .list_item")
    deadline = time.monotonic() + timeout / 1000
    while rows.count() != count:
        if time.monotonic() > deadline:
            raise AssertionError(f"the Assignment List's {name} list should show {count} row(s), "
                                 f"shows {rows.count()}: {rows.all_inner_texts()}")
        page.wait_for_timeout(200)
    return rows


def row_named(page, name, assignment, timeout=60_000):
    """The one row of list `name` for `assignment` (the list holds just that one)."""
    row = list_rows(page, name, 1, timeout).first
    shown = row.locator(".item_name").first.inner_text().strip()
    assert shown == assignment, f"the {name} list should show {assignment}, shows {shown!r}"
    return row


def press(row, label):
    """Press the row's button labelled `label` (Fetch, Submit, Fetch Feedback)."""
    row.locator(f'.item_status button:text-is("{label}")').click()


def refresh_assignment_list(page):
    page.locator("#refresh_assignments_list").click()
