"""coursekit's import graph, read with ast (nothing imported): no cycles, imports inside
functions included (so that none is there to dodge a cycle), and the learner-facing modules
never reach the grading machinery (coursekit.grading) nor the instructor's commands."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "coursekit"
INSTRUCTOR = {"coursekit.build", "coursekit.recording", "coursekit.measure",   # the assign verb
              "coursekit.cli",                                                  # the command
              "coursekit.show", "coursekit.backlinks"}                          # where is it checked


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def imports(name, path, known):
    """coursekit modules that module `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for target in targets:
            # `import coursekit.grading.recheck` also imports coursekit.grading; a name that is
            # not a module (from .checks import call) leaves the module it came from
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph():
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def reachable(graph, start):
    seen, todo = set(), list(graph[start])
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += graph.get(m, ())
    return seen


def test_the_graph_is_read(graph):
    assert "coursekit.grading.autograde" in graph
    assert "coursekit.grading.recheck" in graph["coursekit.grading.autograde"]
    assert "coursekit.checks" in graph["coursekit.grading.recheck_verdict"]
    assert "coursekit.course" in graph["coursekit.grading.kernel"]   # from .. import course


def test_no_import_cycles(graph):
    cycles = sorted(m for m in graph if m in reachable(graph, m))
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_learner_modules_never_reach_grading(graph):
    learner = [m for m in graph if not m.startswith("coursekit.grading") and m not in INSTRUCTOR
               and m != "coursekit"]
    assert {"coursekit.checks", "coursekit.values", "coursekit.course"} <= set(learner)
    offenders = {m: sorted(r for r in reachable(graph, m) if r.startswith("coursekit.grading") or r in INSTRUCTOR)
                 for m in learner}
    assert not {m: r for m, r in offenders.items() if r}, offenders


def test_sandbox_launcher_imports_only_the_standard_library(graph):
    # it runs before every learner kernel: nothing of coursekit beyond the (empty) packages and
    # the limits' constants (the memory cap's default has one source)
    assert graph["coursekit.grading.sandbox"] <= {"coursekit", "coursekit.grading", "coursekit.grading.limits"}
    assert graph["coursekit"] == graph["coursekit.grading"] == graph["coursekit.grading.limits"] == set()
