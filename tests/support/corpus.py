"""A corpus of hostile or broken submissions, generated from a built assignment.

Everything is found from the answer key (solutions/) with coursekit.course's rules: solution
cells hold the graded functions, test cells belong to the function `course.owner` says. So
the corpus follows the course as assignments are added or edited.

`write_corpus(course, assignment, repo)` writes submitted/<member>/<assignment>/ for every
member and returns a `Corpus` describing what was done (which function was sabotaged...);
`describe(course, assignment, repo)` returns the same description without writing anything.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import re
import shutil

import nbformat

from coursekit import course as conventions

MARK_BEGIN, MARK_END = conventions.SOLUTION_BEGIN, conventions.SOLUTION_END
HIDDEN_BEGIN, HIDDEN_END = conventions.HIDDEN_BEGIN, conventions.HIDDEN_END

# Allocated once by the memory bomb: twice the 2 GiB cap the tests give coursekit; a machine
# without a cap (stock nbgrader) can afford it once.
BOMB_ELEMENTS = 2 ** 29  # float64: 4 GiB


is_solution = conventions.is_solution
is_test = conventions.is_test


@dataclasses.dataclass
class Assignment:
    """The answer key of one assignment, with its graded functions and test cells."""
    name: str
    key: dict            # notebook file name -> NotebookNode (answer key)
    functions: list      # graded function names, in notebook order
    home: dict           # function -> notebook file name of its solution cell
    tests: dict          # function -> [grade_id of its test cells]
    depends: dict        # function -> set of graded functions whose parts it can break

    @classmethod
    def load(cls, course, name):
        key = {p.name: conventions.read(p) for p in conventions.notebooks(course, name, "solutions")}
        functions, home, test_ids = [], {}, []
        for nb_name, nb in key.items():
            for f in conventions.graded_functions(nb):
                functions.append(f)
                home[f] = nb_name
            test_ids += [conventions.grade_id(c) for c in nb.cells if is_test(c)]
        grouped = conventions.parts(test_ids, functions)
        self = cls(name, key, functions, home, {f: grouped.get(f, []) for f in functions}, {})
        self.depends = self._dependents()
        return self

    def cells(self):
        for nb_name, nb in self.key.items():
            for cell in nb.cells:
                yield nb_name, cell

    def _uses(self, source, f):
        return re.search(rf"\b{re.escape(f)}\b", source) is not None

    def _dependents(self):
        """f -> functions whose parts fail when f is broken: f itself, and (transitively)
        every function whose solution or test cells mention f."""
        direct = {f: {f} for f in self.functions}
        owner = {gid: f for f, gids in self.tests.items() for gid in gids}
        for _, cell in self.cells():
            gid = conventions.grade_id(cell)
            g = gid if is_solution(cell) else owner.get(gid) if is_test(cell) else None
            if g is None:
                continue
            for f in self.functions:
                if f != g and self._uses(cell.source, f):
                    direct[f].add(g)
        closed = {}
        for f in self.functions:
            seen, todo = set(), [f]
            while todo:
                g = todo.pop()
                if g not in seen:
                    seen.add(g)
                    todo += direct[g]
            closed[f] = seen
        return closed

    def pick(self):
        """The function to sabotage: the one the fewest code cells use (a kernel death or a
        timeout then costs the fewest re-runs), ties broken by notebook order."""
        def uses(f):
            return sum(1 for _, c in self.cells()
                       if c.cell_type == "code" and not (is_solution(c) and conventions.grade_id(c) == f)
                       and self._uses(c.source, f))
        return min(self.functions, key=lambda f: (uses(f), len(self.depends[f]), self.functions.index(f)))

    def hidden_lines(self, course):
        """Lines of hidden tests in source/ that appear nowhere else in the source notebooks."""
        hidden, visible = set(), set()
        for path in conventions.notebooks(course, self.name):
            for cell in conventions.read(path).cells:
                for block in conventions.hidden_blocks(cell.source):
                    hidden |= {ln.strip() for ln in block.splitlines() if ln.strip()}
                visible |= {ln.strip() for ln in conventions.visible_source(cell.source).splitlines()}
        # very short lines (")", "else:") say nothing about a test and occur in any page
        return sorted(s for s in hidden - visible if len(s) >= 12)


# ---------------------------------------------------------------- notebook edits

def solution_cell(nb, f):
    return next(c for c in nb.cells if is_solution(c) and conventions.grade_id(c) == f)


def replace_body(cell, body):
    """Replace the answer between the solution markers by `body` (lines of code)."""
    cell.source = _edit_region(cell.source, body, keep=False)


def prepend_body(cell, body):
    """Run `body` first, then the learner's (correct) answer."""
    cell.source = _edit_region(cell.source, body, keep=True)


def _edit_region(source, body, keep):
    lines = source.splitlines()
    try:
        begin = next(i for i, ln in enumerate(lines) if ln.strip() == MARK_BEGIN)
        end = next(i for i, ln in enumerate(lines) if ln.strip() == MARK_END and i > begin)
    except StopIteration:
        raise AssertionError(f"no {MARK_BEGIN} ... {MARK_END} in the answer key's cell:\n{source}") from None
    indent = lines[begin][:len(lines[begin]) - len(lines[begin].lstrip())]
    new = [indent + b if b else b for b in body]
    kept = lines[begin + 1:end] if keep else []
    return "\n".join(lines[:begin + 1] + new + kept + lines[end:])


def code_cell(source):
    return nbformat.v4.new_code_cell(source)


WRONG = ["return None"]


def snoop_code(paths):
    """Code that reads each path (a folder: the files in it) and prints LEAK:<path> if
    anything came back. Valid at top level and as a function body."""
    return [
        f"for _p in {list(map(str, paths))!r}:",
        "    try:",
        "        _q = __import__('pathlib').Path(_p)",
        "        if _q.is_dir():",
        "            _d = b''.join(x.read_bytes()[:64] for x in sorted(_q.rglob('*'))[:200] if x.is_file())",
        "        else:",
        "            _d = _q.read_bytes()[:64]",
        "        if _d:",
        "            print('LEAK:' + _p)",
        "    except Exception:",
        "        pass",
    ]


WARN = [
    "import logging as _logging, warnings as _warnings",
    "import numpy as _np",
    "_warnings.warn('noisy', RuntimeWarning)",
    "_np.log(_np.array([0.0]))",
    "try:",
    "    import torch as _torch",
    "    _torch.tensor(_torch.zeros(1))  # UserWarning: to copy construct from a tensor...",
    "except ImportError:",
    "    pass",
    # A library's logged warning goes straight to stderr (logging's last-resort handler):
    # coursekit.checks captures Python warnings during a check, this it cannot capture.
    "_logging.getLogger('noisy').warning('noisy: a logged warning')",
]

RESEED = "\n".join([
    "import random",
    "import numpy as np",
    "np.random.seed(123)",
    "_draws = np.random.random(5000)",
    "random.seed(5)",
    "_draws2 = [random.random() for _ in range(5000)]",
    "try:",
    "    import torch",
    "    torch.manual_seed(7)",
    "    _draws3 = torch.rand(5000)",
    "except ImportError:",
    "    pass",
])


# ---------------------------------------------------------------- the corpus

@dataclasses.dataclass
class Corpus:
    assignment: Assignment
    F: str                       # the sabotaged function
    members: list                # student ids, "key" first
    raw: dict                    # member -> {notebook: bytes written} (unreadable members)
    edited_metadata: dict        # edit -> function whose test cell got it
    snoop_paths: list


FAMILIES = [
    "infinite_loop", "uninterruptible_loop", "os_exit", "sys_exit", "signal_kill", "memory_bomb", "syntax_error",
    "missing_import", "not_json", "truncated", "deleted_tests", "edited_tests", "reordered_tests",
    "edited_metadata", "changed_kernelspec", "big_output", "warnings", "reseed", "snooper",
]


def build(a: Assignment, course, repo):
    """{member: {notebook name: NotebookNode or bytes}} and the Corpus description."""
    F = a.pick()
    home = a.home[F]
    out, raw = {"key": copy.deepcopy(a.key)}, {}

    def variant(edit_f_body=None, prepend=None):
        nbs = copy.deepcopy(a.key)
        if edit_f_body is not None:
            replace_body(solution_cell(nbs[home], F), edit_f_body)
        if prepend is not None:
            prepend_body(solution_cell(nbs[home], F), prepend)
        return nbs

    out["infinite_loop"] = variant(["while True:", "    pass"])
    # a bare `except:` swallows the KeyboardInterrupt a timeout sends: only a kernel restart ends it
    out["uninterruptible_loop"] = variant(["import time", "while True:", "    try:", "        time.sleep(0.01)",
                                           "    except:  # noqa: E722", "        pass"])
    out["os_exit"] = variant(["import os", "os._exit(1)"])
    out["sys_exit"] = variant(["import sys", "sys.exit(3)"])
    out["signal_kill"] = variant(["import os, signal", "os.kill(os.getpid(), signal.SIGKILL)"])
    out["memory_bomb"] = variant(prepend=[
        "import numpy as _np",
        "if not globals().get('_bombed'):",
        f"    _hog = _np.ones({BOMB_ELEMENTS})  # 4 GiB",
        "    globals()['_bombed'] = True",
        "    del _hog",
    ])
    nbs = variant()
    solution_cell(nbs[home], F).source += "\n\ndef broken(:\n    pass\n"
    out["syntax_error"] = nbs
    out["missing_import"] = variant(prepend=["import nonexistent_module_xyz"])

    for member in ("not_json", "truncated"):
        raw[member] = {}
        for nb_name, nb in a.key.items():
            text = nbformat.writes(nb)
            raw[member][nb_name] = ('{"cells": [' if member == "not_json" else text[:len(text) // 2]).encode()
        out[member] = raw[member]

    f_tests = set(a.tests[F])
    # a correct answer whose test cells were deleted: put back and graded as usual (full marks)
    out["deleted_tests"] = copy.deepcopy(a.key)
    for nb in out["deleted_tests"].values():
        nb.cells = [c for c in nb.cells if conventions.grade_id(c) not in f_tests]

    nbs = variant(WRONG)
    for nb in nbs.values():
        for c in nb.cells:
            if conventions.grade_id(c) in f_tests:
                c.source = "pass"
    out["edited_tests"] = nbs

    nbs = variant(WRONG)
    for nb in nbs.values():
        moved = [c for c in nb.cells if conventions.grade_id(c) in f_tests]
        nb.cells = moved + [c for c in nb.cells if c not in moved]
    out["reordered_tests"] = nbs

    # three metadata edits, each on the first test cell of a function made wrong
    order = [F] + [f for f in a.functions if f != F and a.tests[f]]
    edits = {}
    nbs = copy.deepcopy(a.key)
    for i, edit in enumerate(["points", "grade", "grade_id"]):
        f = order[i % len(order)]
        edits[edit] = f
        replace_body(solution_cell(nbs[a.home[f]], f), WRONG)
        gid = a.tests[f][0]
        cell = next(c for nb in nbs.values() for c in nb.cells if conventions.grade_id(c) == gid)
        if edit == "points":
            cell.metadata["nbgrader"]["points"] = 100
        elif edit == "grade":
            cell.metadata["nbgrader"]["grade"] = False
        else:
            cell.metadata["nbgrader"]["grade_id"] = gid + "_renamed"
    out["edited_metadata"] = nbs

    nbs = copy.deepcopy(a.key)
    for nb in nbs.values():
        nb.metadata["kernelspec"] = {"name": "nonexistent", "display_name": "Nonexistent", "language": "python"}
    out["changed_kernelspec"] = nbs

    nbs = copy.deepcopy(a.key)
    nb = nbs[home]
    first = next(i for i, c in enumerate(nb.cells) if is_solution(c))
    nb.cells.insert(first, code_cell("print('x' * 5_000_000)  # 5 MB in one line"))
    out["big_output"] = nbs

    nbs = copy.deepcopy(a.key)
    for f in a.functions:
        prepend_body(solution_cell(nbs[a.home[f]], f), WARN)
    out["warnings"] = nbs

    nbs = copy.deepcopy(a.key)
    for nb in nbs.values():
        cells = []
        for c in nb.cells:
            if is_test(c):
                cells.append(code_cell(RESEED))
            cells.append(c)
        nb.cells = cells
    out["reseed"] = nbs

    snoop = [course / "source" / a.name / f"{a.name}.ipynb", course / "solutions", course / "gradebook.db",
             course / "submitted" / "key" / a.name / f"{a.name}.ipynb", repo / "tests", repo / "source"]
    nbs = variant(prepend=snoop_code(snoop))
    nb = nbs[home]
    first = next(i for i, c in enumerate(nb.cells) if is_solution(c))
    nb.cells.insert(first, code_cell("\n".join(snoop_code(snoop))))
    out["snooper"] = nbs

    assert list(out) == ["key", *FAMILIES], list(out)
    return out, Corpus(a, F, list(out), raw, edits, [str(p) for p in snoop])


def describe(course, assignment, repo):
    """The Corpus that write_corpus(course, assignment, repo) writes, without writing it."""
    return build(Assignment.load(course, assignment), course, repo)[1]


def write_corpus(course, assignment, repo):
    a = Assignment.load(course, assignment)
    members, corpus = build(a, course, repo)
    for member, nbs in members.items():
        dest = course / "submitted" / member / assignment
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(course / "solutions" / assignment, dest)  # data files next to the notebooks
        for nb_name, nb in nbs.items():
            if isinstance(nb, bytes):
                (dest / nb_name).write_bytes(nb)
            else:
                nbformat.write(nb, dest / nb_name)
    return corpus


def notes_text(course, student, assignment):
    """Text of every markdown/stream/error output of the autograded notebooks."""
    parts = []
    for path in sorted((course / "autograded" / student / assignment).glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            parts.append("".join(cell.get("source", "")))
            for o in cell.get("outputs", []):
                parts.append("".join(o.get("text", "")) + o.get("ename", "") + o.get("evalue", ""))
    return "\n".join(parts)


def outputs_text(course, student, assignment):
    """Text of every output (not the sources) of the autograded notebooks."""
    parts = []
    for path in sorted((course / "autograded" / student / assignment).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for o in cell.get("outputs", []):
                parts.append("".join(o.get("text", "")) + o.get("ename", "") + o.get("evalue", ""))
    return "\n".join(parts)
