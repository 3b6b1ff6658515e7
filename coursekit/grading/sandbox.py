"""Run a learner's kernel where it cannot see the course: `python -m coursekit.grading.sandbox ...`.

The grader installs a kernelspec whose argv starts with this module. Before the kernel
starts, the launcher
- copies the kernel's working folder (the submission's own files) to a private scratch folder;
- caps the address space (COURSEKIT_MEMORY_LIMIT bytes, default 4 GiB): a memory bomb gets
  a MemoryError instead of taking the machine down;
- with bubblewrap (`bwrap`), runs the kernel with the whole file system read-only, a private
  /tmp, its own process table, no capabilities, and every path in COURSEKIT_HIDE (the course
  folder: source/, solutions/, the gradebook, other submissions, the tests; and the grader's
  scratch folder of this submission) replaced by an empty folder, except what the kernel needs
  to run: the Python environment and the installed coursekit (COURSEKIT_EXPOSE); and without a
  network (so that nothing it saw can be sent anywhere: the kernel talks to the grader over IPC
  sockets, not TCP). The only folder it may write outside its own is the folder of its own IPC
  sockets; every kernel of the grader gets its own (`KernelSetup.sockets`), so the kernel of
  the notebook's tests cannot leave anything for the kernel of the re-check.
Without bwrap it says so on stderr and runs the kernel with the memory cap only.

This module runs before every learner kernel: it imports nothing beyond the standard library.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile

from . import limits

DEFAULT_MEMORY = limits.MEMORY_LIMIT
KERNEL_NAME = "coursekit-sandbox"
LAUNCHER = "coursekit.grading.sandbox"   # python -m LAUNCHER starts a sandboxed kernel
WORKDIR = "/tmp/work"
PACKAGE = pathlib.Path(__file__).resolve().parents[1]   # the installed coursekit


def available():
    """True when bubblewrap is installed and can create a sandbox here (probed: `problem`)."""
    return not problem()


@functools.lru_cache(maxsize=1)
def problem():
    """`probe()`, once per process (autograde asks before every run)."""
    return probe()


def probe():
    """Why a learner's kernel cannot be sandboxed on this machine; "" when it can. Runs this
    Python in a sandbox made with the grader's own bubblewrap options, which also fails where
    bwrap is installed but the kernel forbids user namespaces."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (not found on PATH)"
    with tempfile.TemporaryDirectory(prefix="coursekit-probe-") as work:
        cmd = bwrap_command([sys.executable, "-c", "pass"], work, [], [sys.prefix])
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, errors="replace")
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not make a sandbox ({type(exc).__name__}: {exc})"
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [f"status {proc.returncode}"]
        return f"bubblewrap is installed but could not make a sandbox ({detail[0][:200]})"
    return ""


# ---------------------------------------------------------------- the grader's side

@dataclasses.dataclass
class KernelSetup:
    """How the grader starts a learner's kernel: which kernelspec, found where, from which
    environment, and where its IPC sockets go (empty: TCP on localhost, no sandbox)."""
    name: str = "python3"
    kernel_dirs: tuple = ()      # folders holding the kernelspec (empty: Jupyter's search path)
    env: dict = None             # environment of the process that starts the kernel (None: this one's)
    runtime: str = ""            # folder of the per-kernel socket folders (IPC)

    @property
    def isolated(self):
        return bool(self.runtime)

    def sockets(self, label):
        """The IPC path prefix of one kernel (`label`: which of the grader's kernels), in a
        folder of its own; "" without a sandbox."""
        if not self.runtime:
            return ""
        folder = pathlib.Path(self.runtime) / label
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder / "kernel")

    def nbgrader_args(self, label="tests"):
        """Command-line options that make `nbgrader autograde` start its kernels this way."""
        if not self.isolated:
            return []
        return [f"--ResilientExecute.kernel_name={self.name}",
                *(f"--ResilientExecute.kernel_dirs={d}" for d in self.kernel_dirs),
                "--AsyncKernelManager.transport=ipc", f"--AsyncKernelManager.ip={self.sockets(label)}"]


def course_dirs(root):
    """Folders whose contents a learner's kernel must not see: the course, and the checkout
    coursekit runs from when that is a course too (an editable install)."""
    dirs = {pathlib.Path(root).resolve()}
    here = PACKAGE.parent
    if (here / "nbgrader_config.py").is_file():
        dirs.add(here)
    return dirs


def setup(hide_dirs, scratch, memory_limit):
    """Prepare `scratch` (the grader's folder for one submission) for sandboxed kernels;
    return their KernelSetup. The kernels see neither what is in `hide_dirs` (the course
    folders: a course root, or a list of folders from `course_dirs`) nor `scratch`."""
    scratch = pathlib.Path(scratch)
    dirs = course_dirs(hide_dirs) if isinstance(hide_dirs, (str, pathlib.Path)) else map(pathlib.Path, hide_dirs)
    hide = [str(entry) for d in sorted(dirs) if d.is_dir() for entry in sorted(d.iterdir())]
    hide.append(str(scratch.resolve()))
    runtime, tmp, jupyter = scratch / "runtime", scratch / "tmp", scratch / "jupyter"
    runtime.mkdir()
    tmp.mkdir()
    write_kernelspec(jupyter)
    env = dict(os.environ)
    env.update({
        "JUPYTER_PATH": os.pathsep.join([str(jupyter), env.get("JUPYTER_PATH", "")]).rstrip(os.pathsep),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "TMPDIR": str(tmp),
        "COURSEKIT_HIDE": os.pathsep.join(hide),
        "COURSEKIT_EXPOSE": os.pathsep.join([sys.prefix, str(PACKAGE)]),
        "COURSEKIT_MEMORY_LIMIT": str(memory_limit),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return KernelSetup(KERNEL_NAME, (str(jupyter / "kernels"),), env, str(runtime))


def write_kernelspec(folder, python=None):
    """Write kernels/coursekit-sandbox/kernel.json under `folder` (put `folder` on JUPYTER_PATH)."""
    python = python or sys.executable
    spec_dir = pathlib.Path(folder) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", LAUNCHER, python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (coursekit sandbox)",
        "language": "python",
        "interrupt_mode": "message",  # a signal to the launcher would not reach the sandboxed kernel
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


# ---------------------------------------------------------------- the launcher

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


def move_connection_file(argv, scratch):
    """The kernel reads its connection file (ports, key) at start; wherever the kernel
    manager wrote it may be hidden in the sandbox, so hand the kernel a copy in its folder.
    Returns the new argv and the folders of its IPC sockets (to be bound writable)."""
    argv, sockets = list(argv), []
    if "-f" in argv:
        i = argv.index("-f") + 1
        src = pathlib.Path(argv[i])
        shutil.copy2(src, pathlib.Path(scratch) / src.name)
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
        print("coursekit.grading.sandbox: bubblewrap (bwrap) not found: the learner's kernel is NOT "
              "isolated from the course files", file=sys.stderr)
        os.execvpe(argv[0], argv, env)
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="coursekit-kernel-"))
    shutil.copytree(os.getcwd(), scratch, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    argv, sockets = move_connection_file(argv, scratch)
    cmd = bwrap_command(argv, scratch, _paths("COURSEKIT_HIDE"), _paths("COURSEKIT_EXPOSE"), sockets)
    os.execvpe(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
