"""Scratch courses for end-to-end tests.

- `built(tmp_path_factory, assignment)`: the course for one assignment, built once per run
  (nbgrader_config.py and source/ copied, `coursekit build`: notebooks/ and solutions/, and the
  answer key's checks recorded for the re-check, in .coursekit/); copy it with `copy_course`
  before grading in it.
- `stock(course, dest)`: the same course for stock nbgrader 0.9: its nbgrader_config.py sets
  only the course folders (nothing of coursekit), to show what plain nbgrader does.
- `submit`, `run`: a submission from a folder of notebooks; `python -m ...` in a course.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

from coursekit import build
from coursekit.grading import recheck

from .nbtools import ROOT, stock_config
from .once import once

# left out of copies; the gradebook stays (it knows the assignment: stock nbgrader needs that), and
# so do the recorded checks (.coursekit/: the same source and coursekit, the same records)
GRADING_STATE = ("submitted", "autograded", "feedback")


def build_course(dest, assignment, source_root=ROOT):
    """A course in `dest` holding one assignment, built."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source_root / "nbgrader_config.py", dest)
    shutil.copytree(source_root / "source" / assignment, dest / "source" / assignment)
    build.build(dest, [assignment], log=lambda *_: None)
    return dest


def built(tmp_path_factory, assignment):
    """The built course of `assignment` with its recorded checks, made once per run: read it,
    or copy it."""
    def make(folder):
        course = build_course(folder / "course", assignment)
        return len(recheck.recorded_checks(course, assignment))
    _, folder = once(tmp_path_factory, f"built-{assignment}", make)
    return folder / "course"


def copy_course(course, dest, config=None, state=False):
    """A copy of `course` at `dest` (without submissions, autograded notebooks and feedback,
    unless `state`); `config` (text) replaces its nbgrader_config.py."""
    shutil.copytree(course, dest, ignore=None if state else shutil.ignore_patterns(*GRADING_STATE))
    if config is not None:
        (dest / "nbgrader_config.py").write_text(config)
    return dest


def stock(course, dest):
    """A copy of `course` configured for stock nbgrader."""
    return copy_course(course, dest, stock_config(dest))


def submit(course, assignment, student, folder):
    """Copy `folder` (notebooks and data files) as `student`'s submission of `assignment`."""
    dest = course / "submitted" / student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(folder, dest)
    return dest


def run(cwd, *args, timeout=1800):
    """`python -m ARGS` in `cwd`; (CompletedProcess, seconds)."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True,
                          errors="replace", timeout=timeout)
    return proc, time.monotonic() - start
