"""What a piece of learner code uses, read with `ast` and never run (integrity.py's reader).

`parse` reads a cell's source (IPython magics blanked out); `imports` lists what an import
statement binds; `Uses` walks code and collects the dotted names it refers to, resolving
aliases and attribute chains (`TF.relu` -> `torch.nn.functional.relu`), and the modules named
through `__import__`, `importlib.import_module`, `sys.modules[...]` or code given as a literal
string to exec/eval (DYNAMIC where the name is computed at run time).
"""
from __future__ import annotations

import ast

DYNAMIC = "a module named at run time"
_IMPORT_CALLS = {"__import__", "builtins.__import__", "importlib.import_module", "importlib.__import__"}
_CODE_CALLS = {"exec", "eval", "builtins.exec", "builtins.eval"}


def parse(source):
    """The cell's syntax tree (IPython magics turned into Python first), or None."""
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # noqa: BLE001 - not Python: its tests fail anyway
        return None


def imports(node):
    """{name: dotted module or object} bound by the import statements in `node` (all levels)."""
    bound = {}
    for n in ast.walk(node):
        if isinstance(n, ast.Import):
            for a in n.names:
                bound[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(n, ast.ImportFrom) and n.module and not n.level:
            for a in n.names:
                if a.name != "*":
                    bound[a.asname or a.name] = f"{n.module}.{a.name}"
    return bound


class Uses:
    """How a piece of code uses modules: [(dotted name, how it reads)] for its imports, its
    references to imported names (whole attribute chains), its dynamic imports."""

    def __init__(self, bindings):
        self.bindings = bindings

    def scan(self, node, scope=None):
        scope = dict(self.bindings if scope is None else scope)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            scope = _function_scope(node, scope)
        scope.update(imports(node))
        found, todo = [], [node]
        while todo:
            n = todo.pop()
            for child in ast.iter_child_nodes(n):
                child._ck_parent = n
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    found += self.scan(child, scope)      # its own scope: parameters shadow
                else:
                    todo.append(child)
            where = (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))
            found += [(used, how, where) for used, how in self._uses(n, scope)]
        return found

    def _uses(self, n, scope):
        if isinstance(n, ast.Import):
            return [(a.name, f"import {a.name}") for a in n.names]
        if isinstance(n, ast.ImportFrom) and n.module and not n.level:
            return [(n.module if a.name == "*" else f"{n.module}.{a.name}", f"from {n.module} import {a.name}")
                    for a in n.names]
        if isinstance(n, ast.Call):
            return self._call(n, scope)
        if isinstance(n, ast.Subscript) and _dotted(n.value, scope) == "sys.modules":
            return [_dynamic(n.slice, "sys.modules[{}]")]
        inner = isinstance(getattr(n, "_ck_parent", None), ast.Attribute) and n._ck_parent.value is n
        if isinstance(n, (ast.Attribute, ast.Name)) and not inner and _base(n) in scope:
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
                return []
            dotted = _dotted(n, scope)
            return [(dotted, dotted)]
        return []

    def _call(self, call, scope):
        func = _dotted(call.func, scope) or (f"?.{call.func.attr}" if isinstance(call.func, ast.Attribute) else "")
        if func in _IMPORT_CALLS or func.endswith(".import_module") or func == "sys.modules.get":
            return [_dynamic(call.args[0] if call.args else None, func + "({})")]
        code = None
        if func in _CODE_CALLS and call.args:
            code = call.args[0]
        elif func.endswith((".run_line_magic", ".run_cell_magic")) and call.args:   # %time import torch
            code = call.args[-1]
        code = code.value if isinstance(code, ast.Constant) and isinstance(code.value, str) else None
        tree = parse(code) if code else None
        return [(used, how) for used, how, _ in self.scan(tree, scope)] if tree is not None else []


def _function_scope(fn, scope):
    """Outer bindings, less the function's parameters and its own assignments (they shadow)."""
    a = fn.args
    local = {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x}
    local |= {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return {k: v for k, v in scope.items() if k not in local}


def _dynamic(arg, how):
    """(module, how) of a dynamic import whose argument is `arg` (a literal string, or not)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value, how.format(repr(arg.value))
    return DYNAMIC, how.format("...")


def _base(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _dotted(node, scope):
    """`a.b.c` with `a` bound to module M: 'M.b.c'; with `a` not bound by an import: 'a.b.c'."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([scope.get(node.id, node.id), *reversed(parts)])
