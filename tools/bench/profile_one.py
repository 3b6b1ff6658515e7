"""Where one submission's time goes in `coursekit autograde` (worker.grade_task and the coordinator), phase by phase.

    python tools/bench/profile_one.py [--template COURSE] [--repeat N] [--assignment A]
                                      [--pyinstrument DIR] [--kernels N]

Grades the answer key (every cell runs, every check is re-checked) REPEAT times, each as a new
student, by calling coursekit.grading.autograde.autograde(jobs=1) in this process with its phases wrapped
in timers (nothing of coursekit is edited: the wrappers are put on the module attributes it
looks up). Also timed, REPEAT times each: stock `nbgrader autograde --student S` of the same
notebook in a stock copy of the course; a bare kernel start + shutdown (python3 over TCP, the
sandbox kernelspec over IPC); the per-run steps (sync_gradebook, recorded_checks from the cache,
gradebook.scores). --pyinstrument DIR: one more nbgrader subprocess of each kind profiled by
pyinstrument (text reports in DIR). Prints a markdown table of medians (and min-max).
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve()
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from coursekit.grading import autograde, gradebook, recheck, sandbox  # noqa: E402
from support import courses  # noqa: E402

TIMES: dict[str, list] = {}


def timed(label, fn):
    """`fn`, adding its wall time under `label` to TIMES on each call."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES.setdefault(label, []).append(time.perf_counter() - start)
    return wrapper


PHASES = [  # (module, attribute, label): what grade_task and the coordinator call, by module attribute
    ("worker", "write_files", "worker: write_files (unpack the task)"),
    ("intake", "prepare", "worker: intake.prepare"),
    ("sandbox", "setup", "worker: sandbox.setup"),
    ("worker", "run_nbgrader", "worker: nbgrader autograde subprocess"),
    ("gradebook", "grading_complete", "worker: gradebook.grading_complete"),
    ("gradebook", "passed", "worker: gradebook.passed"),
    ("worker", "run_recheck", "worker: re-check (recheck.run, total)"),
    ("recheck", "apply", "worker: recheck.apply (gradebook)"),
    ("summary", "cell_events", "worker: summary.cell_events"),
    ("summary", "add_notes", "worker: summary.add_notes"),
    ("worker", "read_submission", "worker: read_submission (gradebook)"),
    ("worker", "files_of", "worker+coordinator: files_of"),
    ("autograde", "grade_task", "grade_task (total, one submission)"),
    ("record", "write", "coordinator: record.write (per submission)"),
    ("autograde", "sync_gradebook", "per run: sync_gradebook (generate_assignment)"),
    ("autograde", "template_gradebook", "per run: template_gradebook (generate_assignment)"),
    ("recheck", "recorded_checks", "per run: recorded_checks (cached)"),
    ("worker", "bundle", "per run: worker.bundle"),
    ("gradebook", "scores", "per run: gradebook.scores"),
]


def instrument():
    """Timers on what grade_task and the coordinator call (module attributes, so nothing of
    coursekit is edited), and on the re-check kernel's launch, ready and shutdown."""
    import importlib
    for module, attr, label in PHASES:
        mod = importlib.import_module(f"coursekit.grading.{module}")
        if hasattr(mod, attr):
            setattr(mod, attr, timed(label, getattr(mod, attr)))
        else:
            print(f"profile_one: coursekit.grading.{module} has no {attr} (any more): not timed", file=sys.stderr)
    rk = recheck.ReplayKernel
    rk.start_new_kernel = timed("  re-check kernel: launch", rk.start_new_kernel)
    rk.start_new_kernel_client = timed("  re-check kernel: wait ready", rk.start_new_kernel_client)
    rk._cleanup_kernel = timed("  re-check kernel: shutdown", rk._cleanup_kernel)
    rk._run_driver = timed("  re-check: driver cells (the calls)", rk._run_driver)


def kernel_start(setup, label, cwd):
    """Seconds to start a kernel as `setup` says (in folder `cwd`: the sandbox launcher copies
    it) and get its kernel_info reply; then to shut it down."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    async def go():
        specs = KernelSpecManager(kernel_dirs=list(setup.kernel_dirs)) if setup.kernel_dirs else KernelSpecManager()
        options = {"transport": "ipc", "ip": setup.sockets(label)} if setup.isolated else {}
        km = AsyncKernelManager(kernel_name=setup.name, kernel_spec_manager=specs, **options)
        t0 = time.perf_counter()
        await km.start_kernel(cwd=str(cwd), **({"env": setup.env} if setup.env else {}))
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        t1 = time.perf_counter()
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        return t1 - t0, time.perf_counter() - t1

    return asyncio.run(go())


def run_stock(stock, assignment, student, prefix=()):
    cmd = [sys.executable, *prefix, "-m", "nbgrader", "autograde", assignment, "--student", student,
           "--create", "--force"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=stock, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def save(path):
    """TIMES so far, as JSON (a run cut short keeps what it measured)."""
    if path:
        import json
        path.write_text(json.dumps({"load": os.getloadavg(), "times": TIMES}, indent=1))


def summarize():
    rows = ["| phase | calls | median s | min-max s |", "| --- | ---: | ---: | --- |"]
    for label, values in TIMES.items():
        rows.append(f"| {label} | {len(values)} | {statistics.median(values):.2f} | "
                    f"{min(values):.2f}-{max(values):.2f} |")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="03_logistic_regression")
    parser.add_argument("--template", type=pathlib.Path,
                        help="a built course (tools/benchmark.py --keep DIR: DIR/template)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kernels", type=int, default=3, help="bare kernel starts of each kind")
    parser.add_argument("--pyinstrument", type=pathlib.Path)
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--json", type=pathlib.Path, help="write the raw timings here as they come")
    args = parser.parse_args()
    a = args.assignment
    os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])
    with tempfile.TemporaryDirectory(prefix="coursekit-profile-") as tmp:
        tmp = pathlib.Path(tmp)
        if args.template:
            template = args.template
        else:
            template = courses.build_course(tmp / "template", a)
            recheck.recorded_checks(template, a)
        ours = courses.copy_course(template, tmp / "ours")
        stock = courses.stock(template, tmp / "stock")
        key = template / "solutions" / a
        students = [f"p{i}" for i in range(args.repeat)]
        for s in students:
            courses.submit(ours, a, s, key)
            courses.submit(stock, a, s, key)
        print(f"load before: {os.getloadavg()}", file=sys.stderr)
        instrument()
        opts = autograde.Options()
        for s in students:   # one at a time, as autograde --jobs 1 does, in this process
            autograde.autograde(ours, a, [s], opts, log=lambda *_: None, jobs=1, progress=False)
            print(f"{s}: graded; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
            save(args.json)
        table, _ = gradebook.scores(ours, a, students)
        print(f"scores: { {k: sum(v.values()) for k, v in table.items()} }", file=sys.stderr)
        if args.pyinstrument:
            profile_nbgrader(ours, a, students[0], opts, args.pyinstrument)
        if not args.skip_stock:
            for s in students:
                secs, proc = run_stock(stock, a, s)
                TIMES.setdefault("STOCK nbgrader autograde --student (subprocess)", []).append(secs)
                save(args.json)
            if args.pyinstrument:
                args.pyinstrument.mkdir(parents=True, exist_ok=True)
                run_stock(stock, a, "p0", ("-m", "pyinstrument", "-r", "text", "-o",
                                           str(args.pyinstrument / "stock-nbgrader.txt")))
        for i in range(args.kernels):
            scratch = tmp / f"k{i}"
            scratch.mkdir()
            setup = sandbox.setup(sorted(str(d) for d in sandbox.course_dirs(ours)), scratch, sandbox.DEFAULT_MEMORY)
            work = scratch / "work"
            work.mkdir()
            up, down = kernel_start(setup, "bench", work)
            TIMES.setdefault("bare kernel, sandbox (bwrap, IPC): start to ready", []).append(up)
            TIMES.setdefault("bare kernel, sandbox (bwrap, IPC): shutdown", []).append(down)
            up, down = kernel_start(sandbox.KernelSetup(), "bench", work)
            TIMES.setdefault("bare kernel, python3 (TCP): start to ready", []).append(up)
            TIMES.setdefault("bare kernel, python3 (TCP): shutdown", []).append(down)
        print(f"load after: {os.getloadavg()}", file=sys.stderr)
        save(args.json)
    print(summarize())


def profile_nbgrader(root, assignment, student, opts, folder):
    """The nbgrader subprocess of a submission, under pyinstrument (a text report in `folder`);
    run in the course itself (the worker runs it in a private course folder: the same work)."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="coursekit-prof-"))
    try:
        hide = sorted(str(d) for d in sandbox.course_dirs(root))
        setup = sandbox.setup(hide, scratch, opts.memory_limit)
        cmd = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o",
               str(folder / "coursekit-nbgrader.txt"), "-m", "nbgrader", "autograde", assignment,
               "--student", student, "--create", "--force",
               f"--ResilientExecute.timeout={opts.cell_timeout}", *setup.nbgrader_args("tests")]
        from coursekit.grading.nbgrader_cli import tool_env
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=tool_env(setup.env))
        print(f"pyinstrument nbgrader: {time.perf_counter() - t0:.1f} s, exit {proc.returncode}", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
