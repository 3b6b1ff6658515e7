"""Toy functions (and their derivatives) that lessons and test cells pass to graded code.

They live here, importable by name, so that a check which passes one of them can be
recorded and replayed (see coursekit.replay). None of them is a graded exercise.
"""
import numpy as np


def triple(a):
    """f(a) = 3a, the slides' nudge example."""
    return 3.0 * a


def square(x):
    """f(x) = x^2."""
    return x ** 2


def d_square(x):
    """f'(x) = 2x."""
    return 2.0 * x


def cube(x):
    """f(x) = x^3."""
    return x ** 3


def d_cube(x):
    """f'(x) = 3x^2."""
    return 3.0 * x ** 2


def sine(x):
    """f(x) = sin x."""
    return np.sin(x)


def d_sine(x):
    """f'(x) = cos x."""
    return np.cos(x)


def log1pexp(x, a=1.0):
    """f(x) = log(1 + e^(a x)), computed without overflow."""
    return np.logaddexp(0.0, a * x)


def two_minima(x):
    """A non-convex function with two minima: f(x) = x^4 - 3x^2 + x."""
    return x ** 4 - 3.0 * x ** 2 + x


def d_two_minima(x):
    """f'(x) = 4x^3 - 6x + 1."""
    return 4.0 * x ** 3 - 6.0 * x + 1.0


def bowl(p):
    """An elongated bowl f(p) = p0^2 + 5 p1^2; p is an array whose last axis has length 2."""
    p = np.asarray(p, dtype=np.float64)
    return p[..., 0] ** 2 + 5.0 * p[..., 1] ** 2


def d_bowl(p):
    """Gradient of `bowl`: (2 p0, 10 p1)."""
    p = np.asarray(p, dtype=np.float64)
    return np.stack([2.0 * p[..., 0], 10.0 * p[..., 1]], axis=-1)


def absolute(x):
    """f(x) = |x|: convex, but not differentiable at 0."""
    return np.abs(x)


def d_absolute(x):
    """The slope of |x|: sign(x), i.e. -1, +1, and 0 at x = 0 (a subgradient there)."""
    return np.sign(x)
