"""Pinned edges: the private internals of other packages that coursekit leans on, read (never run).

coursekit/grading copies or relies on code that those packages do not promise to keep:
nbconvert's `ExecutePreprocessor.preprocess` and `_check_assign_resources` (copied into
`ResilientExecute._run`, coursekit/grading/execute.py), nbclient's `create_kernel_manager`
and its writing of an executed cell back into the notebook (grading/kernel.py's
`execute_detached`), jsonschema's optional import of rfc3987_syntax (made to fail in
grading/nbgrader_main.py), `multiprocessing.forkserver.ensure_running` (grading/nbgrader_cli.py) and
nbgrader 0.9's table names in raw SQL (grading/autograde.py's `LEARNER_TABLES`). pyproject.toml
pins each package to the range this suite passed with and constraints.txt to the exact versions
(docs/tests.md). Each test below fails, naming the file to re-check, when an upgrade moves or
reshapes one of them: by `inspect` and `ast`, in-process, in milliseconds.

A copied method is compared by a fingerprint of its code (its AST without the docstring), so
that a reformatted or re-documented upstream method still matches and a changed one does not.
After re-checking the copy against the new upstream code, put the new fingerprint here.
"""
from __future__ import annotations

import ast
import hashlib
import inspect
import multiprocessing
import textwrap

import pytest


def function_ast(fn):
    """The AST of a function's definition, its docstring dropped."""
    node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) \
            and isinstance(node.body[0].value.value, str):
        node.body = node.body[1:]
    return node


def fingerprint(fn):
    """12 hex digits of the function's code, independent of formatting, comments and docstring."""
    node = function_ast(fn)
    node.returns = None   # annotations are not behaviour; some releases add or spell them otherwise
    for arg in ast.walk(node.args):
        if isinstance(arg, ast.arg):
            arg.annotation = None
    return hashlib.sha256(ast.dump(node, include_attributes=False).encode()).hexdigest()[:12]


def parameters(fn):
    return list(inspect.signature(fn).parameters)


def member(owner, name, recheck):
    """owner.name, or a failure that says where coursekit uses it."""
    found = inspect.getattr_static(owner, name, None)
    if found is None:
        pytest.fail(f"{owner.__module__}.{owner.__qualname__}.{name} is gone: re-check {recheck}", pytrace=False)
    return getattr(owner, name)


# ---------------------------------------------------------------- nbconvert: the copied preprocess

EXECUTE = "coursekit/grading/execute.py (ResilientExecute._run copies it)"
# the code ResilientExecute._run was written from (nbconvert 7.16-7.17)
PREPROCESS_FINGERPRINT = "5f0371d16a66"
CHECK_ASSIGN_FINGERPRINT = "59085eb6f620"


def test_nbconvert_preprocess_is_the_code_execute_py_copies():
    from nbconvert.preprocessors import ExecutePreprocessor
    preprocess = member(ExecutePreprocessor, "preprocess", EXECUTE)
    assert parameters(preprocess) == ["self", "nb", "resources", "km"], (
        f"nbconvert changed the signature of ExecutePreprocessor.preprocess to {inspect.signature(preprocess)}: "
        f"re-check {EXECUTE}")
    assert fingerprint(preprocess) == PREPROCESS_FINGERPRINT, (
        f"nbconvert changed ExecutePreprocessor.preprocess (fingerprint {fingerprint(preprocess)}, the copy was "
        f"made from {PREPROCESS_FINGERPRINT}): re-check {EXECUTE}, then update PREPROCESS_FINGERPRINT here")


def test_nbconvert_check_assign_resources_is_still_there():
    from nbconvert.preprocessors import ExecutePreprocessor
    check = member(ExecutePreprocessor, "_check_assign_resources", EXECUTE)
    assert parameters(check) == ["self", "resources"], (
        f"nbconvert changed ExecutePreprocessor._check_assign_resources{inspect.signature(check)}: re-check {EXECUTE}")
    assert fingerprint(check) == CHECK_ASSIGN_FINGERPRINT, (
        f"nbconvert changed ExecutePreprocessor._check_assign_resources (fingerprint {fingerprint(check)}, "
        f"expected {CHECK_ASSIGN_FINGERPRINT}): re-check {EXECUTE}, then update CHECK_ASSIGN_FINGERPRINT here")


@pytest.mark.parametrize("name, params", [
    ("reset_execution_trackers", ["self"]),
    ("setup_kernel", ["self", "kwargs"]),
    ("wait_for_reply", ["self", "msg_id", "cell"]),
    ("preprocess_cell", ["self", "cell", "resources", "index"]),
    ("set_widgets_metadata", ["self"]),
    ("execute_cell", ["self", "cell", "cell_index", "execution_count", "store_history"]),
])
def test_what_the_copied_preprocess_calls_is_there(name, params):
    """The methods ResilientExecute._run calls on itself (nbconvert's and nbclient's); where
    nbclient wraps a coroutine (`wait_for_reply = run_sync(async_wait_for_reply)`), the coroutine's
    parameters."""
    from nbconvert.preprocessors import ExecutePreprocessor
    method = member(ExecutePreprocessor, name, EXECUTE)
    method = getattr(ExecutePreprocessor, f"async_{name}", method)
    assert parameters(method) == params, (
        f"{name}{inspect.signature(method)} changed (expected parameters {params}): re-check {EXECUTE}")


def test_nbclient_init_takes_the_notebook_and_a_kernel_manager():
    from nbclient import NotebookClient
    assert parameters(NotebookClient.__init__)[:3] == ["self", "nb", "km"], (
        f"nbclient changed NotebookClient.__init__{inspect.signature(NotebookClient.__init__)}: re-check {EXECUTE} "
        "(it calls NotebookClient.__init__(self, nb, km) as nbconvert does)")


# ---------------------------------------------------------------- nbclient: kernel manager, cells written back

KERNEL = "coursekit/grading/kernel.py (execute_detached puts the notebook's own cell back)"
KERNEL_MANAGER = "coursekit/grading/execute.py and recheck_replay.py (both override create_kernel_manager)"


def test_nbclient_create_kernel_manager_is_a_hook_without_arguments():
    from nbclient import NotebookClient
    create = member(NotebookClient, "create_kernel_manager", KERNEL_MANAGER)
    assert parameters(create) == ["self"], (
        f"nbclient changed NotebookClient.create_kernel_manager{inspect.signature(create)}: re-check {KERNEL_MANAGER}")
    callers = [n for n in ("start_new_kernel", "async_start_new_kernel", "setup_kernel", "async_setup_kernel")
               if "self.create_kernel_manager()" in inspect.getsource(getattr(NotebookClient, n, lambda: None))]
    assert callers, ("nbclient no longer calls self.create_kernel_manager() when it starts a kernel: "
                     f"re-check {KERNEL_MANAGER}")


def test_nbclient_writes_the_executed_cell_back_into_the_notebook():
    from nbclient import NotebookClient
    execute = member(NotebookClient, "async_execute_cell", KERNEL)
    writes = [node for node in ast.walk(function_ast(execute)) if isinstance(node, ast.Assign)
              and any(ast.unparse(t).replace("'", '"') in ('self.nb["cells"][cell_index]', "self.nb.cells[cell_index]")
                      for t in node.targets)]
    assert writes, (f"nbclient's execute_cell no longer writes the executed cell back into self.nb.cells[cell_index]: "
                    f"re-check {KERNEL}")


# ---------------------------------------------------------------- jsonschema: the optional rfc3987_syntax

NBGRADER_MAIN = "coursekit/grading/nbgrader_main.py (sys.modules['rfc3987_syntax'] = None)"


def optional_imports(tree, module):
    """The imports of `module` in `tree` that sit inside `with suppress(ImportError)` or
    `try: ... except ImportError`, and all imports of it."""
    inside, every = [], []

    def visit(nodes, optional):
        for child in nodes:
            names = ([child.module] if isinstance(child, ast.ImportFrom) else
                     [a.name for a in child.names] if isinstance(child, ast.Import) else [])
            if module in names:
                every.append(child)
                if optional:
                    inside.append(child)
            if isinstance(child, ast.With):
                visit(child.body, optional or any("ImportError" in ast.unparse(i.context_expr) for i in child.items))
            elif isinstance(child, ast.Try):   # only the try block is protected, not its handlers
                visit(child.body, optional or any(h.type is not None and "ImportError" in ast.unparse(h.type)
                                                  for h in child.handlers))
                visit([*child.handlers, *child.orelse, *child.finalbody], optional)
            else:
                visit(ast.iter_child_nodes(child), optional)

    visit(tree.body, False)
    return inside, every


def test_jsonschema_imports_rfc3987_syntax_only_optionally():
    import jsonschema._format as formats
    inside, every = optional_imports(ast.parse(inspect.getsource(formats)), "rfc3987_syntax")
    assert every, (f"jsonschema {jsonschema_version()} no longer imports rfc3987_syntax: the workaround in "
                   f"{NBGRADER_MAIN} is not needed any more (remove it and this test)")
    assert inside == every, (f"jsonschema {jsonschema_version()} imports rfc3987_syntax unconditionally: "
                             f"{NBGRADER_MAIN} would break nbgrader; re-check it")


def jsonschema_version():
    from importlib.metadata import version
    return version("jsonschema")


# ---------------------------------------------------------------- multiprocessing: the fork server

WORKER = "coursekit/grading/nbgrader_cli.py (warm_up starts nbgrader's fork server)"


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here")
def test_the_fork_server_can_be_started_ahead_and_preloaded():
    from multiprocessing import forkserver
    ensure = getattr(forkserver, "ensure_running", None)
    assert callable(ensure), f"multiprocessing.forkserver.ensure_running is gone: re-check {WORKER}"
    required = [p for p in inspect.signature(ensure).parameters.values() if p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert not required, f"forkserver.ensure_running now requires {required}: re-check {WORKER}"
    context = multiprocessing.get_context("forkserver")
    assert callable(getattr(context, "set_forkserver_preload", None)), (
        f"the forkserver context has no set_forkserver_preload: re-check {WORKER}")


# ---------------------------------------------------------------- nbgrader 0.9: table names in raw SQL

AUTOGRADE = "coursekit/grading/autograde.py (LEARNER_TABLES: DELETE FROM each in the workers' template gradebook)"


def learner_tables(metadata):
    """The tables whose rows belong to a learner: `student`, and every table that refers to one
    of those (a foreign key, followed to the end)."""
    found = {"student"}
    while True:
        more = {name for name, table in metadata.tables.items()
                if name not in found and any(fk.column.table.name in found for fk in table.foreign_keys)}
        if not more:
            return found
        found |= more


def test_the_learner_tables_are_nbgraders():
    from nbgrader.api import Base

    from coursekit.grading import autograde
    named = getattr(autograde, "LEARNER_TABLES", None)
    assert named is not None, f"LEARNER_TABLES moved: point this test at it ({AUTOGRADE})"
    missing = sorted(set(named) - set(Base.metadata.tables))
    assert not missing, f"nbgrader's gradebook has no table(s) {missing}: re-check {AUTOGRADE}"
    assert set(named) == learner_tables(Base.metadata), (
        f"nbgrader's tables holding a learner's rows are {sorted(learner_tables(Base.metadata))}, LEARNER_TABLES "
        f"names {sorted(named)}: a learner's rows would stay in (or a course's be deleted from) the workers' "
        f"template; re-check {AUTOGRADE}")
