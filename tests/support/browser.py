"""Drive JupyterLab in Debian's headless Chromium, as a learner or an instructor would.

Nothing here downloads a browser: Playwright launches /usr/bin/chromium (the `chromium`
package that `./course setup --dev` installs as root). Tests call `browser_missing()` and skip with
its reason when that is not possible, so the suite still runs on a machine without it.

    with lab(notebook_dir, cwd=ROOT) as server, chromium() as browser:
        page = new_page(browser)
        server.open(page, "02_gradient_descent/02_gradient_descent.ipynb")
        screenshot(page, "learner-widget")
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support.nbtools import ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Headless and quiet: no GPU, no sandbox (containers run as root), and no traffic of its own
# (updates, sync, field trials, QUIC) so that a test only ever talks to its own Lab server.
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
)
VIEWPORT = {"width": 1366, "height": 860}
SERVER_START_SECONDS = 90
NOTEBOOK_READY_MS = 90_000
# User settings every test Lab starts with: no "official Jupyter news?" toast over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


def browser_missing() -> str | None:
    """None when the tests can drive Chromium, else why not (one line, for pytest.skip)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return ("Debian's chromium is not installed: run ./course setup --dev as root, "
                "or apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]' (browsers are not downloaded)"
    return None


@contextmanager
def chromium():
    """A headless Playwright `Browser` on /usr/bin/chromium, closed (with Playwright) at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, viewport=None):
    """A fresh page (own context: own cookies and storage) of a size that makes readable screenshots."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    context.set_default_timeout(30_000)
    return context.new_page()


def screenshot(page, name, **kwargs) -> Path:
    """Save the page as docs/screenshots/<name>.png (the README shows some) and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running JupyterLab: where it is, its token, and how to open a notebook in a page."""
    url: str
    token: str
    notebook_dir: Path
    log: Path
    process: subprocess.Popen

    def tree_url(self, path, workspace=None) -> str:
        """The URL that opens `path` in Lab, in its own workspace (by default a new one), so that
        no tab another page opened comes back in this one."""
        workspace = workspace or f"test-{secrets.token_hex(4)}"
        return (f"{self.url}/lab/workspaces/{workspace}/tree/{urllib.parse.quote(str(path))}"
                f"?token={self.token}")

    def open(self, page, path, timeout=NOTEBOOK_READY_MS):
        """Open notebook `path` (relative to the notebook dir) in `page` and wait until it is
        ready for a learner: its cells are shown and its kernel is idle. Returns the notebook panel."""
        page.goto(self.tree_url(path))
        wait_notebook_ready(page, timeout=timeout)
        # The page may show "idle" before it has a kernel at all (Run All would then pop up
        # "Select Kernel"): wait until the server has this notebook's kernel, idle, too.
        self.wait_kernel_idle(path, timeout=timeout)
        return wait_notebook_ready(page, timeout=timeout)

    def kernel_state(self, path):
        """The execution state of the kernel of notebook `path` ('idle', 'busy', ...), None if none."""
        for session in json.loads(self.api("api/sessions")):
            if session.get("path") == str(path) and session.get("kernel"):
                return session["kernel"].get("execution_state")
        return None

    def wait_kernel_idle(self, path, timeout=NOTEBOOK_READY_MS):
        """Poll /api/sessions until notebook `path` has a kernel that is idle."""
        deadline = time.monotonic() + timeout / 1000
        while (state := self.kernel_state(path)) != "idle":
            if time.monotonic() > deadline:
                raise TimeoutError(f"the kernel of {path} is {state or 'not started'} after "
                                   f"{timeout / 1000:.0f} s; server log:\n{self.log_tail()}")
            time.sleep(0.25)

    def api(self, route, data=None, timeout=60):
        """GET (or POST `data`, form-encoded) a server route with the token; the body as text."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(f"{self.url}/{route.lstrip('/')}", data=body,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read().decode()

    def log_tail(self, chars=3000) -> str:
        """The end of the server's log (stdout and stderr), for failure messages."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def wait_notebook_ready(page, timeout=NOTEBOOK_READY_MS):
    """Wait until the current tab's notebook shows cells and its kernel reports idle."""
    panel = page.locator(".jp-NotebookPanel:visible").first
    panel.locator(".jp-Cell").first.wait_for(state="visible", timeout=timeout)
    panel.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(
        state="attached", timeout=timeout)
    return panel


def lab_command(notebook_dir, port, token, extra_args=()):
    """`jupyter lab` as `./course lab` runs it, headless, on 127.0.0.1:`port` with `token`."""
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={notebook_dir}",
           "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}",
           "--ServerApp.port_retries=0", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.getuid() == 0:
        cmd.append("--allow-root")  # as ./course lab does: containers often run as root
    return cmd + list(extra_args)


def lab_environment(state_dir: Path, env=None) -> dict:
    """The server's environment: ours, then `env`; Lab's workspaces and user settings in
    `state_dir` (unless `env` says where), so no earlier session's open tabs come back."""
    full = dict(os.environ)
    full.update(env or {})
    full.setdefault("JUPYTERLAB_WORKSPACES_DIR", str(state_dir / "workspaces"))
    if "JUPYTERLAB_SETTINGS_DIR" not in full:
        settings = state_dir / "user-settings"
        for rel, values in LAB_SETTINGS.items():
            target = settings / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        full["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    return full


def wait_until_up(server: LabServer, seconds=SERVER_START_SECONDS):
    """Poll /api/status until the server answers; fail with its log when it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {server.process.returncode} before answering; "
                               f"log:\n{server.log_tail()}")
        try:
            server.api("api/status", timeout=2)
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"jupyter lab did not answer /api/status within {seconds} s; log:\n{server.log_tail()}")


def stop(process: subprocess.Popen, grace=15):
    """Terminate the server (it shuts its kernels down), then kill it if it has not stopped after
    `grace` seconds; last, kill what is left of its process group (kernels of a killed server).
    The server runs in a session of its own (see `lab`), so the group is only what it started."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@contextmanager
def lab(notebook_dir, *, cwd=None, env=None, extra_args=()):
    """JupyterLab on `notebook_dir`, started the way `./course lab` does (cwd = the repository
    root by default, where nbgrader finds the course's nbgrader_config.py), on a free port of
    127.0.0.1 with a random token. Yields a `LabServer`; stopped at the end, even on failure."""
    state_dir = Path(tempfile.mkdtemp(prefix="coursekit-lab-"))
    token = secrets.token_hex(16)
    port = free_port()
    log = state_dir / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            lab_command(Path(notebook_dir).resolve(), port, token, extra_args),
            cwd=str(cwd or ROOT), env=lab_environment(state_dir, env),
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(url=f"http://127.0.0.1:{port}", token=token,
                       notebook_dir=Path(notebook_dir).resolve(), log=log, process=process)
    try:
        wait_until_up(server)
        yield server
    finally:
        stop(process)
        shutil.rmtree(state_dir, ignore_errors=True)


# ---------------------------------------------------------------- a notebook in the page
# JupyterLab 4 keeps every cell in the DOM (windowing mode "contentVisibility"), in notebook
# order, so the n-th `.jp-Notebook-cell` is cell n of the .ipynb file.

CELL = ".jp-NotebookPanel:visible .jp-Notebook-cell"
RUN_TIMEOUT_MS = 120_000
# True when no code cell is queued or running ("[*]:") and the kernel says idle.
_SETTLED_JS = """() => {
    const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find(p => p.offsetParent !== null);
    if (!panel) return false;
    const busy = [...panel.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
    const idle = panel.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]');
    return !busy && idle !== null;
}"""


class StepTimer:
    """Seconds each step of a browser test took, printed with the test's output (pytest -rP):
    where the time goes when the suite gets slow."""

    def __init__(self):
        self.steps, self._last = [], time.monotonic()

    def __call__(self, step):
        now = time.monotonic()
        seconds, self._last = now - self._last, now
        self.steps.append((step, seconds))
        print(f"{seconds:6.1f} s  {step}")


def cell(page, index):
    """Cell `index` (0-based, markdown cells included) of the notebook shown in `page`."""
    return page.locator(CELL).nth(index)


def output_text(page, index) -> str:
    """Everything cell `index` shows below it (its outputs), as text."""
    return cell(page, index).locator(".jp-OutputArea").text_content() or ""


def menu(page, *labels):
    """Click through JupyterLab's menu bar, e.g. menu(page, "Run", "Run All Cells")."""
    page.locator(".lm-MenuBar-item", has_text=labels[0]).first.click()
    for label in labels[1:]:
        page.locator(".lm-Menu:visible .lm-Menu-item", has_text=label).first.click()


def wait_settled(page, timeout=RUN_TIMEOUT_MS):
    """Wait until nothing is queued or running in the notebook and the kernel is idle."""
    page.wait_for_function(_SETTLED_JS, timeout=timeout)


def run_all(page, until, timeout=RUN_TIMEOUT_MS):
    """Run > Run All Cells, then wait for `until(page)` (a callable that waits for what the run
    must show: it tells the run has got that far) and for the notebook to settle."""
    menu(page, "Run", "Run All Cells")
    until(page)
    wait_settled(page, timeout=timeout)


def replace_cell_source(page, index, source):
    """Put `source` in cell `index`'s editor as a learner would: click in, select all, type.
    (Inserted as one piece of text, so that the editor's auto-indent and bracket closing
    leave it as it is.)"""
    editor = cell(page, index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(source)


def press_validate(page):
    """Press nbgrader's Validate button: it saves the notebook, then the server runs the saved
    file in a kernel of its own (so the page may go on running cells meanwhile); the result
    comes as a dialog, see `validation_message`."""
    button = page.locator(".jp-NotebookPanel:visible .validate-button").first
    if not button.is_visible():
        # JupyterLab's toolbar moves what does not fit into its "..." popup
        page.locator(".jp-NotebookPanel:visible .jp-Toolbar-responsive-opener").first.click()
        button = page.locator(".jp-Toolbar-responsive-popup .validate-button").first
    button.click()


def validation_message(page, timeout=RUN_TIMEOUT_MS):
    """The Validate result dialog's `#validation-message`, once it is shown (its class says
    validation-success or validation-failed; its text lists the failing cells)."""
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(state="visible", timeout=timeout)
    return message


def validate(page, timeout=RUN_TIMEOUT_MS):
    """Press Validate and return the result dialog's message once it is shown."""
    press_validate(page)
    return validation_message(page, timeout=timeout)


def close_dialog(page):
    """Press the dialog's OK button and wait until it is gone."""
    page.locator(".jp-Dialog .jp-mod-accept").first.click()
    page.locator(".jp-Dialog").wait_for(state="detached")
