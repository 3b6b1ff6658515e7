"""The grading benchmark: stock nbgrader vs `coursekit autograde` serial, in parallel and on Dask,
on the same mixed submissions, measured side by side in one run.

    python tools/benchmark.py [--submissions N] [--runs stock,jobs1,jobs2,dask] [--out FILE]
                              [--assignment A] [--cell-timeout S] [--keep DIR]

In a scratch folder it builds a course holding ASSIGNMENT (default 03_logistic_regression), records
the re-check's checks once (as a course's first run caches them), and makes N submissions
(default 20): the answer key (every cell runs, full marks), the blank release, typical mistakes
(tests/variants/aNN_*.py MISTAKES: a mistake's source in place of its function's solution cell
in the answer key), one hostile submission (a solution cell that calls os._exit(1): the
kernel dies, is restarted and the cells before it replayed) and one looping submission (the last
graded function never returns: one cell timeout, then its other callers are not run). Each run grades them in a fresh
copy of that course (no gradebook of an earlier run):

    stock   `nbgrader autograde A --create --force`, the course configured like stock nbgrader 0.9
            (only the folders in nbgrader_config.py: no sandbox, no re-check, one process)
    jobs1   `python -m coursekit.cli autograde A --jobs 1` (sandbox + re-check, one at a time)
    jobs2   the same with `--jobs 2`
    norecheck  `--jobs 1 --no-recheck`: only when asked for; next to jobs1 it measures what the
            independent re-check costs (printed: jobs1's wall time over this one's; the suite
            checks only that both grade the key at full marks, tests/test_tampering.py)
    serial  the same without --jobs (serial before --jobs existed; since, --jobs defaults to
            the number of cores): only when asked for, or in place of jobs1 without --jobs
    dask    the same with `--cluster tcp://127.0.0.1:PORT`: a scheduler and two workers
            (`--nthreads 1 --preload coursekit.grading.daskworker`) started here beforehand
            (their start-up is not timed, as a cluster is left running) and stopped at the end

A run that this checkout's coursekit cannot do yet (no --jobs, no --cluster, no daskworker
module) is skipped with a message. Printed: a markdown table (wall time of the command, submissions
per minute, speed relative to stock) and, as a check, whether every run gave each student the same
total score (a warning names those that differ; stock scores the hostile submission differently
by design: it loses the whole notebook where coursekit loses only the parts the crash touched).
Before the runs, Run All of the answer key's graded slice (the cells coursekit's grading pass
runs) is timed in a fresh kernel: the table's last column is each run's mean time per submission
over it (issue 22's "grading time per submission / one execution of the graded slice").
`allcells` (`--jobs 1 --all-cells`, only when asked for) grades every cell, as before the slice.
The figures also go to --out (JSON, default benchmark.json in the current folder).
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import nbformat  # noqa: E402

from coursekit import course  # noqa: E402
from coursekit.grading import gradebook, recheck  # noqa: E402
from support import courses, variants  # noqa: E402

ALL_RUNS = ("stock", "jobs1", "jobs2", "dask")
KNOWN_RUNS = ("stock", "serial", "jobs1", "jobs2", "dask", "norecheck", "allcells")
HOSTILE_FUNCTION_INDEX = 2     # the graded function whose cell kills the kernel (a middle one)
HOSTILE_CODE = "\n\nimport os\nos._exit(1)  # benchmark: the kernel dies here\n"
DASK_WORKERS = 2
LOOPING_FUNCTION_INDEX = -1    # the graded function that never returns in the looping submission (the last)


# ---------------------------------------------------------------- the course and its submissions

def build_template(folder, assignment):
    """The built course in `folder`, with the re-check's records cached (.coursekit/)."""
    template = courses.build_course(folder, assignment)
    recheck.recorded_checks(template, assignment)
    return template


def mistakes(assignment):
    """(function, label, source) of every typical mistake, interleaved across functions so that
    any prefix of the list touches as many functions as it can."""
    by_function = {}
    for case in variants.cases(assignment):
        if not case.correct:
            by_function.setdefault(case.function, []).append(case)
    rows, depth = [], max((len(v) for v in by_function.values()), default=0)
    for i in range(depth):
        rows += [(fn, cases[i].label, cases[i].source) for fn, cases in by_function.items() if i < len(cases)]
    return rows


def with_function(nb, function, source):
    """A copy of `nb` where `function`'s solution cell holds `source`."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if course.is_solution(c) and course.grade_id(c) == function)
    cell.source = source
    return nb


def plan(assignment, n, template):
    """[(student, kind, NotebookNode)]: n submissions, the answer key every sixth, the blank
    release at 3 and 13, one hostile submission at 9 (or last), one looping submission at 15 (or
    next to last), typical mistakes elsewhere."""
    key = course.read(template / "solutions" / assignment / f"{assignment}.ipynb")
    blank = course.read(template / "notebooks" / assignment / f"{assignment}.ipynb")
    wrong = mistakes(assignment)
    functions = course.graded_functions(key)
    hostile_at = min(9, n - 1) if n > 1 else -1
    looping_at = min(15, n - 2) if n > 3 else -1
    out, m = [], 0
    for i in range(n):
        if i == looping_at:
            fn = functions[LOOPING_FUNCTION_INDEX]
            out.append((f"s{i:02d}_looping", f"looping ({fn} never returns)", with_loop(key, fn)))
        elif i == hostile_at:
            fn = functions[min(HOSTILE_FUNCTION_INDEX, len(functions) - 1)]
            cell = next(c for c in key.cells if course.is_solution(c) and course.grade_id(c) == fn)
            out.append((f"s{i:02d}_hostile", f"hostile (os._exit in {fn})",
                        with_function(key, fn, cell.source + HOSTILE_CODE)))
        elif i % 6 == 0 or not wrong:
            out.append((f"s{i:02d}_key", "answer key", key))
        elif i % 10 == 3:
            out.append((f"s{i:02d}_blank", "blank release", blank))
        else:
            fn, label, source = wrong[m % len(wrong)]
            m += 1
            out.append((f"s{i:02d}_mistake", f"mistake {fn}: {label}", with_function(key, fn, source)))
    return out


def with_loop(nb, function):
    """`nb` with `function`'s body starting with an endless loop."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if course.is_solution(c) and course.grade_id(c) == function)
    lines = cell.source.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"def {function}("))
    while not lines[at].rstrip().endswith(":"):
        at += 1
    cell.source = "\n".join([*lines[:at + 1], "    while True:  # benchmark: never returns", "        pass",
                             *lines[at + 1:]])
    return nb


def slice_seconds(template, assignment):
    """Run All of the answer key's graded slice (the cells coursekit's grading pass runs:
    coursekit.grading.slicing), in a fresh kernel: the floor of grading one submission."""
    from coursekit.grading import kernel, slicing
    key_path = template / "solutions" / assignment / f"{assignment}.ipynb"
    release = sorted((template / "notebooks" / assignment).glob("*.ipynb"))
    key = course.read(key_path)
    needed = slicing.needed(key, set(slicing.fingerprints(release)))
    key.cells = [c for i, c in enumerate(key.cells) if c.cell_type != "code" or i in needed]
    path = key_path.parent / "slice-of-the-key.ipynb"
    nbformat.write(key, path)
    try:
        seconds, _ = kernel.run_all(path, timeout=600)
    finally:
        path.unlink()
    return round(seconds, 2)


def submit_all(course_dir, assignment, submissions):
    for student, _, nb in submissions:
        folder = course_dir / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")


# ---------------------------------------------------------------- what this checkout can do

def coursekit_options():
    """The options `coursekit autograde` knows (its --help)."""
    proc = subprocess.run([sys.executable, "-m", "coursekit.cli", "autograde", "--help"],
                          cwd=ROOT, capture_output=True, text=True)
    return set(re.findall(r"--[a-z][a-z-]+", proc.stdout))


def has_module(name):
    import importlib.util
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def why_not(run, options):
    """None when `run` can be done with this checkout, else why not."""
    if run == "allcells" and "--all-cells" not in options:
        return "coursekit autograde has no --all-cells yet"
    if run in ("jobs1", "jobs2", "norecheck", "allcells") and "--jobs" not in options:
        return "coursekit autograde has no --jobs yet"
    if run == "norecheck" and "--no-recheck" not in options:
        return "coursekit autograde has no --no-recheck"
    if run == "dask":
        if "--cluster" not in options:
            return "coursekit autograde has no --cluster yet"
        if not has_module("coursekit.grading.daskworker"):
            return "coursekit.grading.daskworker does not exist yet"
        if not shutil.which("dask", path=os.pathsep.join([str(pathlib.Path(sys.executable).parent),
                                                          os.environ.get("PATH", "")])):
            return "the `dask` command is not installed (pip install distributed)"
    return None


# ---------------------------------------------------------------- a Dask cluster on loopback

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(procs):
    """Stop the processes this script started (terminate, then kill), in reverse order."""
    for proc in reversed(procs):
        if proc.poll() is None:
            proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def dask_cluster(logs, workers=DASK_WORKERS, timeout=120):
    """A scheduler and `workers` single-threaded workers on 127.0.0.1, preloading coursekit's
    worker module; yields the scheduler address and the seconds the start took."""
    bindir = pathlib.Path(sys.executable).parent
    dask = str(bindir / "dask") if (bindir / "dask").exists() else "dask"
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PATH=os.pathsep.join([str(bindir), os.environ.get("PATH", "")]),
               # as the README starts workers: not daemonic, so that they may fork nbgrader from a warm server
               DASK_DISTRIBUTED__WORKER__DAEMON="False")
    procs, start = [], time.monotonic()
    try:
        procs.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--no-dashboard"], cwd=logs, env=env,
                                      stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT))
        for i in range(workers):
            procs.append(subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                           "--no-dashboard", "--name", f"bench-{i}",
                                           "--preload", "coursekit.grading.daskworker"],
                                          cwd=logs, env=env, stdout=open(logs / f"worker-{i}.log", "w"),
                                          stderr=subprocess.STDOUT))
        from distributed import Client
        with Client(address, timeout=timeout) as client:
            client.wait_for_workers(workers, timeout=timeout)
        yield address, time.monotonic() - start
    finally:
        stop(procs)


# ---------------------------------------------------------------- the runs

def command(run, assignment, cell_timeout, address=None):
    if run == "stock":
        return ["nbgrader", "autograde", assignment, "--create", "--force"]
    cmd = ["coursekit.cli", "autograde", assignment, f"--cell-timeout={cell_timeout}"]
    if run == "jobs1":
        cmd.append("--jobs=1")
    elif run == "jobs2":
        cmd.append("--jobs=2")
    elif run == "norecheck":
        cmd += ["--jobs=1", "--no-recheck"]
    elif run == "allcells":
        cmd += ["--jobs=1", "--all-cells"]
    elif run == "dask":
        cmd.append(f"--cluster={address}")
    return cmd


def run_once(run, template, folder, assignment, submissions, cell_timeout, timeout):
    """Grade `submissions` with `run` in a fresh copy of `template`; the figures."""
    dest = folder / run
    if run == "stock":
        courses.stock(template, dest)
    else:
        courses.copy_course(template, dest)
    submit_all(dest, assignment, submissions)
    if run != "stock":
        # the records are cached under a key that covers coursekit's code: made again (untimed)
        # if coursekit changed since the template was built, as a course's first run would
        recheck.recorded_checks(dest, assignment)
    extra, address = {}, None
    with contextlib.ExitStack() as stack:
        if run == "dask":
            logs = folder / "dask-logs"
            logs.mkdir(exist_ok=True)
            address, started = stack.enter_context(dask_cluster(logs))
            extra["cluster_start_s"] = round(started, 1)
        args = command(run, assignment, cell_timeout, address)
        proc, wall = courses.run(dest, *args, timeout=timeout)
    (folder / f"{run}.log").write_text(proc.stdout + proc.stderr)
    students = [s for s, _, _ in submissions]
    table, _ = gradebook.scores(dest, assignment, students)
    per = [float(x) for x in re.findall(r"graded(?: with zeros)? in ([0-9.]+) s", proc.stdout)]
    return {"run": run, "command": "python -m " + " ".join(args), "exit": proc.returncode,
            "wall_s": round(wall, 1), "submissions": len(students),
            "per_minute": round(60 * len(students) / wall, 2),
            "mean_reported_s": round(sum(per) / len(per), 2) if per else None,
            "totals": {s: (round(sum(r.values()), 3) if r else None) for s, r in table.items()},
            "log": str(folder / f"{run}.log"), **extra}


def compare_totals(results, kinds):
    """Warnings for students whose total score differs between runs (coursekit runs strictly;
    stock only reported, as it grades crashes and stderr differently by design)."""
    warnings = []
    graded = [r for r in results if "totals" in r]
    ours = [r for r in graded if r["run"] != "stock"]
    for student in (graded[0]["totals"] if graded else {}):
        seen = {r["run"]: r["totals"].get(student) for r in graded}
        mine = {r["run"]: r["totals"].get(student) for r in ours}
        if len(set(mine.values())) > 1:
            warnings.append(f"WARNING: {student} ({kinds[student]}): coursekit runs disagree on the total: {mine}")
        elif len(set(seen.values())) > 1:
            warnings.append(f"note: {student} ({kinds[student]}): stock differs from coursekit: {seen}")
    return warnings


def table(results, floor=None):
    stock = next((r for r in results if r["run"] == "stock" and "wall_s" in r), None)
    lines = ["| run | wall time (s) | submissions per minute | speed vs stock | exit | per submission / slice |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['run']} | skipped: {r['skipped']} | | | | |")
            continue
        speed = f"{stock['wall_s'] / r['wall_s']:.2f}x" if stock else "n/a"
        ratio = f"{r['mean_reported_s'] / floor:.2f}" if floor and r.get("mean_reported_s") else "n/a"
        lines.append(f"| {r['run']} (`{r['command'].replace('python -m ', '')}`) | {r['wall_s']:.1f} | "
                     f"{r['per_minute']:.1f} | {speed} | {r['exit']} | {ratio} |")
    return "\n".join(lines)


def load():
    """The machine's load averages (others may be running tests on it)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="03_logistic_regression")
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--runs", default=",".join(ALL_RUNS),
                        help=f"comma-separated, in order, of {', '.join(KNOWN_RUNS)} (serial: coursekit "
                             "autograde without --jobs); default %(default)s")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("benchmark.json"))
    parser.add_argument("--cell-timeout", type=int, default=60, help="coursekit's --cell-timeout (default 60)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed for one run (default 3600)")
    parser.add_argument("--keep", type=pathlib.Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    # nbgrader runs `alembic` by name: this interpreter's scripts first on PATH
    os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    unknown = [r for r in runs if r not in KNOWN_RUNS]
    if unknown:
        parser.error(f"unknown run(s) {unknown}; known: {', '.join(KNOWN_RUNS)}")
    options = coursekit_options()
    if "--jobs" not in options and "jobs1" in runs and "serial" not in runs:
        runs[runs.index("jobs1")] = "serial"   # without --jobs, coursekit autograde is serial
        print("coursekit autograde has no --jobs yet: `jobs1` runs as `serial` (without --jobs)", file=sys.stderr)

    with contextlib.ExitStack() as stack:
        if args.keep:
            folder = args.keep.resolve()
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="coursekit-bench-")))
        start = time.monotonic()
        template = build_template(folder / "template", args.assignment)
        submissions = plan(args.assignment, args.submissions, template)
        kinds = {s: k for s, k, _ in submissions}
        print(f"built {args.assignment} and {len(submissions)} submissions in {time.monotonic() - start:.0f} s; "
              f"load {load()}", file=sys.stderr)
        floor = slice_seconds(template, args.assignment) if has_module("coursekit.grading.slicing") else None
        print(f"Run All of the answer key's graded slice: {floor} s", file=sys.stderr)
        results = []
        for run in runs:
            reason = why_not(run, options)
            if reason:
                print(f"skipping {run}: {reason}", file=sys.stderr)
                results.append({"run": run, "skipped": reason})
                continue
            before = load()
            result = run_once(run, template, folder, args.assignment, submissions, args.cell_timeout, args.timeout)
            result["load_before"], result["load_after"] = before, load()
            print(f"{run}: {result['wall_s']} s (exit {result['exit']}, load {before} -> {result['load_after']})",
                  file=sys.stderr)
            if result["exit"] not in (0,):
                print(f"  {run} exited {result['exit']}: see {result['log']}" if args.keep
                      else f"  {run} exited {result['exit']} (use --keep DIR to keep its log)", file=sys.stderr)
            results.append(result)
        warnings = compare_totals(results, kinds)
        report = {"assignment": args.assignment, "submissions": kinds, "cpus": os.cpu_count(), "slice_s": floor,
                  "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "runs": results,
                  "warnings": warnings}
        args.out.write_text(json.dumps(report, indent=1))
    print(f"### {args.assignment}: {len(submissions)} submissions, {os.cpu_count()} cores, "
          f"load {load()} at the end\n")
    print(table(results, floor))
    print()
    if floor:
        print(f"one Run All of the answer key's graded slice: {floor} s (same run; the last column divides each "
              "run's mean reported time per submission by it)\n")
    timed = {r["run"]: r["wall_s"] for r in results if "wall_s" in r}
    if "jobs1" in timed and "norecheck" in timed:
        print(f"the re-check's cost: --jobs 1 takes x{timed['jobs1'] / timed['norecheck']:.2f} the time of "
              f"--jobs 1 --no-recheck (load {load()}: repeat on a quiet machine before quoting it)\n")
    for w in warnings:
        print(w)
    if not any(w.startswith("WARNING") for w in warnings):
        print("every coursekit run gave each student the same total score")
    print(f"\nfigures: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
