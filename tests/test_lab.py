"""JupyterLab as a learner opens it: the server starts on the course, the nbgrader and
ipywidgets extensions are served, and nbgrader's Validate button (its server endpoint)
passes the answer key and fails the blank release."""
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from support.nbtools import ROOT

TOKEN = "coursekit-test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks" / "01_derivatives", work / "release")
    shutil.copytree(ROOT / "solutions" / "01_derivatives", work / "key")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={TOKEN}", f"--notebook-dir={work}", "--allow-root"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited: {proc.stderr.read()[-2000:]}")
            time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def request(url, data=None, timeout=120):
    body = urllib.parse.urlencode(data).encode() if data else None
    req = urllib.request.Request(url, data=body, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read().decode()


def page_config(html):
    start = html.index('id="jupyter-config-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start:html.index("</script>", start)])


@pytest.mark.slow
@pytest.mark.integration
def test_lab_serves_nbgrader_and_ipywidgets_extensions(lab):
    config = page_config(request(f"{lab}/lab"))
    names = {ext["name"] for ext in config["federated_extensions"]}
    assert {"@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager"} <= names


@pytest.mark.slow
@pytest.mark.integration
def test_validate_button_passes_the_key_and_fails_the_release(lab):
    key = json.loads(request(f"{lab}/assignments/validate", {"path": "key/01_derivatives.ipynb"}))
    assert key["success"], key["value"]
    assert not key["value"].get("failed") and not key["value"].get("errors"), key["value"]
    blank = json.loads(request(f"{lab}/assignments/validate", {"path": "release/01_derivatives.ipynb"}))
    assert blank["success"], blank["value"]
    failed = blank["value"].get("failed") or blank["value"].get("errors")
    assert failed and "not implemented yet" in json.dumps(failed)


@pytest.mark.slow
@pytest.mark.integration
def test_lab_asks_no_news_question(lab):
    """No "Would you like to get notified about official Jupyter news?" pop-up (./course setup
    installs tools/lab/overrides.json as the environment's JupyterLab defaults)."""
    plugin = json.loads(request(f"{lab}/lab/api/settings/@jupyterlab/apputils-extension:notification"))
    defaults = {k: v.get("default") for k, v in plugin["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false", defaults          # the overrides become the defaults
    assert defaults["checkForUpdates"] is False, defaults
