import numpy as np
import pytest

from coursekit import data

CLASSIFICATION = [data.blobs, data.moons, data.spirals]


# ---------------------------------------------------------------- rng

def test_rng_from_int_is_reproducible():
    assert data.rng(3).random() == data.rng(3).random()
    assert data.rng(3).random() != data.rng(4).random()


def test_rng_passes_a_generator_through():
    g = np.random.default_rng(0)
    assert data.rng(g) is g


def test_rng_none_gives_a_generator():
    assert isinstance(data.rng(None), np.random.Generator)


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True, [1]])
def test_rng_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed"):
        data.rng(bad)


def test_a_generator_seed_advances_between_calls():
    g = np.random.default_rng(0)
    X1, _ = data.blobs(20, seed=g)
    X2, _ = data.blobs(20, seed=g)
    assert not np.array_equal(X1, X2)


# ---------------------------------------------------------------- regression

def test_toy_linear_shapes_and_line():
    x, y = data.toy_linear(m=500, w=2.0, b=1.0, noise=0.0, seed=1)
    assert x.shape == (500,) and y.shape == (500,)
    assert x.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_allclose(y, 2.0 * x + 1.0)


def test_toy_linear_noise_has_the_requested_size():
    x, y = data.toy_linear(m=4000, noise=0.5, seed=2)
    assert abs(np.std(y - (2.0 * x + 1.0)) - 0.5) < 0.03


def test_noisy_polynomial_lowest_degree_first():
    x, y = data.noisy_polynomial(m=40, coeffs=(1.0, -2.0, 0.5), noise=0.0, x_range=(-1, 2), seed=0)
    assert x.shape == (40,) and y.shape == (40,)
    assert x.min() >= -1 and x.max() <= 2 and np.all(np.diff(x) >= 0)
    np.testing.assert_allclose(y, 1.0 - 2.0 * x + 0.5 * x ** 2)


@pytest.mark.parametrize("make", [data.toy_linear, data.noisy_polynomial])
def test_regression_sets_are_deterministic(make):
    a, b = make(seed=5), make(seed=5)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(make(seed=5)[1], make(seed=6)[1])


@pytest.mark.parametrize("kwargs", [{"m": 0}, {"m": 2.5}, {"noise": -1.0}, {"coeffs": ()},
                                    {"x_range": (3, -3)}, {"x_range": 3}])
def test_noisy_polynomial_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        data.noisy_polynomial(**kwargs)


# ---------------------------------------------------------------- classification

@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_shapes_and_labels(make):
    X, Y = make(m=101, seed=0)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.all(np.isfinite(X))
    assert abs(Y.sum() - 50.5) <= 1  # balanced


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_is_deterministic_and_shuffled(make):
    X1, Y1 = make(seed=7)
    X2, Y2 = make(seed=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(make(seed=8)[0], X1)
    assert 0 < np.sum(Y1[0, :-1] != Y1[0, 1:])  # classes are mixed, not in two blocks
    assert np.sum(Y1[0, :-1] != Y1[0, 1:]) > 10


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_rejects_bad_m(make):
    with pytest.raises(ValueError, match="m must"):
        make(m=1)


def test_blobs_are_separated_along_the_diagonal():
    X, Y = data.blobs(m=2000, separation=4.0, seed=0)
    s = X[0] + X[1]
    ones, zeros = Y[0] == 1, Y[0] == 0
    assert s[ones].mean() > 1.5 and s[zeros].mean() < -1.5
    assert np.mean((s > 0) == ones) > 0.95  # nearly linearly separable


def test_moons_are_two_half_circles():
    X, Y = data.moons(m=400, noise=0.0, seed=0)
    upper, lower = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(np.hypot(*upper), 1.0)
    np.testing.assert_allclose(np.hypot(lower[0] - 1.0, lower[1] - 0.5), 1.0)


def test_spirals_are_two_interleaved_spirals():
    X, Y = data.spirals(m=300, noise=0.0, turns=1.5, seed=0)
    radius = np.hypot(*X)
    assert radius.max() <= 1.0
    # without noise, angle = 2 pi turns r (+ pi for class 1), modulo 2 pi
    angle = np.arctan2(X[1], X[0]) - 2 * np.pi * 1.5 * radius - np.pi * Y[0]
    np.testing.assert_allclose(np.cos(angle), 1.0, atol=1e-9)


def test_spirals_reject_bad_turns():
    with pytest.raises(ValueError, match="turns"):
        data.spirals(turns=0)


# ---------------------------------------------------------------- digits and split

def test_digits_zero_and_one():
    X, Y = data.digits()
    assert X.shape[0] == 64 and Y.shape == (1, X.shape[1])
    assert 300 < X.shape[1] < 400
    assert X.min() >= 0.0 and X.max() <= 1.0 and X.max() > 0.9
    assert set(np.unique(Y)) == {0.0, 1.0}


def test_digits_label_order_follows_classes():
    X, Y = data.digits(classes=(3, 8))
    X_swapped, Y_swapped = data.digits(classes=(8, 3))
    np.testing.assert_array_equal(X, X_swapped)
    np.testing.assert_array_equal(Y, 1.0 - Y_swapped)


@pytest.mark.parametrize("classes", [(1, 1), (0, 10), (1,), "ab"])
def test_digits_rejects_bad_classes(classes):
    with pytest.raises(ValueError, match="classes"):
        data.digits(classes=classes)


def test_split_partitions_the_columns():
    X = np.arange(20.0).reshape(2, 10)
    Y = (np.arange(10.0) % 2).reshape(1, 10)
    X_train, Y_train, X_test, Y_test = data.split(X, Y, test_fraction=0.3, seed=0)
    assert X_train.shape == (2, 7) and Y_train.shape == (1, 7)
    assert X_test.shape == (2, 3) and Y_test.shape == (1, 3)
    columns = sorted(X_train[0].tolist() + X_test[0].tolist())
    assert columns == X[0].tolist()
    # each sample keeps its own label and its own column
    np.testing.assert_array_equal(X_train[1], X_train[0] + 10)
    np.testing.assert_array_equal(Y_train[0], X_train[0] % 2)
    np.testing.assert_array_equal(Y_test[0], X_test[0] % 2)


def test_split_is_seeded_and_shuffles():
    X, Y = data.blobs(m=40, seed=0)
    a = data.split(X, Y, seed=1)
    b = data.split(X, Y, seed=1)
    c = data.split(X, Y, seed=2)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[2], X[:, :10])


@pytest.mark.parametrize("args", [
    (np.zeros(5), np.zeros((1, 5))),            # X not 2-D
    (np.zeros((2, 5)), np.zeros((1, 4))),       # m mismatch
    (np.zeros((2, 1)), np.zeros((1, 1))),       # too few samples
])
def test_split_rejects_bad_shapes(args):
    with pytest.raises(ValueError):
        data.split(*args)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, "a"])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        data.split(np.zeros((2, 8)), np.zeros((1, 8)), test_fraction=fraction)
