"""`coursekit build`'s first step: record what the oracles return, as data (issue 19).

The source notebook (answers in) runs once in a fresh kernel with every public function of its
oracles cell wrapped (`coursekit.expected.record_oracles`) and each test cell's hidden region
marked, so that every value an oracle returns lands in one of two tables:

    source/<A>/expected.json            the calls of visible tests and lessons: released
    source/_expected/<A>.hidden.json    the calls of hidden tests only: the grader's

`in_step` compares two recordings key by key and value by value (to a relative 1e-9: another
machine's BLAS may round a last bit differently), which is what `coursekit build --check` asks.
"""
from __future__ import annotations

import pathlib
import re
import shutil
import tempfile

import nbformat

from . import checks, course, expected, values
from .grading.kernel import run_all
from .grading.recorded_oracles import ORACLES_ID, oracle_names

MARK = "__import__('coursekit.expected').expected"


def paths(root, assignment):
    """(visible table, hidden table) of an assignment under `root`."""
    root = pathlib.Path(root)
    return (root / "source" / assignment / expected.VISIBLE_FILE,
            root / "source" / expected.HIDDEN_FOLDER / f"{assignment}{expected.HIDDEN_SUFFIX}")


def instrumented(nb):
    """A copy of the notebook that records its oracles' values; None when it has no oracles cell."""
    nb = nbformat.from_dict(nb)
    cells, found = [], False
    for cell in nb.cells:
        if course.is_test(cell):
            cells.append(nbformat.v4.new_code_cell(f"{MARK}.set_region('visible')"))
            cell = nbformat.from_dict(cell)
            cell.source = _mark_hidden(cell.source)
        cells.append(cell)
        if cell.cell_type == "code" and course.grade_id(cell) == ORACLES_ID:
            found = True
            cells.append(nbformat.v4.new_code_cell(
                f"{MARK}.record_oracles(globals(), {oracle_names(cell.source)!r})"))
    cells.append(nbformat.v4.new_code_cell(f"{MARK}.set_region('visible')"))
    nb.cells = cells
    return nb if found else None


def _mark_hidden(source):
    def swap(match, region):
        return f"{match.group(1)}{MARK}.set_region({region!r})"
    for marker, region in ((course.HIDDEN_BEGIN, "hidden"), (course.HIDDEN_END, "visible")):
        source = re.sub(rf"^([ \t]*){re.escape(marker)}[ \t]*$", lambda m, r=region: swap(m, r), source, flags=re.M)
    return source


def record(root, assignment, timeout=300):
    """Run the source notebook of `assignment` under `root` recording its oracles; return
    {'visible': {key: value}, 'hidden': {...}} or None when it has no oracles cell."""
    (src,) = course.notebooks(root, assignment)
    nb = instrumented(course.read(src))
    if nb is None:
        return None
    with tempfile.TemporaryDirectory(prefix="coursekit-oracles-") as tmp:
        work = pathlib.Path(tmp) / assignment
        shutil.copytree(src.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb",
                                                                      expected.VISIBLE_FILE))
        path = work / src.name
        nbformat.write(nb, path)
        log = pathlib.Path(tmp) / "oracles.jsonl"
        log.touch()
        run_all(path, timeout=timeout, env={expected.RECORD_ENV: str(log)})
        return expected.tables(log.read_text(encoding="utf-8").splitlines())


def write(root, assignment, tables):
    """Write (or, for an assignment without oracles, remove) the two tables."""
    for path, region in zip(paths(root, assignment), ("visible", "hidden")):
        if tables is None:
            path.unlink(missing_ok=True)
        else:
            expected.write_table(path, assignment, tables[region])


def in_step(committed, fresh, label):
    """Problems (strings) where the table file `committed` differs from `fresh` beyond rounding."""
    if not fresh.is_file():
        return [f"{label} is not generated from source/ (remove it)"] if committed.is_file() else []
    if not committed.is_file():
        return [f"{label} is missing: run `coursekit build`"]
    mine, new = expected.read_table(committed), expected.read_table(fresh)
    if set(mine) != set(new):
        return [f"{label}: the recorded calls differ from what source/ makes "
                f"({len(set(new) - set(mine))} new, {len(set(mine) - set(new))} gone): run `coursekit build`"]
    for k in sorted(mine):
        if expected.same_rounded(mine[k], new[k]):   # also a check spec (ck.Shape) an oracle returns
            continue
        try:
            checks.compare("value", values.decode(mine[k]), values.decode(new[k]), rtol=1e-9, atol=1e-12)
        except (checks.CheckFailed, values.Unreplayable) as exc:
            return [f"{label}: a recorded value differs from what source/ computes ({str(exc)[:120]}): "
                    "run `coursekit build`"]
    return []
