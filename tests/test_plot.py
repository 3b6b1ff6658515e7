import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from coursekit import data, plot
from coursekit import functions as F

# any warning (numpy overflow, matplotlib) fails the test
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def rendered(ax):
    """Draw the figure fully (some warnings appear only at draw time) and return the Axes.
    Drawing is slow (~0.15 s), so only tests with awkward values (divergence, NaN, log of 0) draw."""
    assert isinstance(ax, Axes)
    ax.figure.canvas.draw()
    return ax


def axes(ax):
    assert isinstance(ax, Axes)
    return ax


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ---------------------------------------------------------------- function_with_path

def test_function_with_path_defaults_cover_the_path():
    path = 3.0 * 0.8 ** np.arange(11)
    ax = axes(plot.function_with_path(F.square, path, title="descent"))
    lo, hi = ax.get_xlim()
    assert lo < path.min() and hi > path.max()
    assert ax.get_title() == "descent"
    assert "start" in legend_texts(ax) and "end" in legend_texts(ax)


def test_function_with_path_without_a_path():
    ax = axes(plot.function_with_path(F.sine))
    xs = ax.get_lines()[0].get_xdata()
    assert xs.min() == -3 and xs.max() == 3


def test_function_with_path_uses_a_given_axes_and_range():
    fig, ax = plt.subplots()
    out = plot.function_with_path(F.two_minima, [-1.5, -1.2, -1.3], x_range=(-2, 2), ax=ax)
    assert out is ax
    xs = ax.get_lines()[0].get_xdata()
    assert xs.min() == -2 and xs.max() == 2


def test_function_with_path_accepts_a_column_path():
    axes(plot.function_with_path(F.square, np.array([[1.0], [0.5], [0.25]])))


def test_function_with_path_draws_a_diverging_path_quietly():
    path = np.array([3.0, -5.0, 1e4, 1e200, np.inf, np.nan])
    ax = rendered(plot.function_with_path(F.cube, path))
    assert any("off the chart" in t for t in legend_texts(ax))
    assert ax.get_xlim()[1] < 1e5


def test_function_with_path_that_diverged_at_once():
    rendered(plot.function_with_path(F.square, [np.nan, np.nan]))


def test_function_with_path_non_vectorised_f():
    def f(x):
        return float(x) ** 2  # fails on arrays

    axes(plot.function_with_path(f, [1.0, 0.5]))


@pytest.mark.parametrize("path", [np.zeros((3, 2)), np.zeros(0)])
def test_function_with_path_rejects_bad_paths(path):
    with pytest.raises(ValueError, match="path"):
        plot.function_with_path(F.square, path)


def test_function_with_path_rejects_a_bad_range():
    with pytest.raises(ValueError, match="x_range"):
        plot.function_with_path(F.square, x_range=(1, -1))


# ---------------------------------------------------------------- contour_with_path

def test_contour_with_path():
    path = np.array([[-2.5, 1.5], [-2.0, -1.5], [-1.6, 1.2], [-1.3, -0.9]])
    ax = axes(plot.contour_with_path(F.bowl, path, xlim=(-3, 2), ylim=(-2, 2), title="bowl"))
    assert ax.get_xlim() == (-3, 2) and ax.get_ylim() == (-2, 2)
    assert ax.get_title() == "bowl"
    assert "start" in legend_texts(ax)


def test_contour_without_a_path():
    axes(plot.contour_with_path(F.bowl, levels=10))


def test_contour_with_a_diverging_path():
    path = np.array([[-2.5, 1.5], [3.0, -20.0], [1e150, 1e300], [np.inf, 0.0]])
    ax = rendered(plot.contour_with_path(F.bowl, path))
    assert any("2 more off the chart" in t for t in legend_texts(ax))
    assert ax.get_xlim() == (-3, 3)


@pytest.mark.parametrize("path", [np.zeros((3,)), np.zeros((3, 3))])
def test_contour_rejects_bad_paths(path):
    with pytest.raises(ValueError, match=r"\(k, 2\)"):
        plot.contour_with_path(F.bowl, path)


def test_contour_rejects_f_of_the_wrong_kind():
    with pytest.raises(ValueError, match="shape"):
        plot.contour_with_path(lambda p: np.sum(p), None)


# ---------------------------------------------------------------- loss_curve

def test_loss_curve():
    costs = 1.0 / np.arange(1, 21)
    ax = axes(plot.loss_curve(costs, label="lr 0.1", title="training"))
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), costs)
    assert ax.get_xlabel() == "iteration" and legend_texts(ax) == ["lr 0.1"]


def test_loss_curve_log_scale_with_bad_values():
    ax = rendered(plot.loss_curve([1.0, 0.1, 0.0, np.nan, np.inf, 0.01], log=True, xlabel="epoch"))
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"


def test_loss_curve_accepts_a_row_and_lists():
    axes(plot.loss_curve(np.array([[3.0, 2.0, 1.0]])))
    axes(plot.loss_curve([3, 2, 1]))


def test_loss_curve_rejects_a_matrix():
    with pytest.raises(ValueError, match="costs"):
        plot.loss_curve(np.ones((2, 3)))


# ---------------------------------------------------------------- decision_boundary

def linear_predict(G):
    """Labels of shape (1, k) for points G of shape (2, k)."""
    return (G[0:1] + G[1:2] > 0).astype(float)


def test_decision_boundary_with_labels():
    X, Y = data.blobs(m=60, seed=0)
    ax = axes(plot.decision_boundary(linear_predict, X, Y, title="blobs", resolution=50))
    assert ax.get_title() == "blobs"
    assert len(ax.collections) >= 2  # filled regions and points


def test_decision_boundary_with_probabilities_and_flat_output():
    X, Y = data.moons(m=40, seed=0)
    rendered(plot.decision_boundary(lambda G: 1 / (1 + np.exp(-3 * G[0])), X, Y, resolution=30))


def test_decision_boundary_with_a_constant_predictor():
    X, Y = data.moons(m=40, seed=0)
    rendered(plot.decision_boundary(lambda G: np.zeros((1, G.shape[1])), X, Y, resolution=20))


@pytest.mark.parametrize("X, Y, fragment", [
    (np.zeros((3, 5)), np.zeros((1, 5)), "X must"),
    (np.zeros((2, 5)), np.zeros((1, 4)), "Y must"),
])
def test_decision_boundary_rejects_bad_shapes(X, Y, fragment):
    with pytest.raises(ValueError, match=fragment):
        plot.decision_boundary(linear_predict, X, Y)


def test_decision_boundary_rejects_a_predict_of_the_wrong_shape():
    X, Y = data.blobs(m=10, seed=0)
    with pytest.raises(ValueError, match="predict"):
        plot.decision_boundary(lambda G: G, X, Y, resolution=10)


# ---------------------------------------------------------------- tangent_and_secant

def test_tangent_and_secant_slopes_in_the_legend():
    ax = rendered(plot.tangent_and_secant(F.cube, 1.0, 0.5))
    texts = legend_texts(ax)
    assert "secant slope = 4.75" in texts  # ((1.5)^3 - 1) / 0.5
    assert "tangent slope = 3" in texts


def test_tangent_and_secant_negative_h_and_given_axes():
    fig, ax = plt.subplots()
    assert axes(plot.tangent_and_secant(F.log1pexp, 0.0, -0.01, ax=ax)) is ax
    assert "tangent slope = 0.5" in legend_texts(ax)


@pytest.mark.parametrize("x0, h", [(1.0, 0.0), (np.nan, 0.1), (1.0, np.inf)])
def test_tangent_and_secant_rejects_bad_input(x0, h):
    with pytest.raises(ValueError, match="h != 0"):
        plot.tangent_and_secant(F.cube, x0, h)
