"""Variants of 03_logistic_regression's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Each correct formulation must pass every test cell of its function; each mistake must fail a visible test with a
message containing its fragment (plain text). Some mistakes are the wrong implementations found in public solutions
of a well-known numpy deep-learning course that pass a weak test: db without 1/m (invisible when the only case has
db = 0), m taken from the rows, predict with >= 0.5 (the docstring says a probability of exactly 0.5 gives 0, and
the visible test has columns on the boundary z = 0), the bias left out where b = 0 in the only case.
"""

CORRECT = {
    'sigmoid': {
        'textbook': """
            def sigmoid(z):
                return 1 / (1 + np.exp(-z))
        """,
        'stable_where': """
            def sigmoid(z):
                z = np.asarray(z, dtype=float)
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        """,
        'stable_where_both_branches_overflow': """
            def sigmoid(z):
                return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
        """,
        'tanh': """
            def sigmoid(z):
                return 0.5 * (1.0 + np.tanh(0.5 * z))
        """,
        'logaddexp': """
            def sigmoid(z):
                return np.exp(-np.logaddexp(0.0, -z))
        """,
        'clipped': """
            def sigmoid(z):
                z = np.clip(z, -500, 500)
                return 1.0 / (1.0 + np.exp(-z))
        """,
        'scipy_expit': """
            from scipy.special import expit

            def sigmoid(z):
                return expit(z)
        """,
    },
    'logistic_cost': {
        'mean': """
            def logistic_cost(A, Y):
                return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        """,
        'dot_squeeze': """
            def logistic_cost(A, Y):
                m = Y.shape[1]
                cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
                return float(np.squeeze(cost))
        """,
        'loop_math': """
            def logistic_cost(A, Y):
                m = A.shape[1]
                J = 0.0
                for i in range(m):
                    a, y = A[0, i], Y[0, i]
                    J += -(y * math.log(a) + (1 - y) * math.log(1 - a))
                return J / m
        """,
        'np_float64_no_cast': """
            def logistic_cost(A, Y):
                m = Y.shape[1]
                return -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        """,
        'where_branches': """
            def logistic_cost(A, Y):
                return float(np.mean(np.where(Y == 1, -np.log(A), -np.log(1 - A))))
        """,
    },
    'logistic_backward': {
        'matmul': """
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return X @ dZ.T / m, float(np.sum(dZ) / m)
        """,
        'row_then_transpose': """
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                dw = (dZ @ X.T).T / m
                db = np.mean(dZ)
                return dw, db
        """,
        'np_dot': """
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                dw = 1 / m * np.dot(X, dZ.T)
                db = 1 / m * np.sum(dZ)
                return dw, db
        """,
        'broadcast_mean_keepdims': """
            def logistic_backward(X, A, Y):
                dZ = A - Y
                return np.mean(X * dZ, axis=1, keepdims=True), np.mean(dZ).item()
        """,
        'slide_loop': """
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
        """,
    },
    'propagate': {
        'standalone_matmul': """
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = 1 / (1 + np.exp(-(w.T @ X + b)))
                cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
                dZ = A - Y
                return {"dw": X @ dZ.T / m, "db": np.sum(dZ) / m}, float(cost)
        """,
        'np_dot_squeeze': """
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(np.dot(w.T, X) + b)
                cost = -1 / m * (np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T))
                cost = np.squeeze(cost)
                dw = 1 / m * np.dot(X, (A - Y).T)
                db = 1 / m * np.sum(A - Y)
                grads = {"dw": dw, "db": db}
                return grads, cost
        """,
        'helpers': """
            def propagate(w, b, X, Y):
                A = sigmoid(w.T @ X + b)
                dw, db = logistic_backward(X, A, Y)
                return {"dw": dw, "db": db}, logistic_cost(A, Y)
        """,
        'slide_loop': """
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
        """,
    },
    'optimize': {
        'new_arrays_each_step': """
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                return {"w": w, "b": b}, grads, costs
        """,
        'copy_then_inplace_dict_updated': """
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                params = {"w": w.copy(), "b": float(b)}
                costs = []
                for _ in range(num_iterations):
                    grads, cost = propagate(params["w"], params["b"], X, Y)
                    params["w"] -= learning_rate * grads["dw"]
                    params["b"] -= learning_rate * grads["db"]
                    costs.append(float(cost))
                return params, grads, costs
        """,
        'inline_no_propagate_np_array_costs': """
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
        """,
        'inplace_on_callers_array': """
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    w -= learning_rate * grads["dw"]
                    b -= learning_rate * grads["db"]
                    costs.append(cost)
                return {"w": w, "b": b}, grads, costs
        """,
    },
    'predict': {
        'astype': """
            def predict(w, b, X):
                A = sigmoid(w.T @ X + b)
                return (A > 0.5).astype(float)
        """,
        'np_where': """
            def predict(w, b, X):
                A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
                return np.where(A > 0.5, 1.0, 0.0)
        """,
        'z_positive_int': """
            def predict(w, b, X):
                return (w.T @ X + b > 0).astype(int)
        """,
        'bool_array': """
            def predict(w, b, X):
                return sigmoid(w.T @ X + b) > 0.5
        """,
        'column_loop': """
            def predict(w, b, X):
                m = X.shape[1]
                Y_prediction = np.zeros((1, m))
                A = sigmoid(np.dot(w.T, X) + b)
                for i in range(A.shape[1]):
                    Y_prediction[0, i] = 1 if A[0, i] > 0.5 else 0
                return Y_prediction
        """,
        # np.round rounds halves to even, so a probability of exactly 0.5 gives 0, as the docstring asks
        'np_round': """
            def predict(w, b, X):
                return np.round(sigmoid(w.T @ X + b))
        """,
    },
}

MISTAKES = {
    'sigmoid': {
        'exp_of_plus_z': ("""
            def sigmoid(z):
                return 1 / (1 + np.exp(z))
        """, 'sigmoid(): 1 of 2 entries differ'),
        'overflowing_rewrite_nan': ("""
            def sigmoid(z):
                return np.exp(z) / (1 + np.exp(z))
        """, 'sigmoid(): 1 of 7 entries are not finite'),
        'operator_precedence': ("""
            def sigmoid(z):
                return 1 / 1 + np.exp(-z)
        """, 'sigmoid(): 2 of 2 entries differ'),
        'flattened': ("""
            def sigmoid(z):
                return (1 / (1 + np.exp(-z))).ravel()
        """, 'sigmoid(): wrong shape: expected (2, 3), got (6,)'),
    },
    'logistic_cost': {
        'summed_not_averaged': ("""
            def logistic_cost(A, Y):
                return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        """, 'logistic_cost(): 1 of 1 entries differ'),
        'dot_without_squeeze': ("""
            def logistic_cost(A, Y):
                m = Y.shape[1]
                return -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
        """, 'logistic_cost(): expected a single number (shape ()), got an array of shape (1, 1)'),
        'missing_negative_class_term': ("""
            def logistic_cost(A, Y):
                return float(-np.mean(Y * np.log(A)))
        """, 'logistic_cost(): 1 of 1 entries differ'),
        'wrong_sign': ("""
            def logistic_cost(A, Y):
                return float(np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        """, 'logistic_cost(): 1 of 1 entries differ'),
        'm_from_rows': ("""
            def logistic_cost(A, Y):
                m = Y.shape[0]
                return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
        """, 'logistic_cost(): 1 of 1 entries differ'),
        'mean_over_axis_1_left_as_array': ("""
            def logistic_cost(A, Y):
                return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=1)
        """, 'expected a single number (shape ()), got an array of shape (1,)'),
    },
    'logistic_backward': {
        'missing_one_over_m': ("""
            def logistic_backward(X, A, Y):
                dZ = A - Y
                return X @ dZ.T, float(np.sum(dZ))
        """, 'logistic_backward() dw: 2 of 2 entries differ'),
        'transposed_dw': ("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return dZ @ X.T / m, float(np.sum(dZ) / m)
        """, 'logistic_backward() dw: wrong shape: expected (2, 1), got (1, 2) (transposed?)'),
        'db_summed_over_wrong_axis': ("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return X @ dZ.T / m, np.sum(dZ, axis=0, keepdims=True) / m
        """, 'logistic_backward() db: expected a single number (shape ()), got an array of shape (1, 4)'),
        'dw_lost_dimension': ("""
            def logistic_backward(X, A, Y):
                dZ = A - Y
                return np.mean(X * dZ, axis=1), float(np.mean(dZ))
        """, 'logistic_backward() dw: wrong shape: expected (2, 1), got (2,) (a lost dimension of size 1: keepdims'),
        'dz_sign_flipped': ("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = Y - A
                return X @ dZ.T / m, float(np.sum(dZ) / m)
        """, 'logistic_backward() dw: 2 of 2 entries differ'),
        'db_missing_one_over_m': ("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return np.dot(X, dZ.T) / m, np.sum(dZ)
        """, 'logistic_backward() db: 1 of 1 entries differ'),
        'db_keepdims_array': ("""
            def logistic_backward(X, A, Y):
                m = X.shape[1]
                dZ = A - Y
                return np.dot(X, dZ.T) / m, np.sum(dZ, axis=1, keepdims=True) / m
        """, 'logistic_backward() db: expected a single number'),
        'm_from_rows': ("""
            def logistic_backward(X, A, Y):
                m = X.shape[0]
                dZ = A - Y
                return X @ dZ.T / m, float(np.sum(dZ) / m)
        """, 'logistic_backward() dw: 2 of 2 entries differ'),
    },
    'propagate': {
        'cost_summed': ("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X + b)
                cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
                return {"dw": X @ (A - Y).T / m, "db": float(np.sum(A - Y) / m)}, float(cost)
        """, 'propagate() cost: 1 of 1 entries differ'),
        'dw_transposed': ("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X + b)
                return {"dw": (A - Y) @ X.T / m, "db": float(np.mean(A - Y))}, logistic_cost(A, Y)
        """, "propagate() grads['dw']: wrong shape: expected (2, 1), got (1, 2) (transposed?)"),
        'dw_missing_one_over_m': ("""
            def propagate(w, b, X, Y):
                A = sigmoid(w.T @ X + b)
                return {"dw": X @ (A - Y).T, "db": float(np.mean(A - Y))}, logistic_cost(A, Y)
        """, "propagate() grads['dw']: 2 of 2 entries differ"),
        'db_keepdims_array': ("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X + b)
                db = np.sum(A - Y, axis=1, keepdims=True) / m
                return {"dw": X @ (A - Y).T / m, "db": db}, logistic_cost(A, Y)
        """, "propagate() grads['db']: expected a single number"),
        'forgot_bias_in_forward': ("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(w.T @ X)
                return {"dw": X @ (A - Y).T / m, "db": float(np.mean(A - Y))}, logistic_cost(A, Y)
        """, "propagate() grads['dw']: 2 of 2 entries differ"),
        'db_missing_one_over_m': ("""
            def propagate(w, b, X, Y):
                m = X.shape[1]
                A = sigmoid(np.dot(w.T, X) + b)
                cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
                dw = 1 / m * np.dot(X, (A - Y).T)
                db = np.sum(A - Y)
                return {"dw": dw, "db": db}, cost
        """, "propagate() grads['db']: 1 of 1 entries differ"),
    },
    'optimize': {
        'wrong_sign_update': ("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w + learning_rate * grads["dw"]
                    b = b + learning_rate * grads["db"]
                return {"w": w, "b": b}, grads, costs
        """, "optimize() params['w']: 2 of 2 entries differ"),
        'costs_every_100_iterations': ("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                    if i % 100 == 0:
                        costs.append(cost)
                return {"w": w, "b": b}, grads, costs
        """, 'optimize() costs: wrong shape: expected (5,), got (1,)'),
        'cost_recorded_after_update': ("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, _ = propagate(w, b, X, Y)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                    costs.append(propagate(w, b, X, Y)[1])
                return {"w": w, "b": b}, grads, costs
        """, 'optimize() costs: 5 of 5 entries differ'),
        'bias_not_updated': ("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                return {"w": w, "b": b}, grads, costs
        """, "optimize() params['w']: 2 of 2 entries differ"),
        'grads_recomputed_after_last_update': ("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                grads, _ = propagate(w, b, X, Y)
                return {"w": w, "b": b}, grads, costs
        """, "optimize() grads['dw']: 2 of 2 entries differ"),
        'initial_b_ignored': ("""
            def optimize(w, b, X, Y, num_iterations, learning_rate):
                b = 0.0
                costs = []
                for i in range(num_iterations):
                    grads, cost = propagate(w, b, X, Y)
                    costs.append(cost)
                    w = w - learning_rate * grads["dw"]
                    b = b - learning_rate * grads["db"]
                return {"w": w, "b": b}, grads, costs
        """, "optimize() params['w']: 2 of 2 entries differ"),
    },
    'predict': {
        'greater_or_equal': ("""
            def predict(w, b, X):
                return (sigmoid(w.T @ X + b) >= 0.5).astype(float)
        """, 'predict(): 3 of 9 entries differ; worst at index (0, 6): got 1, expected 0'),
        'probabilities_not_labels': ("""
            def predict(w, b, X):
                return sigmoid(w.T @ X + b)
        """, 'predict(): 9 of 9 entries differ'),
        'lost_row_dimension': ("""
            def predict(w, b, X):
                return (sigmoid(w.T @ X + b)[0] > 0.5).astype(float)
        """, 'predict(): wrong shape: expected (1, 9), got (9,)'),
        'threshold_on_z_at_half': ("""
            def predict(w, b, X):
                return (w.T @ X + b > 0.5).astype(float)
        """, 'predict(): 2 of 9 entries differ; worst at index (0, 2): got 0, expected 1'),
        'bias_ignored': ("""
            def predict(w, b, X):
                return (sigmoid(w.T @ X) > 0.5).astype(float)
        """, 'predict(): 2 of 9 entries differ'),
    },
}

HIDDEN_ONLY = {}

# Every line of each docstring (verbatim) -> a fragment of a visible test cell that checks it.
PROMISES = {
    'sigmoid': {
        "The logistic sigmoid, applied elementwise.": "expected=np.array([0.5, 0.8807970779778823])",
        "z -- numpy array of any shape (pre-activations)": "z = np.array([[-3.0, -0.5, 0.0], [0.5, 1.0, 4.0]])",
        "s -- numpy array of the same shape as z, s = 1 / (1 + exp(-z)), every entry in [0, 1]":
            "large |z| of either sign: 1 and (almost) 0, never nan",
    },
    'logistic_cost': {
        "Mean logistic (cross-entropy) loss over m samples.": "expected=torch_bce(A, Y)",
        "A -- numpy array of shape (1, m), predicted probabilities, 0 < A < 1": "A = np.array([[0.8, 0.6, 0.9, 0.7]])",
        "Y -- numpy array of shape (1, m), true labels (0 or 1)": "Y = np.array([[0.0, 1.0, 1.0, 1.0]])",
        "cost -- float, J = -(1/m) * sum(Y * log(A) + (1 - Y) * log(1 - A))":
            "The slides' worked example: J = 0.645575 (to 6 decimals)",
    },
    'logistic_backward': {
        "Gradients of the logistic-regression cost J with respect to w and b.": 'names=("dw", "db")',
        "X -- numpy array of shape (n_x, m), one sample per column": "3 features, 5 samples",
        "A -- numpy array of shape (1, m), the activations sigma(w^T X + b)":
            "A = sigma(w^T X + b) with b = 0.4",
        "Y -- numpy array of shape (1, m), true labels (0 or 1)": "Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])",
        "dw -- numpy array of shape (n_x, 1), dJ/dw = (1/m) X (A - Y)^T":
            "expected=(np.array([[-0.55], [-1.05]]), 0.0)",
        "db -- float, dJ/db = (1/m) * sum(A - Y)": "db is 0 above; here it is not",
    },
    'propagate': {
        "Cost and gradients of logistic regression, vectorised over the m samples.":
            "Oracle: torch autograd (sigmoid, binary_cross_entropy, backward)",
        "w -- numpy array of shape (n_x, 1), weights": '"w": np.array([[0.5], [-1.0]])',
        "b -- float, bias": '"b": 0.2',
        "X -- numpy array of shape (n_x, m), one sample per column": '"X": np.array([[1.0, 2.0, -1.0], [3.0, 0.5, -2.0]])',
        "Y -- numpy array of shape (1, m), true labels (0 or 1)": '"Y": np.array([[1.0, 0.0, 1.0]])',
        'grads -- dict with "dw": numpy array of shape (n_x, 1) (dJ/dw) and "db": float (dJ/db)':
            'expected=({"dw": ref["dw"], "db": ref["db"]}, ref["cost"])',
        "cost -- float, the cost J(w, b)": 'names=("grads", "cost")',
    },
    'optimize': {
        "Batch gradient descent for logistic regression.":
            "the same gradient descent with torch autograd and torch.optim.SGD",
        "w -- numpy array of shape (n_x, 1), initial weights": 'inputs = {"w": np.array([[0.1], [-0.2]])',
        "b -- float, initial bias": "Nonzero starting w and b",
        "X -- numpy array of shape (n_x, m), one sample per column":
            '"X": np.array([[1.0, 2.0, -1.0, 0.5], [3.0, 0.5, -2.0, -1.0]])',
        "Y -- numpy array of shape (1, m), true labels (0 or 1)": '"Y": np.array([[1.0, 0.0, 1.0, 0.0]])',
        "num_iterations -- int, number of gradient-descent steps": '"num_iterations": 5',
        "learning_rate -- float, the step size alpha": '"learning_rate": 0.1',
        'params -- dict with "w": numpy array of shape (n_x, 1) and "b": float, after the last update':
            "params after the last update",
        'grads -- dict with "dw": numpy array of shape (n_x, 1) and "db": float, computed in the last iteration':
            "grads of the last iteration",
        "(at the parameters before the last update)": 'names=("params", "grads", "costs")',
        "costs -- list of num_iterations floats, costs[i] = cost before the update of iteration i": "5 costs",
    },
    'predict': {
        "Labels predicted by logistic regression with parameters (w, b).":
            "expected=np.array([[1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]])",
        "w -- numpy array of shape (n_x, 1), weights": 'ck.check(predict, {"w": np.array([[1.0], [-2.0]]), "b": 0.5, "X": X}',
        "b -- float, bias": "w = [1, -2], b = 0.5",
        "X -- numpy array of shape (n_x, m), one sample per column": "X = np.array([[1.0, 2.0, -0.25, -0.75",
        "Y_prediction -- numpy array of shape (1, m): 1 where sigma(w^T X + b) > 0.5, else 0":
            "both sides of the boundary z = 0, close to it, and on it",
        "(a probability of exactly 0.5 gives 0)": "every probability is exactly 0.5, so every label is 0",
    },
}
