"""`coursekit build`: regenerate the learner release and the answer key from source/.

    coursekit build [ASSIGNMENT ...]          write notebooks/ and solutions/
    coursekit build --check [ASSIGNMENT ...]  regenerate in a scratch copy and fail if the
                                              committed notebooks/ or solutions/ differ,
                                              if a source notebook holds outputs, or if
                                              its prose or the README states points
                                              otherwise than its test cells

Each release built is added to source/_issued/<A>.json (coursekit.grading.releases: the
grading metadata of every release the course has issued, so that intake never takes a
learner's notebook from an earlier release for an edit), and the build says how many grades
were made against an earlier release.

First the answer key runs once and what its oracles return is recorded as data
(coursekit.recording: source/<A>/expected.json, released; source/_expected/<A>.hidden.json,
the grader's). Then both steps are plain nbgrader (`generate_assignment`, `generate_solution`) with the
course's nbgrader_config.py, so an instructor can run them by hand as well.
"""
from __future__ import annotations

import filecmp
import json
import pathlib
import re
import shutil
import tempfile

from . import course, recording
from .course import assignments, find_root  # noqa: F401 - the course layout, used here and by callers
from .grading import releases
from .grading.nbgrader_cli import generate, nbgrader, tool_env  # noqa: F401 - nbgrader's command line

COURSE_FILES = ("nbgrader_config.py",)
GENERATED = ("notebooks", "solutions")


BuildError = course.CourseError   # the build's name for it: what cli.py and the tests catch


def source_outputs(root, names):
    """Source notebooks that hold outputs or execution counts (they must be kept clean)."""
    dirty = []
    for name in names:
        for path in course.notebooks(root, name):
            nb = json.loads(path.read_text(encoding="utf-8"))
            if any(c.get("outputs") or c.get("execution_count")
                   for c in nb.get("cells", []) if c.get("cell_type") == "code"):
                dirty.append(str(path.relative_to(root)))
    return dirty


def build(root, names=None, log=print):
    names = assignments(root, names)
    dirty = source_outputs(root, names)
    if dirty:
        raise BuildError("source notebooks must be kept without outputs; clear them: " + ", ".join(dirty))
    for name in names:
        recording.write(root, name, recording.record(root, name))
        before = releases.previous(root, name)   # a course's first history keeps the release it had
        for out in GENERATED:
            shutil.rmtree(root / out / name, ignore_errors=True)
        generate(root, name)
        changed = releases.record(root, name, before=before)
        log(f"built {name}: notebooks/{name}/ and solutions/{name}/")
        stale = releases.stale(root, name, releases.newest_id(root, name), changed)
        if stale:
            n = len(stale)
            log(f"{n} submission{'s' * (n != 1)} of {name} {'were' if n != 1 else 'was'} graded against an earlier "
                f"release: run `coursekit autograde {name}` to regrade, then feedback is refreshed")
    return names


def check(root, names=None, log=print):
    """Regenerate in a scratch copy; return a list of problems (empty when all is in step)."""
    names = assignments(root, names)
    problems = [f"{p} holds outputs (clear them)" for p in source_outputs(root, names)]
    problems += [p for name in names for p in stated_points(root, name)]
    with tempfile.TemporaryDirectory(prefix="coursekit-build-") as tmp:
        scratch = pathlib.Path(tmp)
        for f in COURSE_FILES:
            shutil.copy2(root / f, scratch / f)
        shutil.copytree(root / "source", scratch / "source")
        for name in names:
            recording.write(scratch, name, recording.record(scratch, name))
            for committed, fresh in zip(recording.paths(root, name), recording.paths(scratch, name)):
                problems += recording.in_step(committed, fresh, str(committed.relative_to(root)))
            generate(scratch, name)
            for out in GENERATED:
                problems += _compare_trees(root / out / name, scratch / out / name, f"{out}/{name}")
    if not problems:
        log(f"build check passed: notebooks/ and solutions/ match source/ for {', '.join(names)}")
    return problems


def stated_points(root, name):
    """Where the prose says a graded function's points, or the total, otherwise than the cell
    metadata (the one source): the exercise headings, the table or list in the first cell, its
    total, and the README's course map. A list of problems."""
    (path,) = course.notebooks(root, name)
    nb = course.read(path)
    points = course.points(nb)
    total = sum(points.values())
    intro = nb.cells[0].source if nb.cells else ""
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    stated = [(f, n, "its exercise heading") for f, n in
              re.findall(r"Exercise[^`\n]*`(\w+)`[^\n(]*\((\d+(?:\.\d+)?) points?\)", markdown)]
    stated += [(f, n, "the table of the first cell")
               for f, n in re.findall(r"^\| `(\w+)` \|.*\| (\d+(?:\.\d+)?) \|$", intro, re.M)]
    stated += [(f, n, "the list of the first cell") for f, n in re.findall(r"`(\w+)` \((\d+(?:\.\d+)?)\)", intro)]
    readme = pathlib.Path(root) / "README.md"
    row = (re.search(rf"^\| {re.escape(name[:2])} \|.*$", readme.read_text(encoding="utf-8"), re.M)
           if readme.is_file() else None)
    if row:
        stated += [(f, n, "the README's course map")
                   for f, n in re.findall(r"`(\w+)` \((\d+(?:\.\d+)?)\)", row.group(0))]
    problems = [f"{name}: {where} gives {f} {n} points, its test cells {points[f]:g}"
                for f, n, where in stated if f in points and float(n) != points[f]]
    totals = re.findall(r"\((\d+) points(?: in total)?\)|(\d+) in total", intro)
    problems += [f"{name}: the first cell says {a or b} points in total, the test cells {total:g}"
                 for a, b in totals if float(a or b) != total]
    return problems


def _compare_trees(committed, fresh, label):
    if not committed.is_dir():
        return [f"{label}/ is missing: run `coursekit build`"]
    problems = []
    cmp = filecmp.dircmp(committed, fresh, ignore=[".ipynb_checkpoints", "__pycache__"])
    stack = [(cmp, label)]
    while stack:
        c, where = stack.pop()
        problems += [f"{where}/{f} is not generated from source/ (remove it)" for f in c.left_only]
        problems += [f"{where}/{f} is missing: run `coursekit build`" for f in c.right_only]
        for f in c.common_files:
            if f == recording.expected.VISIBLE_FILE:   # recorded numbers: equal up to rounding
                problems += recording.in_step(pathlib.Path(c.left) / f, pathlib.Path(c.right) / f, f"{where}/{f}")
            elif (pathlib.Path(c.left) / f).read_bytes() != (pathlib.Path(c.right) / f).read_bytes():
                problems.append(f"{where}/{f} differs from what source/ generates: run `coursekit build`")
        stack += [(sub, f"{where}/{d}") for d, sub in c.subdirs.items()]
    return problems
