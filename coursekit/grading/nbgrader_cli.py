"""nbgrader's command line, in one place: every nbgrader process coursekit starts.

- `nbgrader(root, *args)`: one command in a course folder (build, feedback, template
  gradebooks), raising course.CourseError with its log when it fails; `generate` releases an
  assignment with it.
- `run_nbgrader(...)`: the grading pass of one submission (worker.py), in a process that a
  submission timeout can kill. On Linux that process is forked from a server that imported
  nbgrader once (`warm_up`, `forked_nbgrader`), which saves every submission the start-up of
  Python and nbgrader's imports.
Both start nbgrader through `python -m coursekit.grading.nbgrader_main` (or, forked, its
module), which is nbgrader's own entry point with faster and quieter imports.
"""
from __future__ import annotations

import multiprocessing
import os
import pathlib
import subprocess
import sys
import tempfile

from .. import course


def tool_env(env=None):
    """The environment for an nbgrader process: this interpreter's scripts first on PATH (nbgrader
    runs `alembic` by name to create a gradebook, which fails when coursekit is run as
    .venv/bin/coursekit without the environment activated)."""
    env = dict(os.environ if env is None else env)
    env["PATH"] = os.pathsep.join(filter(None, [str(pathlib.Path(sys.executable).parent), env.get("PATH")]))
    return env


def nbgrader(root, *args, quiet=True):
    """Run one nbgrader command in the course directory; raise BuildError with its log on failure."""
    cmd = [sys.executable, "-m", "coursekit.grading.nbgrader_main", *args]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=tool_env())
    if proc.returncode != 0:
        raise course.CourseError(f"`nbgrader {' '.join(args)}` failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    if not quiet:
        print(proc.stderr, end="")
    return proc


def generate(root, name, release_dir=None, solution_dir=None, db=True):
    """Release (nbgrader generate_assignment) and answer key (generate_solution) of one assignment."""
    release = ["generate_assignment", name, "--force"]
    if release_dir:
        release.append(f"--CourseDirectory.release_directory={release_dir}")
    if not db:
        release.append("--no-db")
    nbgrader(root, *release)
    if solution_dir is not False:
        solution = ["generate_solution", name, "--force"]
        if solution_dir:
            solution.append(f"--CourseDirectory.solution_directory={solution_dir}")
        nbgrader(root, *solution)


def run_nbgrader(root, assignment, student, setup, opts, extra=()):
    """`nbgrader autograde` of one submission under `root`/submitted, in a process of its
    own that a submission timeout can kill; returns (ok, log). On Linux that process is
    forked from a server that imported nbgrader once (forked_nbgrader), which saves every
    submission the start-up of Python and nbgrader's imports."""
    args = ["autograde", assignment, "--student", student, "--create", "--force",
            f"--CourseDirectory.submitted_directory={root / 'submitted'}",
            f"--ResilientExecute.timeout={opts.cell_timeout}",
            # the outputs are in: kill the kernel rather than wait for it to exit (3.0 s at load 5-10)
            "--ResilientExecute.shutdown_kernel=immediate",
            *setup.nbgrader_args("tests"), *extra]
    env = tool_env(setup.env)
    if forkserver_usable():
        return forked_nbgrader(args, root, env, opts.submission_timeout)
    try:
        proc = subprocess.run([sys.executable, "-m", "coursekit.grading.nbgrader_main", *args], cwd=root,
                              capture_output=True, text=True, env=env, timeout=opts.submission_timeout,
                              errors="replace")
        return proc.returncode == 0, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = "".join(x.decode(errors="replace") if isinstance(x, bytes) else (x or "")
                      for x in (exc.stdout, exc.stderr))
        return False, out + f"\ncoursekit: stopped after {opts.submission_timeout:g} s"


# what the fork server imports once: nbgrader's apps (without jsonschema's slow "iri" checker,
# see nbgrader_main.py), and what nbgrader_config.py imports
PRELOAD = ["coursekit.grading.nbgrader_main", "coursekit.grading.execute", "coursekit.grading.redact"]


def forkserver_usable():
    """Linux, and not inside a daemonic process (which may not have children)."""
    return (sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def warm_up():
    """Import what grading needs and start nbgrader's fork server, ahead of the first task."""
    if forkserver_usable():
        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
        from multiprocessing import forkserver
        forkserver.ensure_running()


def forked_nbgrader(args, cwd, env, timeout):
    """Run `nbgrader ARGS` in a child of the fork server; (ok, log)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    log = pathlib.Path(cwd).parent / "nbgrader.log"
    child = context.Process(target=child_main, args=(args, str(cwd), env, str(log)), name="nbgrader")
    child.start()
    child.join(timeout)
    stopped = child.is_alive()
    if stopped:
        child.kill()
        child.join()
    text = log.read_text(errors="replace") if log.is_file() else ""
    if stopped:
        return False, text + f"\ncoursekit: stopped after {timeout:g} s"
    return child.exitcode == 0, text


def child_main(args, cwd, env, log):
    """The body of a forked nbgrader process: its output to `log`, its environment `env`."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    tempfile.tempdir = None   # TMPDIR is the submission's own
    from nbgrader.apps.nbgraderapp import NbGraderApp
    code = 0
    try:
        NbGraderApp.launch_instance(argv=list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - said in the log, a failed run
        import traceback
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
