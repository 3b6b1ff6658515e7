"""What a course notebook is: the one place that says so.

Build, measure, the grader, the re-check and the tests all read notebooks through this
module, so that a rule (which cell is a test of which function, what the visible part of
a test cell is) has one meaning everywhere.

- A **setup cell** is a code cell tagged `setup`: imports and constants (the first code
  cell is one). Test cells may use what setup cells define, and the graded functions.
- A **solution cell** is an nbgrader solution cell that is not graded; its grade_id is the
  name of the **graded function** it defines.
- A **test cell** is a graded (autograded-test) code cell. It belongs to the graded
  function `f` whose name is the longest one with grade_id == `test_f` or grade_id
  starting with `test_f_` (so `test_predict_proba` belongs to `predict_proba`, not to
  `predict`, when both exist).
- A **lesson cell** is any other code cell.
- Hidden tests sit between nbgrader's hidden-test markers (HIDDEN_BEGIN, HIDDEN_END) in a
  test cell; the visible source is what is left when they are removed.
"""
from __future__ import annotations

import functools
import pathlib
import re

import nbformat

# nbgrader's markers, spelt in two pieces so that no learner-facing file holds a marker itself
# (leak checks grep the release and coursekit for them)
HIDDEN_BEGIN = "### BEGIN " + "HIDDEN TESTS"
HIDDEN_END = "### END " + "HIDDEN TESTS"
SOLUTION_BEGIN = "### BEGIN " + "SOLUTION"
SOLUTION_END = "### END " + "SOLUTION"
SETUP_TAG = "setup"
GRADEBOOK = "gradebook.db"

_HIDDEN_RE = re.compile(re.escape(HIDDEN_BEGIN) + r".*?" + re.escape(HIDDEN_END) + r"[ \t]*\n?", re.S)


# ---------------------------------------------------------------- cells

def meta(cell):
    """The cell's nbgrader metadata ({} if none, or if a learner replaced it by a non-dict)."""
    m = cell.get("metadata", {}).get("nbgrader", {})
    return m if isinstance(m, dict) else {}


def grade_id(cell):
    return meta(cell).get("grade_id")


def is_setup(cell):
    return cell.get("cell_type") == "code" and SETUP_TAG in cell.get("metadata", {}).get("tags", [])


def is_solution(cell):
    """A solution cell that defines a graded function (not a graded cell itself)."""
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("solution")) and not m.get("grade")


def is_test(cell):
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def is_lesson(cell):
    return cell.get("cell_type") == "code" and not (is_setup(cell) or is_solution(cell) or is_test(cell))


def visible_source(source):
    """A test cell's source as learners see it: hidden tests removed."""
    return _HIDDEN_RE.sub("", source)


def hidden_blocks(source):
    """The hidden-test blocks of a test cell's source (without the markers)."""
    return re.findall(re.escape(HIDDEN_BEGIN) + r"(.*?)" + re.escape(HIDDEN_END), source, re.S)


# ---------------------------------------------------------------- functions and their tests

def graded_functions(nb):
    """Names of the graded functions of a notebook, in order (grade_ids of solution cells)."""
    return [grade_id(c) for c in nb.cells if is_solution(c)]


def owner(test_id, functions):
    """The graded function a test cell (by grade_id) belongs to, or None."""
    rest = test_id[len("test_"):] if test_id and test_id.startswith("test_") else None
    if rest is None:
        return None
    return max((f for f in functions if rest == f or rest.startswith(f + "_")), key=len, default=None)


def test_cells(nb, function):
    """The test cells of one graded function, in notebook order."""
    functions = graded_functions(nb)
    return [c for c in nb.cells if is_test(c) and owner(grade_id(c), functions) == function]


def parts(test_ids, functions):
    """{graded part: [test grade_ids]}: test cells grouped by the function they belong to
    (a test cell of no graded function is a part of its own)."""
    grouped = {}
    for gid in test_ids:
        grouped.setdefault(owner(gid, functions) or gid, []).append(gid)
    return grouped


def points(nb):
    """{graded function: points of its test cells}."""
    functions = graded_functions(nb)
    out = {f: 0.0 for f in functions}
    for c in nb.cells:
        f = owner(grade_id(c), functions) if is_test(c) else None
        if f:
            out[f] += float(meta(c).get("points", 0) or 0)
    return out


# ---------------------------------------------------------------- the course directory

def notebooks(root, assignment, where="source"):
    """The notebooks of an assignment under `where` (source, notebooks, solutions...)."""
    return sorted(p for p in (pathlib.Path(root) / where / assignment).glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def assignment_functions(root, assignment, where="source"):
    """The graded functions of every notebook of an assignment, in order."""
    return [f for path in notebooks(root, assignment, where) for f in graded_functions(read(path))]


def gradebook_url(root):
    """The gradebook's SQLAlchemy URL, as nbgrader finds it: `c.CourseDirectory.db_url` when the
    course's nbgrader_config.py sets one (a PostgreSQL server shared by several graders, say),
    else gradebook.db in the course folder."""
    config = pathlib.Path(root) / "nbgrader_config.py"
    url = _configured_db_url(str(config), config.stat().st_mtime_ns) if config.is_file() else None
    return url or sqlite_url(pathlib.Path(root) / GRADEBOOK)


def sqlite_url(path):
    return f"sqlite:///{path}"


@functools.lru_cache(maxsize=16)
def _configured_db_url(config, _mtime):
    from traitlets.config.loader import PyFileConfigLoader
    path = pathlib.Path(config)
    loaded = PyFileConfigLoader(path.name, str(path.parent)).load_config()
    return loaded.get("CourseDirectory", {}).get("db_url") or None


# ---------------------------------------------------------------- the course folder

class CourseError(RuntimeError):
    """A course command (build, report, export...) cannot go on; the message says why."""


def find_root(start=None):
    """The course directory: the nearest folder upwards holding nbgrader_config.py and source/."""
    here = pathlib.Path(start or pathlib.Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
            return folder
    raise CourseError(f"no course directory (nbgrader_config.py next to source/) at or above {here}")


def assignments(root, names=None):
    """Assignment folders under source/, in course order; unknown names are an error."""
    found = sorted(p.name for p in (root / "source").iterdir()
                   if p.is_dir() and not p.name.startswith((".", "_")))
    if not names:
        return found
    unknown = [n for n in names if n not in found]
    if unknown:
        raise CourseError(f"no such assignment in source/: {', '.join(unknown)} (have: {', '.join(found)})")
    return list(names)
