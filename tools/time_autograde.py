"""Per-submission autograde cost: stock `nbgrader autograde` vs `coursekit autograde`, with and
without the independent re-check, measured in one run on scratch copies of the course.

    python tools/time_autograde.py [ASSIGNMENT] [--students N] [--from COURSE] [--grader CHECKOUT]

Every student submits the answer key (full marks everywhere, so every cell runs). Printed: the
wall time per submission that `coursekit autograde` reports (measure on a quiet machine: other
work on it shows up here). The recorded checks of the re-check are made once beforehand, as
the cache holds them after a course's first run.

--from: the course folder whose source/, notebooks/ and solutions/ are used (default: this
repository). --grader: the checkout whose coursekit and nbgrader_config.py grade (default:
this one), e.g. an export of another commit, to compare two versions on the same notebooks.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
STOCK_CONFIG = '''c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.solution_directory = "solutions"
'''


def course(tmp, name, assignment, students, stock, origin, grader):
    root = pathlib.Path(tmp) / name
    shutil.copytree(origin / "source" / assignment, root / "source" / assignment)
    shutil.copytree(origin / "notebooks" / assignment, root / "notebooks" / assignment)
    if stock:
        (root / "nbgrader_config.py").write_text(STOCK_CONFIG.format(root=str(root)))
    else:
        shutil.copy2(grader / "nbgrader_config.py", root)
    for i in range(students):
        shutil.copytree(origin / "solutions" / assignment, root / "submitted" / f"s{i}" / assignment)
    run(root, grader, "nbgrader", "generate_assignment", assignment, "--force", check=True)
    return root


def run(root, grader, *args, check=False):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(grader), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", *args], cwd=root, capture_output=True, text=True, env=env,
                          check=check)


def timed(root, grader, *args):
    """(wall seconds, CompletedProcess)."""
    start = time.perf_counter()
    proc = run(root, grader, *args)
    return time.perf_counter() - start, proc


def record(root, grader, assignment):
    """The re-check's recorded checks, made now so that the timed run reads them from the cache."""
    code = ("import pathlib, sys\n"
            "try:\n    from coursekit.grading.recheck import recorded_checks\n"
            "except ImportError:\n    from coursekit.autograde import recorded_checks\n"
            f"recorded_checks(pathlib.Path({str(root)!r}), {assignment!r})\n")
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, capture_output=True,
                   env=dict(os.environ, PYTHONPATH=str(grader)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("assignment", nargs="?", default="03_logistic_regression")
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--from", dest="origin", type=pathlib.Path, default=ROOT)
    parser.add_argument("--grader", type=pathlib.Path, default=ROOT)
    args = parser.parse_args()
    a, n, grader = args.assignment, args.students, args.grader.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        stock = course(tmp, "stock", a, n, True, args.origin, grader)
        wall, proc = timed(stock, grader, "nbgrader", "autograde", a, "--create", "--force")
        print(f"stock nbgrader autograde: {wall / n:.1f} s per submission (exit {proc.returncode})")
        figures = {}
        for label, extra in (("coursekit autograde --no-recheck", ["--no-recheck"]), ("coursekit autograde", [])):
            root = course(tmp, label.replace(" ", "_"), a, n, False, args.origin, grader)
            if not extra:
                record(root, grader, a)
            wall, proc = timed(root, grader, "coursekit.cli", "autograde", a, *extra)
            per = [float(x) for x in re.findall(r"graded in ([0-9.]+) s", proc.stdout)]
            figures[label] = sum(per) / max(len(per), 1)
            print(f"{label}: {figures[label]:.1f} s per submission; {wall:.1f} s for the run of {n} "
                  f"(exit {proc.returncode})")
        print(f"the re-check costs x{figures['coursekit autograde'] / figures['coursekit autograde --no-recheck']:.2f} "
              "per submission")


if __name__ == "__main__":
    main()
