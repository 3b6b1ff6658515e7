"""Variant tests for assignment 03 (logistic regression).

For every graded function: correct answers written in different ways must pass all of its
test cells (visible and hidden), and typical mistakes must fail with a message that points
at the mistake. Run: python -m pytest tests/test_variants_03.py -q
"""
import copy
import re
import textwrap

import pytest

import nbtools

NB = nbtools.load("03_logistic_regression")
GRADED = ["sigmoid", "logistic_cost", "logistic_backward", "propagate", "optimize", "predict"]


def src(text):
    return textwrap.dedent(text).strip() + "\n"


# ----------------------------------------------------------------------------- correct variants
CORRECT = {
    "sigmoid": {
        "textbook": src("""
            def sigmoid(z):
                return 1 / (1 + np.exp(-z))
        """),
        "stable_where": src("""
            def sigmoid(z):
                z = np.asarray(z, dtype=float)
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        """),
        "stable_where_both_branches_overflow": src("""
            def sigmoid(z):
                return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
        """),
        "tanh": src("""
            def sigmoid(z):
                return 0.5 * (1.0 + np.tanh(0.5 * z))
        """),
        "logaddexp": src("""
            def sigmoid(z):
                return np.exp(-np.logaddexp(0.0, -z))
        """),
        "clipped": src("""
            def sigmoid(z):
                z = np.clip(z, -500, 500)
                return 1.0 / (1.0 + np.exp(-z))
        """),
    },
    "logistic_cost": {
        "mean": src("""
            def logistic_cost(A, Y):
                return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        """),
        "dot_squeeze": src("""
            def logistic_cost(A, Y):
                m = Y.shape[1]
                cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
                return float(np.squeeze(cost))
        """),
        "loop_math": src("""
            def logistic_cost(A, Y):
                m = A.shape[1]
                J = 0.0
                for i in range(m):
                    a, y = A[0, i], Y[0, i]
                    J += -(y * math.log(a) + (1 - y) * math.log(1 - a))
                return J / m
        """),
        "np_float64_no_cast": src("""
            def logistic_cost(A, Y):
                m = Y.shape[1]
                return -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        """),
        "where_branches": src("""
            def logistic_cost(A, Y):
                return float(np.mean(np.where(Y == 1, -np.log(A), -np.log(1 - A))))
        """),
    },
    "logistic_backward": {
        "matmul": src("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return X @ dZ.T / m, float(np.sum(dZ) / m)
        """),
        "row_then_transpose": src("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                dw = (dZ @ X.T).T / m
                db = np.mean(dZ)
                return dw, db
        """),
        "np_dot": src("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                dw = 1 / m * np.dot(X, dZ.T)
                db = 1 / m * np.sum(dZ)
                return dw, db
        """),
        "broadcast_mean_keepdims": src("""
            def logistic_backward(X, A, Y):
                dZ = A - Y
                return np.mean(X * dZ, axis=1, keepdims=True), np.mean(dZ).item()
        """),
        "slide_loop": src("""
            def logistic_backward(X, A, Y):
                n_x, m = X.shape
                dw = np.zeros((n_x, 1))
                db = 0.0
                for i in range(m):
                    dz = A[0, i] - Y[0, i]
                    for k in range(n_x):
                        dw[k, 0] += X[k, i] * dz
                    db += dz
                return dw / m, db / m
        """),
    },
    "propagate": {
        "standalone_matmul": src("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = 1 / (1 + np.exp(-(w.T @ X + b)))
                cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
                dZ = A - Y
                return {"dw": X @ dZ.T / m, "db": np.sum(dZ) / m}, float(cost)
        """),
        "np_dot_squeeze": src("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(np.dot(w.T, X) + b)
                cost = -1 / m * (np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T))
                cost = np.squeeze(cost)
                dw = 1 / m * np.dot(X, (A - Y).T)
                db = 1 / m * np.sum(A - Y)
                grads = {"dw": dw, "db": db}
                return grads, cost
        """),
        "helpers": src("""
            def propagate(w, b, X, Y):
                A = sigmoid(w.T @ X + b)
                dw, db = logistic_backward(X, A, Y)
                return {"dw": dw, "db": db}, logistic_cost(A, Y)
        """),
        "slide_loop": src("""
            def propagate(w, b, X, Y):
                n_x, m = X.shape
                J, dw, db = 0.0, np.zeros((n_x, 1)), 0.0
                for i in range(m):
                    z = float(w[:, 0] @ X[:, i]) + b
                    a = 1.0 / (1.0 + math.exp(-z))
                    J += -(Y[0, i] * math.log(a) + (1 - Y[0, i]) * math.log(1 - a))
                    dz = a - Y[0, i]
                    dw[:, 0] += X[:, i] * dz
                    db += dz
                return {"dw": dw / m, "db": db / m}, J / m
        """),
    },
    "optimize": {
        "new_arrays_each_step": src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                return {"w": w, "b": b}, grads, costs
        """),
        "copy_then_inplace_dict_updated": src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                params = {"w": w.copy(), "b": float(b)}
                costs = []
                for _ in range(num_iterations):
                    grads, cost = propagate(params["w"], params["b"], X, Y)
                    params["w"] -= learning_rate * grads["dw"]
                    params["b"] -= learning_rate * grads["db"]
                    costs.append(float(cost))
                return params, grads, costs
        """),
        "inline_no_propagate_np_array_costs": src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                m = X.shape[1]
                costs = np.zeros(num_iterations)
                for i in range(num_iterations):
                    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
                    costs[i] = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
                    dw = np.dot(X, (A - Y).T) / m
                    db = np.sum(A - Y) / m
                    w, b = w - learning_rate * dw, b - learning_rate * db
                return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
        """),
        "inplace_on_callers_array": src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    w -= learning_rate * grads["dw"]
                    b -= learning_rate * grads["db"]
                    costs.append(cost)
                return {"w": w, "b": b}, grads, costs
        """),
    },
    "predict": {
        "astype": src("""
            def predict(w, b, X):
                A = sigmoid(w.T @ X + b)
                return (A > 0.5).astype(float)
        """),
        "np_where": src("""
            def predict(w, b, X):
                A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
                return np.where(A > 0.5, 1.0, 0.0)
        """),
        "z_positive_int": src("""
            def predict(w, b, X):
                return (w.T @ X + b > 0).astype(int)
        """),
        "bool_array": src("""
            def predict(w, b, X):
                return sigmoid(w.T @ X + b) > 0.5
        """),
        "column_loop": src("""
            def predict(w, b, X):
                m = X.shape[1]
                Y_prediction = np.zeros((1, m))
                A = sigmoid(np.dot(w.T, X) + b)
                for i in range(A.shape[1]):
                    Y_prediction[0, i] = 1 if A[0, i] > 0.5 else 0
                return Y_prediction
        """),
        # np.round rounds halves to even, so 0.5 -> 0: right, if by luck.
        "np_round": src("""
            def predict(w, b, X):
                return np.round(sigmoid(w.T @ X + b))
        """),
    },
}

# ----------------------------------------------------------------------------- typical mistakes
MISTAKES = {
    "sigmoid": {
        "exp_of_plus_z": (src("""
            def sigmoid(z):
                return 1 / (1 + np.exp(z))
        """), "entries differ"),
        "overflowing_rewrite_nan": (src("""
            def sigmoid(z):
                return np.exp(z) / (1 + np.exp(z))
        """), "not finite"),
        "operator_precedence": (src("""
            def sigmoid(z):
                return 1 / 1 + np.exp(-z)
        """), "entries differ"),
        "flattened": (src("""
            def sigmoid(z):
                return (1 / (1 + np.exp(-z))).ravel()
        """), "wrong shape"),
    },
    "logistic_cost": {
        "summed_not_averaged": (src("""
            def logistic_cost(A, Y):
                return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        """), "differ"),
        "dot_without_squeeze": (src("""
            def logistic_cost(A, Y):
                m = Y.shape[1]
                return -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
        """), "expected a single number"),
        "missing_negative_class_term": (src("""
            def logistic_cost(A, Y):
                return float(-np.mean(Y * np.log(A)))
        """), "differ"),
        "wrong_sign": (src("""
            def logistic_cost(A, Y):
                return float(np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        """), "differ"),
    },
    "logistic_backward": {
        "missing_one_over_m": (src("""
            def logistic_backward(X, A, Y):
                dZ = A - Y
                return X @ dZ.T, float(np.sum(dZ))
        """), "differ"),
        "transposed_dw": (src("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return dZ @ X.T / m, float(np.sum(dZ) / m)
        """), "transposed?"),
        "db_summed_over_wrong_axis": (src("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return X @ dZ.T / m, np.sum(dZ, axis=0, keepdims=True) / m
        """), "expected a single number"),
        "dw_lost_dimension": (src("""
            def logistic_backward(X, A, Y):
                dZ = A - Y
                return np.mean(X * dZ, axis=1), float(np.mean(dZ))
        """), "keepdims"),
        "dz_sign_flipped": (src("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = Y - A
                return X @ dZ.T / m, float(np.sum(dZ) / m)
        """), "differ"),
    },
    "propagate": {
        "cost_summed": (src("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X + b)
                cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
                return {"dw": X @ (A - Y).T / m, "db": float(np.sum(A - Y) / m)}, float(cost)
        """), "propagate() cost: 1 of 1 entries differ"),
        "dw_transposed": (src("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X + b)
                return {"dw": (A - Y) @ X.T / m, "db": float(np.mean(A - Y))}, logistic_cost(A, Y)
        """), "propagate() grads['dw']: wrong shape: expected (2, 1), got (1, 2) (transposed?)"),
        "dw_missing_one_over_m": (src("""
            def propagate(w, b, X, Y):
                A = sigmoid(w.T @ X + b)
                return {"dw": X @ (A - Y).T, "db": float(np.mean(A - Y))}, logistic_cost(A, Y)
        """), "grads['dw']: 2 of 2 entries differ"),
        "db_keepdims_array": (src("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X + b)
                db = np.sum(A - Y, axis=1, keepdims=True) / m
                return {"dw": X @ (A - Y).T / m, "db": db}, logistic_cost(A, Y)
        """), "grads['db']: expected a single number"),
        "forgot_bias_in_forward": (src("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X)
                return {"dw": X @ (A - Y).T / m, "db": float(np.mean(A - Y))}, logistic_cost(A, Y)
        """), "differ"),
    },
    "optimize": {
        "wrong_sign_update": (src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w + learning_rate * grads["dw"]
                    b = b + learning_rate * grads["db"]
                return {"w": w, "b": b}, grads, costs
        """), "differ"),
        "costs_every_100_iterations": (src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                    if i % 100 == 0:
                        costs.append(cost)
                return {"w": w, "b": b}, grads, costs
        """), "optimize() costs: wrong shape: expected (5,), got (1,)"),
        "cost_recorded_after_update": (src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, _ = propagate(w, b, X, Y)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                    costs.append(propagate(w, b, X, Y)[1])
                return {"w": w, "b": b}, grads, costs
        """), "optimize() costs: 5 of 5 entries differ"),
        "bias_not_updated": (src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                return {"w": w, "b": b}, grads, costs
        """), "differ"),
        "grads_recomputed_after_last_update": (src("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                grads, _ = propagate(w, b, X, Y)
                return {"w": w, "b": b}, grads, costs
        """), "optimize() grads['dw']"),
    },
    "predict": {
        "greater_or_equal": (src("""
            def predict(w, b, X):
                return (sigmoid(w.T @ X + b) >= 0.5).astype(float)
        """), "differ"),
        "probabilities_not_labels": (src("""
            def predict(w, b, X):
                return sigmoid(w.T @ X + b)
        """), "differ"),
        "lost_row_dimension": (src("""
            def predict(w, b, X):
                return (sigmoid(w.T @ X + b)[0] > 0.5).astype(float)
        """), "wrong shape"),
        "threshold_on_z_at_half": (src("""
            def predict(w, b, X):
                return (w.T @ X + b > 0.5).astype(float)
        """), "differ"),
    },
}


def _cases(table):
    return [pytest.param(name, variant, id=f"{name}-{label}")
            for name, variants in table.items() for label, variant in variants.items()]


def _mistakes():
    return [pytest.param(name, source, fragment, id=f"{name}-{label}")
            for name, variants in MISTAKES.items() for label, (source, fragment) in variants.items()]


def test_graded_functions_are_the_expected_ones():
    assert nbtools.graded_functions(NB) == GRADED


def test_every_graded_function_has_enough_variants():
    for name in GRADED:
        assert len(CORRECT[name]) >= 2 and len(MISTAKES[name]) >= 2, name


@pytest.mark.parametrize("name", GRADED)
def test_answer_key_passes(name):
    assert nbtools.run_tests(NB, name) >= 1


@pytest.mark.parametrize("name,source", _cases(CORRECT))
def test_correct_variant_passes(name, source):
    nbtools.run_tests(NB, name, source=source)


@pytest.mark.parametrize("name,source,fragment", _mistakes())
def test_typical_mistake_fails(name, source, fragment):
    with pytest.raises(AssertionError, match=re.escape(fragment)):
        nbtools.run_tests(NB, name, source=source)


def _visible_only(nb):
    """The notebook as released: hidden tests removed from the test cells."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and nbtools.meta(cell).get("grade"):
            cell.source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", cell.source, flags=re.S)
    return nb


@pytest.mark.parametrize("name", GRADED)
def test_unanswered_function_fails_the_visible_checks(name):
    stub = f"def {name}(*args, **kwargs):\n    raise NotImplementedError()\n"
    with pytest.raises(AssertionError, match="not implemented yet"):
        nbtools.run_tests(_visible_only(NB), name, source=stub)


@pytest.mark.parametrize("name", GRADED)
def test_answer_key_passes_the_visible_checks(name):
    nbtools.run_tests(_visible_only(NB), name)


def test_ge_half_mistake_passes_visible_but_not_hidden():
    # the 0.5 edge case is deliberately a hidden test
    source = MISTAKES["predict"]["greater_or_equal"][0]
    nbtools.run_tests(_visible_only(NB), "predict", source=source)


def test_notebook_metadata():
    points = {}
    for cell in NB.cells:
        if cell.cell_type == "code":
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
        m = nbtools.meta(cell)
        if m.get("grade"):
            assert m["locked"] and not m["solution"] and "### BEGIN HIDDEN TESTS" in cell.source
            points[m["grade_id"]] = m["points"]
        elif m.get("solution"):
            assert not m["locked"] and "### BEGIN SOLUTION" in cell.source
    assert points == {"test_sigmoid": 1, "test_logistic_cost": 2, "test_logistic_backward": 2,
                      "test_propagate": 2, "test_optimize": 3, "test_predict": 2}
    setup = [c for c in NB.cells if "setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1 and nbtools.meta(setup[0])["grade_id"] == "setup"
