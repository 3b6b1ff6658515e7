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
    (path,) = course.notebooks(root, name)
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
    points = course.points(nb)[function]
    rel = path.relative_to(root)
    out = [f"{name} · {function} · {points:g} points · {len(tests)} test cell(s) in {rel}"]

    visible_code, hidden_code = [], []
    for cell in tests:
        meta = course.meta(cell)
        visible, hidden = course.visible_source(cell.source), course.hidden_blocks(cell.source)
        visible_code.append(visible)
        hidden_code += hidden
        out += ["", f"── {meta.get('grade_id')} ({float(meta.get('points') or 0):g} points): visible, "
                    "what learners see and run", _indent(visible)]
        out += ["", f"── {meta.get('grade_id')}: HIDDEN, in the answer key and the grader's hands only "
                    "(nbgrader strips it from the release)", _indent("\n".join(hidden)) if hidden else "    (none)"]

    oracle_cell = next((c for c in nb.cells if c.cell_type == "code" and course.grade_id(c) == ORACLES_ID), None)
    defined = oracle_functions(oracle_cell.source) if oracle_cell else {}
    public = [n for n in defined if not n.startswith("_")]
    setup = [c.source for c in nb.cells if course.is_setup(c)]
    aliases = library_aliases(setup + ([oracle_cell.source] if oracle_cell else []))
    seen_visible = set().union(*map(_names, visible_code)) if visible_code else set()
    seen_hidden = set().union(*map(_names, hidden_code)) if hidden_code else set()
    used = [n for n in public if n in seen_visible | seen_hidden]

    out += ["", "Oracles its checks use"]
    if used:
        visible_table, hidden_table = (root / "source" / name / "expected.json",
                                       root / "source" / "_expected" / f"{name}.hidden.json")
        sizes = [f"{t.relative_to(root)} ({_table_size(t)} values of {what})" if t.is_file()
                 else f"{t.relative_to(root)} (missing: run `coursekit build {name}`)"
                 for t, what in ((visible_table, "visible tests and lessons"), (hidden_table, "hidden tests"))]
        out.append(textwrap.fill(f"recorded from the oracles cell by `coursekit build`, into {sizes[0]} and "
                                 f"{sizes[1]}; the release holds the visible values only:", width=110,
                                 initial_indent="  ", subsequent_indent="  "))
        width = max(map(len, used))
        for n in used:
            where = " and ".join(w for w, s in (("visible", seen_visible), ("hidden", seen_hidden)) if n in s)
            calls = oracle_library_calls(defined, n, aliases)
            out.append(f"    {n:<{width}}  in {where} tests; computes with "
                       f"{', '.join(calls) if calls else 'no torch or scikit-learn call (numpy or a closed form)'}")
    else:
        out.append("  no recorded oracle: the expected values are written in the test cells")
    in_cells = library_calls(_tree("\n".join(visible_code + hidden_code)), aliases)
    out.append(f"  torch / scikit-learn called in the test cells: {', '.join(in_cells) if in_cells else 'none'}")
    helpers, trees = set(), [t for t in map(_tree, visible_code + hidden_code) if t]
    setup_trees = [t for t in map(_tree, setup) if t]
    for module in HELPER_MODULES:
        modules, names = backlinks.aliases(setup_trees, module)
        known = set(backlinks.helpers(pathlib.Path(__file__).resolve().parents[1], module))   # this coursekit's
        helpers |= {f"{module}.{h}" for tree in trees for h in backlinks.references(tree, modules, names) & known}
    out.append(f"  coursekit helpers named in the test cells: {', '.join(sorted(set(helpers))) or 'none'}")

    tables = variants(root, name)
    rel_variants = f"tests/variants/a{name}.py"
    out += ["", f"Variants data ({rel_variants})"]
    if not tables:
        out.append("  none: this assignment has no variants data file")
    else:
        correct = list((tables.get("CORRECT") or {}).get(function) or {})
        mistakes = (tables.get("MISTAKES") or {}).get(function) or {}
        hidden_only = [k.split("-", 1)[1] for k in tables.get("HIDDEN_ONLY") or {} if k.startswith(f"{function}-")]
        promises = (tables.get("PROMISES") or {}).get(function) or {}
        out.append(f"  correct formulations ({len(correct)}): {', '.join(correct) or 'none'}")
        out.append(f"  typical mistakes ({len(mistakes)}), each with the fragment its failure message must hold:")
        for label, value in mistakes.items():
            fragment = _mistake_fragment(value)
            note = " [caught by hidden tests only]" if label in hidden_only else ""
            out.append(f"    {label}: {fragment!r}{note}" if fragment is not None else f"    {label}{note}")
        out.append(f"  docstring promises mapped to visible checks: {len(promises)}")
    return "\n".join(out) + "\n"


def run(root, assignment_name, function, out=None):
    """Print the report; 0, or 2 with a one-line error on stderr for an unknown assignment or function."""
    try:
        text = report(root, assignment_name, function)
    except ShowError as exc:
        print(f"coursekit show: {exc}", file=sys.stderr)
        return 2
    (out or sys.stdout).write(text)
    return 0
