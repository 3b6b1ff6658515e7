"""Per-submission autograde time: stock `nbgrader autograde` vs `coursekit autograde`, with and
without the independent re-check, measured in one run on a scratch copy of the course.

    python tools/time_autograde.py [ASSIGNMENT] [--students N]

Every student submits the answer key (full marks everywhere, so every cell runs).
"""
import argparse
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


def course(tmp, name, assignment, students, stock):
    root = pathlib.Path(tmp) / name
    shutil.copytree(ROOT / "source" / assignment, root / "source" / assignment)
    shutil.copytree(ROOT / "notebooks" / assignment, root / "notebooks" / assignment)
    if stock:
        (root / "nbgrader_config.py").write_text(STOCK_CONFIG.format(root=str(root)))
    else:
        shutil.copy2(ROOT / "nbgrader_config.py", root)
    for i in range(students):
        shutil.copytree(ROOT / "solutions" / assignment, root / "submitted" / f"s{i}" / assignment)
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                   cwd=root, check=True, capture_output=True)
    return root


def timed(root, *args):
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", *args], cwd=root, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("assignment", nargs="?", default="03_logistic_regression")
    parser.add_argument("--students", type=int, default=3)
    args = parser.parse_args()
    a, n = args.assignment, args.students
    with tempfile.TemporaryDirectory() as tmp:
        stock = course(tmp, "stock", a, n, stock=True)
        seconds, proc = timed(stock, "nbgrader", "autograde", a, "--create", "--force")
        print(f"stock nbgrader autograde: {seconds / n:.1f} s per submission (exit {proc.returncode})")
        for label, extra in (("coursekit autograde --no-recheck", ["--no-recheck"]), ("coursekit autograde", [])):
            root = course(tmp, label.replace(" ", "_"), a, n, stock=False)
            seconds, proc = timed(root, "coursekit.cli", "autograde", a, *extra)
            per = [float(x) for x in re.findall(r"graded in ([0-9.]+) s", proc.stdout)]
            print(f"{label}: {sum(per) / max(len(per), 1):.1f} s per submission, "
                  f"{seconds:.1f} s for the run of {n} (exit {proc.returncode})")


if __name__ == "__main__":
    main()
