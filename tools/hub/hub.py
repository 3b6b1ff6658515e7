"""A local JupyterHub for a class of this course: `./course hub` (docs/hub.md).

    ./course hub [--port 8000] [--instructor NAME]...   start it (as root), in the foreground
    ./course hub add NAME...                           give learners an account and the course
    ./course hub stop                                  stop it: nothing of it is left running
    ./course hub status                                what runs

What `start` sets up, once (later starts reuse it, nothing is lost):
- the grader account `grader-<course>` (a system account; its home is private);
- the grader's copy of the course in its home (nbgrader_config.py, source/, notebooks/,
  solutions/, the gradebook and the recorded checks, copied from this repository), owned by it;
- the exchange, a folder of the hub's state open to every account (nbgrader's permissions
  within it are nbgrader's own);
- the grader's nbgrader config (~/.jupyter/nbgrader_config.py: the exchange, the hub's auth
  plugin and the formgrader's API token, readable by the grader only) and the learners' server
  config (only the Assignment List and Validate of nbgrader's tools);
then runs JupyterHub (tools/hub/jupyterhub_config.py) with Debian's configurable-http-proxy.

The hub and everything it starts (proxy, formgrader, learners' servers, their kernels) carry
COURSEKIT_HUB=<state> in their environment; `stop` ends the hub, then any such process left.
Root is needed: the hub starts each person's server as that person's OS account.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
COURSE_ID = "nn-course"
DEFAULT_STATE = Path("/srv/coursekit-hub")
# what the grader's copy of the course holds (nbgrader's course directory, coursekit's records)
COURSE_PARTS = ("nbgrader_config.py", "source", "notebooks", "solutions", "gradebook.db", ".coursekit")
# nbgrader's lab extensions a learner's Lab does not offer (the Assignment List and Validate stay)
LEARNER_HIDDEN_LAB = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list")
LEARNER_HIDDEN_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
STOP_SECONDS = 30
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"   # util-linux: a command as another account


class HubError(SystemExit):
    """A one-line reason the hub cannot do what was asked (exit status 1)."""

    def __init__(self, message):
        super().__init__(f"course hub: {message}")


def grader_name(course_id=COURSE_ID):
    return f"grader-{course_id}"


def settings_path(state: Path) -> Path:
    return state / "hub.json"


def load_settings(state: Path) -> dict:
    path = settings_path(state)
    if not path.is_file():
        raise HubError(f"no hub was set up in {state} (start one with ./course hub)")
    return json.loads(path.read_text())


# ---------------------------------------------------------------- accounts

def account_exists(name) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_account(name, home=None, system=False, password=None):
    """The OS account `name`, made when missing, with a private home (0700: no other account
    reads a learner's work). `password` is set when given (the hub logs people in with PAM)."""
    if not account_exists(name):
        cmd = ["useradd", "--create-home", "--shell", "/bin/bash"]
        if system:
            cmd.append("--system")
        if home:
            cmd += ["--home-dir", str(home)]
        run(cmd + [name])
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    if password is not None:
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return entry


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise HubError(f"`{' '.join(map(str, cmd))}` failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
    return proc.stdout


def chown_tree(path: Path, entry):
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.lchown(name, entry.pw_uid, entry.pw_gid)


# ---------------------------------------------------------------- the hub's files

def copy_course(dest: Path, source_root: Path = REPO):
    """The grader's copy of the course: what nbgrader and coursekit autograde read and write."""
    dest.mkdir(parents=True)
    for part in COURSE_PARTS:
        src = source_root / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif src.is_file():
            shutil.copy2(src, dest / part)


def grader_nbgrader_config(s: dict) -> str:
    """The grader's ~/.jupyter/nbgrader_config.py: read by the formgrader and by nbgrader or
    coursekit typed in the grader's terminal, after the course's own nbgrader_config.py."""
    return (
        '"""nbgrader on the course\'s hub (written by tools/hub/hub.py)."""\n'
        "import os\n"
        "from nbgrader.auth import JupyterHubAuthPlugin\n\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {s['exchange']!r}\n"
        "c.Exchange.path_includes_course = True\n"
        "c.Authenticator.plugin_class = JupyterHubAuthPlugin\n"
        "# the plugin asks the hub who is in the course, with the formgrader service's token\n"
        f"os.environ.setdefault('JUPYTERHUB_API_URL', 'http://127.0.0.1:{s['hub_port']}/hub/api')\n"
        f"os.environ.setdefault('JUPYTERHUB_USER', {s['grader']!r})\n"
        f"if 'JUPYTERHUB_API_TOKEN' not in os.environ:\n"
        f"    with open({s['service_token_file']!r}) as token:\n"
        "        os.environ['JUPYTERHUB_API_TOKEN'] = token.read().strip()\n")


def learner_nbgrader_config(s: dict) -> str:
    return (
        '"""nbgrader in a learner\'s server on the course\'s hub (written by tools/hub/hub.py)."""\n'
        "from nbgrader.auth import JupyterHubAuthPlugin\n\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {s['exchange']!r}\n"
        "c.Exchange.path_includes_course = True\n"
        "c.Authenticator.plugin_class = JupyterHubAuthPlugin   # the courses of the learner's groups\n")


def write_configs(s: dict):
    state, grader = Path(s["state"]), pwd.getpwnam(s["grader"])
    learner = state / "config" / "learner"
    (learner / "labconfig").mkdir(parents=True, exist_ok=True)
    (learner / "nbgrader_config.py").write_text(learner_nbgrader_config(s))
    (learner / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {name: True for name in LEARNER_HIDDEN_LAB}}, indent=1))
    (learner / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {name: False for name in LEARNER_HIDDEN_SERVER}}}, indent=1))
    token = Path(s["service_token_file"])
    if not token.is_file():
        token.write_text(secrets.token_hex(32) + "\n")
    os.chown(token, grader.pw_uid, grader.pw_gid)
    os.chmod(token, 0o600)
    jupyter_dir = Path(grader.pw_dir) / ".jupyter"
    jupyter_dir.mkdir(exist_ok=True)
    (jupyter_dir / "nbgrader_config.py").write_text(grader_nbgrader_config(s))
    chown_tree(jupyter_dir, grader)


def runs_as(user, *cmd) -> bool:
    return subprocess.run([RUNUSER, "-u", user, "--", *cmd], capture_output=True, cwd="/").returncode == 0


def closed_folders(path) -> list[Path]:
    """The folders above `path` that other accounts cannot pass (no o+x)."""
    return [p for p in Path(path).parents if not os.stat(p).st_mode & 0o001]


def runtime(grader: str, open_python: bool) -> Path:
    """The bin/ folder of this environment, once every account can run its Python: the hub
    starts everyone's server, kernels and the grader's commands with it. A Python installed in
    a private home (pyenv's under /root) is not runnable by others: with `open_python` the
    folders in the way become passable (o+x: pass, not list), else the hub says so and stops."""
    here = Path(sys.executable).parent
    probe = (sys.executable, "-c", "import jupyterhub, nbgrader, coursekit")
    if runs_as(grader, *probe):
        return here
    python = os.path.realpath(sys.executable)
    closed = sorted({p for exe in (python, sys.prefix) for p in closed_folders(exe)})
    if not closed:
        raise HubError(f"{grader} cannot run {probe[0]} with this environment's packages")
    if not open_python:
        raise HubError(f"other accounts cannot run this environment's Python ({python}): "
                       f"{', '.join(map(str, closed))} cannot be passed. Start with --open-python to make "
                       f"them passable (chmod o+x: no listing), or make the course's environment "
                       f"from a Python every account can run")
    for folder in closed:
        os.chmod(folder, os.stat(folder).st_mode | 0o001)
        print(f"course hub: {folder} is now passable by every account (chmod o+x), so that they run {python}")
    if not runs_as(grader, *probe):
        raise HubError(f"{grader} still cannot run {probe[0]} with this environment's packages")
    return here


def readable_by_others(paths) -> list[str]:
    """The paths any account may read (world-readable, in folders any account may pass)."""
    found = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            continue
        chain = [path, *path.parents]
        if all(os.stat(p).st_mode & 0o001 for p in chain[1:]) and os.stat(path).st_mode & 0o004:
            found.append(str(path))
    return found


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(args) -> dict:
    """Accounts, the grader's course, the exchange, the configs; the settings (written to hub.json)."""
    if os.geteuid() != 0:
        raise HubError("start the hub as root (it starts each person's server as their own OS account)")
    proxy = shutil.which("configurable-http-proxy")
    if not proxy:
        raise HubError("configurable-http-proxy is missing: apt-get install node-configurable-http-proxy")
    if not shutil.which("jupyterhub", path=str(Path(sys.executable).parent)):
        raise HubError("jupyterhub is not installed here: pip install -e '.[hub]'")
    state = Path(args.state).resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o755)   # everyone's server reads config/learner and reaches the exchange
    old = json.loads(settings_path(state).read_text()) if settings_path(state).is_file() else {}
    grader = ensure_account(args.grader or grader_name(), home=state / "grader", system=True)
    course_dir = Path(args.course).resolve() if args.course else Path(grader.pw_dir) / COURSE_ID
    if not course_dir.exists():
        copy_course(course_dir)
        chown_tree(course_dir, grader)
        print(f"course hub: the grader's course is {course_dir} (copied from {REPO})")
    if subprocess.run([RUNUSER, "-u", grader.pw_name, "--", "test", "-w", str(course_dir)]).returncode != 0:
        raise HubError(f"{grader.pw_name} cannot write {course_dir}: chown -R {grader.pw_name} {course_dir}")
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chmod(exchange, 0o777)   # nbgrader's exchange root; it sets the modes of what is inside
    learners = sorted(set(old.get("learners", [])) | set(args.learner or []))
    instructors = sorted(set(old.get("instructors", [])) | set(args.instructor or []))
    for name in instructors + learners:
        if not account_exists(name):
            raise HubError(f"there is no account {name!r}: ./course hub add {name} makes one")
    s = {
        "state": str(state), "course_id": COURSE_ID, "course_dir": str(course_dir),
        "exchange": str(exchange), "grader": grader.pw_name, "instructors": instructors, "learners": learners,
        "ip": args.ip, "port": args.port, "hub_port": args.hub_port or free_port(),
        "proxy_api_port": free_port(), "service_port": free_port(), "proxy": proxy,
        "venv_bin": str(runtime(grader.pw_name, args.open_python)),
        "service_token_file": str(Path(grader.pw_dir) / "formgrader-token"),
    }
    write_configs(s)
    settings_path(state).write_text(json.dumps(s, indent=1))
    return s


# ---------------------------------------------------------------- running and stopping

def hub_url(s):
    host = "127.0.0.1" if s["ip"] in ("", "0.0.0.0") else s["ip"]
    return f"http://{host}:{s['port']}"


def marked_processes(state: Path) -> list[int]:
    """The ids of processes whose environment says they belong to the hub in `state`."""
    needle = f"COURSEKIT_HUB={state}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def end_processes(pids, grace=5.0):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids):
            time.sleep(0.2)


def wait_up(s, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HubError(f"jupyterhub exited with {process.returncode}; its log is {Path(s['state']) / 'hub.log'}")
        try:
            urllib.request.urlopen(f"{hub_url(s)}/hub/api", timeout=2).read()
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    raise HubError(f"the hub did not answer within {seconds} s; its log is {Path(s['state']) / 'hub.log'}")


def start(args):
    s = prepare(args)
    state = Path(s["state"])
    if (state / "hub.pid").is_file() and Path(f"/proc/{(state / 'hub.pid').read_text().strip()}").exists():
        raise HubError(f"a hub of {state} runs already (./course hub stop)")
    env = {**os.environ, "COURSEKIT_HUB": str(state), "COURSEKIT_HUB_SETTINGS": str(settings_path(state)),
           "PATH": f"{s['venv_bin']}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    # Debian's proxy finds its modules in /usr/share/nodejs, which a Node.js not from Debian
    # (e.g. NodeSource's) does not search by itself
    env["NODE_PATH"] = os.pathsep.join(p for p in (os.environ.get("NODE_PATH"), "/usr/share/nodejs") if p)
    log = open(state / "hub.log", "ab")
    exposed = readable_by_others(REPO / p for p in ("source", "solutions", "gradebook.db"))
    if exposed and Path(s["course_dir"]).resolve() != REPO:
        print(f"course hub: WARNING every account can read {', '.join(exposed)} (this repository's answers): "
              f"chmod o-rwx them, or install coursekit from a copy without them", file=sys.stderr)
    hub_command = [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")]
    process = subprocess.Popen(hub_command,
                               cwd=state, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    (state / "hub.pid").write_text(f"{process.pid}\n")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1) or process.terminate())
    try:
        wait_up(s, process)
        print(f"""course hub: JupyterHub for {s['course_id']} at {hub_url(s)}  (log: {state / 'hub.log'})
  learners:    {', '.join(s['learners']) or 'none yet'};  add some:  ./course hub add NAME... (as root)
  instructors: {', '.join(s['instructors']) or 'none'};  formgrader: {hub_url(s)}/services/{s['course_id']}/formgrader
  grading:     runuser -u {s['grader']} -- sh -c 'cd {s['course_dir']} && coursekit autograde ASSIGNMENT'
  stop:        Ctrl-C here, or ./course hub stop""", flush=True)
        process.wait()
    except KeyboardInterrupt:
        print("\ncourse hub: stopping", flush=True)
    finally:
        left = shutdown(state, process)
        print(f"course hub: stopped{f' ({left} leftover processes ended)' if left else ''}; nothing of it runs")


def shutdown(state: Path, process=None) -> int:
    """Stop the hub (SIGTERM: it stops the proxy, the formgrader and every learner's server),
    then end whatever of it is still running. Returns how many leftovers had to be ended."""
    pid_file = state / "hub.pid"
    pid = process.pid if process else (int(pid_file.read_text()) if pid_file.is_file() else None)
    if pid and Path(f"/proc/{pid}").exists():
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                break
            if process is None and not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.2)
    left = marked_processes(state)
    if left:
        end_processes(left)
    pid_file.unlink(missing_ok=True)
    return len(left)


def stop(args):
    state = Path(args.state).resolve()
    left = shutdown(state)
    print(f"course hub: stopped{f' ({left} leftover processes ended)' if left else ''}; nothing of it runs")


def status(args):
    state = Path(args.state).resolve()
    s = load_settings(state)
    pids = marked_processes(state)
    print(f"course hub: {'running at ' + hub_url(s) if pids else 'not running'} ({len(pids)} processes); "
          f"learners: {', '.join(s['learners']) or 'none'}")


def add(args):
    """Learners: an account each (a password when --password-file gives one, as NAME:PASSWORD
    lines), their place in the course's group (at once when the hub runs, else at its next start)
    and in the gradebook."""
    if os.geteuid() != 0:
        raise HubError("add learners as root (it makes OS accounts)")
    state = Path(args.state).resolve()
    s = load_settings(state)
    passwords = {}
    if args.password_file:
        for line in Path(args.password_file).read_text().splitlines():
            if ":" in line:
                name, password = line.split(":", 1)
                passwords[name.strip()] = password
    for name in args.names:
        ensure_account(name, password=passwords.get(name))
    s["learners"] = sorted(set(s["learners"]) | set(args.names))
    settings_path(state).write_text(json.dumps(s, indent=1))
    for name in args.names:
        run([RUNUSER, "-u", s["grader"], "--", f"{s['venv_bin']}/nbgrader", "db", "student", "add", name],
            cwd=s["course_dir"], env={**os.environ, "HOME": pwd.getpwnam(s["grader"]).pw_dir,
                                      "PATH": f"{s['venv_bin']}:/usr/bin:/bin"})
    if marked_processes(state):
        token = Path(s["service_token_file"]).read_text().strip()
        api = f"http://127.0.0.1:{s['hub_port']}/hub/api"
        for name in args.names:
            hub_api(api, token, "POST", f"/users/{name}", ok=(201, 409))
        hub_api(api, token, "POST", f"/groups/nbgrader-{s['course_id']}/users", {"users": list(args.names)})
    print(f"course hub: {', '.join(args.names)} in {s['course_id']}"
          + ("" if passwords else " (set their passwords with passwd NAME: the hub logs in with them)"))


def hub_api(api, token, method, path, data=None, ok=(200, 201)):
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(api + path, data=body, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        if err.code in ok:
            return None
        raise HubError(f"the hub refused {method} {path}: {err.code} {err.read()[:300]!r}") from None


def main(argv=None):
    p = argparse.ArgumentParser(prog="./course hub", description="A local JupyterHub for a class of the course.")
    p.add_argument("--state", default=os.environ.get("COURSEKIT_HUB_STATE", str(DEFAULT_STATE)),
                   help=f"the hub's folder (default {DEFAULT_STATE})")
    sub = p.add_subparsers(dest="command")
    st = sub.add_parser("start", help="start the hub in the foreground (the default)")
    for q in (p, st):
        q.add_argument("--port", type=int, default=8000, help="the hub's port (default 8000)")
        q.add_argument("--ip", default="127.0.0.1", help="the address it listens on (0.0.0.0: every interface)")
        q.add_argument("--hub-port", type=int, default=0, help=argparse.SUPPRESS)
        q.add_argument("--grader", help=f"the grader account (default {grader_name()})")
        q.add_argument("--open-python", action="store_true",
                       help="make the folders above this environment's Python passable by every account")
        q.add_argument("--course", help="the grader's course folder (default: a copy in the grader's home)")
        q.add_argument("--instructor", action="append", help="an instructor's account (repeatable)")
        q.add_argument("--learner", action="append", help="a learner's existing account (repeatable)")
    a = sub.add_parser("add", help="give learners an account and the course")
    a.add_argument("names", nargs="+")
    a.add_argument("--password-file", help="NAME:PASSWORD lines for the new accounts")
    sub.add_parser("stop", help="stop the hub and everything it started")
    sub.add_parser("status", help="whether it runs, and who is in the course")
    args = p.parse_args(argv)
    {"add": add, "stop": stop, "status": status}.get(args.command, start)(args)


if __name__ == "__main__":
    main()
