"""The slice of a notebook that a grade needs (issue 22): which cells the grading pass runs.

Grading needs the setup cells, the learner's solution cells, the graded test cells, and the
lesson cells that define a name one of those uses, found from the code (`ast`), transitively.
The rest (demos, figures, explorers, training runs that only draw) does not change a score, so
execute.py leaves it out and marks it as not run (`NOT_RUN_TEXT`). Where the slice is not
enough (a NameError in the slice: a name made by a skipped cell in a way the code does not
show), execute.py grades the whole notebook instead and says so (`WHOLE_NOTE`).
"""
from __future__ import annotations

import ast
import hashlib
import re

from .. import course
from .integrity_uses import parse  # a cell's syntax tree, IPython magics turned into Python

NOT_RUN_TEXT = "[not run when grading: the grade does not need this lesson cell]\n"
WHOLE_NOTE = "graded with every cell run (the graded cells needed a name that a lesson cell makes)"
WHOLE_LOG = "coursekit: the graded cells needed a name a skipped lesson cell makes: grading with every cell"


def needed(nb, lessons_released=None):
    """Indices of the code cells the grade needs (see the module docstring). Only cells of
    the release's lessons may be left out (`lessons_released`: their fingerprints, from
    `fingerprints`; None: any cell without grading metadata): a cell the learner added or
    changed always runs, as it would in the whole notebook."""
    cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    graded = {i for i, c in cells if course.is_setup(c) or course.is_solution(c) or course.is_test(c)
              or course.meta(c).get("grade")
              or (lessons_released is not None and fingerprint(c.source) not in lessons_released)}
    lessons = {i: (defined(c.source), free(c.source)) for i, c in cells if i not in graded}
    if any(d is None for d, _ in lessons.values()):
        return {i for i, _ in cells}          # a cell that is not Python: no slice can be trusted
    wanted = set().union(*(free(nb.cells[i].source) or set() for i in graded))
    keep, grew = set(graded), True
    while grew:
        grew = False
        for i, (makes, uses) in lessons.items():
            if i not in keep and makes & wanted:
                keep.add(i)
                wanted |= uses
                grew = True
    return keep


def fingerprint(source):
    """A lesson cell's source, as `needed` recognises it."""
    return hashlib.sha1(source.strip().encode()).hexdigest()


def fingerprints(release_notebooks):
    """The fingerprints of the lesson cells (code cells without grading metadata) of the
    release notebooks at the paths `release_notebooks`."""
    return sorted({f for path in release_notebooks for f in fingerprints_of(course.read(path))})


def fingerprints_of(nb):
    return {fingerprint(c.source) for c in nb.cells if c.cell_type == "code" and not course.meta(c)}


def missing_names(nb, needed):
    """Names that a cell of the slice missed (NameError) while some cell was skipped: one the
    skipped cells make, or any (a name made in a way the code does not show, exec or globals()),
    except the graded functions themselves."""
    missing = {m.group(1) for i in needed for out in nb.cells[i].get("outputs", [])
               if out.get("output_type") == "error" and out.get("ename") == "NameError"
               for m in [re.search(r"name '(\w+)' is not defined", out.get("evalue", ""))] if m}
    skipped = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and i not in needed]
    # a graded function the learner did not define (a syntax error, a deleted cell) is no name a
    # lesson cell makes: running every cell would only fail the same way, twice as slowly
    return missing - set(course.graded_functions(nb)) if skipped else set()


def defined(source):
    """Names a cell binds at its top level (assignments, imports, defs, loop and with targets),
    or None when it cannot be read."""
    tree = parse(source)
    if tree is None:
        return None
    names = _binds(n for n in _top_level(tree) if not isinstance(n, ast.arg))
    # a function of the cell that declares a global makes it when called
    names |= {name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names}
    return names


def used(source):
    """Names a cell reads anywhere (a function body's too: it runs when called), or None."""
    tree = parse(source)
    if tree is None:
        return None
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def free(source):
    """Names a cell reads that neither it nor the function they appear in binds (a test cell's
    own `X = ...`, a function's parameters and locals need no lesson cell), or None. A name read
    before the cell binds it is missed here: the NameError fallback (missing_names) catches it."""
    tree = parse(source)
    return None if tree is None else _free(tree.body, set())


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _free(body, outer):
    """Free names of the statements `body` in a scope that sees the names `outer`."""
    level = list(_top_level(ast.Module(body=list(body), type_ignores=[])))
    bound = set(outer) | _binds(level)
    names = set()
    for node in level:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound:
            names.add(node.id)
        elif isinstance(node, _FUNCTIONS):
            args = node.args
            params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
            inner = node.body if isinstance(node.body, list) else [ast.Expr(node.body)]
            names |= _free(inner, bound | params)
            names |= {n.id for d in (*args.defaults, *args.kw_defaults) if d for n in ast.walk(d)
                      if isinstance(n, ast.Name) and n.id not in bound}
        elif isinstance(node, ast.ClassDef):
            names |= _free(node.body, bound)
    return names


def _binds(level):
    """Names bound by the nodes of one scope level."""
    names = set()
    for node in level:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def _top_level(tree):
    """The nodes of `tree` outside function and class bodies (what runs when the cell runs)."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            # decorators and default values run where the function is defined
            todo.extend(getattr(node, "decorator_list", []))
            continue
        todo.extend(ast.iter_child_nodes(node))
