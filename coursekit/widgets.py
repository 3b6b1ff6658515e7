"""Interactive explorers for the lessons (ipywidgets).

Each explorer is a thin wrapper: sliders, and an image redrawn by a pure `draw_*`
function that returns a matplotlib Figure (no pyplot state, so it also runs headless and
in tests). A notebook cell ending with `widgets.descent_explorer_1d(gradient_descent,
F.square, F.d_square)` shows the sliders and the figure.

The explorers never contain a graded answer: the descent explorers take the LEARNER's
`gradient_descent(grad, x0, learning_rate, num_iterations)` (returning the trajectory,
an array of shape (num_iterations + 1,) + shape(x0)) and only draw what it returns. Until
it is implemented, the figure says "implement gradient_descent first".
"""
from __future__ import annotations

import contextlib
import io
import numbers
import warnings

import numpy as np
from matplotlib.figure import Figure

from . import functions as F
from . import plot

NOT_IMPLEMENTED = "implement gradient_descent first"


# ---------------------------------------------------------------- drawing

def draw_secant(f, x0, h):
    """Figure: f near x0, the secant over [x0, x0 + h] and the tangent at x0 (slopes in the legend).

    f: function of a number; x0, h: numbers, h != 0. Returns a matplotlib Figure.
    """
    fig = Figure(figsize=(6.5, 4.2), layout="constrained")
    ax = fig.subplots()
    plot.tangent_and_secant(f, x0, h, ax=ax)
    ax.set_title(f"h = {float(h):.3g}: the secant slope tends to the tangent slope as h -> 0")
    return fig


def draw_descent_1d(gradient_descent, f, df, x0, learning_rate, num_iterations):
    """Figure: the learner's gradient descent on f from x0, and f along the way.

    gradient_descent: the learner's function (grad, x0, learning_rate, num_iterations) ->
                      trajectory of shape (num_iterations + 1,).
    f, df:            the function of one variable and its derivative.
    x0:               the starting number.
    The title says whether the path converged, oscillates or diverged.
    Returns a matplotlib Figure.
    """
    x0 = float(x0)
    trajectory, problem = _run(gradient_descent, df, x0, learning_rate, num_iterations)
    if problem:
        return _message_figure(problem)
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax_path, ax_cost = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    plot.function_with_path(f, trajectory, ax=ax_path, title=f"path from x0 = {x0:g}")
    values = plot._evaluate(f, trajectory.reshape(-1))
    plot.loss_curve(values, ax=ax_cost, title="f(x) after each step", xlabel="iteration")
    ax_cost.set_ylabel("f(x)")
    fig.suptitle(f"learning rate {learning_rate:.3g}, {num_iterations} iterations: "
                 f"{_verdict(trajectory, values)}")
    return fig


def draw_descent_2d(gradient_descent, f, grad, x0, learning_rate, num_iterations,
                    xlim=(-3, 3), ylim=(-3, 3)):
    """Figure: the learner's gradient descent on a function of two variables, over its contours.

    gradient_descent: the learner's function (grad, x0, learning_rate, num_iterations) ->
                      trajectory of shape (num_iterations + 1, 2).
    f, grad:          f maps an array of shape (..., 2) to shape (...); grad maps shape (2,) to (2,).
    x0:               the starting point, shape (2,).
    xlim, ylim:       the view, (low, high) each.
    The title says whether the path converged, oscillates or diverged.
    Returns a matplotlib Figure.
    """
    x0 = np.asarray(x0, dtype=np.float64)
    if x0.shape != (2,):
        raise ValueError(f"x0 must have shape (2,), got {x0.shape}")
    trajectory, problem = _run(gradient_descent, grad, x0, learning_rate, num_iterations)
    if problem:
        return _message_figure(problem)
    fig = Figure(figsize=(6.5, 5), layout="constrained")
    ax = fig.subplots()
    plot.contour_with_path(f, trajectory, xlim=xlim, ylim=ylim, ax=ax)
    with plot._quietly():
        values = np.asarray(f(trajectory), dtype=np.float64).reshape(-1)
    fig.suptitle(f"learning rate {learning_rate:.3g}, {num_iterations} iterations: "
                 f"{_verdict(trajectory, values)}")
    return fig


# ---------------------------------------------------------------- explorers

def secant_explorer(f=F.cube, x0=1.0):
    """Slide h (log scale, 1e-3..2) and watch the secant's slope approach the tangent's: the
    derivative as a limit. f: function of a number; x0: where the slope is taken.
    Returns the widget (a VBox)."""
    import ipywidgets as w

    h = w.FloatLogSlider(value=1.0, base=10, min=-3, max=np.log10(2.0), step=0.05,
                         description="h", readout_format=".3g", continuous_update=True)
    return explorer(lambda h: draw_secant(f, x0, h), h=h)


def descent_explorer_1d(gradient_descent, f, df, x0=3.0):
    """Sliders for the learning rate (log scale, 1e-3..1.2) and the number of iterations (1..50)
    around the learner's `gradient_descent` on f (derivative df) from x0.
    Returns the widget (a VBox)."""
    return explorer(lambda learning_rate, num_iterations: draw_descent_1d(
        gradient_descent, f, df, x0, learning_rate, num_iterations), **_descent_sliders(0.1, 1.2))


def descent_explorer_2d(gradient_descent, f=F.bowl, grad=F.d_bowl, x0=(-2.5, 1.5)):
    """Sliders for the learning rate (log scale, 1e-3..0.3) and the number of iterations (1..50)
    around the learner's `gradient_descent` on a function of two variables, drawn over its
    contours. f maps shape (..., 2) to (...); grad maps shape (2,) to (2,); x0 has shape (2,).
    Returns the widget (a VBox)."""
    return explorer(lambda learning_rate, num_iterations: draw_descent_2d(
        gradient_descent, f, grad, x0, learning_rate, num_iterations), **_descent_sliders(0.05, 0.3))


def _descent_sliders(learning_rate, max_learning_rate):
    """A log slider for the learning rate (1e-3 up to the max) and one for 1..50 iterations."""
    import ipywidgets as w

    return {
        "learning_rate": w.FloatLogSlider(value=learning_rate, base=10, min=-3, max=np.log10(max_learning_rate),
                                          step=0.02, description="learning rate", readout_format=".3g",
                                          continuous_update=False, style={"description_width": "initial"}),
        "num_iterations": w.IntSlider(value=20, min=1, max=50, description="iterations", continuous_update=False),
    }


def explorer(draw, **controls):
    """VBox of the sliders and an image that `draw(**slider values)` refreshes on every change.

    The box has `.update()` (redraw now) and `.controls` (name -> slider) for tests."""
    import ipywidgets as w

    image = w.Image(format="png")

    def update(change=None):
        image.value = figure_png(draw(**{name: c.value for name, c in controls.items()}))

    for control in controls.values():
        control.observe(update, names="value")
    update()
    box = w.VBox([w.HBox(list(controls.values())), image])
    box.update, box.controls, box.image = update, controls, image
    return box


# ---------------------------------------------------------------- helpers

def figure_png(fig):
    """The Figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _run(gradient_descent, grad, x0, learning_rate, num_iterations):
    """Call the learner's function quietly; return (trajectory as (k,)+shape(x0) float64, None)
    or (None, a message for the figure)."""
    if not isinstance(learning_rate, numbers.Real) or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
    if not isinstance(num_iterations, numbers.Integral) or num_iterations < 0:
        raise ValueError(f"num_iterations must be an int >= 0, got {num_iterations!r}")
    x_start = np.array(x0, dtype=np.float64) if np.ndim(x0) else float(x0)
    with contextlib.ExitStack() as stack:
        stack.enter_context(np.errstate(all="ignore"))
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        try:
            result = gradient_descent(grad, x_start, float(learning_rate), int(num_iterations))
        except NotImplementedError:
            return None, NOT_IMPLEMENTED
        except Exception as exc:  # noqa: BLE001 - the learner's bug: show it instead of a blank widget
            return None, f"gradient_descent raised {type(exc).__name__}: {exc}"
        try:
            trajectory = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            return None, f"gradient_descent returned {type(result).__name__}, not an array of numbers"
    expected = (int(num_iterations) + 1,) + np.shape(x0)
    if trajectory.shape != expected:
        return None, (f"gradient_descent returned shape {trajectory.shape}; "
                      f"expected {expected}: x0 and then one point per iteration")
    return trajectory, None


def _verdict(trajectory, values):
    """'converged', 'oscillates', 'diverged' or 'still descending', with a short hint.

    trajectory: array of shape (k,) + shape(x0), the points visited; values: f at them, (k,).
    """
    points = trajectory.reshape(len(trajectory), -1)
    if not (np.all(np.isfinite(points)) and np.all(np.isfinite(values))):
        return "diverged (the values overflowed): the learning rate is too large"
    if len(points) < 2:
        return "no steps taken"
    steps = np.diff(points, axis=0)  # (k-1, d)
    sizes = np.linalg.norm(steps, axis=1)
    scale = max(1.0, float(np.max(np.linalg.norm(points - points[-1], axis=1))))
    with np.errstate(all="ignore"):
        turns = np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0  # a step back against the last one
    oscillating = bool(len(turns) and np.mean(turns[-min(len(turns), 5):]) >= 0.5)
    if values[-1] > values[0] + 1e-12 * max(1.0, abs(values[0])) and sizes[-1] > sizes[0]:
        return "diverged: each step overshoots further; the learning rate is too large"
    if sizes[-1] <= 1e-3 * scale:
        return "converged, after oscillating" if np.any(turns) else "converged"
    if oscillating:
        recent = sizes[-min(len(sizes), 5):]
        if recent[-1] < 0.98 * recent[0]:  # the swings shrink
            return "oscillates, but gets closer: converging slowly"
        return "oscillates without getting closer"
    return "still descending: more iterations or a larger learning rate"


def _message_figure(message):
    """A small figure that only says `message` (e.g. "implement gradient_descent first")."""
    fig = Figure(figsize=(7, 1.2))
    fig.suptitle(message, y=0.5, va="center", fontsize=13, color="tab:red", wrap=True)
    return fig
