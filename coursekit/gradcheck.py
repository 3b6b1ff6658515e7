"""Numerical gradients, for checking a hand-written backward pass.

The recipe: compute the analytic gradient with your backprop, the numerical one with
`numerical_gradient(s)` (central differences, one entry at a time), then
`check_gradients(analytic, numerical)`.

One formula measures the disagreement everywhere in the course:

    relative_error(a, b) = ||a - b|| / max(||a|| + ||b||, 1e-12)

with ||.|| the Euclidean norm of all entries (Frobenius norm for a matrix). It is 0 for
identical gradients, at most 1, and does not depend on the scale of the gradient. With
h = 1e-5 and float64, a correct gradient typically gives 1e-11..1e-8; above 1e-7 look for
a bug, and above 1e-3 there almost certainly is one.
"""
from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping

import numpy as np

DEFAULT_H = 1e-5
DEFAULT_TOL = 1e-7


def _scalar(value, what):
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"{what} must return a single number (a scalar cost), got shape {arr.shape}")
    return float(arr.reshape(()))


def _step(h):
    if not isinstance(h, numbers.Real) or not np.isfinite(h) or h <= 0:
        raise ValueError(f"h must be a number > 0, got {h!r}")
    return float(h)


def numerical_gradient(f, x, h=DEFAULT_H):
    """Gradient of a scalar function by central differences, one entry at a time.

    f: function taking an array of x's shape and returning a scalar.
    x: array of any shape (n1, n2, ...): the point where the gradient is taken.
    h: the nudge; entry i of the result is (f(x + h e_i) - f(x - h e_i)) / (2h).
    Returns an array of shape (n1, n2, ...) (float64). x itself is left unchanged.
    """
    h = _step(h)
    point = np.array(x, dtype=np.float64)  # a copy: nudges never touch the caller's x
    grad = np.zeros_like(point)
    for i in np.ndindex(point.shape):
        original = point[i]
        point[i] = original + h
        f_plus = _scalar(f(point), "f")
        point[i] = original - h
        f_minus = _scalar(f(point), "f")
        point[i] = original
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def numerical_gradients(f, params, h=DEFAULT_H):
    """Numerical gradient of a scalar function of several named arrays.

    f:      function taking a dict like `params` and returning a scalar (e.g. the cost).
    params: dict name -> array of any shape, e.g. {"W1": (n1, n0), "b1": (n1, 1), ...}.
    Returns a dict name -> gradient array of that parameter's shape (float64).
    The caller's arrays are left unchanged.
    """
    if not isinstance(params, Mapping) or not params:
        raise ValueError("params must be a non-empty dict of arrays")
    h = _step(h)
    point = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    grads = {}
    for name in point:
        def f_of_one(value, name=name):
            point[name] = value
            return f(point)
        grads[name] = numerical_gradient(f_of_one, point[name], h)
        point[name] = np.array(params[name], dtype=np.float64)
    return grads


def relative_error(a, b):
    """||a - b|| / max(||a|| + ||b||, 1e-12), Euclidean norms over all entries.

    a, b: arrays of the same shape (or numbers). Returns a float in [0, 1].
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of different shapes {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


@dataclasses.dataclass
class GradcheckReport:
    """The outcome of `compare_gradients`.

    max_error:       the largest relative_error over the compared arrays.
    worst_key:       the dict key of that array (None when arrays were compared directly).
    worst_index:     index of its entry with the largest |analytic - numerical|.
    analytic_value, numerical_value: the two values at that entry.
    passed:          max_error <= tol.
    """
    max_error: float
    worst_key: object
    worst_index: tuple
    analytic_value: float
    numerical_value: float
    passed: bool
    tol: float = DEFAULT_TOL

    def __str__(self):
        where = "" if self.worst_key is None else f"{self.worst_key}"
        entry = f"{where}{list(self.worst_index) if self.worst_index else ''}" or "value"
        verdict = "passed" if self.passed else "FAILED"
        return (f"gradient check {verdict}: relative error {self.max_error:.3g} "
                f"({'<=' if self.passed else '>'} tol {self.tol:g}); worst entry {entry}: "
                f"analytic {self.analytic_value:.10g}, numerical {self.numerical_value:.10g}")


def compare_gradients(analytic, numerical, tol=DEFAULT_TOL):
    """Compare an analytic gradient with a numerical one.

    analytic, numerical: arrays of the same shape, or dicts with the same keys whose
                         values are arrays of matching shapes (e.g. {"dW1": (n1, n0), ...}).
    Returns a GradcheckReport; the error is `relative_error` per array, worst array wins.
    """
    pairs = _pairs(analytic, numerical)
    report, worst = None, -1.0
    for key, a, n in pairs:
        error = relative_error(a, n)
        rank = np.inf if np.isnan(error) else error  # a NaN gradient is the worst of all
        if rank > worst:
            worst = rank
            index = _index(np.argmax(np.abs(a - n)), a.shape) if a.size else ()
            report = GradcheckReport(
                max_error=error, worst_key=key, worst_index=index,
                analytic_value=float(a[index]) if a.size else float("nan"),
                numerical_value=float(n[index]) if n.size else float("nan"),
                passed=False, tol=float(tol))
    report.passed = bool(report.max_error <= tol)  # False for NaN
    return report


def check_gradients(analytic, numerical, tol=DEFAULT_TOL):
    """Like `compare_gradients`, but raise AssertionError (with the report) unless it passes."""
    report = compare_gradients(analytic, numerical, tol)
    if not report.passed:
        raise AssertionError(str(report))
    return report


def _pairs(analytic, numerical):
    """[(key, analytic array, numerical array)], key None for plain arrays; shapes validated."""
    if isinstance(analytic, Mapping) or isinstance(numerical, Mapping):
        if not (isinstance(analytic, Mapping) and isinstance(numerical, Mapping)):
            raise ValueError("analytic and numerical must both be arrays or both be dicts")
        if set(analytic) != set(numerical):
            raise ValueError(f"the dicts have different keys: {sorted(map(str, analytic))} "
                             f"vs {sorted(map(str, numerical))}")
        if not analytic:
            raise ValueError("nothing to compare: the dicts are empty")
        items = [(k, analytic[k], numerical[k]) for k in analytic]
    else:
        items = [(None, analytic, numerical)]
    pairs = []
    for key, a, n in items:
        a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
        if a.shape != n.shape:
            name = "" if key is None else f" for {key!r}"
            raise ValueError(f"shapes differ{name}: analytic {a.shape}, numerical {n.shape}")
        pairs.append((key, a, n))
    return pairs


def _index(flat, shape):
    return tuple(int(i) for i in np.unravel_index(int(flat), shape)) if shape else ()
