"""A throwaway PostgreSQL server for the tests of a gradebook in PostgreSQL.

    with server() as pg:          # initdb + pg_ctl start in a private temporary folder
        pg.url                    # postgresql+psycopg://grader:PASSWORD@127.0.0.1:PORT/gradebook

What a course would do with a shared server, in small: a cluster made by `initdb` with a
superuser password, a login role `grader` (not a superuser) owning a database `gradebook`.
The server listens on 127.0.0.1 only, on a free port, its unix socket in the private folder,
and accepts password logins (scram-sha-256) from 127.0.0.1 only. It runs with fsync off: the
data is thrown away. At the end the server is stopped (`pg_ctl stop -m immediate`) and the
folder removed, even when the test failed.

initdb and postgres refuse to run as root; as root they run as `nobody` (setpriv), owning
the folder. The binaries come from `pg_config --bindir`, /usr/lib/postgresql/*/bin or PATH
(Debian's postgresql package; `./course setup --dev` installs it when initdb is missing).
`postgres_missing()` says why the tests must be skipped, or None.
"""
from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import pathlib
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

TOOLS = ("initdb", "pg_ctl", "postgres")
UNPRIVILEGED = "nobody"          # the user initdb and postgres run as when we are root
START_TIMEOUT = 60               # seconds for pg_ctl start -w
ROLE, DATABASE = "grader", "gradebook"
# throwaway data: nothing needs to survive a crash, so nothing waits for the disk
FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c shared_buffers=16MB -c max_connections=20")


def bindir():
    """The folder holding initdb, pg_ctl and postgres, or None."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        proc = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=30)
        candidates.append(proc.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(pathlib.Path(on_path).resolve().parent))
    for folder in filter(None, candidates):
        if all(os.access(pathlib.Path(folder) / tool, os.X_OK) for tool in TOOLS):
            return pathlib.Path(folder)
    return None


def _version(folder):
    """15 for /usr/lib/postgresql/15/bin (newest first when sorted)."""
    name = pathlib.Path(folder).parent.name
    return int(name) if name.isdigit() else 0


def postgres_missing():
    """Why a PostgreSQL gradebook cannot be tested here (str), or None."""
    if bindir() is None:
        return ("PostgreSQL's initdb/pg_ctl/postgres not found (pg_config --bindir, /usr/lib/postgresql/*/bin, "
                "PATH): install Debian's postgresql package (./course setup --dev does as root)")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        return f"psycopg is not importable ({exc}): pip install -e \".[postgres]\" (psycopg[binary])"
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        return "running as root, and setpriv (util-linux) is missing to run initdb/postgres unprivileged"
    return None


@dataclasses.dataclass
class Server:
    folder: pathlib.Path          # data/, the socket and the log, all thrown away
    port: int
    superuser_password: str
    password: str                 # ROLE's
    start_seconds: float = 0.0
    stop_seconds: float = 0.0

    @property
    def url(self):
        """The gradebook's SQLAlchemy URL, as c.CourseDirectory.db_url takes it."""
        return f"postgresql+psycopg://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def data(self):
        return self.folder / "data"

    @property
    def log(self):
        return self.folder / "server.log"

    def log_tail(self, lines=30):
        text = self.log.read_text(errors="replace") if self.log.is_file() else "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _as_postgres_user():
    """The command prefix that runs initdb/postgres unprivileged, and that user's (uid, gid):
    ([], None) when we are not root."""
    if os.geteuid() != 0:
        return [], None
    user = pwd.getpwnam(UNPRIVILEGED)
    return (["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"],
            (user.pw_uid, user.pw_gid))


def _free_port():
    """A TCP port free on 127.0.0.1 right now (the server is started on it next; a clash is retried)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, folder, timeout=120):
    """Run a PostgreSQL tool (unprivileged when we are root); raise with its output on failure."""
    prefix, _ = _as_postgres_user()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": str(folder), "TZ": "UTC"}
    proc = subprocess.run([*prefix, *map(str, cmd)], cwd=folder, env=env, capture_output=True, text=True,
                          errors="replace", timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited with {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc


def _make_folder():
    """The private folder: owned by the unprivileged user when we are root (root's own temporary
    folders, pytest's included, may not be traversable by it: this one is straight under /tmp)."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="coursekit-postgres-"))
    _, owner = _as_postgres_user()
    if owner:
        os.chown(folder, *owner)
    os.chmod(folder, 0o700)
    return folder


def _init_cluster(pg, tools):
    """initdb with a superuser password; logins only by password over 127.0.0.1."""
    pwfile = pg.folder / "superuser-password"
    pwfile.write_text(pg.superuser_password + "\n")
    _, owner = _as_postgres_user()
    if owner:
        os.chown(pwfile, *owner)
    _run([tools / "initdb", "-D", pg.data, "-U", "postgres", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C",
          "--auth=scram-sha-256", "--no-sync"], pg.folder)
    pwfile.unlink()
    (pg.data / "pg_hba.conf").write_text(
        "# written by tests/support/postgres.py: password logins over 127.0.0.1, nothing else\n"
        "host all all 127.0.0.1/32 scram-sha-256\n")


def _start(pg, tools):
    """pg_ctl start, waiting until the server accepts connections (pg_ctl runs -o through sh)."""
    socket_dir = shlex.quote(str(pg.folder))
    options = f"-c listen_addresses=127.0.0.1 -c port={pg.port} -c unix_socket_directories={socket_dir} {FAST}"
    _run([tools / "pg_ctl", "start", "-w", "-t", START_TIMEOUT, "-D", pg.data, "-l", pg.log, "-o", options],
         pg.folder, timeout=START_TIMEOUT + 30)


def _stop(pg, tools):
    """pg_ctl stop -m immediate; if that fails, SIGKILL the postmaster named in postmaster.pid."""
    try:
        _run([tools / "pg_ctl", "stop", "-w", "-t", "30", "-m", "immediate", "-D", pg.data], pg.folder, timeout=60)
        return
    except (RuntimeError, subprocess.TimeoutExpired):
        pass
    pidfile = pg.data / "postmaster.pid"
    if pidfile.is_file():
        with contextlib.suppress(ValueError, IndexError, ProcessLookupError):
            os.kill(int(pidfile.read_text().splitlines()[0]), signal.SIGKILL)


def _create_role_and_database(pg):
    """What an administrator does once for a course: a login role and a database it owns."""
    import psycopg
    from psycopg import sql
    with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres", password=pg.superuser_password,
                         dbname="postgres", autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(ROLE),
                                                                         sql.Literal(pg.password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(DATABASE), sql.Identifier(ROLE)))


@contextlib.contextmanager
def server(attempts=3):
    """A PostgreSQL server with the gradebook database: yields a Server (`.url`); stopped and
    removed at the end, whatever happened."""
    reason = postgres_missing()
    if reason:
        raise RuntimeError(reason)
    tools = bindir()
    folder = _make_folder()
    pg = Server(folder, 0, secrets.token_hex(16), secrets.token_hex(16))
    started = False
    try:
        t0 = time.monotonic()
        _init_cluster(pg, tools)
        for attempt in range(1, attempts + 1):    # the free port may be taken in between: try another
            pg.port = _free_port()
            try:
                _start(pg, tools)
                started = True
                break
            except RuntimeError as exc:
                if attempt == attempts:
                    raise RuntimeError(f"{exc}\nserver log:\n{pg.log_tail()}") from None
        _create_role_and_database(pg)
        pg.start_seconds = time.monotonic() - t0
        yield pg
    finally:
        t0 = time.monotonic()
        if started:
            _stop(pg, tools)
        shutil.rmtree(folder, ignore_errors=True)
        pg.stop_seconds = time.monotonic() - t0


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the whole session (per xdist worker that asks for it); skips
    the test when PostgreSQL or psycopg is missing."""
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    with server() as pg:
        yield pg
    print(f"\nPostgreSQL test server: started in {pg.start_seconds:.1f} s, stopped and removed in "
          f"{pg.stop_seconds:.1f} s")
