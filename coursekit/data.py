"""Seeded toy data sets for the lessons; nothing is downloaded.

Every generator takes `seed`: an int or a `numpy.random.Generator` (see `rng`), so the
same seed always gives the same data. Classification sets follow the course's notation:
samples are COLUMNS, X has shape (n_x, m) and the labels Y have shape (1, m) with values
0.0 or 1.0. Regression sets (toy_linear, noisy_polynomial) are 1-D: x and y of shape (m,).
All arrays are float64.
"""
from __future__ import annotations

import numbers

import numpy as np


def rng(seed=None):
    """A numpy Generator from `seed` (None, an int >= 0, or a Generator, which passes through)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(f"seed must be None, an int >= 0 or a numpy Generator, got {seed!r}")


def _count(m, name="m", minimum=1):
    if not isinstance(m, numbers.Integral) or isinstance(m, bool) or m < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {m!r}")
    return int(m)


def _non_negative(value, name):
    if not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


# ---------------------------------------------------------------- regression (1-D)

def toy_linear(m=50, w=2.0, b=1.0, noise=0.5, seed=0):
    """m points on the line y = w x + b plus Gaussian noise of std `noise`.

    Returns x of shape (m,) (uniform in [-2, 2]) and y of shape (m,).
    """
    m, noise = _count(m), _non_negative(noise, "noise")
    g = rng(seed)
    x = g.uniform(-2.0, 2.0, size=m)
    y = w * x + b + noise * g.standard_normal(m)
    return x, y


def noisy_polynomial(m=30, coeffs=(1.0, -2.0, 0.5), noise=0.3, x_range=(-3, 3), seed=0):
    """m points on the polynomial y = coeffs[0] + coeffs[1] x + coeffs[2] x^2 + ... plus noise.

    coeffs: lowest degree first, at least one coefficient.
    Returns x of shape (m,) (uniform in x_range, sorted) and y of shape (m,).
    """
    m, noise = _count(m), _non_negative(noise, "noise")
    coeffs = np.asarray(coeffs, dtype=np.float64)
    if coeffs.ndim != 1 or coeffs.size == 0:
        raise ValueError(f"coeffs must be a non-empty sequence of numbers, got {coeffs!r}")
    lo, hi = interval(x_range, "x_range")
    g = rng(seed)
    x = np.sort(g.uniform(lo, hi, size=m))
    y = np.polynomial.polynomial.polyval(x, coeffs) + noise * g.standard_normal(m)
    return x, y


def interval(pair, name):
    """(low, high) as floats from a pair; ValueError naming `name` unless finite with low < high."""
    try:
        lo, hi = (float(v) for v in pair)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {pair!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must satisfy low < high, got {pair!r}")
    return lo, hi


# ---------------------------------------------------------------- classification (2-D)

def _two_classes(m):
    """Labels for m samples, half 0 and half 1 (the first m//2 are class 0), shape (m,)."""
    return (np.arange(m) >= m // 2).astype(np.float64)


def _shuffled(X, y, g):
    """Shuffle the columns of X (2, m) and labels y (m,); return X (2, m), Y (1, m)."""
    order = g.permutation(X.shape[1])
    return X[:, order], y[order].reshape(1, -1)


def blobs(m=200, seed=0, separation=2.0):
    """Two Gaussian blobs (unit std) whose centres are `separation` apart along the diagonal.

    Returns X of shape (2, m) and Y of shape (1, m), Y in {0., 1.}; class 1 sits at
    (+s, +s)/(2 sqrt 2) and class 0 at the opposite point, so larger separations are
    closer to linearly separable.
    """
    m = _count(m, minimum=2)
    separation = _non_negative(separation, "separation")
    g = rng(seed)
    y = _two_classes(m)
    centre = separation / (2.0 * np.sqrt(2.0)) * np.array([[1.0], [1.0]])
    X = g.standard_normal((2, m)) + np.where(y == 1.0, 1.0, -1.0) * centre
    return _shuffled(X, y, g)


def moons(m=200, noise=0.2, seed=0):
    """Two interleaving half circles (not linearly separable) with Gaussian noise of std `noise`.

    Returns X of shape (2, m) and Y of shape (1, m), Y in {0., 1.}.
    """
    m = _count(m, minimum=2)
    noise = _non_negative(noise, "noise")
    g = rng(seed)
    y = _two_classes(m)
    angle = np.pi * g.uniform(0.0, 1.0, size=m)
    upper = np.stack([np.cos(angle), np.sin(angle)])
    lower = np.stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    X = np.where(y == 1.0, lower, upper) + noise * g.standard_normal((2, m))
    return _shuffled(X, y, g)


def spirals(m=300, noise=0.2, turns=1.5, seed=0):
    """Two interleaved spirals (class 1 is class 0 turned by half a turn), `turns` turns each.

    Returns X of shape (2, m) and Y of shape (1, m), Y in {0., 1.}. The radius grows from 0
    to 1 along each spiral; the Gaussian noise has std `noise` / 5 (relative to that radius).
    """
    m = _count(m, minimum=2)
    noise = _non_negative(noise, "noise")
    if not isinstance(turns, numbers.Real) or not np.isfinite(turns) or turns <= 0:
        raise ValueError(f"turns must be a number > 0, got {turns!r}")
    g = rng(seed)
    y = _two_classes(m)
    t = g.uniform(0.0, 1.0, size=m)
    angle = 2.0 * np.pi * float(turns) * t + np.pi * y
    radius = t
    X = radius * np.stack([np.cos(angle), np.sin(angle)]) + noise / 5.0 * g.standard_normal((2, m))
    return _shuffled(X, y, g)


# ---------------------------------------------------------------- real data

def digits(classes=(0, 1)):
    """Two classes of scikit-learn's bundled 8x8 handwritten digits (no download).

    Returns X of shape (64, m) with pixels scaled to [0, 1] (pixel / 16), one image per
    column, and Y of shape (1, m): 0. for digit classes[0], 1. for digit classes[1].
    """
    try:
        a, b = (int(c) for c in classes)
    except (TypeError, ValueError):
        raise ValueError(f"classes must be a pair of two digits, got {classes!r}") from None
    if a == b or not (0 <= a <= 9 and 0 <= b <= 9):
        raise ValueError(f"classes must be two different digits in 0..9, got {classes!r}")
    from sklearn.datasets import load_digits

    bunch = load_digits()
    keep = (bunch.target == a) | (bunch.target == b)
    X = (bunch.data[keep] / 16.0).T.astype(np.float64)
    Y = (bunch.target[keep] == b).astype(np.float64).reshape(1, -1)
    return X, Y


def split(X, Y, test_fraction=0.25, seed=0):
    """Shuffle the samples (columns) with `seed` and split them into a training and a test set.

    X: array of shape (n_x, m); Y: array of shape (n_y, m) (or (m,)).
    Returns X_train (n_x, m_train), Y_train, X_test (n_x, m_test), Y_test, where
    m_test = round(test_fraction * m), at least 1 and at most m - 1.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_x, m), got shape {X.shape}")
    if Y.ndim not in (1, 2) or Y.shape[-1] != X.shape[1]:
        raise ValueError(f"Y must have shape (n_y, m) with m = {X.shape[1]} columns like X, got shape {Y.shape}")
    m = X.shape[1]
    if m < 2:
        raise ValueError(f"need at least 2 samples (columns) to split, got {m}")
    if not isinstance(test_fraction, numbers.Real) or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1, got {test_fraction!r}")
    m_test = min(max(int(round(test_fraction * m)), 1), m - 1)
    order = rng(seed).permutation(m)
    test, train = order[:m_test], order[m_test:]
    return X[:, train], Y[..., train], X[:, test], Y[..., test]
