"""Toy functions (and their derivatives) that lessons and test cells pass to graded code.

They live here, importable by name, so that a check which passes one of them can be
recorded and replayed (see coursekit.replay). None of them is a graded exercise.
"""
import numpy as np


def triple(a):
    """f(a) = 3a, the slides' nudge example."""
    return 3.0 * a


def square(x):
    """f(x) = x^2."""
    return x ** 2


def d_square(x):
    """f'(x) = 2x."""
    return 2.0 * x


def cube(x):
    """f(x) = x^3."""
    return x ** 3


def d_cube(x):
    """f'(x) = 3x^2."""
    return 3.0 * x ** 2


def sine(x):
    """f(x) = sin x."""
    return np.sin(x)


def d_sine(x):
    """f'(x) = cos x."""
    return np.cos(x)


def log1pexp(x, a=1.0):
    """f(x) = log(1 + e^(a x)), computed without overflow."""
    return np.logaddexp(0.0, a * x)


def two_minima(x):
    """A non-convex function with two minima: f(x) = x^4 - 3x^2 + x."""
    return x ** 4 - 3.0 * x ** 2 + x


def d_two_minima(x):
    """f'(x) = 4x^3 - 6x + 1."""
    return 4.0 * x ** 3 - 6.0 * x + 1.0


def bowl(p):
    """An elongated bowl f(p) = p0^2 + 5 p1^2; p is an array whose last axis has length 2."""
    p = np.asarray(p, dtype=np.float64)
    return p[..., 0] ** 2 + 5.0 * p[..., 1] ** 2


def d_bowl(p):
    """Gradient of `bowl`: (2 p0, 10 p1)."""
    p = np.asarray(p, dtype=np.float64)
    return np.stack([2.0 * p[..., 0], 10.0 * p[..., 1]], axis=-1)


def absolute(x):
    """f(x) = |x|: convex, but not differentiable at 0."""
    return np.abs(x)


def d_absolute(x):
    """The slope of |x|: sign(x), i.e. -1, +1, and 0 at x = 0 (a subgradient there)."""
    return np.sign(x)


# ---------------------------------------------------------------- models passed to cross_validate (07)

def _powers(X, degree):
    # the features x, x^2, ..., x^degree of every row of X (n_x, m), stacked: shape (degree * n_x, m)
    X = np.asarray(X, dtype=np.float64)
    return np.vstack([np.empty((0, X.shape[1]))] + [X ** p for p in range(1, int(degree) + 1)])


def fit_polynomial(X, Y, degree=1):
    """Least-squares fit of Y (1, m) by a polynomial of `degree` in each feature of X (n_x, m), with an
    intercept (degree 1: linear regression; degree 0: the mean). Returns {"degree", "w", "b"}."""
    Y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    features = _powers(X, degree)
    design = np.vstack([features, np.ones((1, features.shape[1]))]).T      # (m, degree * n_x + 1)
    coef = np.linalg.lstsq(design, Y.T, rcond=None)[0]                        # (degree * n_x + 1, 1)
    return {"degree": int(degree), "w": coef[:-1], "b": float(coef[-1, 0])}


def polynomial_predict(model, X):
    """Predictions (1, m) of a fit_polynomial model on X (n_x, m)."""
    return model["w"].T @ _powers(X, model["degree"]) + model["b"]


def mse_score(model, X, Y):
    """Mean squared error of a fit_polynomial model on X (n_x, m), Y (1, m): a float, lower is better."""
    return float(np.mean((np.asarray(Y, dtype=np.float64).reshape(1, -1) - polynomial_predict(model, X)) ** 2))


def r2_score(model, X, Y):
    """R^2 = 1 - (sum of squared residuals) / (sum of squares around the mean of Y): a float, 1 is perfect."""
    Y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    residual = np.sum((Y - polynomial_predict(model, X)) ** 2)
    return float(1.0 - residual / np.sum((Y - Y.mean()) ** 2))


# ---------------------------------------------------------------- a step passed to train (06)

def network_step(parameters, X_batch, Y_batch):
    """One forward and backward pass of the course's network on a mini-batch, by torch autograd (float64).

    parameters: dict "W1", "b1", ..., "WL", "bL" with W{l} of shape (n_l, n_{l-1}) and b{l} of shape
                (n_l, 1) (left unchanged); relu hidden layers, sigmoid output (L = 1: logistic regression).
    X_batch:    array of shape (n_x, b), one example per column.
    Y_batch:    array of shape (1, b), labels 0 or 1.
    Returns (cost, grads): the mean binary cross-entropy on the batch (a float) and its gradients, a dict
    "dW1", "db1", ... of numpy arrays shaped like the parameters (the layout of 04's model_backward).
    """
    import torch
    import torch.nn.functional as TF

    tensors = {k: torch.tensor(np.array(v, dtype=np.float64), requires_grad=True) for k, v in parameters.items()}
    L = sum(1 for k in parameters if k.startswith("W"))
    A = torch.tensor(np.array(X_batch, dtype=np.float64))
    for l in range(1, L + 1):
        Z = tensors[f"W{l}"] @ A + tensors[f"b{l}"]
        A = torch.relu(Z) if l < L else Z
    cost = TF.binary_cross_entropy_with_logits(A, torch.tensor(np.array(Y_batch, dtype=np.float64)))
    cost.backward()
    return cost.item(), {f"d{k}": t.grad.numpy() for k, t in tensors.items()}


# ---------------------------------------------------------------- scores and models passed to searches (11)

TEXTBOOK_GRID = {  # the textbook's grid-search table (assignment 11): (C, alpha) -> score
    (0.1, 0.1): 0.698, (0.1, 0.2): 0.692, (0.1, 0.3): 0.688, (0.1, 0.4): 0.675,
    (0.2, 0.1): 0.706, (0.2, 0.2): 0.705, (0.2, 0.3): 0.704, (0.2, 0.4): 0.701,
    (0.3, 0.1): 0.721, (0.3, 0.2): 0.726, (0.3, 0.3): 0.713, (0.3, 0.4): 0.703,
    (0.4, 0.1): 0.699, (0.4, 0.2): 0.702, (0.4, 0.3): 0.698, (0.4, 0.4): 0.702,
    (0.5, 0.1): 0.701, (0.5, 0.2): 0.703, (0.5, 0.3): 0.697, (0.5, 0.4): 0.696,
}


def textbook_grid_score(params):
    """The score the textbook's table gives params = {"C": ..., "alpha": ...} (C in 0.1..0.5, alpha in
    0.1..0.4, steps of 0.1): a lookup, no model is trained. KeyError for a pair outside the table."""
    key = (round(float(params["C"]), 10), round(float(params["alpha"]), 10))
    if key not in TEXTBOOK_GRID:
        raise KeyError(f"the textbook's table has no score for C = {params['C']!r}, alpha = {params['alpha']!r}")
    return TEXTBOOK_GRID[key]


def marked_score(params, marked):
    """1.0 for the candidates that match one of the dicts in `marked` (every key of that dict equal), 0.0 for
    every other one: the marked candidates tie for the best score. functools.partial(marked_score, marked=[...])."""
    return 1.0 if any(all(params[k] == v for k, v in m.items()) for m in marked) else 0.0


def peak_score(params, peak, log_names=()):
    """A smooth score, 1.0 at `peak` (dict name -> number): 1 - the squared distance to the peak, measured on a
    log10 scale for the names in log_names. Names that are not in peak do not matter."""
    s = 1.0
    for name, target in peak.items():
        x = float(params[name])
        if name in log_names:
            x, target = np.log10(x), np.log10(target)
        s -= (x - target) ** 2
    return float(s)


def scaled_svc(C=1.0, gamma="scale"):
    """A fresh model: make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma)); the scaler is fitted on the
    training part only, each time the pipeline is fitted."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    return make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))
