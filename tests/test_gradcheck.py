import numpy as np
import pytest

from coursekit import functions as F
from coursekit import gradcheck as gc


def quadratic_form(x):
    """f(x) = sum(A * x * x) + sum(x), gradient 2 A x + 1 (elementwise A)."""
    A = np.arange(1.0, x.size + 1).reshape(x.shape)
    return float(np.sum(A * x * x) + np.sum(x))


def test_numerical_gradient_of_a_scalar_function():
    g = gc.numerical_gradient(lambda x: float(F.cube(x)), np.array(2.0))
    assert g.shape == ()
    np.testing.assert_allclose(g, 12.0, rtol=1e-8)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 2)])
def test_numerical_gradient_matches_the_formula_for_any_shape(shape):
    x = np.random.default_rng(0).standard_normal(shape)
    expected = 2 * np.arange(1.0, x.size + 1).reshape(shape) * x + 1
    g = gc.numerical_gradient(quadratic_form, x)
    assert g.shape == shape and g.dtype == np.float64
    np.testing.assert_allclose(g, expected, rtol=1e-7, atol=1e-8)


def test_numerical_gradient_leaves_x_unchanged():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    gc.numerical_gradient(lambda v: float(np.sum(F.bowl(v))), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_accepts_integer_arrays():
    g = gc.numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1, 2]))
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-8)


def test_numerical_gradient_accepts_a_size_one_array_result():
    g = gc.numerical_gradient(lambda v: np.array([[np.sum(v ** 2)]]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-8)


def test_numerical_gradient_rejects_non_scalar_f():
    with pytest.raises(ValueError, match="single number"):
        gc.numerical_gradient(lambda v: v ** 2, np.array([1.0, 2.0]))


@pytest.mark.parametrize("h", [0.0, -1e-5, np.nan])
def test_numerical_gradient_rejects_bad_h(h):
    with pytest.raises(ValueError, match="h must"):
        gc.numerical_gradient(quadratic_form, np.ones(2), h=h)


def test_numerical_gradients_of_a_dict():
    rng = np.random.default_rng(1)
    params = {"W": rng.standard_normal((2, 3)), "b": rng.standard_normal((2, 1))}
    before = {k: v.copy() for k, v in params.items()}
    x = rng.standard_normal((3, 4))

    def cost(p):
        return float(np.sum((p["W"] @ x + p["b"]) ** 2) / 4)

    grads = gc.numerical_gradients(cost, params)
    Z = params["W"] @ x + params["b"]
    np.testing.assert_allclose(grads["W"], (2 * Z @ x.T) / 4, rtol=1e-6)
    np.testing.assert_allclose(grads["b"], np.sum(2 * Z, axis=1, keepdims=True) / 4, rtol=1e-6)
    assert set(grads) == {"W", "b"}
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_numerical_gradients_rejects_a_non_dict():
    with pytest.raises(ValueError, match="dict"):
        gc.numerical_gradients(quadratic_form, np.ones(3))


def test_relative_error_formula():
    a, b = np.array([3.0, 4.0]), np.array([3.0, 4.0]) * 1.1
    expected = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    assert gc.relative_error(a, b) == pytest.approx(expected)
    assert gc.relative_error(a, a) == 0.0
    assert gc.relative_error(a, -a) == pytest.approx(1.0)
    assert gc.relative_error(np.zeros(3), np.zeros(3)) == 0.0  # no division by zero
    assert gc.relative_error(np.zeros(2), np.array([1e-20, 0.0])) == pytest.approx(1e-8)


def test_relative_error_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="shapes"):
        gc.relative_error(np.ones((2, 1)), np.ones(2))


def test_compare_gradients_passes_on_a_correct_gradient():
    x = np.random.default_rng(2).standard_normal((3, 2))
    report = gc.compare_gradients(2 * np.arange(1.0, 7).reshape(3, 2) * x + 1,
                                  gc.numerical_gradient(quadratic_form, x))
    assert report.passed and report.max_error < 1e-8
    assert report.worst_key is None
    assert "passed" in str(report)


def test_compare_gradients_finds_the_worst_entry_in_a_dict():
    analytic = {"dW": np.array([[1.0, 2.0], [3.0, 4.0]]), "db": np.array([[0.5], [0.25]])}
    numerical = {"dW": analytic["dW"].copy(), "db": analytic["db"].copy()}
    numerical["dW"][1, 0] = 3.3
    report = gc.compare_gradients(analytic, numerical)
    assert not report.passed
    assert report.worst_key == "dW" and report.worst_index == (1, 0)
    assert report.analytic_value == 3.0 and report.numerical_value == 3.3
    assert report.max_error == pytest.approx(gc.relative_error(analytic["dW"], numerical["dW"]))
    text = str(report)
    assert "\n" not in text
    for fragment in ("FAILED", "dW[1, 0]", "analytic 3", "numerical 3.3", "tol 1e-07"):
        assert fragment in text


def test_compare_gradients_flags_nan():
    report = gc.compare_gradients({"a": np.ones(2), "b": np.array([1.0, np.nan])},
                                  {"a": np.ones(2) * 1.5, "b": np.ones(2)})
    assert not report.passed and report.worst_key == "b" and report.worst_index == (1,)


def test_compare_gradients_tolerance():
    a, b = np.array([1.0]), np.array([1.0 + 1e-6])
    assert not gc.compare_gradients(a, b).passed
    assert gc.compare_gradients(a, b, tol=1e-5).passed


@pytest.mark.parametrize("analytic, numerical, fragment", [
    (np.ones((2, 1)), np.ones((1, 2)), "shapes differ"),
    ({"a": np.ones(2)}, {"b": np.ones(2)}, "different keys"),
    ({"a": np.ones(2)}, np.ones(2), "both"),
    ({}, {}, "empty"),
])
def test_compare_gradients_rejects_mismatched_inputs(analytic, numerical, fragment):
    with pytest.raises(ValueError, match=fragment):
        gc.compare_gradients(analytic, numerical)


def test_check_gradients_raises_with_the_report():
    with pytest.raises(AssertionError, match=r"relative error .* worst entry \[2\]"):
        gc.check_gradients(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, -3.0]))
    assert gc.check_gradients(np.array([1.0, 2.0]), np.array([1.0, 2.0])).passed


def test_gradient_check_catches_a_wrong_backward_pass():
    """The workflow of assignment 04 on a toy linear layer with a sum-of-squares cost."""
    rng = np.random.default_rng(3)
    params = {"W": rng.standard_normal((2, 3)), "b": np.zeros((2, 1))}
    x = rng.standard_normal((3, 5))

    def cost(p):
        return float(0.5 * np.sum((p["W"] @ x + p["b"]) ** 2))

    Z = params["W"] @ x + params["b"]
    numerical = gc.numerical_gradients(cost, params)
    gc.check_gradients({"W": Z @ x.T, "b": Z.sum(axis=1, keepdims=True)}, numerical)
    with pytest.raises(AssertionError, match="W"):
        gc.check_gradients({"W": Z @ x.T / 5, "b": Z.sum(axis=1, keepdims=True)}, numerical)
