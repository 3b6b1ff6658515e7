"""The network of assignments 03-04, for the lessons that build on it (05 onwards).

Reference versions of functions graded in assignments 03 (logistic regression) and 04
(backprop). It is released next to a notebook only after those deadlines: each later
assignment folder holds a link to this one file, which nbgrader copies into the release.
Layout as in the course: X of shape (n_x, m), one example per column; W{l} of shape
(n_l, n_{l-1}), b{l} of shape (n_l, 1).
"""
import numpy as np


def sigmoid(Z):
    """1 / (1 + e^-Z), elementwise, without overflow for large |Z|."""
    return np.exp(-np.logaddexp(0.0, -Z))


def relu(Z):
    return np.maximum(Z, 0.0)


def initialize_parameters(layer_dims, seed):
    """He initialisation: W{l} = N(0, 1) * sqrt(2 / n_{l-1}) drawn in layer order from
    np.random.default_rng(seed); b{l} = 0."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def model_forward(X, parameters, hidden="relu"):
    """[LINEAR -> hidden] * (L-1) -> LINEAR -> SIGMOID. Returns (AL, caches) with
    caches[l-1] = ((A_prev, W, b), Z) for layer l. `hidden` is "relu", "sigmoid" or "tanh"."""
    g = {"relu": relu, "sigmoid": sigmoid, "tanh": np.tanh}[hidden]
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        caches.append(((A, W, b), Z))
        A = g(Z) if l < L else sigmoid(Z)
    return A, caches


def compute_cost(AL, Y, eps=1e-12):
    """Mean binary cross-entropy of probabilities AL (1, m) against labels Y (1, m)."""
    AL = np.clip(AL, eps, 1 - eps)
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def _hidden_slope(Z, hidden):
    if hidden == "relu":
        return (Z > 0).astype(Z.dtype)
    if hidden == "sigmoid":
        s = sigmoid(Z)
        return s * (1 - s)
    return 1 - np.tanh(Z) ** 2


def model_backward(AL, Y, caches, hidden="relu"):
    """Gradients {"dW{l}", "db{l}"} of compute_cost for the network of model_forward."""
    grads, L, m = {}, len(caches), Y.shape[1]
    dZ = AL - Y
    for l in range(L, 0, -1):
        (A_prev, W, _), _ = caches[l - 1]
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:   # dZ of the layer below: dA[l-1] = W[l]^T dZ[l], times the slope at Z[l-1]
            dZ = (W.T @ dZ) * _hidden_slope(caches[l - 2][1], hidden)
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step; returns new arrays."""
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def predict(X, parameters, hidden="relu"):
    """Labels 1.0 where the network's probability is > 0.5, else 0.0; shape (1, m)."""
    AL, _ = model_forward(X, parameters, hidden)
    return (AL > 0.5).astype(float)
