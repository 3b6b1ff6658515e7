import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from coursekit import functions as F
from coursekit import widgets

# any warning (numpy overflow in a diverging descent, matplotlib) fails the test
pytestmark = pytest.mark.filterwarnings("error")


def gradient_descent(grad, x0, learning_rate, num_iterations):
    """A tiny correct learner's function: the trajectory, shape (num_iterations + 1,) + shape(x0)."""
    xs = [np.array(x0, dtype=float)]
    for _ in range(num_iterations):
        xs.append(xs[-1] - learning_rate * grad(xs[-1]))
    return np.array(xs)


def unanswered(grad, x0, learning_rate, num_iterations):
    """The release version of the learner's function."""
    raise NotImplementedError()


def verdict_1d(learning_rate, num_iterations, f=F.square, df=F.d_square, x0=3.0):
    fig = widgets.draw_descent_1d(gradient_descent, f, df, x0, learning_rate, num_iterations)
    assert isinstance(fig, Figure)
    return fig.get_suptitle()


# ---------------------------------------------------------------- draw functions

def test_draw_secant():
    fig = widgets.draw_secant(F.cube, 1.0, 0.5)
    assert isinstance(fig, Figure)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "secant slope = 4.75" in legend and "tangent slope = 3" in legend


@pytest.mark.parametrize("learning_rate, num_iterations, verdict", [
    (0.1, 50, "converged"),
    (0.9, 50, "converged, after oscillating"),
    (0.01, 10, "still descending"),
    (0.95, 10, "oscillates, but gets closer"),
    (1.0, 10, "oscillates without getting closer"),
    (1.1, 50, "diverged"),
])
def test_draw_descent_1d_says_what_happened(learning_rate, num_iterations, verdict):
    title = verdict_1d(learning_rate, num_iterations)
    assert verdict in title
    assert f"learning rate {learning_rate:.3g}" in title


def test_draw_descent_1d_overflow_is_quiet(capfd):
    fig = widgets.draw_descent_1d(gradient_descent, F.cube, F.d_cube, 3.0, 1.2, 50)
    widgets.figure_png(fig)  # rendering too
    assert "diverged" in fig.get_suptitle()
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_draw_descent_1d_draws_the_path_and_the_cost():
    fig = widgets.draw_descent_1d(gradient_descent, F.square, F.d_square, 3.0, 0.1, 5)
    path_ax, cost_ax = fig.axes
    np.testing.assert_allclose(cost_ax.get_lines()[0].get_ydata(), 9.0 * 0.64 ** np.arange(6))


def test_draw_descent_1d_before_the_learner_implements_it():
    fig = widgets.draw_descent_1d(unanswered, F.square, F.d_square, 3.0, 0.1, 10)
    assert fig.get_suptitle() == "implement gradient_descent first"


def test_draw_descent_1d_shows_the_learners_error():
    def buggy(grad, x0, learning_rate, num_iterations):
        return grad(x0, learning_rate)

    fig = widgets.draw_descent_1d(buggy, F.square, F.d_square, 3.0, 0.1, 10)
    assert "gradient_descent raised TypeError" in fig.get_suptitle()


def test_draw_descent_1d_explains_a_wrong_shape():
    def last_point_only(grad, x0, learning_rate, num_iterations):
        return gradient_descent(grad, x0, learning_rate, num_iterations)[-1]

    fig = widgets.draw_descent_1d(last_point_only, F.square, F.d_square, 3.0, 0.1, 10)
    assert "returned shape ()" in fig.get_suptitle() and "expected (11,)" in fig.get_suptitle()


@pytest.mark.parametrize("learning_rate, num_iterations", [(0.0, 5), (-0.1, 5), (np.nan, 5), (0.1, -1), (0.1, 2.5)])
def test_draw_descent_rejects_bad_settings(learning_rate, num_iterations):
    with pytest.raises(ValueError):
        widgets.draw_descent_1d(gradient_descent, F.square, F.d_square, 3.0, learning_rate, num_iterations)


@pytest.mark.parametrize("learning_rate, verdict", [
    (0.05, "converged"),
    (0.2, "oscillates without getting closer"),  # p1 flips sign forever: 1 - 10 * 0.2 = -1
    (0.25, "diverged"),
])
def test_draw_descent_2d_says_what_happened(learning_rate, verdict):
    fig = widgets.draw_descent_2d(gradient_descent, F.bowl, F.d_bowl, (-2.5, 1.5), learning_rate, 50,
                                  (-3, 3), (-2, 2))
    assert verdict in fig.get_suptitle()
    assert fig.axes[0].get_ylim() == (-2, 2)


def test_draw_descent_2d_before_the_learner_implements_it():
    fig = widgets.draw_descent_2d(unanswered, F.bowl, F.d_bowl, (-2.5, 1.5), 0.1, 10, (-3, 3), (-3, 3))
    assert fig.get_suptitle() == "implement gradient_descent first"


def test_draw_descent_2d_rejects_a_bad_start():
    with pytest.raises(ValueError, match="x0"):
        widgets.draw_descent_2d(gradient_descent, F.bowl, F.d_bowl, (1.0, 2.0, 3.0), 0.1, 10, (-3, 3), (-3, 3))


# ---------------------------------------------------------------- the verdict itself (no drawing)

@pytest.mark.parametrize("points, verdict", [
    (np.array([1.0, np.inf]), "diverged"),
    (np.array([1.0]), "no steps"),
    (np.array([1.0, 1.0, 1.0]), "converged"),
    (np.array([[1.0, 1.0], [0.5, 0.5], [0.25, 0.25]]), "still descending"),
])
def test_verdict(points, verdict):
    values = np.sum(points.reshape(len(points), -1) ** 2, axis=1)
    assert widgets._verdict(points, values).startswith(verdict)


# ---------------------------------------------------------------- explorers (callbacks called directly)

def test_secant_explorer():
    box = widgets.secant_explorer()
    assert isinstance(box, ipywidgets.VBox)
    h = box.controls["h"]
    assert isinstance(h, ipywidgets.FloatLogSlider)
    assert h.min == -3 and h.max == pytest.approx(np.log10(2.0))
    first = box.image.value
    assert first[:4] == b"\x89PNG"
    h.value = 0.001  # the observer redraws
    assert box.image.value != first


def test_descent_explorer_1d_sliders_and_redraw(capfd):
    box = widgets.descent_explorer_1d(gradient_descent, F.square, F.d_square)
    assert isinstance(box, ipywidgets.VBox)
    lr, n = box.controls["learning_rate"], box.controls["num_iterations"]
    assert isinstance(lr, ipywidgets.FloatLogSlider) and isinstance(n, ipywidgets.IntSlider)
    assert lr.value == pytest.approx(0.1)
    assert lr.min == -3 and lr.max == pytest.approx(np.log10(1.2))
    assert (n.min, n.max) == (1, 50)
    first = box.image.value
    lr.value = 1.1  # diverges: no warning, no crash
    assert box.image.value != first
    assert capfd.readouterr() == ("", "")


def test_descent_explorer_2d_before_the_learner_implements_it():
    box = widgets.descent_explorer_2d(unanswered)
    assert isinstance(box, ipywidgets.VBox)
    assert box.image.value[:4] == b"\x89PNG"
    assert set(box.controls) == {"learning_rate", "num_iterations"}
