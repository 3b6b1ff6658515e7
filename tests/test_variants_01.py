"""Assignment 01 (derivatives): the test cells accept correct answers written in different
ways and reject the typical mistakes with a message that points at the mistake."""
import re

import pytest

import nbtools

NB = nbtools.load("01_derivatives")

# ---------------------------------------------------------------- correct variants (must pass)

CORRECT = {
    "slope_sign": {
        "chained comparisons": '''
def slope_sign(theta_degrees):
    if theta_degrees == 90:
        return "undefined"
    elif 0 < theta_degrees < 90:
        return "positive"
    elif 90 < theta_degrees < 180:
        return "negative"
    return "zero"
''',
        "tan with a vertical special case": '''
import math
def slope_sign(theta_degrees):
    if theta_degrees % 180 == 90:
        return "undefined"
    t = math.tan(math.radians(theta_degrees))
    if t > 0:
        return "positive"
    if t < 0:
        return "negative"
    return "zero"
''',
        "numpy sign lookup": '''
import numpy as np
def slope_sign(theta_degrees):
    if np.isclose(theta_degrees, 90.0, rtol=0, atol=1e-12):
        return "undefined"
    return {1.0: "positive", 0.0: "zero", -1.0: "negative"}[float(np.sign(np.tan(np.deg2rad(theta_degrees))))]
''',
    },
    "numerical_derivative": {
        "times 0.5/h": '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) * (0.5 / h)
''',
        "two half-differences": '''
def numerical_derivative(f, x, h=1e-5):
    forward = (f(x + h) - f(x)) / h
    backward = (f(x) - f(x - h)) / h
    return (forward + backward) / 2
''',
        "np.vectorize": '''
import numpy as np
def numerical_derivative(f, x, h=1e-5):
    one = np.vectorize(lambda t: (f(t + h) - f(t - h)) / (2 * h))
    return one(x)
''',
        "loop over entries": '''
import numpy as np
def numerical_derivative(f, x, h=1e-5):
    if np.isscalar(x):
        return (f(x + h) - f(x - h)) / (2 * h)
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for idx in np.ndindex(x.shape):
        out[idx] = (f(x[idx] + h) - f(x[idx] - h)) / (2 * h)
    return out
''',
    },
    "graph_forward": {
        "one line each": '''
def graph_forward(a, b, c):
    u = b * c
    v = a + u
    return u, v, 3 * v
''',
        "expanded J, list": '''
def graph_forward(a, b, c):
    return [c * b, b * c + a, 3 * a + 3 * b * c]
''',
    },
    "graph_backward": {
        "closed form": '''
def graph_backward(a, b, c):
    return 3, 3 * c, 3 * b
''',
        "chain rule step by step": '''
def graph_backward(a, b, c):
    dJ_dv = 3.0
    dv_da, dv_du = 1.0, 1.0
    du_db, du_dc = c, b
    dJ_du = dJ_dv * dv_du
    return dJ_dv * dv_da, dJ_du * du_db, dJ_du * du_dc
''',
        "torch autograd": '''
import torch
def graph_backward(a, b, c):
    a, b, c = (torch.tensor(float(t), dtype=torch.float64, requires_grad=True) for t in (a, b, c))
    J = 3 * (a + b * c)
    J.backward()
    return a.grad.item(), b.grad.item(), c.grad.item()
''',
    },
}

# ---------------------------------------------------------------- typical mistakes (must fail)
# (function, label, source, regex the failure message must match)

MISTAKES = [
    ("slope_sign", "the slide's ranges (0 <= θ < 90 positive)", '''
def slope_sign(theta_degrees):
    if 0 <= theta_degrees < 90:
        return "positive"
    if theta_degrees == 0:
        return "zero"
    if theta_degrees == 90:
        return "undefined"
    return "negative"
''', r"θ = 0 \(a horizontal line\): got 'positive'"),
    ("slope_sign", "the slide's ranges (90 <= θ < 180 negative)", '''
def slope_sign(theta_degrees):
    if theta_degrees == 0:
        return "zero"
    if 0 < theta_degrees < 90:
        return "positive"
    if 90 <= theta_degrees < 180:
        return "negative"
    return "undefined"
''', r"θ = 90 \(a vertical line\): got 'negative'"),
    ("slope_sign", "sign of np.tan only (tan 90° is 1.6e16)", '''
import numpy as np
def slope_sign(theta_degrees):
    t = np.tan(np.radians(theta_degrees))
    if np.isinf(t) or np.isnan(t):
        return "undefined"
    return "positive" if t > 0 else ("negative" if t < 0 else "zero")
''', r"θ = 90 \(a vertical line\): got 'positive'"),
    ("slope_sign", "cos == 0 for vertical (cos 90° is 6e-17)", '''
import math
def slope_sign(theta_degrees):
    r = math.radians(theta_degrees)
    if math.cos(r) == 0:
        return "undefined"
    s = math.sin(r) / math.cos(r)
    return "positive" if s > 0 else ("negative" if s < 0 else "zero")
''', r"θ = 90 \(a vertical line\)"),
    ("numerical_derivative", "forward difference", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
''', r"numerical_derivative\(\).*differ"),
    ("numerical_derivative", "divides by h instead of 2h", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h
''', r"differ; worst value: got 24"),
    ("numerical_derivative", "ignores the h it is given", '''
def numerical_derivative(f, x, h=1e-5):
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)
''', r"h=0\.1\), which should be 3x\^2 \+ h\^2: 1 of 1 entries differ"),
    ("numerical_derivative", "a tiny default step (round-off)", '''
def numerical_derivative(f, x, h=1e-10):
    return (f(x + h) - f(x - h)) / (2 * h)
''', r"numerical_derivative\(\): 1 of 1 entries differ"),
    ("numerical_derivative", "h - 2h typo: (f(x+h) - f(x-h)) / 2*h", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / 2 * h
''', r"differ"),
    ("graph_forward", "forgot the parentheses: J = 3a + bc", '''
def graph_forward(a, b, c):
    u = b * c
    v = a + u
    return u, v, 3 * a + u
''', r"graph_forward\(\) J: 1 of 1 entries differ"),
    ("graph_forward", "returns (J, v, u)", '''
def graph_forward(a, b, c):
    u = b * c
    v = a + u
    return 3 * v, v, u
''', r"graph_forward\(\) u: 1 of 1 entries differ"),
    ("graph_forward", "returns only J", '''
def graph_forward(a, b, c):
    return 3 * (a + b * c)
''', r"expected a tuple of 3 values"),
    ("graph_backward", "swaps dJ/db and dJ/dc", '''
def graph_backward(a, b, c):
    return 3.0, 3.0 * b, 3.0 * c
''', r"graph_backward\(\) dJ_db: 1 of 1 entries differ; worst value: got 9"),
    ("graph_backward", "forgets the factor 3", '''
def graph_backward(a, b, c):
    return 1.0, c, b
''', r"graph_backward\(\) dJ_da: 1 of 1 entries differ"),
    ("graph_backward", "the slide's C^2", '''
def graph_backward(a, b, c):
    return 3.0, 3.0 * c ** 2, 3.0 * b
''', r"dJ_db: 1 of 1 entries differ; worst value: got 12"),
    ("graph_backward", "only right at (5, 3, 2)", '''
def graph_backward(a, b, c):
    return 3.0, 6.0, 9.0
''', r"dJ_db: 1 of 1 entries differ"),
]

# The release replaces each answer with this stub.
STUBS = {
    "slope_sign": "def slope_sign(theta_degrees):\n    raise NotImplementedError()\n",
    "numerical_derivative": "def numerical_derivative(f, x, h=1e-5):\n    raise NotImplementedError()\n",
    "graph_forward": "def graph_forward(a, b, c):\n    raise NotImplementedError()\n",
    "graph_backward": "def graph_backward(a, b, c):\n    raise NotImplementedError()\n",
}


def test_graded_functions():
    assert nbtools.graded_functions(NB) == ["slope_sign", "numerical_derivative", "graph_forward", "graph_backward"]


@pytest.mark.parametrize("name", list(STUBS))
def test_answer_key_passes(name):
    assert nbtools.run_tests(NB, name) >= 1


@pytest.mark.parametrize("name,label", [(n, label) for n, vs in CORRECT.items() for label in vs])
def test_correct_variant_passes(name, label):
    nbtools.run_tests(NB, name, source=CORRECT[name][label])


@pytest.mark.parametrize("name,label,source,fragment", MISTAKES, ids=[f"{m[0]}: {m[1]}" for m in MISTAKES])
def test_mistake_fails(name, label, source, fragment):
    with pytest.raises(AssertionError) as info:
        nbtools.run_tests(NB, name, source=source)
    assert re.search(fragment, str(info.value)), str(info.value)


@pytest.mark.parametrize("name", list(STUBS))
def test_unanswered_fails_every_test_cell_visibly(name):
    """In the release (hidden tests stripped) each test cell fails on the stub with 'not implemented yet'."""
    ns = nbtools.namespace(NB, {name: STUBS[name]})
    for cell in nbtools.test_cells(NB, name):
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        with pytest.raises(AssertionError, match="not implemented yet"):
            exec(compile(visible, "<visible>", "exec"), dict(ns))


def test_metadata_and_no_outputs():
    ids = []
    for cell in NB.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        m = nbtools.meta(cell)
        if m:
            ids.append(m["grade_id"])
            if m.get("grade"):
                assert 1 <= m["points"] <= 3 and m["locked"]
                assert "ck.check(" in cell.source.split("### BEGIN HIDDEN TESTS")[0]
    assert len(ids) == len(set(ids))
    points = {n: sum(nbtools.meta(c)["points"] for c in nbtools.test_cells(NB, n)) for n in STUBS}
    assert points == {"slope_sign": 1, "numerical_derivative": 3, "graph_forward": 1, "graph_backward": 2}
