"""The course's figures (matplotlib).

Each function draws on `ax` (a new figure when ax is None) and returns the Axes, so
that lessons can compose them: `plot.loss_curve(costs, ax=axes[1])`. They never print
warnings: points of a diverging path that fly off to huge or non-finite values are left
out of the picture (the legend says how many) instead of breaking the axes.
"""
from __future__ import annotations

import contextlib
import warnings

import numpy as np

from .data import interval

#: Path coordinates beyond this are "off the chart" (a diverging path), not drawn.
ABSURD = 1e6
#: Curve values beyond this are not drawn either (they would break the axes' scaling).
HUGE = 1e100


# ---------------------------------------------------------------- helpers

def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4))
    return ax


@contextlib.contextmanager
def _quietly():
    """Silence numpy floating-point warnings (overflow of a diverging path) inside the block."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _evaluate(f, xs):
    """f at every entry of xs (shape (k,)) as float64 of shape (k,); f may or may not vectorise."""
    with _quietly():
        try:
            ys = np.asarray(f(xs), dtype=np.float64)
        except Exception:  # noqa: BLE001 - whatever f(xs) raises, f is then called entry by entry
            ys = None
        if ys is None or ys.shape != xs.shape:
            ys = np.array([float(np.asarray(f(x), dtype=np.float64).reshape(())) for x in xs])
    return ys


def _on_chart(points):
    """How many leading rows of `points` (k, d) are finite and not absurdly large."""
    ok = np.all(np.isfinite(points) & (np.abs(np.nan_to_num(points)) <= ABSURD), axis=1)
    return int(np.argmin(ok)) if not np.all(ok) else len(points)


def _arrows(ax, points, color):
    """Arrows from each row of `points` (k, 2) to the next, drawn as one quiver."""
    if len(points) < 2:
        return
    start, step = points[:-1], np.diff(points, axis=0)
    ax.quiver(start[:, 0], start[:, 1], step[:, 0], step[:, 1], angles="xy", scale_units="xy",
              scale=1, color=color, width=0.004, headwidth=4, headlength=5, zorder=3)


def _path_labels(ax, points, n_off):
    """Mark start and end of a drawn path (k, 2) and note points left off the chart."""
    ax.plot(*points[0], "o", color="tab:green", ms=8, zorder=5, label="start")
    ax.plot(*points[-1], "*", color="tab:red", ms=12, zorder=5,
            label="end" if n_off == 0 else f"last drawn ({n_off} more off the chart: diverged)")


def _finish(ax, title):
    if title is not None:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- 1-D functions

def function_with_path(f, path=None, x_range=None, ax=None, title=None):
    """Plot y = f(x) and a path of x values (e.g. gradient descent iterates) on it.

    f:       function of a number (vectorised over an array of shape (k,) or not).
    path:    array of shape (k,) (or (k, 1)): successive x values; drawn as points on the
             curve with arrows from each to the next, start and end marked. The first point
             whose x or f(x) is non-finite or beyond 1e6 in size (a diverging path) and all
             after it are not drawn; the legend says how many.
    x_range: (low, high); default: the drawn path with a margin, or (-3, 3) without a path.
    Returns the Axes.
    """
    ax = _axes(ax)
    xs_path = None
    if path is not None:
        xs_path = np.asarray(path, dtype=np.float64)
        if xs_path.ndim == 2 and xs_path.shape[1] == 1:
            xs_path = xs_path[:, 0]
        if xs_path.ndim != 1 or xs_path.size == 0:
            raise ValueError(f"path must have shape (k,) for a function of one variable, got {xs_path.shape}"
                             + (" (for 2-D paths use contour_with_path)" if xs_path.ndim == 2 else ""))
    n_off, points = 0, None
    if xs_path is not None:
        ys_path = _evaluate(f, xs_path)
        points = np.stack([xs_path, ys_path], axis=1)
        keep = _on_chart(points)
        n_off, points = len(points) - keep, points[:keep]
    if x_range is None:
        if points is not None and len(points):
            lo, hi = points[:, 0].min(), points[:, 0].max()
            margin = max(0.15 * (hi - lo), 0.5)
            x_range = (lo - margin, hi + margin)
        else:
            x_range = (-3.0, 3.0)
    lo, hi = interval(x_range, "x_range")
    xs = np.linspace(lo, hi, 400)
    ys = _evaluate(f, xs)
    ys = np.where(np.isfinite(ys) & (np.abs(np.nan_to_num(ys)) <= HUGE), ys, np.nan)
    ax.plot(xs, ys, color="tab:blue", lw=2, label="f(x)")
    if points is not None and len(points):
        ax.plot(points[:, 0], points[:, 1], "o", color="tab:orange", ms=4, zorder=4, label="path")
        _arrows(ax, points, "tab:orange")
        _path_labels(ax, points, n_off)
    elif n_off:
        ax.text(0.5, 0.5, "the path diverged at once: nothing to draw", transform=ax.transAxes,
                ha="center", color="tab:red")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="best", fontsize="small")
    return _finish(ax, title)


def tangent_and_secant(f, x0, h, ax=None):
    """f near x0 with the secant through (x0, f(x0)) and (x0 + h, f(x0 + h)) and the tangent at x0.

    f: function of a number. x0, h: numbers, h != 0. The secant slope is
    (f(x0 + h) - f(x0)) / h; the tangent slope is estimated with a tiny central difference.
    Both slopes are shown in the legend. Returns the Axes.
    """
    x0, h = float(x0), float(h)
    if not (np.isfinite(x0) and np.isfinite(h)) or h == 0:
        raise ValueError(f"x0 and h must be finite numbers with h != 0, got x0={x0!r}, h={h!r}")
    ax = _axes(ax)
    y0, y1 = _evaluate(f, np.array([x0, x0 + h]))
    secant = (y1 - y0) / h
    eps = 1e-6 * max(1.0, abs(x0))
    tangent = float(np.diff(_evaluate(f, np.array([x0 - eps, x0 + eps])))[0] / (2 * eps))
    span = max(abs(h), 0.5)
    xs = np.linspace(min(x0, x0 + h) - span, max(x0, x0 + h) + span, 300)
    curve = _evaluate(f, xs)
    ax.plot(xs, curve, color="tab:blue", lw=2, label="f(x)")
    ax.plot(xs, y0 + secant * (xs - x0), "--", color="tab:orange", label=f"secant slope = {secant:.6g}")
    ax.plot(xs, y0 + tangent * (xs - x0), ":", color="tab:green", lw=2, label=f"tangent slope = {tangent:.6g}")
    ax.plot([x0, x0 + h], [y0, y1], "o", color="tab:orange", zorder=5)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    if np.any(np.isfinite(curve)):  # keep the view on f, not on where the lines run off to
        low, high = np.nanmin(curve[np.isfinite(curve)]), np.nanmax(curve[np.isfinite(curve)])
        pad = 0.1 * (high - low) if high > low else 1.0
        ax.set_ylim(low - pad, high + pad)
    ax.legend(loc="best", fontsize="small")
    return _finish(ax, f"h = {h:.3g}")


# ---------------------------------------------------------------- 2-D functions

def contour_with_path(f, path=None, xlim=(-3, 3), ylim=(-3, 3), ax=None, levels=30, title=None):
    """Contours of f(p) over a rectangle, with a path of points p on top.

    f:    function of an array whose last axis has length 2 (like coursekit.functions.bowl):
          f of shape (..., 2) returns shape (...).
    path: array of shape (k, 2): successive points; arrows from each to the next, start and
          end marked; non-finite or absurdly large points (divergence) are not drawn.
    Returns the Axes.
    """
    x_lo, x_hi = interval(xlim, "xlim")
    y_lo, y_hi = interval(ylim, "ylim")
    if path is not None:
        points = np.asarray(path, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
            raise ValueError(f"path must have shape (k, 2), got {points.shape}")
    ax = _axes(ax)
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, 150), np.linspace(y_lo, y_hi, 150))
    with _quietly():
        z = np.asarray(f(np.stack([gx, gy], axis=-1)), dtype=np.float64)
    if z.shape != gx.shape:
        raise ValueError(f"f must map an array of shape (..., 2) to shape (...); "
                         f"on a grid of shape {gx.shape + (2,)} it returned shape {z.shape}")
    cs = ax.contour(gx, gy, z, levels=levels, cmap="viridis", linewidths=0.8)
    ax.clabel(cs, cs.levels[::4], inline=True, fontsize=7, fmt="%.3g")  # a few labels: clabel is slow
    if path is not None:
        keep = _on_chart(points)
        n_off, points = len(points) - keep, points[:keep]
        if len(points):
            ax.plot(points[:, 0], points[:, 1], ".", color="tab:red", ms=5, zorder=4)
            _arrows(ax, points, "tab:red")
            _path_labels(ax, points, n_off)
            ax.legend(loc="upper right", fontsize="small")
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$p_0$")
    ax.set_ylabel("$p_1$")
    return _finish(ax, title)


# ---------------------------------------------------------------- training

def loss_curve(costs, ax=None, label=None, log=False, title=None, xlabel="iteration"):
    """The cost after each iteration (or epoch).

    costs: sequence of numbers, shape (k,); non-finite values are left out.
    log:   logarithmic cost axis (non-positive costs are then left out too).
    Returns the Axes.
    """
    values = np.asarray(costs, dtype=np.float64)
    if values.ndim > 1 and values.size == max(values.shape):
        values = values.reshape(-1)
    if values.ndim != 1:
        raise ValueError(f"costs must have shape (k,), got {values.shape}")
    ax = _axes(ax)
    shown = np.where(np.isfinite(values) & ((values > 0) if log else True), values, np.nan)
    ax.plot(np.arange(len(values)), shown, lw=2, label=label)
    if log and np.any(np.isfinite(shown)):
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    if label is not None:
        ax.legend(loc="best", fontsize="small")
    return _finish(ax, title)


def decision_boundary(predict, X, Y, ax=None, title=None, resolution=200):
    """Where a classifier says 1 (predict >= 0.5), with the data points on top.

    predict:    function mapping an array of shape (2, k) to shape (1, k) (or (k,)): labels
                or probabilities of class 1.
    X:          array of shape (2, m), one point per column.
    Y:          array of shape (1, m) (or (m,)), labels 0 or 1.
    resolution: grid points per axis.
    Returns the Axes.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X must have shape (2, m), got {X.shape}")
    if Y.size != X.shape[1] or Y.ndim > 2:
        raise ValueError(f"Y must have shape (1, m) with m = {X.shape[1]}, got {Y.shape}")
    if int(resolution) < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution!r}")
    resolution = int(resolution)
    ax = _axes(ax)
    (x_lo, y_lo), (x_hi, y_hi) = X.min(axis=1), X.max(axis=1)
    pad_x, pad_y = 0.1 * (x_hi - x_lo) + 0.5, 0.1 * (y_hi - y_lo) + 0.5
    gx, gy = np.meshgrid(np.linspace(x_lo - pad_x, x_hi + pad_x, resolution),
                         np.linspace(y_lo - pad_y, y_hi + pad_y, resolution))
    grid = np.stack([gx.ravel(), gy.ravel()])  # (2, k)
    with _quietly():
        z = np.asarray(predict(grid), dtype=np.float64)
    if z.size != grid.shape[1]:
        raise ValueError(f"predict must map shape (2, k) to shape (1, k); for k = {grid.shape[1]} "
                         f"it returned shape {z.shape}")
    z = np.clip(np.nan_to_num(z.reshape(gx.shape), nan=0.5), 0.0, 1.0)
    ax.contourf(gx, gy, z, levels=np.linspace(0.0, 1.0, 11), cmap="RdBu_r", alpha=0.35, vmin=0, vmax=1)
    if z.min() < 0.5 < z.max():
        ax.contour(gx, gy, z, levels=[0.5], colors="k", linewidths=1.5)
    ax.scatter(X[0], X[1], c=Y.reshape(-1), cmap="RdBu_r", vmin=0, vmax=1, edgecolors="k", s=20)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return _finish(ax, title)
