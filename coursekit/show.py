"""`coursekit show ASSIGNMENT FUNCTION`: where a graded function is checked, in one print.

For an instructor or author, from the course folder (nothing is run or imported from the course):
the function's points; each of its test cells from source/, the visible part and then the hidden
part, marked as the grader's only; the oracles its checks use (the public functions of the oracles
cell that its test cells name, whose values `coursekit build` recorded in source/<A>/expected.json
and source/_expected/<A>.hidden.json, with the torch and scikit-learn calls each makes); torch and
scikit-learn calls and coursekit helpers in the test cells themselves; and the names of the correct
formulations and typical mistakes that tests/variants/a<A>.py holds for it.
"""
from __future__ import annotations

import ast
import difflib
import json
import pathlib
import sys
import textwrap

import nbformat

from . import backlinks, course

ORACLES_ID = "oracles"
LIBRARIES = ("torch", "sklearn")
VARIANT_TABLES = ("CORRECT", "MISTAKES", "HIDDEN_ONLY", "NOT_REPLAYED", "PROMISES")
# coursekit modules whose functions test cells pass or call: those with back-links, data sets, numerical gradients
HELPER_MODULES = (*backlinks.MODULES, "data", "gradcheck")


class ShowError(Exception):
    """The assignment or the function asked for does not exist (the message lists the ones that do)."""


# ---------------------------------------------------------------- finding what was asked for

def _suggest(name, choices):
    close = difflib.get_close_matches(name, choices, n=1)
    return f"did you mean {close[0]}? " if close else ""


def assignment(root, name):
    """The assignment folder `name` names: its full name or its number ("04" or "4")."""
    found = sorted(p.name for p in (pathlib.Path(root) / "source").iterdir()
                   if p.is_dir() and not p.name.startswith((".", "_")))
    if name in found:
        return name
    by_number = [a for a in found if name.isdigit() and a.split("_")[0] == name.zfill(2)]
    if len(by_number) == 1:
        return by_number[0]
    raise ShowError(f"no assignment named {name} in source/ ({_suggest(name, found)}have: {', '.join(found)})")


def notebook(root, name):
    """(path, notebook) of an assignment's source notebook, read as JSON (a printout needs no schema validation)."""
    found = course.notebooks(root, name)
    if len(found) != 1:
        raise ShowError(f"source/{name} holds {len(found)} notebooks; coursekit show reads an assignment of one")
    (path,) = found
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        cell["source"] = "".join(cell.get("source", ""))
    return path, nbformat.from_dict(nb)


# ---------------------------------------------------------------- reading code without running it

def _tree(source):
    """The ast of a piece of a cell (dedented; IPython magics blanked), or None if it is not Python alone."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in textwrap.dedent(source).splitlines())
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def _names(source):
    tree = _tree(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} if tree else set()


def library_aliases(sources):
    """{local name: dotted torch / sklearn name} from the import statements of `sources`."""
    out = {}
    for tree in filter(None, map(_tree, sources)):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in LIBRARIES:
                        out[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
                out.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return out


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def library_calls(tree, aliases):
    """Sorted torch / sklearn names a piece of code calls (aliases spelt out: TF.relu -> torch.nn.functional.relu)."""
    found = set()
    for node in ast.walk(tree) if tree else ():
        parts = _dotted(node.func) if isinstance(node, ast.Call) else None
        if parts and parts[0] in aliases:
            found.add(".".join([aliases[parts[0]], *parts[1:]]))
    return sorted(found)


def oracle_functions(source):
    """{name: ast node} of the functions and classes an oracles cell defines (private ones too)."""
    tree = _tree(source)
    return {n.name: n for n in (tree.body if tree else ())
            if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def oracle_library_calls(defined, name, aliases):
    """The torch / sklearn calls of oracle `name`, and of the oracles-cell functions it calls."""
    seen, todo, calls = {name}, [name], set()
    while todo:
        node = defined[todo.pop()]
        calls.update(library_calls(node, aliases))
        for callee in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & set(defined) - seen:
            seen.add(callee)
            todo.append(callee)
    return sorted(calls)


# ---------------------------------------------------------------- the variants data, read as data

def variants(root, name):
    """{table: {function or "function-label": value}} of tests/variants/a<name>.py, read with ast (never run);
    {} when the assignment has no such file. Values that are not literals are kept as None."""
    path = pathlib.Path(root) / "tests" / "variants" / f"a{name}.py"
    if not path.is_file():
        return {}
    out = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in VARIANT_TABLES and isinstance(node.value, ast.Dict)):
            out[node.targets[0].id] = _data(node.value)
    return out


def _data(node):
    # dicts and tuples taken apart, so that a source built from pieces (a + _SHARED) leaves its label and fragment
    if isinstance(node, ast.Dict):
        return {_data(k): _data(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_data(e) for e in node.elts)
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _mistake_fragment(value):
    return value[1] if isinstance(value, (tuple, list)) and len(value) == 2 else None


# ---------------------------------------------------------------- the report

def _table_size(path):
    try:
        return len(json.loads(path.read_text(encoding="utf-8")).get("values", {}))
    except (OSError, ValueError, AttributeError):
        return None


def _indent(text):
    return textwrap.indent(text.strip("\n"), "    ") if text.strip() else "    (empty)"


def report(root, assignment_name, function):
    """The text `coursekit show` prints (ShowError for an unknown assignment or function)."""
    root = pathlib.Path(root)
    name = assignment(root, assignment_name)
    path, nb = notebook(root, name)
    functions = course.graded_functions(nb)
    if function not in functions:
        raise ShowError(f"{name} has no graded function named {function} ({_suggest(function, functions)}"
                        f"have: {', '.join(functions)})")
    tests = course.test_cells(nb, function)
    out = [f"{name} · {function} · {course.points(nb)[function]:g} points · {len(tests)} test cell(s) in "
           f"{path.relative_to(root)}"]
    visible = [course.visible_source(c.source) for c in tests]
    hidden = [course.hidden_blocks(c.source) for c in tests]
    for cell, shown, blocks in zip(tests, visible, hidden):
        out += _cell_lines(course.meta(cell), shown, blocks)
    out += _oracle_lines(root, name, nb, visible, [b for blocks in hidden for b in blocks])
    out += _variant_lines(root, name, function)
    return "\n".join(out) + "\n"


def _cell_lines(meta, visible, hidden):
    gid = meta.get("grade_id")
    return ["", f"── {gid} ({float(meta.get('points') or 0):g} points): visible, what learners see and run",
            _indent(visible),
            "", f"── {gid}: HIDDEN, in the answer key and the grader's hands only "
                "(nbgrader strips it from the release)",
            _indent("\n".join(hidden)) if hidden else "    (none)"]


def _oracle_lines(root, name, nb, visible_code, hidden_code):
    """The recorded oracles the test cells call, and the torch / sklearn calls and coursekit helpers in them."""
    oracle_cell = next((c for c in nb.cells if c.cell_type == "code" and course.grade_id(c) == ORACLES_ID), None)
    defined = oracle_functions(oracle_cell.source) if oracle_cell else {}
    setup = [c.source for c in nb.cells if course.is_setup(c)]
    aliases = library_aliases(setup + ([oracle_cell.source] if oracle_cell else []))
    seen = {"visible": set().union(set(), *map(_names, visible_code)),
            "hidden": set().union(set(), *map(_names, hidden_code))}
    used = [n for n in defined if not n.startswith("_") and n in seen["visible"] | seen["hidden"]]
    out = ["", "Oracles its checks use"]
    if used:
        tables = [(root / "source" / name / "expected.json", "the assignment's visible tests and lessons"),
                  (root / "source" / "_expected" / f"{name}.hidden.json", "its hidden tests")]
        sizes = [f"{t.relative_to(root)} ({_table_size(t)} values for {what})" if t.is_file()
                 else f"{t.relative_to(root)} (missing: run `coursekit build {name}`)" for t, what in tables]
        out.append(textwrap.fill(f"recorded from the oracles cell by `coursekit build`, into {sizes[0]} and "
                                 f"{sizes[1]}; the release holds the visible values only:", width=110,
                                 initial_indent="  ", subsequent_indent="  "))
        width = max(map(len, used))
        for n in used:
            where = " and ".join(region for region, names in seen.items() if n in names)
            calls = oracle_library_calls(defined, n, aliases)
            out.append(f"    {n:<{width}}  in {where} tests; computes with "
                       f"{', '.join(calls) if calls else 'no torch or scikit-learn call (numpy or a closed form)'}")
    else:
        out.append("  no recorded oracle: the expected values are written in the test cells")
    trees = [t for t in map(_tree, visible_code + hidden_code) if t]
    in_cells = sorted({call for tree in trees for call in library_calls(tree, aliases)})
    out.append(f"  torch / scikit-learn called in the test cells: {', '.join(in_cells) or 'none'}")
    helpers = _helpers_named([t for t in map(_tree, setup) if t], trees)
    out.append(f"  coursekit helpers named in the test cells: {', '.join(helpers) or 'none'}")
    return out


def _helpers_named(setup_trees, trees):
    """Sorted `module.helper` names of HELPER_MODULES that the code `trees` refers to (aliases from the setup)."""
    package_root = pathlib.Path(__file__).resolve().parents[1]   # this coursekit's helpers
    found = set()
    for module in HELPER_MODULES:
        modules, names = backlinks.aliases(setup_trees, module)
        known = set(backlinks.helpers(package_root, module))
        found |= {f"{module}.{h}" for tree in trees for h in backlinks.references(tree, modules, names) & known}
    return sorted(found)


def _variant_lines(root, name, function):
    tables = variants(root, name)
    out = ["", f"Variants data (tests/variants/a{name}.py)"]
    if not tables:
        return out + ["  none: this assignment has no variants data file"]
    correct = list((tables.get("CORRECT") or {}).get(function) or {})
    mistakes = (tables.get("MISTAKES") or {}).get(function) or {}
    hidden_only = {k.split("-", 1)[1] for k in tables.get("HIDDEN_ONLY") or {} if k.startswith(f"{function}-")}
    promises = (tables.get("PROMISES") or {}).get(function) or {}
    out.append(f"  correct formulations ({len(correct)}): {', '.join(correct) or 'none'}")
    out.append(f"  typical mistakes ({len(mistakes)}), each with the fragment its failure message must hold:")
    for label, value in mistakes.items():
        fragment = _mistake_fragment(value)
        note = " [caught by hidden tests only]" if label in hidden_only else ""
        out.append(f"    {label}: {fragment!r}{note}" if fragment is not None else f"    {label}{note}")
    out.append(f"  docstring promises mapped to visible checks: {len(promises)}")
    return out


def run(root, assignment_name, function, out=None):
    """Print the report; 0, or 2 with a one-line error on stderr for an unknown assignment or function."""
    try:
        text = report(root, assignment_name, function)
    except ShowError as exc:
        print(f"coursekit show: {exc}", file=sys.stderr)
        return 2
    (out or sys.stdout).write(text)
    return 0
