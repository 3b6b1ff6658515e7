"""Variants of 01_derivatives's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Fragments are plain text (the loader escapes them). Every mistake fails a visible test of the released notebook.
"""

CORRECT = {
    'slope_sign': {
        'chained comparisons': """
            def slope_sign(theta_degrees):
                if theta_degrees == 90:
                    return "undefined"
                elif 0 < theta_degrees < 90:
                    return "positive"
                elif 90 < theta_degrees < 180:
                    return "negative"
                return "zero"
        """,
        'tan with a vertical special case': """
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
        """,
        'numpy sign lookup': """
            import numpy as np
            def slope_sign(theta_degrees):
                if np.isclose(theta_degrees, 90.0, rtol=0, atol=1e-12):
                    return "undefined"
                return {1.0: "positive", 0.0: "zero", -1.0: "negative"}[float(np.sign(np.tan(np.deg2rad(theta_degrees))))]
        """,
        'compare with 90 first, float()': """
            def slope_sign(theta_degrees):
                theta = float(theta_degrees)
                if theta > 90:
                    return "negative"
                if theta < 90:
                    return "positive" if theta > 0 else "zero"
                return "undefined"
        """,
    },
    'numerical_derivative': {
        'times 0.5/h': """
            def numerical_derivative(f, x, h=1e-5):
                return (f(x + h) - f(x - h)) * (0.5 / h)
        """,
        'two half-differences': """
            def numerical_derivative(f, x, h=1e-5):
                forward = (f(x + h) - f(x)) / h
                backward = (f(x) - f(x - h)) / h
                return (forward + backward) / 2
        """,
        'np.vectorize': """
            import numpy as np
            def numerical_derivative(f, x, h=1e-5):
                one = np.vectorize(lambda t: (f(t + h) - f(t - h)) / (2 * h))
                return one(x)
        """,
        'loop over entries': """
            import numpy as np
            def numerical_derivative(f, x, h=1e-5):
                if np.isscalar(x):
                    return (f(x + h) - f(x - h)) / (2 * h)
                x = np.asarray(x, dtype=float)
                out = np.empty_like(x)
                for idx in np.ndindex(x.shape):
                    out[idx] = (f(x[idx] + h) - f(x[idx] - h)) / (2 * h)
                return out
        """,
    },
    'graph_forward': {
        'one line each': """
            def graph_forward(a, b, c):
                u = b * c
                v = a + u
                return u, v, 3 * v
        """,
        'expanded J, list': """
            def graph_forward(a, b, c):
                return [c * b, b * c + a, 3 * a + 3 * b * c]
        """,
        'torch scalars': """
            import torch
            def graph_forward(a, b, c):
                a, b, c = (torch.tensor(float(t), dtype=torch.float64) for t in (a, b, c))
                u = b * c
                v = a + u
                J = 3 * v
                return u.item(), v.item(), J.item()
        """,
    },
    'graph_backward': {
        'closed form': """
            def graph_backward(a, b, c):
                return 3, 3 * c, 3 * b
        """,
        'chain rule step by step': """
            def graph_backward(a, b, c):
                dJ_dv = 3.0
                dv_da, dv_du = 1.0, 1.0
                du_db, du_dc = c, b
                dJ_du = dJ_dv * dv_du
                return dJ_dv * dv_da, dJ_du * du_db, dJ_du * du_dc
        """,
        'torch autograd': """
            import torch
            def graph_backward(a, b, c):
                a, b, c = (torch.tensor(float(t), dtype=torch.float64, requires_grad=True) for t in (a, b, c))
                J = 3 * (a + b * c)
                J.backward()
                return a.grad.item(), b.grad.item(), c.grad.item()
        """,
    },
}

MISTAKES = {
    'slope_sign': {
        "the slide's ranges (0 <= θ < 90 positive)": ("""
            def slope_sign(theta_degrees):
                if 0 <= theta_degrees < 90:
                    return "positive"
                if theta_degrees == 0:
                    return "zero"
                if theta_degrees == 90:
                    return "undefined"
                return "negative"
        """, "θ = 0 (a horizontal line): got 'positive'"),
        "the slide's ranges (90 <= θ < 180 negative)": ("""
            def slope_sign(theta_degrees):
                if theta_degrees == 0:
                    return "zero"
                if 0 < theta_degrees < 90:
                    return "positive"
                if 90 <= theta_degrees < 180:
                    return "negative"
                return "undefined"
        """, "θ = 90 (a vertical line): got 'negative'"),
        'sign of np.tan only (tan 90° is 1.6e16)': ("""
            import numpy as np
            def slope_sign(theta_degrees):
                t = np.tan(np.radians(theta_degrees))
                if np.isinf(t) or np.isnan(t):
                    return "undefined"
                return "positive" if t > 0 else ("negative" if t < 0 else "zero")
        """, "θ = 90 (a vertical line): got 'positive'"),
        'cos == 0 for vertical (cos 90° is 6e-17)': ("""
            import math
            def slope_sign(theta_degrees):
                r = math.radians(theta_degrees)
                if math.cos(r) == 0:
                    return "undefined"
                s = math.sin(r) / math.cos(r)
                return "positive" if s > 0 else ("negative" if s < 0 else "zero")
        """, "θ = 90 (a vertical line)"),
        'whole degrees only (int(θ))': ("""
            def slope_sign(theta_degrees):
                theta = int(theta_degrees)
                if theta == 0:
                    return "zero"
                if theta == 90:
                    return "undefined"
                return "positive" if theta < 90 else "negative"
        """, "slope_sign at θ = 0.5: got 'zero'"),
    },
    'numerical_derivative': {
        'forward difference': ("""
            def numerical_derivative(f, x, h=1e-5):
                return (f(x + h) - f(x)) / h
        """, "numerical_derivative(): 1 of 1 entries differ"),
        'divides by h instead of 2h': ("""
            def numerical_derivative(f, x, h=1e-5):
                return (f(x + h) - f(x - h)) / h
        """, "differ; worst value: got 24"),
        'ignores the h it is given': ("""
            def numerical_derivative(f, x, h=1e-5):
                step = 1e-5
                return (f(x + step) - f(x - step)) / (2 * step)
        """, "h=0.1), which should be 3x^2 + h^2: 1 of 1 entries differ"),
        'a tiny default step (round-off)': ("""
            def numerical_derivative(f, x, h=1e-10):
                return (f(x + h) - f(x - h)) / (2 * h)
        """, "numerical_derivative(): 1 of 1 entries differ"),
        'a large default step (h = 1e-3)': ("""
            def numerical_derivative(f, x, h=1e-3):
                return (f(x + h) - f(x - h)) / (2 * h)
        """, "numerical_derivative(): 1 of 1 entries differ"),
        'h - 2h typo: (f(x+h) - f(x-h)) / 2*h': ("""
            def numerical_derivative(f, x, h=1e-5):
                return (f(x + h) - f(x - h)) / 2 * h
        """, "differ"),
        'a number comes back as an array of one': ("""
            import numpy as np
            def numerical_derivative(f, x, h=1e-5):
                x = np.atleast_1d(np.asarray(x, dtype=float))
                out = np.empty_like(x)
                for i in np.ndindex(x.shape):
                    out[i] = (f(x[i] + h) - f(x[i] - h)) / (2 * h)
                return out
        """, "expected a single number (shape ()), got an array of shape (1,)"),
        'loop over ravel() returns a flat array': ("""
            import numpy as np
            def numerical_derivative(f, x, h=1e-5):
                if np.ndim(x) == 0:
                    return (f(x + h) - f(x - h)) / (2 * h)
                return np.array([(f(t + h) - f(t - h)) / (2 * h) for t in np.ravel(x)])
        """, "wrong shape: expected (2, 3), got (6,)"),
    },
    'graph_forward': {
        'forgot the parentheses: J = 3a + bc': ("""
            def graph_forward(a, b, c):
                u = b * c
                v = a + u
                return u, v, 3 * a + u
        """, "graph_forward() J: 1 of 1 entries differ"),
        'returns (J, v, u)': ("""
            def graph_forward(a, b, c):
                u = b * c
                v = a + u
                return 3 * v, v, u
        """, "graph_forward() u: 1 of 1 entries differ"),
        'returns only J': ("""
            def graph_forward(a, b, c):
                return 3 * (a + b * c)
        """, "expected a tuple of 3 values"),
        'v = a * u (product node)': ("""
            def graph_forward(a, b, c):
                u = b * c
                v = a * u
                return u, v, 3 * v
        """, "graph_forward() v: 1 of 1 entries differ"),
        'only right at (5, 3, 2)': ("""
            def graph_forward(a, b, c):
                return 6.0, 11.0, 33.0
        """, "graph_forward() u: 1 of 1 entries differ"),
    },
    'graph_backward': {
        'swaps dJ/db and dJ/dc': ("""
            def graph_backward(a, b, c):
                return 3.0, 3.0 * b, 3.0 * c
        """, "graph_backward() dJ_db: 1 of 1 entries differ; worst value: got 9"),
        'forgets the factor 3': ("""
            def graph_backward(a, b, c):
                return 1.0, c, b
        """, "graph_backward() dJ_da: 1 of 1 entries differ"),
        "the slide's C^2": ("""
            def graph_backward(a, b, c):
                return 3.0, 3.0 * c ** 2, 3.0 * b
        """, "dJ_db: 1 of 1 entries differ; worst value: got 12"),
        'only right at (5, 3, 2)': ("""
            def graph_backward(a, b, c):
                return 3.0, 6.0, 9.0
        """, "dJ_db: 1 of 1 entries differ"),
    },
}

HIDDEN_ONLY = {}

# Every line of each docstring (verbatim) -> a fragment of a visible test cell that checks it.
PROMISES = {
    'slope_sign': {
        "Sign of the slope of a line that makes the angle theta with the positive x axis.":
            'ck.check(slope_sign, {"theta_degrees": 30.0}, expected="positive")',
        "theta_degrees -- a number (float or int), the angle in degrees, 0 <= theta_degrees < 180":
            '{"theta_degrees": 135}',
        'one of the strings "positive", "zero", "negative", "undefined"':
            'expected="undefined", quantity="slope_sign at θ = 90 (a vertical line)"',
    },
    'numerical_derivative': {
        "Central-difference estimate of the derivative of f at x.":
            "With a large step the central difference of x^3 is exactly 3x^2 + h^2",
        "f -- a function of one variable that works elementwise on NumPy arrays": '{"f": F.sine, "x": X}',
        "x -- a number, or a NumPy array of any shape (s1, s2, ...) of points":
            "An array of points in, an array of the same shape out.",
        "h -- the step, a positive number": '"h": 0.1',
        "df -- (f(x + h) - f(x - h)) / (2 h): a number if x is a number, else an array of the same shape as x":
            "which should be 3x^2 + h^2",
    },
    'graph_forward': {
        "Forward pass of the computation graph u = b c, v = a + u, J = 3 v.": "expected=(6.0, 11.0, 33.0)",
        "a, b, c -- numbers (floats)": '{"a": -1.5, "b": 2.0, "c": -0.5}',
        "u, v, J -- the values of the three nodes, numbers": 'names=("u", "v", "J")',
    },
    'graph_backward': {
        "Backward pass of the computation graph u = b c, v = a + u, J = 3 v.": "expected=(3.0, 6.0, 9.0)",
        "a, b, c -- numbers (floats), the point at which to differentiate":
            "another point; the oracle is PyTorch's autograd",
        "dJ_da, dJ_db, dJ_dc -- the derivatives of J with respect to a, b and c, numbers":
            'names=("dJ_da", "dJ_db", "dJ_dc")',
    },
}
