"""`coursekit measure`: how long Run All takes for each notebook, as a learner's kernel runs it.

Each notebook is executed top to bottom in a fresh kernel (nbclient, the machinery behind
JupyterLab's Run All and nbgrader), from its own folder; the wall time includes kernel
start-up. The table printed is the one in the README's course map.
"""
from __future__ import annotations

from . import course
from .build import assignments
from .grading.kernel import run_all


def measure(root, names=None, where="source", log=print):
    rows = []
    for name in assignments(root, names):
        for path in course.notebooks(root, name, where):
            seconds, nb = run_all(path)
            points = course.points(nb)
            rows.append((path.stem, seconds, points))
            log(f"{path.stem}: Run All {seconds:.1f} s, {len(points)} graded functions, "
                f"{sum(points.values()):g} points")
    log("\n| assignment | graded functions (points) | Run All |\n|---|---|---|")
    for name, seconds, points in rows:
        funcs = ", ".join(f"`{n}` ({p:g})" for n, p in points.items())
        log(f"| {name} | {funcs} | {seconds:.1f} s |")
    return rows
