"""Variants of 02_gradient_descent's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Fragments are plain text (the loader escapes them). Every mistake fails a visible test of the released notebook.
Not expressible here: a trajectory preallocated for numbers only, `np.zeros(num_iterations + 1)`, fails the 2-D test
with numpy's own ValueError ("setting an array element with a sequence") raised inside the learner's code, not with a
check's AssertionError; 'np_append_flattens' below is the same scalar-only idea caught by a check ("wrong shape").
"""

CORRECT = {
    'gradient_descent': {
        'list_then_array': """
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = x0
                path = [x0]
                for _ in range(num_iterations):
                    x = x - learning_rate * grad(x)
                    path.append(x)
                return np.array(path)
        """,
        'preallocated': """
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                trajectory = np.zeros((num_iterations + 1,) + np.shape(x0))
                trajectory[0] = x0
                for i in range(1, num_iterations + 1):
                    trajectory[i] = trajectory[i - 1] - learning_rate * grad(trajectory[i - 1])
                return trajectory
        """,
        'asarray_stack_with_copy': """
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = np.asarray(x0, dtype=float).copy()
                points = [x.copy()]
                for i in range(num_iterations):
                    x -= learning_rate * grad(x)
                    points.append(x.copy())
                return np.stack(points)
        """,
        'while_loop_vstack': """
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = np.array(x0, dtype=np.float64)
                trajectory = x[None]
                i = 0
                while i < num_iterations:
                    x = x - learning_rate * grad(x)
                    trajectory = np.concatenate([trajectory, x[None]])
                    i += 1
                return trajectory
        """,
    },
    'learning_rate_behaviour': {
        'np_isclose_abs': """
            def learning_rate_behaviour(trajectory):
                start, end = np.abs(trajectory[0]), np.abs(trajectory[-1])
                if np.isclose(end, start):
                    return "oscillates"
                elif end < start:
                    return "converges"
                else:
                    return "diverges"
        """,
        'explicit_tolerance': """
            def learning_rate_behaviour(trajectory):
                d = np.abs(np.asarray(trajectory, dtype=float))
                if abs(d[-1] - d[0]) <= 1e-8 + 1e-5 * d[0]:
                    return "oscillates"
                return "converges" if d[-1] < d[0] else "diverges"
        """,
        'math_isclose_ratio': """
            import math
            def learning_rate_behaviour(trajectory):
                ratio = abs(float(trajectory[len(trajectory) - 1])) / abs(float(trajectory[0]))
                if math.isclose(ratio, 1.0, rel_tol=1e-9):
                    return "oscillates"
                if ratio > 1:
                    return "diverges"
                return "converges"
        """,
    },
    'decayed_learning_rate': {
        'reciprocal': """
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 * (1.0 / (1.0 + decay_rate * epoch))
        """,
        'numpy_ufuncs': """
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return np.divide(learning_rate0, np.add(1.0, np.multiply(decay_rate, epoch)))
        """,
        'power_minus_one': """
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                denominator = 1 + decay_rate * np.asarray(epoch, dtype=float)
                return learning_rate0 * denominator ** -1
        """,
    },
    'mse': {
        'mean_of_squares': """
            def mse(y, y_hat):
                return np.mean((y - y_hat) ** 2)
        """,
        'ssr_over_n': """
            def mse(y, y_hat):
                residuals = (np.asarray(y) - np.asarray(y_hat)).ravel()
                return float(residuals @ residuals / residuals.size)
        """,
        'python_loop': """
            def mse(y, y_hat):
                total = 0.0
                for a, b in zip(np.ravel(y), np.ravel(y_hat)):
                    total += (a - b) ** 2
                return total / np.size(y)
        """,
    },
}

MISTAKES = {
    'gradient_descent': {
        'missing_x0': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = x0
                path = []
                for _ in range(num_iterations):
                    x = x - learning_rate * grad(x)
                    path.append(x)
                return np.array(path)
        """, 'wrong shape'),
        'off_by_one': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = x0
                path = [x0]
                for _ in range(1, num_iterations):
                    x = x - learning_rate * grad(x)
                    path.append(x)
                return np.array(path)
        """, 'wrong shape'),
        'plus_sign': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = x0
                path = [x0]
                for _ in range(num_iterations):
                    x = x + learning_rate * grad(x)
                    path.append(x)
                return np.array(path)
        """, 'differ'),
        'gradient_at_x0': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = x0
                path = [x0]
                for _ in range(num_iterations):
                    x = x - learning_rate * grad(x0)
                    path.append(x)
                return np.array(path)
        """, 'differ'),
        'aliased_rows': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = np.array(x0, dtype=float)
                path = [x]
                for _ in range(num_iterations):
                    x -= learning_rate * grad(x)
                    path.append(x)
                return np.array(path)
        """, 'differ'),
        'changes_x0_in_place': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                x = np.asarray(x0, dtype=float)          # no copy: the caller's array is updated in place
                trajectory = np.zeros((num_iterations + 1,) + x.shape)
                trajectory[0] = x
                for i in range(1, num_iterations + 1):
                    x -= learning_rate * grad(x)
                    trajectory[i] = x
                return trajectory
        """, 'in place'),
        'np_append_flattens': ("""
            def gradient_descent(grad, x0, learning_rate, num_iterations):
                trajectory = np.array([x0], dtype=float)
                x = x0
                for _ in range(num_iterations):
                    x = x - learning_rate * grad(x)
                    trajectory = np.append(trajectory, x)
                return trajectory
        """, 'wrong shape: expected (16, 2), got (32,)'),
    },
    'learning_rate_behaviour': {
        'signed_values': ("""
            def learning_rate_behaviour(trajectory):
                if np.isclose(trajectory[-1], trajectory[0]):
                    return "oscillates"
                return "converges" if trajectory[-1] < trajectory[0] else "diverges"
        """, 'not the right answer'),
        'exact_equality': ("""
            def learning_rate_behaviour(trajectory):
                start, end = abs(trajectory[0]), abs(trajectory[-1])
                if end == start:
                    return "oscillates"
                return "converges" if end < start else "diverges"
        """, 'not the right answer'),
        'sign_changes': ("""
            def learning_rate_behaviour(trajectory):
                if np.any(np.sign(trajectory[1:]) != np.sign(trajectory[:-1])):
                    return "oscillates"
                return "converges" if abs(trajectory[-1]) < abs(trajectory[0]) else "diverges"
        """, 'not the right answer'),
        'last_step_only': ("""
            def learning_rate_behaviour(trajectory):
                start, end = abs(trajectory[0]), abs(trajectory[1])
                if np.isclose(end, start):
                    return "oscillates"
                return "converges" if end < start else "diverges"
        """, 'not the right answer'),
        'rounded_comparison': ("""
            def learning_rate_behaviour(trajectory):
                start, end = round(abs(trajectory[0]), 1), round(abs(trajectory[-1]), 1)
                if start == end:
                    return "oscillates"
                return "converges" if end < start else "diverges"
        """, "got 'oscillates', which is not the right answer"),
    },
    'decayed_learning_rate': {
        'exponential_decay': ("""
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 * decay_rate ** epoch
        """, 'differ'),
        'missing_one': ("""
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 / (decay_rate * epoch)
        """, 'differ'),
        'precedence': ("""
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 / 1 + decay_rate * epoch
        """, 'differ'),
        'power_of_epoch': ("""
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 / (1 + decay_rate) ** epoch
        """, 'differ'),
        'ignores_decay_rate': ("""
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 / (1 + epoch)
        """, 'differ'),
        'epochs_counted_from_one': ("""
            def decayed_learning_rate(learning_rate0, decay_rate, epoch):
                return learning_rate0 / (1 + decay_rate * (epoch + 1))
        """, 'differ'),
    },
    'mse': {
        'ssr_not_mean': ("""
            def mse(y, y_hat):
                return np.sum((y - y_hat) ** 2)
        """, 'differ'),
        'mean_absolute': ("""
            def mse(y, y_hat):
                return np.mean(np.abs(y - y_hat))
        """, 'differ'),
        'square_of_mean': ("""
            def mse(y, y_hat):
                return np.mean(y - y_hat) ** 2
        """, 'differ'),
        'no_mean': ("""
            def mse(y, y_hat):
                return (y - y_hat) ** 2
        """, 'single number'),
        'mean_over_axis_0': ("""
            def mse(y, y_hat):
                return np.mean((y - y_hat) ** 2, axis=0)
        """, 'expected a single number'),
        'divides_by_len': ("""
            def mse(y, y_hat):
                return np.sum((y - y_hat) ** 2) / len(y)
        """, 'differ'),
        'divides_by_m_of_a_row': ("""
            def mse(y, y_hat):
                return np.sum((y - y_hat) ** 2) / y.shape[-1]
        """, 'differ'),
    },
}

HIDDEN_ONLY = {}

# Every line of each docstring (verbatim) -> a fragment of a visible test cell that checks it.
PROMISES = {
    'gradient_descent': {
        "Fixed-step gradient descent x_i = x_{i-1} - learning_rate * grad(x_{i-1}).":
            "expected=np.array([3.0, 2.4, 1.92, 1.536])",
        "grad -- function returning the gradient at a point, same shape as the point": '"grad": F.d_bowl',
        "x0 -- starting point: a number, or an ndarray of shape (d,)": '"x0": np.array([-2.5, 1.5])',
        "learning_rate -- step size alpha > 0 (a number)": '"learning_rate": 1.1',
        "num_iterations -- number of updates k (an int >= 0)": "no update at all: the trajectory is the start alone",
        "trajectory -- ndarray of shape (num_iterations + 1,) + np.shape(x0);": "expected=np.array([[0.5, -0.5]])",
        "trajectory[0] is x0 and trajectory[i] is x_i": "20 steps from the left; oracle: torch.optim.SGD",
    },
    'learning_rate_behaviour': {
        "Classify a 1-D gradient-descent trajectory toward a minimum at 0.":
            "The seeds' trajectories on x^2 from 3",
        "trajectory -- ndarray of shape (k + 1,): x_0, x_1, ..., x_k (k >= 1)":
            '([0.3, -0.30000000000000004], "oscillates")',
        'behaviour -- "oscillates" if |x_k| equals |x_0| up to np.isclose,':
            "Equal up to a rounding error (0.1 + 0.2 is 0.30000000000000004) oscillates",
        'else "converges" if |x_k| < |x_0|, else "diverges"': "Only the distances |x| at the two ends count",
    },
    'decayed_learning_rate': {
        "Learning rate at `epoch` for the schedule alpha0 / (1 + decay_rate * epoch).":
            '{"learning_rate0": 0.2, "decay_rate": 1.0, "epoch": 1}, expected=0.1',
        "learning_rate0 -- initial learning rate alpha0 (a number)": '"learning_rate0": 0.5',
        "decay_rate -- how fast the rate shrinks (a number >= 0)": '"decay_rate": 0.0, "epoch": 7}, expected=0.05',
        "epoch -- an int >= 0, or an ndarray of epochs of any shape": "epochs in an array of shape (2, 3)",
        "learning_rate -- a number, or an ndarray of the same shape as epoch": "the result has the same shape",
    },
    'mse': {
        "Mean squared error.": "expected=0.5",
        "y -- observed values, ndarray of any shape, e.g. (m,) or (1, m)":
            "one row of shape (1, m), then two rows of shape (2, 5)",
        "y_hat -- predictions, ndarray of the same shape as y": "y, y_hat = rng.normal(size=(2, 5)), rng.normal(size=(2, 5))",
        "cost -- a number: the mean over all entries of (y - y_hat)^2":
            "torch.nn.functional.mse_loss (mean over all entries)",
    },
}
