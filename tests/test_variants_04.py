"""Assignment 04 (backprop): the graded checks accept correct answers written in different
ways and reject typical mistakes with a message that points at the mistake.

Each case replaces one solution cell of source/04_backprop/04_backprop.ipynb and runs that
function's test cells (visible and hidden) in-process, see tests/nbtools.py.
"""
import textwrap

import pytest

import nbtools

NB = nbtools.load("04_backprop")
GRADED = ["layer_shapes", "initialize_parameters", "linear_forward", "linear_activation_forward",
          "model_forward", "compute_cost", "linear_backward", "linear_activation_backward",
          "model_backward", "update_parameters"]


def src(text):
    return textwrap.dedent(text).strip() + "\n"


# ----------------------------------------------------------------------------- correct answers
CORRECT = {
    "layer_shapes": [
        src("""
        def layer_shapes(layer_dims, m):
            shapes = {"A0": (layer_dims[0], m)}
            for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
                shapes["W" + str(l)] = (n, n_prev)
                shapes["b" + str(l)] = (n, 1)
                shapes["Z" + str(l)] = (n, m)
                shapes["A" + str(l)] = (n, m)
                shapes["dZ" + str(l)] = (n, m)
                shapes["dW" + str(l)] = (n, n_prev)
                shapes["db" + str(l)] = (n, 1)
            return shapes
        """),
        # numpy ints and lists instead of tuples
        src("""
        def layer_shapes(layer_dims, m):
            dims = np.array(layer_dims)
            out = {"A0": [dims[0], np.int64(m)]}
            L = len(dims) - 1
            for l in range(L, 0, -1):
                for k in ("W", "dW"):
                    out[f"{k}{l}"] = [dims[l], dims[l - 1]]
                for k in ("b", "db"):
                    out[f"{k}{l}"] = [dims[l], 1]
                for k in ("Z", "A", "dZ"):
                    out[f"{k}{l}"] = [dims[l], m]
            return out
        """),
    ],
    "initialize_parameters": [
        src("""
        def initialize_parameters(layer_dims, seed):
            rng = np.random.default_rng(seed)
            params = {}
            L = len(layer_dims) - 1
            for l in range(1, L + 1):
                params["W" + str(l)] = rng.normal(0.0, np.sqrt(2 / layer_dims[l - 1]), size=(layer_dims[l], layer_dims[l - 1]))
            for l in range(1, L + 1):
                params["b" + str(l)] = np.zeros((layer_dims[l], 1))
            return params
        """),
        src("""
        def initialize_parameters(layer_dims, seed):
            gen = np.random.default_rng(seed)
            parameters = {}
            for l, (n_prev, n) in enumerate(zip(layer_dims, layer_dims[1:]), 1):
                parameters[f"W{l}"] = gen.standard_normal(size=(n, n_prev)) / np.sqrt(n_prev / 2)
                parameters[f"b{l}"] = np.zeros(shape=(n, 1), dtype=float)
            return parameters
        """),
    ],
    "linear_forward": [
        src("""
        def linear_forward(A_prev, W, b):
            Z = np.dot(W, A_prev) + b
            cache = (A_prev, W, b)
            return Z, cache
        """),
        src("""
        def linear_forward(A_prev, W, b):
            m = A_prev.shape[1]
            Z = np.zeros((W.shape[0], m))
            for i in range(m):
                Z[:, i] = np.matmul(W, A_prev[:, i]) + b[:, 0]
            return Z, [A_prev, W, b]
        """),
    ],
    "linear_activation_forward": [
        src("""
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            if activation == "sigmoid":
                A = 1 / (1 + np.exp(-Z))
            elif activation == "relu":
                A = np.where(Z > 0, Z, 0.0)
            else:
                A = np.tanh(Z)
            cache = (linear_cache, Z)
            return A, cache
        """),
        src("""
        def linear_activation_forward(A_prev, W, b, activation):
            Z = W @ A_prev + b
            functions = {"relu": lambda z: z * (z > 0),
                         "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
                         "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))}
            return functions[activation](Z), ((A_prev, W, b), Z)
        """),
    ],
    "model_forward": [
        src("""
        def model_forward(X, parameters):
            caches = []
            A = X
            L = len(parameters) // 2
            for l in range(1, L):
                A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
                caches.append(cache)
            AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
            caches.append(cache)
            return AL, caches
        """),
        # everything inline, caches as a tuple
        src("""
        def model_forward(X, parameters):
            L = len([k for k in parameters if k.startswith("W")])
            A, caches = X, ()
            for l in range(1, L + 1):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W.dot(A) + b
                caches += (((A, W, b), Z),)
                A = np.maximum(Z, 0) if l != L else 1 / (1 + np.exp(-Z))
            return A, caches
        """),
    ],
    "compute_cost": [
        src("""
        def compute_cost(AL, Y):
            return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """),
        src("""
        def compute_cost(AL, Y):
            m = Y.shape[1]
            cost = -(1 / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
            return np.squeeze(cost)
        """),
        src("""
        import math
        def compute_cost(AL, Y):
            total = 0.0
            for a, y in zip(AL[0], Y[0]):
                total += -math.log(a) if y == 1 else -math.log(1 - a)
            return total / AL.shape[1]
        """),
    ],
    "linear_backward": [
        src("""
        def linear_backward(dZ, linear_cache):
            A_prev, W, b = linear_cache
            m = A_prev.shape[1]
            dW = 1 / m * np.dot(dZ, A_prev.T)
            db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
            dA_prev = np.dot(W.T, dZ)
            return dA_prev, dW, db
        """),
        src("""
        def linear_backward(dZ, linear_cache):
            A_prev, W, _ = linear_cache
            dW = np.einsum("im,jm->ij", dZ, A_prev) / dZ.shape[1]
            db = dZ.mean(axis=1).reshape(-1, 1)
            return np.einsum("ji,jm->im", W, dZ), dW, db
        """),
    ],
    "linear_activation_backward": [
        src("""
        def linear_activation_backward(dA, cache, activation):
            linear_cache, Z = cache
            if activation == "relu":
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            elif activation == "sigmoid":
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = dA * (1 - np.tanh(Z) ** 2)
            return linear_backward(dZ, linear_cache)
        """),
        # mask from A > 0, other derivative formulas, linear step inline
        src("""
        def linear_activation_backward(dA, cache, activation):
            (A_prev, W, b), Z = cache
            if activation == "relu":
                A = np.maximum(0, Z)
                dZ = dA * (A > 0)
            elif activation == "sigmoid":
                dZ = dA * np.exp(-Z) / (1 + np.exp(-Z)) ** 2
            elif activation == "tanh":
                dZ = dA / np.cosh(Z) ** 2
            m = A_prev.shape[1]
            return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m
        """),
    ],
    "model_backward": [
        # through dA[L] and the sigmoid derivative
        src("""
        def model_backward(AL, Y, caches):
            grads = {}
            L = len(caches)
            Y = Y.reshape(AL.shape)
            dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
            grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
                linear_activation_backward(dAL, caches[L - 1], "sigmoid")
            for l in reversed(range(L - 1)):
                dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
                grads["dA" + str(l)] = dA_prev
                grads["dW" + str(l + 1)] = dW
                grads["db" + str(l + 1)] = db
            return grads
        """),
        # inline, relu mask from the stored activations A > 0
        src("""
        def model_backward(AL, Y, caches):
            m = AL.shape[1]
            L = len(caches)
            grads = {}
            dZ = AL - Y
            for l in range(L, 0, -1):
                (A_prev, W, b), Z = caches[l - 1]
                grads[f"dW{l}"] = dZ @ A_prev.T / m
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dZ = (W.T @ dZ) * (A_prev > 0)
            return grads
        """),
    ],
    "update_parameters": [
        # in place, returns the same dict
        src("""
        def update_parameters(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(L):
                parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
                parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
            return parameters
        """),
        src("""
        import copy
        def update_parameters(parameters, grads, learning_rate):
            new = copy.deepcopy(parameters)
            for name in new:
                new[name] = new[name] - learning_rate * grads[f"d{name}"]
            return new
        """),
    ],
}

# ----------------------------------------------------------------------------- typical mistakes
# (function, label, source, fragments that the failure message must contain)
MISTAKES = [
    ("layer_shapes", "W transposed (n_{l-1}, n_l)", src("""
        def layer_shapes(layer_dims, m):
            s = {"A0": (layer_dims[0], m)}
            for l in range(1, len(layer_dims)):
                n, p = layer_dims[l], layer_dims[l - 1]
                s.update({f"W{l}": (p, n), f"dW{l}": (p, n), f"b{l}": (n, 1), f"db{l}": (n, 1),
                          f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
            return s
        """), ["['W1']", "got (2, 4), expected (4, 2) (transposed?)"]),
    ("layer_shapes", "db as (n_l,) without keepdims", src("""
        def layer_shapes(layer_dims, m):
            s = {"A0": (layer_dims[0], m)}
            for l in range(1, len(layer_dims)):
                n, p = layer_dims[l], layer_dims[l - 1]
                s.update({f"W{l}": (n, p), f"dW{l}": (n, p), f"b{l}": (n, 1), f"db{l}": (n,),
                          f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
            return s
        """), ["['db1']", "expected a tuple of 2 values, got 1"]),
    ("layer_shapes", "dW with the shape of dZ", src("""
        def layer_shapes(layer_dims, m):
            s = {"A0": (layer_dims[0], m)}
            for l in range(1, len(layer_dims)):
                n, p = layer_dims[l], layer_dims[l - 1]
                s.update({f"W{l}": (n, p), f"dW{l}": (n, m), f"b{l}": (n, 1), f"db{l}": (n, 1),
                          f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
            return s
        """), ["['dW1']: got (4, 5), expected (4, 2)"]),
    ("layer_shapes", "no A0", src("""
        def layer_shapes(layer_dims, m):
            s = {}
            for l in range(1, len(layer_dims)):
                n, p = layer_dims[l], layer_dims[l - 1]
                s.update({f"W{l}": (n, p), f"dW{l}": (n, p), f"b{l}": (n, 1), f"db{l}": (n, 1),
                          f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
            return s
        """), ["missing keys ['A0']"]),

    ("initialize_parameters", "zero weights", src("""
        def initialize_parameters(layer_dims, seed):
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layer_dims[l], 1))
            return p
        """), ["['W1']", "entries are equal", "symmetry"]),
    ("initialize_parameters", "global np.random, seed ignored", src("""
        def initialize_parameters(layer_dims, seed):
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])
                p[f"b{l}"] = np.zeros((layer_dims[l], 1))
            return p
        """), ["seeds 3 and 4 gave the same W1", "default_rng(seed)"]),
    ("initialize_parameters", "one generator made once, outside the function", src("""
        _rng = np.random.default_rng(0)
        def initialize_parameters(layer_dims, seed):
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = _rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                p[f"b{l}"] = np.zeros((layer_dims[l], 1))
            return p
        """), ["called twice with seed=3", "differ"]),
    ("initialize_parameters", "W transposed", src("""
        def initialize_parameters(layer_dims, seed):
            rng = np.random.default_rng(seed)
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l - 1])
                p[f"b{l}"] = np.zeros((layer_dims[l], 1))
            return p
        """), ["['W1']", "wrong shape", "transposed?"]),
    ("initialize_parameters", "0.01 scale instead of He", src("""
        def initialize_parameters(layer_dims, seed):
            rng = np.random.default_rng(seed)
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01
                p[f"b{l}"] = np.zeros((layer_dims[l], 1))
            return p
        """), ["['W1']: standard deviation of the entries"]),
    ("initialize_parameters", "uniform [0, 1) instead of normal", src("""
        def initialize_parameters(layer_dims, seed):
            rng = np.random.default_rng(seed)
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = rng.random((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                p[f"b{l}"] = np.zeros((layer_dims[l], 1))
            return p
        """), ["['W1']: standard deviation of the entries"]),
    ("initialize_parameters", "b of shape (n_l,)", src("""
        def initialize_parameters(layer_dims, seed):
            rng = np.random.default_rng(seed)
            p = {}
            for l in range(1, len(layer_dims)):
                p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                p[f"b{l}"] = np.zeros(layer_dims[l])
            return p
        """), ["['b1']", "wrong shape", "keepdims"]),

    ("linear_forward", "cache in the wrong order", src("""
        def linear_forward(A_prev, W, b):
            return W @ A_prev + b, (W, A_prev, b)
        """), ["linear_cache[0]", "wrong shape"]),
    ("linear_forward", "bias forgotten", src("""
        def linear_forward(A_prev, W, b):
            return W @ A_prev, (A_prev, W, b)
        """), ["linear_forward() Z", "differ"]),
    ("linear_forward", "no cache returned", src("""
        def linear_forward(A_prev, W, b):
            return W @ A_prev + b
        """), ["expected a tuple of 2 values"]),

    ("linear_activation_forward", "cache as (Z, linear_cache)", src("""
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            A = np.maximum(0, Z) if activation == "relu" else (1 / (1 + np.exp(-Z)) if activation == "sigmoid" else np.tanh(Z))
            return A, (Z, linear_cache)
        """), ["cache[0]", "expected a tuple of 3 values"]),
    ("linear_activation_forward", "A stored in the cache instead of Z", src("""
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            A = np.maximum(0, Z) if activation == "relu" else (1 / (1 + np.exp(-Z)) if activation == "sigmoid" else np.tanh(Z))
            return A, (linear_cache, A)
        """), ["cache[1]", "differ"]),
    ("linear_activation_forward", "sigmoid with the wrong sign", src("""
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            A = np.maximum(0, Z) if activation == "relu" else (1 / (1 + np.exp(Z)) if activation == "sigmoid" else np.tanh(Z))
            return A, (linear_cache, Z)
        """), ["linear_activation_forward() A", "differ"]),

    ("model_forward", "relu on the output layer too", src("""
        def model_forward(X, parameters):
            L = len(parameters) // 2
            A, caches = X, []
            for l in range(1, L + 1):
                A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
                caches.append(cache)
            return A, caches
        """), ["model_forward() AL", "differ"]),
    ("model_forward", "sigmoid in every layer", src("""
        def model_forward(X, parameters):
            L = len(parameters) // 2
            A, caches = X, []
            for l in range(1, L + 1):
                A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "sigmoid")
                caches.append(cache)
            return A, caches
        """), ["model_forward() AL", "differ"]),
    ("model_forward", "output layer's cache not kept", src("""
        def model_forward(X, parameters):
            L = len(parameters) // 2
            A, caches = X, []
            for l in range(1, L):
                A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
                caches.append(cache)
            AL, _ = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
            return AL, caches
        """), ["model_forward() caches", "expected a tuple of 2 values, got 1"]),
    ("model_forward", "only the linear caches kept", src("""
        def model_forward(X, parameters):
            L = len(parameters) // 2
            A, caches = X, []
            for l in range(1, L + 1):
                A, (linear_cache, Z) = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                                 "relu" if l < L else "sigmoid")
                caches.append(linear_cache)
            return A, caches
        """), ["caches[0]", "expected a tuple of 2 values, got 3"]),

    ("compute_cost", "minus sign forgotten", src("""
        def compute_cost(AL, Y):
            return float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """), ["compute_cost()", "differ"]),
    ("compute_cost", "a (1, 1) array returned", src("""
        def compute_cost(AL, Y):
            m = Y.shape[1]
            return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
        """), ["expected a single number", "float(...)"]),
    ("compute_cost", "sum instead of mean", src("""
        def compute_cost(AL, Y):
            return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """), ["compute_cost()", "differ"]),
    ("compute_cost", "only the y log a term", src("""
        def compute_cost(AL, Y):
            return float(-np.mean(Y * np.log(AL)))
        """), ["compute_cost()", "differ"]),

    ("linear_backward", "1/m missing", src("""
        def linear_backward(dZ, linear_cache):
            A_prev, W, b = linear_cache
            return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)
        """), ["linear_backward() dW", "differ"]),
    ("linear_backward", "dW transposed", src("""
        def linear_backward(dZ, linear_cache):
            A_prev, W, b = linear_cache
            m = A_prev.shape[1]
            return W.T @ dZ, A_prev @ dZ.T / m, np.sum(dZ, axis=1, keepdims=True) / m
        """), ["linear_backward() dW", "wrong shape", "transposed?"]),
    ("linear_backward", "db without keepdims", src("""
        def linear_backward(dZ, linear_cache):
            A_prev, W, b = linear_cache
            m = A_prev.shape[1]
            return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m
        """), ["linear_backward() db", "wrong shape", "keepdims"]),
    ("linear_backward", "1/m in dA_prev too", src("""
        def linear_backward(dZ, linear_cache):
            A_prev, W, b = linear_cache
            m = A_prev.shape[1]
            return W.T @ dZ / m, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
        """), ["linear_backward() dA_prev", "differ"]),

    ("linear_activation_backward", "sigmoid derivative used for relu", src("""
        def linear_activation_backward(dA, cache, activation):
            linear_cache, Z = cache
            if activation == "tanh":
                dZ = dA * (1 - np.tanh(Z) ** 2)
            else:
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            return linear_backward(dZ, linear_cache)
        """), ["linear_activation_backward() dA_prev", "differ"]),
    ("linear_activation_backward", "relu mask forgotten", src("""
        def linear_activation_backward(dA, cache, activation):
            linear_cache, Z = cache
            if activation == "relu":
                dZ = dA
            elif activation == "sigmoid":
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = dA * (1 - np.tanh(Z) ** 2)
            return linear_backward(dZ, linear_cache)
        """), ["linear_activation_backward() dA_prev", "differ"]),
    ("linear_activation_backward", "sigma(1 - sigma) applied to Z itself", src("""
        def linear_activation_backward(dA, cache, activation):
            linear_cache, Z = cache
            if activation == "relu":
                dZ = dA * (Z > 0)
            elif activation == "sigmoid":
                dZ = dA * Z * (1 - Z)
            else:
                dZ = dA * (1 - np.tanh(Z) ** 2)
            return linear_backward(dZ, linear_cache)
        """), ["linear_activation_backward() dA_prev", "differ"]),
    ("linear_activation_backward", "1/m missing (inline)", src("""
        def linear_activation_backward(dA, cache, activation):
            (A_prev, W, b), Z = cache
            if activation == "relu":
                dZ = dA * (Z > 0)
            elif activation == "sigmoid":
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = dA * (1 - np.tanh(Z) ** 2)
            return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)
        """), ["linear_activation_backward() dW", "differ"]),

    ("model_backward", "1/m missing", src("""
        def model_backward(AL, Y, caches):
            L, grads, dZ = len(caches), {}, AL - Y
            for l in range(L, 0, -1):
                (A_prev, W, b), Z = caches[l - 1]
                grads[f"dW{l}"] = dZ @ A_prev.T
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
                dZ = (W.T @ dZ) * (A_prev > 0)
            return grads
        """), ["model_backward()['dW", "differ"]),
    ("model_backward", "dZ[L] = Y - AL (wrong sign)", src("""
        def model_backward(AL, Y, caches):
            m, L, grads, dZ = AL.shape[1], len(caches), {}, Y - AL
            for l in range(L, 0, -1):
                (A_prev, W, b), Z = caches[l - 1]
                grads[f"dW{l}"] = dZ @ A_prev.T / m
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                dZ = (W.T @ dZ) * (A_prev > 0)
            return grads
        """), ["model_backward()['dW", "differ"]),
    ("model_backward", "sigmoid derivative in the hidden layers", src("""
        def model_backward(AL, Y, caches):
            L, grads = len(caches), {}
            dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
            for l in range(L - 1, 0, -1):
                dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "sigmoid")
            return grads
        """), ["model_backward()['dW", "differ"]),
    ("model_backward", "db without keepdims", src("""
        def model_backward(AL, Y, caches):
            m, L, grads, dZ = AL.shape[1], len(caches), {}, AL - Y
            for l in range(L, 0, -1):
                (A_prev, W, b), Z = caches[l - 1]
                grads[f"dW{l}"] = dZ @ A_prev.T / m
                grads[f"db{l}"] = np.sum(dZ, axis=1) / m
                dZ = (W.T @ dZ) * (A_prev > 0)
            return grads
        """), ["model_backward()['db", "wrong shape", "keepdims"]),
    ("model_backward", "keys numbered from 0", src("""
        def model_backward(AL, Y, caches):
            m, L, grads, dZ = AL.shape[1], len(caches), {}, AL - Y
            for l in range(L - 1, -1, -1):
                (A_prev, W, b), Z = caches[l]
                grads[f"dW{l}"] = dZ @ A_prev.T / m
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                dZ = (W.T @ dZ) * (A_prev > 0)
            return grads
        """), ["missing keys", "dW2"]),

    ("update_parameters", "plus instead of minus", src("""
        def update_parameters(parameters, grads, learning_rate):
            return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}
        """), ["update_parameters()['W1']", "differ"]),
    ("update_parameters", "updated in place but not returned", src("""
        def update_parameters(parameters, grads, learning_rate):
            for k in parameters:
                parameters[k] -= learning_rate * grads["d" + k]
        """), ["forget to `return`"]),
    ("update_parameters", "biases not updated", src("""
        def update_parameters(parameters, grads, learning_rate):
            new = dict(parameters)
            for l in range(1, len(parameters) // 2 + 1):
                new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
            return new
        """), ["update_parameters()['b1']", "differ"]),
]

STUB = "def {name}(*args, **kwargs):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"


def test_every_graded_function_is_covered():
    assert sorted(nbtools.graded_functions(NB)) == sorted(GRADED)
    assert sorted(CORRECT) == sorted(GRADED)
    for name in GRADED:
        assert len(CORRECT[name]) >= 2, name
        assert sum(1 for m in MISTAKES if m[0] == name) >= 2, name


@pytest.mark.parametrize("name", GRADED)
def test_answer_key_passes(name):
    assert nbtools.run_tests(NB, name) >= 1


@pytest.mark.parametrize("name", GRADED)
def test_unanswered_function_fails_visibly(name):
    # the visible part alone (what the release holds) must fail on the stub
    cells = nbtools.test_cells(NB, name)
    ns = nbtools.namespace(NB, {name: STUB.format(name=name)})
    with pytest.raises(AssertionError, match="not implemented yet"):
        for cell in cells:
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            exec(compile(visible, "<visible>", "exec"), ns)


@pytest.mark.parametrize("name,source", [(n, s) for n, variants in CORRECT.items() for s in variants],
                         ids=[f"{n}-{i}" for n, variants in CORRECT.items() for i in range(len(variants))])
def test_correct_variant_passes(name, source):
    nbtools.run_tests(NB, name, source=source)


@pytest.mark.parametrize("name,label,source,fragments", MISTAKES,
                         ids=[f"{m[0]}-{m[1]}" for m in MISTAKES])
def test_mistake_fails_with_a_pointed_message(name, label, source, fragments):
    with pytest.raises(AssertionError) as failure:
        nbtools.run_tests(NB, name, source=source)
    message = str(failure.value)
    for fragment in fragments:
        assert fragment in message, f"{label}: {fragment!r} not in {message!r}"
