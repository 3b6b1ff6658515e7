"""Variant tests for assignment 02 (gradient descent).

Each graded function's test cells (visible + hidden) are run against correct variants
written differently (they must pass) and against typical mistakes (they must fail with a
message that points at the mistake).
"""
import pytest

import nbtools

NB = nbtools.load("02_gradient_descent")


def test_answer_key_passes():
    for name in nbtools.graded_functions(NB):
        assert nbtools.run_tests(NB, name) >= 1


def test_graded_functions():
    assert nbtools.graded_functions(NB) == [
        "gradient_descent", "learning_rate_behaviour", "decayed_learning_rate", "mse"]


# ---------------------------------------------------------------- gradient_descent

GD_CORRECT = {
    "list_then_array": '''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = x0
    path = [x0]
    for _ in range(num_iterations):
        x = x - learning_rate * grad(x)
        path.append(x)
    return np.array(path)
''',
    "preallocated": '''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    trajectory = np.zeros((num_iterations + 1,) + np.shape(x0))
    trajectory[0] = x0
    for i in range(1, num_iterations + 1):
        trajectory[i] = trajectory[i - 1] - learning_rate * grad(trajectory[i - 1])
    return trajectory
''',
    "asarray_stack_with_copy": '''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = np.asarray(x0, dtype=float).copy()
    points = [x.copy()]
    for i in range(num_iterations):
        x -= learning_rate * grad(x)
        points.append(x.copy())
    return np.stack(points)
''',
    "while_loop_vstack": '''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = np.array(x0, dtype=np.float64)
    trajectory = x[None]
    i = 0
    while i < num_iterations:
        x = x - learning_rate * grad(x)
        trajectory = np.concatenate([trajectory, x[None]])
        i += 1
    return trajectory
''',
}

GD_MISTAKES = {
    # the trajectory leaves out the start x0
    "missing_x0": ('''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = x0
    path = []
    for _ in range(num_iterations):
        x = x - learning_rate * grad(x)
        path.append(x)
    return np.array(path)
''', "wrong shape"),
    # one update too few (range(1, num_iterations))
    "off_by_one": ('''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = x0
    path = [x0]
    for _ in range(1, num_iterations):
        x = x - learning_rate * grad(x)
        path.append(x)
    return np.array(path)
''', "wrong shape"),
    # gradient ascent
    "plus_sign": ('''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = x0
    path = [x0]
    for _ in range(num_iterations):
        x = x + learning_rate * grad(x)
        path.append(x)
    return np.array(path)
''', "differ"),
    # the gradient is evaluated at x0 every time
    "gradient_at_x0": ('''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = x0
    path = [x0]
    for _ in range(num_iterations):
        x = x - learning_rate * grad(x0)
        path.append(x)
    return np.array(path)
''', "differ"),
    # in-place update of one array appended again and again: every row is the last point
    "aliased_rows": ('''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(num_iterations):
        x -= learning_rate * grad(x)
        path.append(x)
    return np.array(path)
''', "differ"),
}

GD_IN_PLACE_X0 = '''
def gradient_descent(grad, x0, learning_rate, num_iterations):
    x = np.asarray(x0, dtype=float)          # no copy: the caller's array is updated in place
    trajectory = np.zeros((num_iterations + 1,) + x.shape)
    trajectory[0] = x
    for i in range(1, num_iterations + 1):
        x -= learning_rate * grad(x)
        trajectory[i] = x
    return trajectory
'''


@pytest.mark.parametrize("name", sorted(GD_CORRECT))
def test_gradient_descent_correct(name):
    nbtools.run_tests(NB, "gradient_descent", GD_CORRECT[name])


@pytest.mark.parametrize("name", sorted(GD_MISTAKES))
def test_gradient_descent_mistake(name):
    source, fragment = GD_MISTAKES[name]
    with pytest.raises(AssertionError, match=fragment):
        nbtools.run_tests(NB, "gradient_descent", source)


def test_gradient_descent_changes_x0_in_place():
    with pytest.raises(AssertionError, match="in place"):
        nbtools.run_tests(NB, "gradient_descent", GD_IN_PLACE_X0)


def test_gradient_descent_scalar_only():
    # preallocating np.zeros(num_iterations + 1) works in 1-D but cannot hold the 2-D bowl's points:
    # numpy itself raises (ValueError: setting an array element with a sequence) in the 2-D test cell
    source = """
def gradient_descent(grad, x0, learning_rate, num_iterations):
    trajectory = np.zeros(num_iterations + 1)
    trajectory[0] = x0
    for i in range(num_iterations):
        trajectory[i + 1] = trajectory[i] - learning_rate * grad(trajectory[i])
    return trajectory
"""
    with pytest.raises(ValueError, match="sequence"):
        nbtools.run_tests(NB, "gradient_descent", source)


def test_gradient_descent_unimplemented():
    stub = "def gradient_descent(grad, x0, learning_rate, num_iterations):\n    raise NotImplementedError()\n"
    with pytest.raises(AssertionError, match="not implemented yet"):
        nbtools.run_tests(NB, "gradient_descent", stub)


# ---------------------------------------------------------------- learning_rate_behaviour

LRB_CORRECT = {
    "np_isclose_abs": '''
def learning_rate_behaviour(trajectory):
    start, end = np.abs(trajectory[0]), np.abs(trajectory[-1])
    if np.isclose(end, start):
        return "oscillates"
    elif end < start:
        return "converges"
    else:
        return "diverges"
''',
    "explicit_tolerance": '''
def learning_rate_behaviour(trajectory):
    d = np.abs(np.asarray(trajectory, dtype=float))
    if abs(d[-1] - d[0]) <= 1e-8 + 1e-5 * d[0]:
        return "oscillates"
    return "converges" if d[-1] < d[0] else "diverges"
''',
    "math_isclose_ratio": '''
import math
def learning_rate_behaviour(trajectory):
    ratio = abs(float(trajectory[len(trajectory) - 1])) / abs(float(trajectory[0]))
    if math.isclose(ratio, 1.0, rel_tol=1e-9):
        return "oscillates"
    if ratio > 1:
        return "diverges"
    return "converges"
''',
}

LRB_MISTAKES = {
    # compares signed values, not distances to the minimum
    "signed_values": ('''
def learning_rate_behaviour(trajectory):
    if np.isclose(trajectory[-1], trajectory[0]):
        return "oscillates"
    return "converges" if trajectory[-1] < trajectory[0] else "diverges"
''', "not the right answer"),
    # exact equality: a rounding error turns an oscillation into divergence
    "exact_equality": ('''
def learning_rate_behaviour(trajectory):
    start, end = abs(trajectory[0]), abs(trajectory[-1])
    if end == start:
        return "oscillates"
    return "converges" if end < start else "diverges"
''', "not the right answer"),
    # any change of sign counts as oscillation
    "sign_changes": ('''
def learning_rate_behaviour(trajectory):
    if np.any(np.sign(trajectory[1:]) != np.sign(trajectory[:-1])):
        return "oscillates"
    return "converges" if abs(trajectory[-1]) < abs(trajectory[0]) else "diverges"
''', "not the right answer"),
    # looks at the last step only, not at the start
    "last_step_only": ('''
def learning_rate_behaviour(trajectory):
    start, end = abs(trajectory[0]), abs(trajectory[1])
    if np.isclose(end, start):
        return "oscillates"
    return "converges" if end < start else "diverges"
''', "not the right answer"),
}


@pytest.mark.parametrize("name", sorted(LRB_CORRECT))
def test_learning_rate_behaviour_correct(name):
    nbtools.run_tests(NB, "learning_rate_behaviour", LRB_CORRECT[name])


@pytest.mark.parametrize("name", sorted(LRB_MISTAKES))
def test_learning_rate_behaviour_mistake(name):
    source, fragment = LRB_MISTAKES[name]
    with pytest.raises(AssertionError, match=fragment):
        nbtools.run_tests(NB, "learning_rate_behaviour", source)


# ---------------------------------------------------------------- decayed_learning_rate

DECAY_CORRECT = {
    "reciprocal": '''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    return learning_rate0 * (1.0 / (1.0 + decay_rate * epoch))
''',
    "numpy_ufuncs": '''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    return np.divide(learning_rate0, np.add(1.0, np.multiply(decay_rate, epoch)))
''',
    "power_minus_one": '''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    denominator = 1 + decay_rate * np.asarray(epoch, dtype=float)
    return learning_rate0 * denominator ** -1
''',
}

DECAY_MISTAKES = {
    "exponential_decay": ('''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    return learning_rate0 * decay_rate ** epoch
''', "differ"),
    "missing_one": ('''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    return learning_rate0 / (decay_rate * epoch)
''', "differ"),
    "precedence": ('''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    return learning_rate0 / 1 + decay_rate * epoch
''', "differ"),
    "power_of_epoch": ('''
def decayed_learning_rate(learning_rate0, decay_rate, epoch):
    return learning_rate0 / (1 + decay_rate) ** epoch
''', "differ"),
}


@pytest.mark.parametrize("name", sorted(DECAY_CORRECT))
def test_decayed_learning_rate_correct(name):
    nbtools.run_tests(NB, "decayed_learning_rate", DECAY_CORRECT[name])


@pytest.mark.parametrize("name", sorted(DECAY_MISTAKES))
def test_decayed_learning_rate_mistake(name):
    source, fragment = DECAY_MISTAKES[name]
    with pytest.raises(AssertionError, match=fragment):
        nbtools.run_tests(NB, "decayed_learning_rate", source)


# ---------------------------------------------------------------- mse

MSE_CORRECT = {
    "mean_of_squares": '''
def mse(y, y_hat):
    return np.mean((y - y_hat) ** 2)
''',
    "ssr_over_n": '''
def mse(y, y_hat):
    residuals = (np.asarray(y) - np.asarray(y_hat)).ravel()
    return float(residuals @ residuals / residuals.size)
''',
    "python_loop": '''
def mse(y, y_hat):
    total = 0.0
    for a, b in zip(np.ravel(y), np.ravel(y_hat)):
        total += (a - b) ** 2
    return total / np.size(y)
''',
}

MSE_MISTAKES = {
    "ssr_not_mean": ('''
def mse(y, y_hat):
    return np.sum((y - y_hat) ** 2)
''', "differ"),
    "mean_absolute": ('''
def mse(y, y_hat):
    return np.mean(np.abs(y - y_hat))
''', "differ"),
    "square_of_mean": ('''
def mse(y, y_hat):
    return np.mean(y - y_hat) ** 2
''', "differ"),
    "no_mean": ('''
def mse(y, y_hat):
    return (y - y_hat) ** 2
''', "single number"),
}


@pytest.mark.parametrize("name", sorted(MSE_CORRECT))
def test_mse_correct(name):
    nbtools.run_tests(NB, "mse", MSE_CORRECT[name])


@pytest.mark.parametrize("name", sorted(MSE_MISTAKES))
def test_mse_mistake(name):
    source, fragment = MSE_MISTAKES[name]
    with pytest.raises(AssertionError, match=fragment):
        nbtools.run_tests(NB, "mse", source)
