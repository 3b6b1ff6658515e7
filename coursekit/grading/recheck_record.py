"""The re-check, part 1 (recheck.py): record the answer key's graded calls, once.

The answer key (source/) runs once with COURSEKIT_RECORD set (in the kernel's environment);
every `ck.check` call is written down as data: notebook, test cell, graded function, inputs,
the oracle's expected value, the tolerance (coursekit.replay). `recorded_checks` caches the
records in .coursekit/, keyed on everything that can change an expected value.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import pathlib
import platform
import shutil
import tempfile

import nbformat

from .. import course, replay
from . import kernel

PACKAGE = pathlib.Path(__file__).resolve().parents[1]   # coursekit/
CACHE = ".coursekit"


def record(root, assignment, timeout=300):
    """Run the answer key with recording on; return the list of recorded checks."""
    records = []
    for src in course.notebooks(root, assignment):
        nb = course.read(src)
        cells = []
        for cell in nb.cells:
            if course.is_test(cell):
                cells.append(nbformat.v4.new_code_cell(
                    f"__import__('coursekit.replay').replay.set_context({course.grade_id(cell)!r})"))
            cells.append(cell)
        nb.cells = cells
        with tempfile.TemporaryDirectory(prefix="coursekit-record-") as tmp:
            work = pathlib.Path(tmp) / assignment
            shutil.copytree(src.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
            path = work / src.name
            nbformat.write(nb, path)
            log = pathlib.Path(tmp) / "checks.jsonl"
            kernel.run_all(path, timeout=timeout, env={replay.RECORD_ENV: str(log)})
            lines = log.read_text().splitlines() if log.exists() else []
        records += [{**json.loads(line), "notebook": src.name} for line in lines]
    return records


def cache_key(root, assignment, package=PACKAGE, versions=None):
    """A digest of everything that can change a recorded expected value: the assignment's
    source folder (notebooks and data files), every module of coursekit (functions.py and the
    checks included), the versions of Python, numpy and torch."""
    digest = hashlib.sha256()

    def add(label, data):
        digest.update(label.encode() + b"\0" + data + b"\0")

    folder = pathlib.Path(root) / "source" / assignment
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not {".ipynb_checkpoints", "__pycache__"} & set(path.parts):
            add(f"source/{path.relative_to(folder).as_posix()}", path.read_bytes())
    package = pathlib.Path(package)
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts:
            add(f"coursekit/{path.relative_to(package).as_posix()}", path.read_bytes())
    for name, version in sorted((versions or library_versions()).items()):
        add(name, str(version).encode())
    return digest.hexdigest()[:16]


def library_versions():
    out = {"python": platform.python_version()}
    for name in ("numpy", "torch"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def recorded_checks(root, assignment):
    """The answer key's checks (`record`), cached in .coursekit/ next to the gradebook."""
    cache = pathlib.Path(root) / CACHE / f"recheck-{assignment}-{cache_key(root, assignment)}.json"
    if cache.is_file():
        return json.loads(cache.read_text())
    records = record(root, assignment)
    cache.parent.mkdir(exist_ok=True)
    cache.write_text(json.dumps(records))
    return records
