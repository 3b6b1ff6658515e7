"""Which notebook cells use which coursekit helper: the "Used by:" back-links (d2l style).

Every public function of the modules in MODULES ends its docstring with a paragraph (or its last
sentence with a line)

    Used by: 04 test_initialize_parameters, 05 test_initialize_weights

naming each (assignment number, cell) of the source notebooks whose code refers to it: a cell is
named by its grade_id (a test cell's, `setup`, `oracles`...), every other code cell is `lesson`.
A helper no notebook cell names says who reaches it instead:

    Used by: no notebook cell; through random_search_result

(the public helpers of the same module that call it, directly or through private ones), or, when
none does, `Used by: no notebook cell; <who does, in words>`.

A cell refers to a helper through the alias the notebook imports the module under (`F.cube` after
`from coursekit import functions as F`, `properties.matches`) or through a name imported from it
(`from coursekit.functions import network_step as step`). Code is read with ast (comments, strings
and markdown never count); nothing is imported or run. tests/test_backlinks.py checks the lines;
`coursekit show` uses the same reading to name the helpers a test cell relies on.
"""
from __future__ import annotations

import ast
import functools
import json
import pathlib
import re

from . import course

# the modules whose helpers checks pass or call by name (and the re-check replays): where they are used is
# where a graded function is judged. data.py, gradcheck.py, plot.py and widgets.py serve lessons nearly everywhere
# (a line of "NN lesson" entries that every lesson edit would churn); `coursekit show` names them in test cells.
MODULES = ("properties", "functions")
PREFIX = "Used by:"
NO_CELL = "no notebook cell"
THROUGH = "through"
LESSON = "lesson"


# ---------------------------------------------------------------- the helpers and their docstrings

def module_path(root, module):
    return pathlib.Path(root) / "coursekit" / f"{module}.py"


def _module_tree(root, module):
    path = module_path(root, module)
    return _parsed(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _parsed(path, _mtime_ns):
    return ast.parse(pathlib.Path(path).read_text(encoding="utf-8"))


def helpers(root, module):
    """{name: ast.FunctionDef} of the public functions a coursekit module defines at top level, in order."""
    tree = _module_tree(root, module)
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}


def callers(root, module):
    """{helper: sorted public helpers of the same module that call it, directly or through private functions}."""
    tree = _module_tree(root, module)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    calls = {name: {x.id for x in ast.walk(node) if isinstance(x, ast.Name) and x.id in functions} - {name}
             for name, node in functions.items()}

    def reach(name, seen):
        for callee in calls[name]:
            if callee not in seen:
                seen.add(callee)
                if callee.startswith("_"):
                    reach(callee, seen)
        return seen

    out = {name: set() for name in functions if not name.startswith("_")}
    for name in out:
        for callee in reach(name, set()):
            if callee in out:
                out[callee].add(name)
    return {name: sorted(found) for name, found in out.items()}


def used_by(docstring):
    """A docstring's "Used by:" line, from the prefix to the end of its paragraph (its own paragraph, or the
    end of the last sentence), whitespace collapsed; None if it has none."""
    for paragraph in re.split(r"\n\s*\n", docstring or ""):
        text = " ".join(paragraph.split())
        if PREFIX in text:
            return text[text.index(PREFIX):]
    return None


def entries(line):
    """The (assignment number, cell) pairs a "Used by:" line lists ([] for "no notebook cell...")."""
    body = line[len(PREFIX):].strip()
    if body.startswith(NO_CELL):
        return []
    return [tuple(e.split(None, 1)) if len(e.split()) == 2 else (e, "") for e in
            (part.strip() for part in body.split(","))]


def line_for(uses, through=()):
    """The "Used by:" line that states `uses` ([(number, cell)]) or, without uses, the callers `through`."""
    if uses:
        return f"{PREFIX} " + ", ".join(f"{n} {cell}" for n, cell in uses)
    if through:
        return f"{PREFIX} {NO_CELL}; {THROUGH} " + ", ".join(through)
    return f"{PREFIX} {NO_CELL}; <who uses it, in words>"


# ---------------------------------------------------------------- the notebooks' references

def _code(source):
    # IPython's magics and shell lines are not Python
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def aliases(trees, module):
    """(names the notebook gives coursekit.<module>, {local name: helper}) from its import statements."""
    full = f"coursekit.{module}"
    modules, names = set(), {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "coursekit":
                modules |= {a.asname or a.name for a in node.names if a.name == module}
            elif isinstance(node, ast.ImportFrom) and node.module == full:
                names.update({a.asname or a.name: a.name for a in node.names})
            elif isinstance(node, ast.Import):
                modules |= {a.asname for a in node.names if a.name == full and a.asname}
    return modules, names


def references(tree, modules, names):
    """Helper names a cell's code refers to: `<alias>.helper` or a name imported from the module."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            found.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in names:
            found.add(names[node.id])
    return found


@functools.lru_cache(maxsize=64)
def _code_cells(path, _mtime_ns):
    # [(label, ast)] of a notebook's code cells, read once per version of the file
    nb = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    return [(course.grade_id(c) or LESSON, ast.parse(_code("".join(c.get("source", ""))), path))
            for c in nb["cells"] if c.get("cell_type") == "code"]


def notebook_uses(path, module):
    """{helper: [cell label, ...]} for one source notebook (read as JSON): named cells in first-use order,
    then `lesson`."""
    path = pathlib.Path(path)
    cells = _code_cells(str(path), path.stat().st_mtime_ns)
    modules, names = aliases([tree for _, tree in cells], module)
    out = {}
    for label, tree in cells:
        for name in sorted(references(tree, modules, names)):
            if label not in out.setdefault(name, []):
                out[name].append(label)
    return {name: sorted(labels, key=lambda label: label == LESSON) for name, labels in out.items()}


def source_notebooks(root):
    """[(assignment number, path)] of the source notebooks, in course order."""
    return [(p.parent.name.split("_")[0], p) for p in sorted((pathlib.Path(root) / "source").glob("[0-9]*/*.ipynb"))]


def uses(root, module):
    """{helper: [(assignment number, cell label)]} over every source notebook, in course order."""
    out = {}
    for number, path in source_notebooks(root):
        for name, labels in notebook_uses(path, module).items():
            out.setdefault(name, []).extend((number, label) for label in labels)
    return out


def problems(root, modules=MODULES):
    """What is wrong with the back-links: one string per helper, saying which line to write."""
    found = []
    for module in modules:
        defined, used, called = helpers(root, module), uses(root, module), callers(root, module)
        rel = f"coursekit/{module}.py"
        for name in sorted(set(used) - set(defined)):
            where = ", ".join(f"{n} {cell}" for n, cell in used[name])
            found.append(f"{rel}: notebook cells use {module}.{name}, which it does not define ({where})")
        for name, node in defined.items():
            want = used.get(name, [])
            through = [] if want else called.get(name, [])
            expected = line_for(want, through)
            line = used_by(ast.get_docstring(node))
            at = f"{rel}:{node.lineno} {name}()"
            if line is None:
                found.append(f"{at}: its docstring has no back-link; end it with the paragraph\n    {expected}")
                continue
            listed = entries(line)
            if want:
                extra = [e for e in listed if e not in want]
                missing = [e for e in want if e not in listed]
                doubled = len(listed) != len(set(listed))
                if extra or missing or doubled:
                    said = "; ".join(filter(None, [
                        "listed but not using it: " + ", ".join(" ".join(e) for e in extra) if extra else "",
                        "using it but not listed: " + ", ".join(" ".join(e) for e in missing) if missing else "",
                        "an entry listed twice" if doubled else ""]))
                    found.append(f"{at}: {said}; write\n    {expected}")
            elif listed:
                found.append(f"{at}: it lists {', '.join(' '.join(e) for e in listed)}, but no notebook cell uses "
                             f"it; write\n    {expected}")
            elif through:
                got = line.split(f"; {THROUGH} ", 1)[1].split(", ") if f"; {THROUGH} " in line else []
                if sorted(got) != through:
                    found.append(f"{at}: the helpers that call it are {', '.join(through)}; write\n    {expected}")
            elif line.startswith(f"{PREFIX} {NO_CELL}; {THROUGH} "):
                found.append(f"{at}: no public helper of {rel} calls it any more; say who uses it, as in\n"
                             f"    {expected}")
            elif not re.fullmatch(rf"{re.escape(PREFIX)} {NO_CELL}; \S.*", line):
                found.append(f"{at}: nothing in the notebooks or in {rel} uses it; say who does, as in\n    {expected}")
    return found
