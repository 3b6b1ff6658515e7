"""JupyterHub's configuration for a class of this course (`./course hub`, tools/hub/hub.py).

nbgrader 0.9's "multiple classes" setup (nbgrader's docs, "Using nbgrader with JupyterHub"), for
the one course of this repository:
- accounts are the machine's OS accounts, logging in with their passwords (PAM);
- the course's formgrader is a hub service named after the course, a Jupyter server run as the
  grader account in the grader's copy of the course; the group `formgrade-<course>` may open it;
- learners are the group `nbgrader-<course>`; nbgrader's JupyterHubAuthPlugin asks the hub for
  a user's groups, so the Assignment List shows them this course only;
- learners' servers offer nbgrader's Assignment List (and Validate), not its formgrader, course
  list or assignment-creation tools (config/learner/, written by hub.py);
- the exchange is a folder of the hub's state, with nbgrader's own permissions.

Everything that varies (folders, ports, accounts) comes from the JSON file named by
$COURSEKIT_HUB_SETTINGS, written by hub.py; this file computes nothing of its own.
"""
import json
import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

S = json.loads(Path(os.environ["COURSEKIT_HUB_SETTINGS"]).read_text())
STATE = Path(S["state"])
COURSE = S["course_id"]
BIN = S["venv_bin"]
PATH = f"{BIN}:/usr/local/bin:/usr/bin:/bin"
# every process of this hub carries the marker, so that stopping it can find what is left
MARKER = {"COURSEKIT_HUB": S["state"]}

# ---------------------------------------------------------------- where the hub listens and keeps its state
c.JupyterHub.bind_url = f"http://{S['ip']}:{S['port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [S["proxy"]]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True      # stopping the hub stops every learner's server
c.JupyterHub.cleanup_proxy = True

# ---------------------------------------------------------------- who may log in
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(S["instructors"]) | set(S["learners"])
c.Authenticator.allow_existing_users = True   # learners added later (hub.py add) through the API
c.Authenticator.admin_users = set()           # instructors get the roles below, not admin

GRADERS = sorted(set(S["instructors"]) | {S["grader"]})
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": GRADERS},
    f"nbgrader-{COURSE}": {"users": sorted(S["learners"])},
}

c.JupyterHub.load_roles = [
    # a learner's server asks the hub for its own user's groups (nbgrader's JupyterHubAuthPlugin)
    {"name": "server", "scopes": ["users:activity!user", "access:servers!server",
                                  "read:users!user", "read:users:groups!user"]},
    {"name": f"formgrade-{COURSE}", "groups": [f"formgrade-{COURSE}"],
     "scopes": [f"access:services!service={COURSE}", "list:services", f"read:services!service={COURSE}"]},
    {"name": f"nbgrader-{COURSE}", "groups": [f"nbgrader-{COURSE}"],
     "scopes": ["list:services", f"read:services!service={COURSE}"]},
    # the formgrader reads who is in the course and adds learners to it (the auth plugin;
    # `hub.py add` makes their hub accounts with this token too)
    {"name": f"grader-{COURSE}", "services": [COURSE],
     "scopes": ["list:users", "read:users", "list:groups", "read:groups", "groups", "admin:users"]},
]

# ---------------------------------------------------------------- the formgrader: the grader account's server
c.JupyterHub.services = [{
    "name": COURSE,
    "url": f"http://127.0.0.1:{S['service_port']}",
    "command": [f"{BIN}/jupyterhub-singleuser", f"--ServerApp.root_dir={S['course_dir']}"],
    "user": S["grader"],
    "cwd": S["course_dir"],
    "api_token": Path(S["service_token_file"]).read_text().strip(),
    "oauth_no_confirm": True,
    "environment": {"PATH": PATH, "JUPYTERHUB_DEFAULT_URL": "/lab", **MARKER},
}]

# ---------------------------------------------------------------- everyone's own server
c.Spawner.cmd = [f"{BIN}/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {"PATH": PATH, "JUPYTER_CONFIG_PATH": str(STATE / "config" / "learner"), **MARKER}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
