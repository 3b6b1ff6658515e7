"""Run a learner's kernel where it cannot see the course: `python -m coursekit.sandbox ...`.

The grader installs a kernelspec whose argv starts with this module. Before the kernel
starts, the launcher
- copies the kernel's working folder (the submission's own files) to a private scratch folder;
- caps the address space (COURSEKIT_MEMORY_LIMIT bytes, default 4 GiB): a memory bomb gets
  a MemoryError instead of taking the machine down;
- with bubblewrap (`bwrap`), runs the kernel with the whole file system read-only, a private
  /tmp, its own process table, no capabilities, and every path in COURSEKIT_HIDE (the course
  folder: source/, solutions/, the gradebook, other submissions, the tests) replaced by an
  empty folder, except what the kernel needs to run: the Python environment and the
  installed coursekit (COURSEKIT_EXPOSE); and without a network (so that nothing it saw can
  be sent anywhere: the kernel talks to the grader over IPC sockets, not TCP).
Without bwrap it says so on stderr and runs the kernel with the memory cap only.
"""
from __future__ import annotations

import json
import os
import pathlib
import resource
import shutil
import sys
import tempfile

DEFAULT_MEMORY = 4 * 2 ** 30
KERNEL_NAME = "coursekit-sandbox"
WORKDIR = "/tmp/work"


def available():
    """True when bubblewrap is installed and can create a sandbox here."""
    return shutil.which("bwrap") is not None


def write_kernelspec(folder, python=None):
    """Write kernels/coursekit-sandbox/kernel.json under `folder` (put `folder` on JUPYTER_PATH)."""
    python = python or sys.executable
    spec_dir = pathlib.Path(folder) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "coursekit.sandbox", python, "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (coursekit sandbox)",
        "language": "python",
        "interrupt_mode": "message",  # a signal to the launcher would not reach the sandboxed kernel
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


def bwrap_command(argv, workdir, hide, expose, sockets=()):
    """The bubblewrap command line that runs `argv` in the sandbox."""
    cmd = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
           "--unshare-pid", "--unshare-user", "--unshare-ipc", "--unshare-uts", "--unshare-net",
           "--die-with-parent", "--new-session"]
    for path in hide:
        if os.path.isdir(path):
            cmd += ["--tmpfs", path]
        elif os.path.exists(path):
            cmd += ["--ro-bind", "/dev/null", path]
    for path in expose:
        if os.path.exists(path):
            cmd += ["--ro-bind", path, path]
    for path in sockets:  # the kernel's IPC sockets: no network, so no TCP to the grader
        cmd += ["--bind", path, path]
    cmd += ["--bind", str(workdir), WORKDIR, "--chdir", WORKDIR,
            "--setenv", "HOME", WORKDIR, "--setenv", "TMPDIR", "/tmp",
            "--setenv", "IPYTHONDIR", f"{WORKDIR}/.ipython", "--setenv", "MPLCONFIGDIR", f"{WORKDIR}/.mpl"]
    return cmd + ["--", *argv]


def _paths(name):
    return [p for p in os.environ.get(name, "").split(os.pathsep) if p]


def _move_connection_file(argv, scratch):
    """The kernel reads its connection file (ports, key) at start; wherever the kernel
    manager wrote it may be hidden in the sandbox, so hand the kernel a copy in its folder."""
    argv, sockets = list(argv), []
    if "-f" in argv:
        i = argv.index("-f") + 1
        src = pathlib.Path(argv[i])
        shutil.copy2(src, scratch / src.name)
        argv[i] = f"{WORKDIR}/{src.name}"
        info = json.loads(src.read_text())
        if info.get("transport") == "ipc":  # sockets live next to the path prefix in "ip"
            sockets.append(str(pathlib.Path(info["ip"]).resolve().parent))
    return argv, sockets


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    limit = int(os.environ.get("COURSEKIT_MEMORY_LIMIT", DEFAULT_MEMORY))
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # JPY_PARENT_PID: in its own process table the kernel cannot see the grader and would
    # think it was orphaned; --die-with-parent ends it with the grader instead.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COURSEKIT_", "NBGRADER_")) and k != "JPY_PARENT_PID"}
    env["NBGRADER_EXECUTION"] = os.environ.get("NBGRADER_EXECUTION", "autograde")
    if not available():
        print("coursekit.sandbox: bubblewrap (bwrap) not found: the learner's kernel is NOT isolated "
              "from the course files", file=sys.stderr)
        os.execvpe(argv[0], argv, env)
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="coursekit-kernel-"))
    shutil.copytree(os.getcwd(), scratch, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    argv, sockets = _move_connection_file(argv, scratch)
    cmd = bwrap_command(argv, scratch, _paths("COURSEKIT_HIDE"), _paths("COURSEKIT_EXPOSE"), sockets)
    os.execvpe(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
