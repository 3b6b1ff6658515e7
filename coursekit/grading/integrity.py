"""Integrity flags: a graded function whose code uses a library that the exercise asks
learners to do without (sigmoid written as `torch.sigmoid`, a cross-validation done by
scikit-learn). A flag is for a person to look at, never an automatic zero.

What counts as a use, in the learner's code (read with `ast`, never run):
- an import of the library in the graded function's solution cell or inside the function
  (`import torch`, `import torch.nn.functional as TF`, `from scipy.special import expit`);
- any name bound to the library anywhere in the notebook (the setup cell imports torch for
  the tests' oracles) that the solution code refers to: `torch.sigmoid`, `TF.relu`, `expit`,
  `t = torch` (attribute chains are resolved to dotted names: `torch.nn.functional.relu`);
- `__import__("torch")`, `importlib.import_module("torch")`, `sys.modules["torch"]`, and code
  given as a literal string to exec/eval; a module name computed at run time is flagged too.

The libraries: DEFAULT_FORBIDDEN, plus the notebook's `metadata.coursekit.integrity.forbid`.
A graded function that may use one (assignment 12 is about PyTorch) says so in the SOURCE
notebook's metadata (read from source/, never from the learner's copy):

    metadata["coursekit"]["integrity"]["allow"] = {"build_mlp": ["torch"],
                                                   "cv_grid_search": ["sklearn.model_selection.StratifiedKFold"]}

An allowed entry covers itself and everything under it (dotted names).

Calls are followed (issue 19): a graded function that calls, or passes on, a function of the
notebook defined outside the solution cells is flagged with the name it called, unless that
function is an allowed helper of the source notebook (`metadata.coursekit.helpers`) or another
graded function; a recorded oracle (`name = recorded("name")`, the release's expected values) is
never allowed. Functions it reaches that are defined in solution cells (the learner's own
helpers) and allowed helpers are read in turn, so a forbidden library used one call away is
flagged too, saying through which function.
"""
from __future__ import annotations

import ast
import dataclasses
import functools
import pathlib

from .. import course
from .integrity_uses import DYNAMIC, Uses, imports, parse

DEFAULT_FORBIDDEN = ("torch", "tensorflow", "jax", "scipy.special", "scipy.optimize", "sklearn")


@dataclasses.dataclass(frozen=True)
class Finding:
    """A graded function (of a notebook) that uses a forbidden library; `uses`: how, in its words."""
    notebook: str
    function: str
    library: str
    uses: tuple

    def __str__(self):
        return f"{self.function} uses {self.library} ({', '.join(self.uses)})"


OUTSIDE = "a function defined outside the solution cells"


# ---------------------------------------------------------------- rules from the source notebook

def rules(nb):
    """(allow {function: [dotted names]}, forbidden libraries) from a notebook's metadata:
    the defaults where the metadata is missing or malformed."""
    section = nb.get("metadata", {}).get("coursekit", {})
    section = section.get("integrity", {}) if isinstance(section, dict) else {}
    section = section if isinstance(section, dict) else {}
    allow = section.get("allow", {})
    allow = {str(f): [str(n) for n in names] for f, names in allow.items()
             if isinstance(names, list)} if isinstance(allow, dict) else {}
    extra = section.get("forbid", [])
    forbid = tuple(DEFAULT_FORBIDDEN) + tuple(str(n) for n in extra if isinstance(extra, list) and n)
    return allow, forbid


def helpers(nb):
    """The allowed helpers a notebook's metadata lists (coursekit.helpers), as a set of names."""
    section = nb.get("metadata", {}).get("coursekit", {})
    listed = section.get("helpers", {}) if isinstance(section, dict) else {}
    return {str(k) for k in listed} if isinstance(listed, dict) else set()


def source_rules(root, assignment, notebook_name):
    """The rules for one notebook of an assignment, read from source/ (else the release in
    notebooks/); the defaults when neither has the notebook."""
    for where in ("source", "notebooks"):
        path = pathlib.Path(root) / where / assignment / notebook_name
        if path.is_file():
            try:
                return rules(course.read(path))
            except Exception:  # noqa: BLE001 - an unreadable notebook: fall back to the defaults
                break
    return {}, tuple(DEFAULT_FORBIDDEN)


# ---------------------------------------------------------------- the check

def check(nb, allow=None, forbid=DEFAULT_FORBIDDEN, name="", functions=None, allowed_helpers=None):
    """Findings for the graded functions of a (learner's) notebook. `functions`: the graded
    functions to look for (default: those the notebook's own metadata names); `allowed_helpers`:
    the helpers they may call (default: those the notebook's own metadata lists)."""
    allow = allow or {}
    functions = set(functions if functions is not None else course.graded_functions(nb))
    allowed_helpers = set(allowed_helpers if allowed_helpers is not None else helpers(nb))
    trees = [(cell, parse(cell.source)) for cell in nb.cells
             if cell.get("cell_type") == "code" and not course.is_test(cell)]
    # a library's own name where nothing binds it (imported in a way not seen): that library
    bindings = {lib.split(".")[0]: lib.split(".")[0] for lib in forbid}
    for _, tree in trees:
        if tree is not None:
            bindings.update(imports(tree))
    defined = _definitions(trees, functions)
    uses = {}
    for cell, tree in trees:
        if tree is None:
            continue
        if course.is_solution(cell) and course.grade_id(cell) in functions:
            targets = [(course.grade_id(cell), tree)]
        else:  # a graded function (re)defined in another cell
            targets = [(n.name, n) for n in tree.body
                       if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in functions]
        for function, node in targets:
            for used, how, _ in sorted(Uses(bindings).scan(node), key=lambda u: u[2]):
                library = _forbidden(used, forbid)
                if library and not _covered(used, allow.get(function, ())):
                    uses.setdefault((function, library), []).append(how)
            for library, how in _through_calls(node, defined, functions, allowed_helpers, bindings, forbid):
                if library == OUTSIDE or not _covered(how.rsplit(": ", 1)[-1], allow.get(function, ())):
                    uses.setdefault((function, library), []).append(how)
    return [Finding(name, f, lib, tuple(dict.fromkeys(u))) for (f, lib), u in uses.items()]


def _definitions(trees, functions):
    """{name: (node, kind)} of the functions and classes the notebook defines at top level, the
    last definition winning; kind: 'solution' (in a solution cell: the learner's), 'other',
    'recorded' (a recorded oracle of the release)."""
    defined = {}
    for cell, tree in trees:
        if tree is None:
            continue
        kind = "solution" if course.is_solution(cell) else "other"
        for n in tree.body:
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined[n.name] = (n, kind)
            elif (isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                  and getattr(n.value.func, "id", getattr(n.value.func, "attr", "")) == "recorded"):
                defined.update({t.id: (None, "recorded") for t in n.targets if isinstance(t, ast.Name)})
    return defined


def _referenced(node, bound=frozenset()):
    """Names a piece of code reads that it does not bind itself (a function's parameters and
    assignments shadow): its calls and the functions it passes on, in order of appearance."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        a = node.args
        bound = bound | {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x}
        bound = bound | {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            found = [] if child.id in bound else [child.id]
        else:
            found = _referenced(child, bound)
        names += [n for n in found if n not in names]
    return names


def _through_calls(node, defined, functions, allowed_helpers, bindings, forbid):
    """[(library or OUTSIDE, how)] of what a graded function reaches through the notebook's functions."""
    found, todo, visited = [], [(node, "")], set()
    while todo:
        current, chain = todo.pop(0)
        for callee in _referenced(current):
            if callee in functions or callee not in defined or callee in visited:
                continue
            visited.add(callee)
            target, kind = defined[callee]
            via = f"{chain}{callee}"
            if kind == "recorded" or (kind == "other" and callee not in allowed_helpers):
                what = "recorded expected values" if kind == "recorded" else OUTSIDE
                found.append((OUTSIDE, f"calls {via}, {what}"))
                continue
            for used, how, _ in sorted(Uses(bindings).scan(target), key=lambda u: u[2]):
                library = _forbidden(used, forbid)
                if library:
                    found.append((library, f"via {via}: {how}"))
            todo.append((target, f"{via} -> "))
    return found


def check_folder(root, assignment, folder):
    """Findings for every notebook of a learner's folder (autograded/<student>/<A>), with the
    rules and graded functions of the source notebook of the same name."""
    found = []
    for path in sorted(pathlib.Path(folder).glob("*.ipynb")):
        try:
            nb = course.read(path)
        except Exception:  # noqa: BLE001 - an unreadable notebook has nothing to flag
            continue
        source = pathlib.Path(root) / "source" / assignment / path.name
        stamp = (source.stat().st_mtime_ns, source.stat().st_size) if source.is_file() else None
        allow, forbid, functions, allowed_helpers = _source_info(str(root), assignment, path.name, stamp)
        found += check(nb, allow, forbid, path.name, functions, allowed_helpers)
    return found


@functools.lru_cache(maxsize=32)
def _source_info(root, assignment, name, _stamp):
    """(allow, forbid, graded functions or None, allowed helpers or None) of a source notebook:
    read once per report."""
    allow, forbid = source_rules(root, assignment, name)
    source = pathlib.Path(root) / "source" / assignment / name
    if not source.is_file():
        return allow, forbid, None, None
    nb = course.read(source)
    return allow, forbid, course.graded_functions(nb), helpers(nb)


def _forbidden(used, forbid):
    return next((lib for lib in forbid if used == lib or used.startswith(lib + ".")), None) \
        if used != DYNAMIC else DYNAMIC


def _covered(used, allowed):
    return any(used == a or used.startswith(a + ".") for a in allowed)
