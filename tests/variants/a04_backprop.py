"""Variants of 04_backprop's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Each correct formulation must pass every test cell of its function; each mistake must fail a visible test with a
message containing its fragment (plain text). Several mistakes are the wrong implementations found in public
solutions of a well-known numpy deep-learning course that pass a weak test: caches and gradients hard-coded for a
2-layer network, db without 1/m or summed over the wrong axis, the legacy global generator for the initialisation,
relu's slope taken as 1 at Z = 0.
"""

CORRECT = {
    'layer_shapes': {
        'loop_over_zip': """
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
        """,
        # numpy ints and lists instead of tuples, layers filled from the last one
        'numpy_ints_as_lists_reverse_order': """
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
        """,
    },
    'initialize_parameters': {
        'rng_normal_with_scale': """
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                params = {}
                L = len(layer_dims) - 1
                for l in range(1, L + 1):
                    params["W" + str(l)] = rng.normal(0.0, np.sqrt(2 / layer_dims[l - 1]), size=(layer_dims[l], layer_dims[l - 1]))
                for l in range(1, L + 1):
                    params["b" + str(l)] = np.zeros((layer_dims[l], 1))
                return params
        """,
        'standard_normal_divided': """
            def initialize_parameters(layer_dims, seed):
                gen = np.random.default_rng(seed)
                parameters = {}
                for l, (n_prev, n) in enumerate(zip(layer_dims, layer_dims[1:]), 1):
                    parameters[f"W{l}"] = gen.standard_normal(size=(n, n_prev)) / np.sqrt(n_prev / 2)
                    parameters[f"b{l}"] = np.zeros(shape=(n, 1), dtype=float)
                return parameters
        """,
        'flat_draw_reshaped': """
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                parameters = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    parameters["W%d" % l] = np.sqrt(2.0 / n_prev) * rng.standard_normal(n * n_prev).reshape(n, n_prev)
                    parameters["b%d" % l] = np.zeros((n, 1))
                return parameters
        """,
    },
    'linear_forward': {
        'np_dot': """
            def linear_forward(A_prev, W, b):
                Z = np.dot(W, A_prev) + b
                cache = (A_prev, W, b)
                return Z, cache
        """,
        'column_loop_list_cache': """
            def linear_forward(A_prev, W, b):
                m = A_prev.shape[1]
                Z = np.zeros((W.shape[0], m))
                for i in range(m):
                    Z[:, i] = np.matmul(W, A_prev[:, i]) + b[:, 0]
                return Z, [A_prev, W, b]
        """,
    },
    'linear_activation_forward': {
        'if_chain_where': """
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
        """,
        'inline_dict_of_lambdas': """
            def linear_activation_forward(A_prev, W, b, activation):
                Z = W @ A_prev + b
                functions = {"relu": lambda z: z * (z > 0),
                             "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
                             "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))}
                return functions[activation](Z), ((A_prev, W, b), Z)
        """,
    },
    'model_forward': {
        'relu_loop_then_sigmoid': """
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
        """,
        # everything inline, caches as a tuple
        'inline_tuple_caches': """
            def model_forward(X, parameters):
                L = len([k for k in parameters if k.startswith("W")])
                A, caches = X, ()
                for l in range(1, L + 1):
                    W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                    Z = W.dot(A) + b
                    caches += (((A, W, b), Z),)
                    A = np.maximum(Z, 0) if l != L else 1 / (1 + np.exp(-Z))
                return A, caches
        """,
    },
    'compute_cost': {
        'mean': """
            def compute_cost(AL, Y):
                return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """,
        'dot_squeeze_0d_array': """
            def compute_cost(AL, Y):
                m = Y.shape[1]
                cost = -(1 / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
                return np.squeeze(cost)
        """,
        'loop_math': """
            import math
            def compute_cost(AL, Y):
                total = 0.0
                for a, y in zip(AL[0], Y[0]):
                    total += -math.log(a) if y == 1 else -math.log(1 - a)
                return total / AL.shape[1]
        """,
    },
    'linear_backward': {
        'np_dot': """
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                dW = 1 / m * np.dot(dZ, A_prev.T)
                db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
                dA_prev = np.dot(W.T, dZ)
                return dA_prev, dW, db
        """,
        'einsum_mean_reshape': """
            def linear_backward(dZ, linear_cache):
                A_prev, W, _ = linear_cache
                dW = np.einsum("im,jm->ij", dZ, A_prev) / dZ.shape[1]
                db = dZ.mean(axis=1).reshape(-1, 1)
                return np.einsum("ji,jm->im", W, dZ), dW, db
        """,
        # right values and shape, but db is an np.matrix (issue 15: must get full marks)
        'db_as_np_matrix': """
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                dW = np.dot(dZ, A_prev.T) / m
                db = np.matrix(dZ).sum(axis=1) / m
                return np.dot(W.T, dZ), dW, db
        """,
    },
    'linear_activation_backward': {
        'copy_and_zero_mask': """
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
        """,
        # relu mask from the layer's own output A = relu(Z) > 0, other derivative formulas, linear step inline
        'mask_from_relu_output_inline': """
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
        """,
    },
    'model_backward': {
        # through dA[L] and the sigmoid derivative, storing dA{l} as well
        'through_dAL_and_sigmoid': """
            def model_backward(AL, Y, caches):
                grads = {}
                L = len(caches)
                Y = Y.reshape(AL.shape)
                dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
                dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
                grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
                for l in reversed(range(L - 1)):
                    dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
                    grads["dA" + str(l)] = dA_prev
                    grads["dW" + str(l + 1)] = dW
                    grads["db" + str(l + 1)] = db
                return grads
        """,
        # inline; the relu mask of layer l-1 from the stored activations A[l-1] > 0
        'inline_mask_from_A_prev': """
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
        """,
    },
    'update_parameters': {
        # in place, returns the same dict
        'in_place_returned': """
            def update_parameters(parameters, grads, learning_rate):
                L = len(parameters) // 2
                for l in range(L):
                    parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
                    parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
                return parameters
        """,
        'deepcopy_new_dict': """
            import copy
            def update_parameters(parameters, grads, learning_rate):
                new = copy.deepcopy(parameters)
                for name in new:
                    new[name] = new[name] - learning_rate * grads[f"d{name}"]
                return new
        """,
    },
}

MISTAKES = {
    'layer_shapes': {
        'W transposed (n_{l-1}, n_l)': ("""
            def layer_shapes(layer_dims, m):
                s = {"A0": (layer_dims[0], m)}
                for l in range(1, len(layer_dims)):
                    n, p = layer_dims[l], layer_dims[l - 1]
                    s.update({f"W{l}": (p, n), f"dW{l}": (p, n), f"b{l}": (n, 1), f"db{l}": (n, 1),
                              f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
                return s
        """, "layer_shapes()['W1']: got (2, 4), expected (4, 2) (transposed?)"),
        'db as (n_l,) without keepdims': ("""
            def layer_shapes(layer_dims, m):
                s = {"A0": (layer_dims[0], m)}
                for l in range(1, len(layer_dims)):
                    n, p = layer_dims[l], layer_dims[l - 1]
                    s.update({f"W{l}": (n, p), f"dW{l}": (n, p), f"b{l}": (n, 1), f"db{l}": (n,),
                              f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
                return s
        """, "layer_shapes()['db1']: expected a tuple of 2 values, got 1"),
        'dW with the shape of dZ': ("""
            def layer_shapes(layer_dims, m):
                s = {"A0": (layer_dims[0], m)}
                for l in range(1, len(layer_dims)):
                    n, p = layer_dims[l], layer_dims[l - 1]
                    s.update({f"W{l}": (n, p), f"dW{l}": (n, m), f"b{l}": (n, 1), f"db{l}": (n, 1),
                              f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
                return s
        """, "layer_shapes()['dW1']: got (4, 5), expected (4, 2)"),
        'no A0': ("""
            def layer_shapes(layer_dims, m):
                s = {}
                for l in range(1, len(layer_dims)):
                    n, p = layer_dims[l], layer_dims[l - 1]
                    s.update({f"W{l}": (n, p), f"dW{l}": (n, p), f"b{l}": (n, 1), f"db{l}": (n, 1),
                              f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
                return s
        """, "layer_shapes(): missing keys ['A0']"),
        'output layer left out': ("""
            def layer_shapes(layer_dims, m):
                s = {"A0": (layer_dims[0], m)}
                for l in range(1, len(layer_dims) - 1):
                    n, p = layer_dims[l], layer_dims[l - 1]
                    s.update({f"W{l}": (n, p), f"dW{l}": (n, p), f"b{l}": (n, 1), f"db{l}": (n, 1),
                              f"Z{l}": (n, m), f"A{l}": (n, m), f"dZ{l}": (n, m)})
                return s
        """, "layer_shapes(): missing keys ['W2'"),
        'two layers hard-coded': ("""
            def layer_shapes(layer_dims, m):
                n_x, n_h, n_y = layer_dims[0], layer_dims[1], layer_dims[-1]
                return {"A0": (n_x, m),
                        "W1": (n_h, n_x), "b1": (n_h, 1), "Z1": (n_h, m), "A1": (n_h, m),
                        "dZ1": (n_h, m), "dW1": (n_h, n_x), "db1": (n_h, 1),
                        "W2": (n_y, n_h), "b2": (n_y, 1), "Z2": (n_y, m), "A2": (n_y, m),
                        "dZ2": (n_y, m), "dW2": (n_y, n_h), "db2": (n_y, 1)}
        """, "layer_shapes(): missing keys ['W3', 'b3'"),
    },
    'initialize_parameters': {
        'zero weights': ("""
            def initialize_parameters(layer_dims, seed):
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: all 8 entries are equal"),
        'global np.random, seed ignored': ("""
            def initialize_parameters(layer_dims, seed):
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: 15 of 15 entries differ"),
        'legacy np.random.seed(seed) and randn': ("""
            def initialize_parameters(layer_dims, seed):
                np.random.seed(seed)
                parameters = {}
                L = len(layer_dims)
                for l in range(1, L):
                    parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])
                    parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
                return parameters
        """, "initialize_parameters()['W1']: 15 of 15 entries differ"),
        'one generator made once, outside the function': ("""
            _rng = np.random.default_rng(0)
            def initialize_parameters(layer_dims, seed):
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = _rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: 15 of 15 entries differ"),
        'a new generator for every layer': ("""
            def initialize_parameters(layer_dims, seed):
                p = {}
                for l in range(1, len(layer_dims)):
                    rng = np.random.default_rng(seed)
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W2']: 20 of 20 entries differ: not the draws of np.random.default_rng(3) in "
             "layer order times the scale (draws from another point of the generator's sequence"),
        'layers drawn last to first': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in reversed(range(1, len(layer_dims))):
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: 15 of 15 entries differ: not the draws of np.random.default_rng(3) in "
             "layer order times the scale (draws from another point of the generator's sequence"),
        'W drawn as (n_{l-1}, n_l), then transposed': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])).T * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: 12 of 15 entries differ: not the draws of np.random.default_rng(3) in "
             "layer order times the scale (the right numbers in another arrangement"),
        'W transposed': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: wrong shape: expected (4, 2), got (2, 4) (transposed?)"),
        '0.01 scale instead of He': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: standard deviation of the entries"),
        'He scale from n_l instead of n_{l-1}': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: standard deviation of the entries"),
        'uniform [0, 1) instead of normal': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = rng.random((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros((layer_dims[l], 1))
                return p
        """, "initialize_parameters()['W1']: standard deviation of the entries"),
        'b of shape (n_l,)': ("""
            def initialize_parameters(layer_dims, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    p[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
                    p[f"b{l}"] = np.zeros(layer_dims[l])
                return p
        """, "initialize_parameters()['b1']: wrong shape: expected (4, 1), got (4,) (a lost dimension of size 1: keepdims"),
    },
    'linear_forward': {
        'cache in the wrong order': ("""
            def linear_forward(A_prev, W, b):
                return W @ A_prev + b, (W, A_prev, b)
        """, "linear_forward() linear_cache[0]: wrong shape: expected (3, 5), got (4, 3)"),
        'bias forgotten': ("""
            def linear_forward(A_prev, W, b):
                return W @ A_prev, (A_prev, W, b)
        """, "linear_forward() Z: 20 of 20 entries differ"),
        'no cache returned': ("""
            def linear_forward(A_prev, W, b):
                return W @ A_prev + b
        """, "linear_forward(): expected a tuple of 2 values, got an array of shape (4, 5)"),
    },
    'linear_activation_forward': {
        'cache as (Z, linear_cache)': ("""
            def linear_activation_forward(A_prev, W, b, activation):
                Z, linear_cache = linear_forward(A_prev, W, b)
                A = np.maximum(0, Z) if activation == "relu" else (1 / (1 + np.exp(-Z)) if activation == "sigmoid" else np.tanh(Z))
                return A, (Z, linear_cache)
        """, "linear_activation_forward() cache[0]: expected a tuple of 3 values"),
        'A stored in the cache instead of Z': ("""
            def linear_activation_forward(A_prev, W, b, activation):
                Z, linear_cache = linear_forward(A_prev, W, b)
                A = np.maximum(0, Z) if activation == "relu" else (1 / (1 + np.exp(-Z)) if activation == "sigmoid" else np.tanh(Z))
                return A, (linear_cache, A)
        """, "linear_activation_forward() cache[1]"),
        'sigmoid with the wrong sign': ("""
            def linear_activation_forward(A_prev, W, b, activation):
                Z, linear_cache = linear_forward(A_prev, W, b)
                A = np.maximum(0, Z) if activation == "relu" else (1 / (1 + np.exp(Z)) if activation == "sigmoid" else np.tanh(Z))
                return A, (linear_cache, Z)
        """, "linear_activation_forward() A: 24 of 24 entries differ"),
        'tanh not handled (sigmoid otherwise)': ("""
            def linear_activation_forward(A_prev, W, b, activation):
                Z, linear_cache = linear_forward(A_prev, W, b)
                if activation == "relu":
                    A = np.maximum(0, Z)
                else:
                    A = 1 / (1 + np.exp(-Z))
                return A, (linear_cache, Z)
        """, "linear_activation_forward() A: 24 of 24 entries differ"),
    },
    'model_forward': {
        'relu on the output layer too': ("""
            def model_forward(X, parameters):
                L = len(parameters) // 2
                A, caches = X, []
                for l in range(1, L + 1):
                    A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
                    caches.append(cache)
                return A, caches
        """, "model_forward() AL: 2 of 2 entries differ"),
        'sigmoid in every layer': ("""
            def model_forward(X, parameters):
                L = len(parameters) // 2
                A, caches = X, []
                for l in range(1, L + 1):
                    A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "sigmoid")
                    caches.append(cache)
                return A, caches
        """, "model_forward() AL: 2 of 2 entries differ"),
        "output layer's cache not kept": ("""
            def model_forward(X, parameters):
                L = len(parameters) // 2
                A, caches = X, []
                for l in range(1, L):
                    A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
                    caches.append(cache)
                AL, _ = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
                return AL, caches
        """, "model_forward() caches: expected a tuple of 2 values, got 1"),
        'only the linear caches kept': ("""
            def model_forward(X, parameters):
                L = len(parameters) // 2
                A, caches = X, []
                for l in range(1, L + 1):
                    A, (linear_cache, Z) = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                                     "relu" if l < L else "sigmoid")
                    caches.append(linear_cache)
                return A, caches
        """, "model_forward() caches[0]: expected a tuple of 2 values, got 3"),
        'two layers hard-coded': ("""
            def model_forward(X, parameters):
                W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
                A1, cache1 = linear_activation_forward(X, W1, b1, "relu")
                A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")
                return A2, [cache1, cache2]
        """, "model_forward() AL: wrong shape: expected (1, 6), got (3, 6)"),
    },
    'compute_cost': {
        'minus sign forgotten': ("""
            def compute_cost(AL, Y):
                return float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """, "compute_cost(): 1 of 1 entries differ"),
        'a (1, 1) array returned': ("""
            def compute_cost(AL, Y):
                m = Y.shape[1]
                return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
        """, "compute_cost(): expected a single number (shape ()), got an array of shape (1, 1); use float(...)"),
        'sum instead of mean': ("""
            def compute_cost(AL, Y):
                return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """, "compute_cost(): 1 of 1 entries differ"),
        'only the y log a term': ("""
            def compute_cost(AL, Y):
                return float(-np.mean(Y * np.log(AL)))
        """, "compute_cost(): 1 of 1 entries differ"),
        'm from the rows of Y': ("""
            def compute_cost(AL, Y):
                m = Y.shape[0]
                return float(-1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
        """, "compute_cost(): 1 of 1 entries differ"),
    },
    'linear_backward': {
        '1/m missing': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)
        """, "linear_backward() dW: 12 of 12 entries differ"),
        'db without 1/m': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                dW = 1 / m * np.dot(dZ, A_prev.T)
                db = np.sum(dZ, axis=1, keepdims=True)
                return np.dot(W.T, dZ), dW, db
        """, "linear_backward() db: 4 of 4 entries differ"),
        'db summed over the wrong axis': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                dW = 1 / m * np.dot(dZ, A_prev.T)
                db = 1 / m * np.sum(dZ, axis=0, keepdims=True)
                return np.dot(W.T, dZ), dW, db
        """, "linear_backward() db: wrong shape: expected (4, 1), got (1, 5)"),
        'db summed over everything': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ) / m
        """, "linear_backward() db: wrong shape: expected (4, 1), got ()"),
        'dW transposed': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                return W.T @ dZ, A_prev @ dZ.T / m, np.sum(dZ, axis=1, keepdims=True) / m
        """, "linear_backward() dW: wrong shape: expected (4, 3), got (3, 4) (transposed?)"),
        'db without keepdims': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m
        """, "linear_backward() db: wrong shape: expected (4, 1), got (4,) (a lost dimension of size 1: keepdims"),
        '1/m in dA_prev too': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[1]
                return W.T @ dZ / m, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
        """, "linear_backward() dA_prev: 15 of 15 entries differ"),
        'm from the rows of A_prev': ("""
            def linear_backward(dZ, linear_cache):
                A_prev, W, b = linear_cache
                m = A_prev.shape[0]
                return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
        """, "linear_backward() dW: 12 of 12 entries differ"),
    },
    'linear_activation_backward': {
        'sigmoid derivative used for relu': ("""
            def linear_activation_backward(dA, cache, activation):
                linear_cache, Z = cache
                if activation == "tanh":
                    dZ = dA * (1 - np.tanh(Z) ** 2)
                else:
                    s = 1 / (1 + np.exp(-Z))
                    dZ = dA * s * (1 - s)
                return linear_backward(dZ, linear_cache)
        """, "linear_activation_backward() dA_prev: 18 of 18 entries differ"),
        'relu mask forgotten': ("""
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
        """, "linear_activation_backward() dA_prev"),
        'relu mask from A >= 0 (always 1)': ("""
            def linear_activation_backward(dA, cache, activation):
                linear_cache, Z = cache
                if activation == "relu":
                    A = np.maximum(0, Z)
                    dZ = dA * (A >= 0)
                elif activation == "sigmoid":
                    s = 1 / (1 + np.exp(-Z))
                    dZ = dA * s * (1 - s)
                else:
                    dZ = dA * (1 - np.tanh(Z) ** 2)
                return linear_backward(dZ, linear_cache)
        """, "linear_activation_backward() dA_prev"),
        'relu slope 1 at Z = 0 (Z >= 0)': ("""
            def linear_activation_backward(dA, cache, activation):
                linear_cache, Z = cache
                if activation == "relu":
                    dZ = dA * (Z >= 0)
                elif activation == "sigmoid":
                    s = 1 / (1 + np.exp(-Z))
                    dZ = dA * s * (1 - s)
                else:
                    dZ = dA * (1 - np.tanh(Z) ** 2)
                return linear_backward(dZ, linear_cache)
        """, "linear_activation_backward() dA_prev"),
        'sigma(1 - sigma) applied to Z itself': ("""
            def linear_activation_backward(dA, cache, activation):
                linear_cache, Z = cache
                if activation == "relu":
                    dZ = dA * (Z > 0)
                elif activation == "sigmoid":
                    dZ = dA * Z * (1 - Z)
                else:
                    dZ = dA * (1 - np.tanh(Z) ** 2)
                return linear_backward(dZ, linear_cache)
        """, "linear_activation_backward() dA_prev"),
        'tanh derivative without the square': ("""
            def linear_activation_backward(dA, cache, activation):
                linear_cache, Z = cache
                if activation == "relu":
                    dZ = dA * (Z > 0)
                elif activation == "sigmoid":
                    s = 1 / (1 + np.exp(-Z))
                    dZ = dA * s * (1 - s)
                else:
                    dZ = dA * (1 - np.tanh(Z))
                return linear_backward(dZ, linear_cache)
        """, "linear_activation_backward() dA_prev"),
        '1/m missing (inline)': ("""
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
        """, "linear_activation_backward() dW"),
    },
    'model_backward': {
        '1/m missing': ("""
            def model_backward(AL, Y, caches):
                L, grads, dZ = len(caches), {}, AL - Y
                for l in range(L, 0, -1):
                    (A_prev, W, b), Z = caches[l - 1]
                    grads[f"dW{l}"] = dZ @ A_prev.T
                    grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
                    dZ = (W.T @ dZ) * (A_prev > 0)
                return grads
        """, "model_backward()['dW1']"),
        'dZ[L] = Y - AL (wrong sign)': ("""
            def model_backward(AL, Y, caches):
                m, L, grads, dZ = AL.shape[1], len(caches), {}, Y - AL
                for l in range(L, 0, -1):
                    (A_prev, W, b), Z = caches[l - 1]
                    grads[f"dW{l}"] = dZ @ A_prev.T / m
                    grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                    dZ = (W.T @ dZ) * (A_prev > 0)
                return grads
        """, "model_backward()['dW1']"),
        'sigmoid derivative in the hidden layers': ("""
            def model_backward(AL, Y, caches):
                L, grads = len(caches), {}
                dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
                for l in range(L - 1, 0, -1):
                    dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "sigmoid")
                return grads
        """, "model_backward()['dW1']"),
        'db without keepdims': ("""
            def model_backward(AL, Y, caches):
                m, L, grads, dZ = AL.shape[1], len(caches), {}, AL - Y
                for l in range(L, 0, -1):
                    (A_prev, W, b), Z = caches[l - 1]
                    grads[f"dW{l}"] = dZ @ A_prev.T / m
                    grads[f"db{l}"] = np.sum(dZ, axis=1) / m
                    dZ = (W.T @ dZ) * (A_prev > 0)
                return grads
        """, "model_backward()['db1']: wrong shape: expected (3, 1), got (3,) (a lost dimension of size 1: keepdims"),
        'keys numbered from 0': ("""
            def model_backward(AL, Y, caches):
                m, L, grads, dZ = AL.shape[1], len(caches), {}, AL - Y
                for l in range(L - 1, -1, -1):
                    (A_prev, W, b), Z = caches[l]
                    grads[f"dW{l}"] = dZ @ A_prev.T / m
                    grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                    dZ = (W.T @ dZ) * (A_prev > 0)
                return grads
        """, "model_backward(): missing keys ['dW2', 'db2']"),
        'two layers hard-coded': ("""
            def model_backward(AL, Y, caches):
                grads = {}
                dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
                dA1, grads["dW2"], grads["db2"] = linear_activation_backward(dAL, caches[1], "sigmoid")
                dA0, grads["dW1"], grads["db1"] = linear_activation_backward(dA1, caches[0], "relu")
                return grads
        """, "model_backward(): missing keys ['dW3', 'db3', 'dW4', 'db4']"),
        'hidden layers without the relu mask': ("""
            def model_backward(AL, Y, caches):
                m, L, grads, dZ = AL.shape[1], len(caches), {}, AL - Y
                for l in range(L, 0, -1):
                    (A_prev, W, b), Z = caches[l - 1]
                    grads[f"dW{l}"] = dZ @ A_prev.T / m
                    grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                    dZ = W.T @ dZ
                return grads
        """, "model_backward()['dW1']"),
    },
    'update_parameters': {
        'plus instead of minus': ("""
            def update_parameters(parameters, grads, learning_rate):
                return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}
        """, "update_parameters()['W1']: 2 of 2 entries differ"),
        'updated in place but not returned': ("""
            def update_parameters(parameters, grads, learning_rate):
                for k in parameters:
                    parameters[k] -= learning_rate * grads["d" + k]
        """, "update_parameters(): got None; did the function forget to `return` its result?"),
        'biases not updated': ("""
            def update_parameters(parameters, grads, learning_rate):
                new = dict(parameters)
                for l in range(1, len(parameters) // 2 + 1):
                    new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
                return new
        """, "update_parameters()['b1']: 1 of 1 entries differ"),
        'last layer not updated': ("""
            def update_parameters(parameters, grads, learning_rate):
                L = len(parameters) // 2
                for l in range(1, L):
                    parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
                    parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
                return parameters
        """, "update_parameters()['W1']: 2 of 2 entries differ"),
    },
}

HIDDEN_ONLY = {}

# Every statement of each graded function's docstring -> the visible check that tests it (docs/lesson-rules.md, 4).
PROMISES = {
    'layer_shapes': {
        "Shapes of the arrays of an L-layer network on m examples.":
            "# the slides' 2-4-3-1 network (three layers) on m = 7 examples",
        "layer_dims -- list [n_0, n_1, ..., n_L]: n_0 = n_x input features, n_l units in layer l":
            'ck.check(layer_shapes, {"layer_dims": [2, 4, 3, 1], "m": 7},',
        "m -- number of examples (columns of X)":
            'ck.check(layer_shapes, {"layer_dims": [2, 4, 1], "m": 1},',
        "shapes -- dict name -> tuple of ints:":
            'expected={"A0": (2, 5),',
        '"A0": (n_0, m), and for l = 1..L:':
            'expected={"A0": (2, 7),',
        '"W{l}": (n_l, n_{l-1}), "b{l}": (n_l, 1), "Z{l}": (n_l, m), "A{l}": (n_l, m),':
            '"W3": (1, 3), "b3": (1, 1), "Z3": (1, 7), "A3": (1, 7), "dZ3": (1, 7), "dW3": (1, 3), "db3": (1, 1)})',
        '"dZ{l}": (n_l, m), "dW{l}": (n_l, n_{l-1}), "db{l}": (n_l, 1)':
            '"W2": (3, 4), "b2": (3, 1), "Z2": (3, 7), "A2": (3, 7), "dZ2": (3, 7), "dW2": (3, 4), "db2": (3, 1),',
    },
    'initialize_parameters': {
        "He initialisation of an L-layer network.":
            "# He scale: the entries of W[l] have mean 0 and standard deviation sqrt(2 / n_{l-1})",
        "layer_dims -- list [n_0, n_1, ..., n_L] of layer sizes":
            'ck.check(initialize_parameters, {"layer_dims": [2, 4, 1], "seed": 3},',
        "seed -- int: make one generator rng = np.random.default_rng(seed) and draw W1, W2, ..., WL from it, in that order":
            "# the recipe of the docstring, number for number, for two seeds (a three-layer network): one generator, W1, W2, W3",
        "parameters -- dict with, for l = 1..L:":
            'expected={"W1": ck.Shape((4, 2), distinct=True), "b1": np.zeros((4, 1)),',
        '"W{l}": array (n_l, n_{l-1}), rng.standard_normal((n_l, n_{l-1})) * sqrt(2 / n_{l-1})':
            "expected=ck.Satisfies(properties.layerwise_draws, expected=he_draws([3, 5, 4, 1], seed=seed), seed=seed))",
        '"b{l}": array (n_l, 1) of zeros':
            '"W2": ck.Shape((1, 4), distinct=True), "b2": np.zeros((1, 1))})',
    },
    'linear_forward': {
        "The linear step of one layer, Z = W A_prev + b.":
            "# 3 units in, 4 out, 5 examples, nonzero biases; oracle: the same product in torch",
        "A_prev -- activations of the previous layer, array (n_{l-1}, m)":
            "A_prev, W, b = rng.standard_normal((3, 5)), rng.standard_normal((4, 3)), rng.standard_normal((4, 1))",
        "W -- weights, array (n_l, n_{l-1})":
            "A_prev, W, b = rng.standard_normal((3, 5)), rng.standard_normal((4, 3)), rng.standard_normal((4, 1))",
        "b -- biases, array (n_l, 1)":
            "# 3 units in, 4 out, 5 examples, nonzero biases",
        "Z -- array (n_l, m)":
            'names=("Z", "linear_cache")',
        "linear_cache -- tuple (A_prev, W, b), kept for the backward pass":
            "expected=torch_linear_forward(A_prev, W, b),",
    },
    'linear_activation_forward': {
        "One layer: the linear step followed by an activation.":
            "# each of the three activations on the same layer; oracle: torch.relu, torch.sigmoid, torch.tanh",
        "A_prev -- activations of the previous layer, array (n_{l-1}, m)":
            "A_prev, W, b = rng.standard_normal((3, 6)), rng.standard_normal((4, 3)), rng.standard_normal((4, 1))",
        "W -- weights, array (n_l, n_{l-1})":
            "A_prev, W, b = rng.standard_normal((3, 6)), rng.standard_normal((4, 3)), rng.standard_normal((4, 1))",
        "b -- biases, array (n_l, 1)":
            "A_prev, W, b = rng.standard_normal((3, 6)), rng.standard_normal((4, 3)), rng.standard_normal((4, 1))",
        'activation -- "relu", "sigmoid" or "tanh"':
            'for activation in ("relu", "sigmoid", "tanh"):',
        "A -- activations g(Z), array (n_l, m)":
            'expected=torch_layer_forward(A_prev, W, b, activation), names=("A", "cache"))',
        "cache -- tuple (linear_cache, Z): linear_cache = (A_prev, W, b), Z array (n_l, m)":
            'expected=torch_layer_forward(A_prev, W, b, activation), names=("A", "cache"))',
    },
    'model_forward': {
        "Forward pass [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.":
            "# a 2-3-1 network on 2 examples, then a 4-5-3-1 network (three layers of caches); oracle: torch_forward",
        "X -- input data, array (n_0, m)":
            'X = np.array([[1.0, -2.0], [0.5, 3.0]])',
        'parameters -- dict "W{l}": array (n_l, n_{l-1}), "b{l}": array (n_l, 1), l = 1..L':
            'X, _, parameters = random_network([4, 5, 3, 1], m=6, seed=42)',
        "AL -- output probabilities A[L], array (n_L, m), that is (1, m) for a binary classifier":
            'expected=torch_forward(X, parameters), names=("AL", "caches"))',
        "caches -- list of L caches (linear_cache, Z) from linear_activation_forward, caches[l-1] for layer l":
            "then a 4-5-3-1 network (three layers of caches)",
    },
    'compute_cost': {
        "Binary cross-entropy cost.":
            "# by hand: -(ln 0.8 + ln 0.9 + ln 0.6) / 3",
        "AL -- predicted probabilities, array (1, m), entries in (0, 1)":
            "AL, Y = np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]])",
        "Y -- true labels, array (1, m) of 0.0 / 1.0":
            "AL, Y = np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]])",
        "cost -- float, the mean cross-entropy over the m examples":
            'ck.check(compute_cost, {"AL": AL, "Y": Y}, expected=0.2797765635793423, rtol=1e-9)',
    },
    'linear_backward': {
        "Backward pass of the linear step Z = W A_prev + b.":
            "# 3 units in, 4 out, 5 examples; oracle: torch autograd (torch_layer_backward with no activation)",
        "dZ -- gradient of the loss with respect to Z, array (n_l, m) (one column per example, no 1/m)":
            "dZ = rng.standard_normal((4, 5))",
        "linear_cache -- tuple (A_prev, W, b): A_prev (n_{l-1}, m), W (n_l, n_{l-1}), b (n_l, 1)":
            'ck.check(linear_backward, {"dZ": dZ, "linear_cache": (A_prev, W, b)},',
        "dA_prev -- array (n_{l-1}, m), W^T dZ":
            'expected=torch_layer_backward(dZ, A_prev, W, b), names=("dA_prev", "dW", "db"), rtol=1e-6)',
        "dW -- array (n_l, n_{l-1}), (1/m) dZ A_prev^T":
            'expected=torch_layer_backward(dZ, A_prev, W, b), names=("dA_prev", "dW", "db"), rtol=1e-6)',
        "db -- array (n_l, 1), (1/m) times the sum of dZ over the examples":
            'expected=torch_layer_backward(dZ, A_prev, W, b), names=("dA_prev", "dW", "db"), rtol=1e-6)',
    },
    'linear_activation_backward': {
        "Backward pass of one layer A = g(W A_prev + b).":
            "# The same layer for each activation; oracle: torch autograd (torch_layer_backward).",
        "dA -- gradient of the loss with respect to A, array (n_l, m)":
            "dA = rng.standard_normal((4, 6))",
        "cache -- tuple (linear_cache, Z) from linear_activation_forward:":
            '{"dA": dA, "cache": ((A_prev, W, b), Z), "activation": activation}',
        "linear_cache = (A_prev (n_{l-1}, m), W (n_l, n_{l-1}), b (n_l, 1)), Z (n_l, m)":
            '{"dA": dA, "cache": ((A_prev, W, b), Z), "activation": activation}',
        'activation -- "relu", "sigmoid" or "tanh"; relu\'s slope is 1 where Z > 0 and 0 where Z <= 0':
            "# Whole-number inputs make some entries of Z exactly 0 (relu's slope there is 0), others positive or negative.",
        "dA_prev -- array (n_{l-1}, m)":
            'names=("dA_prev", "dW", "db"), rtol=1e-6)',
        "dW -- array (n_l, n_{l-1})":
            'names=("dA_prev", "dW", "db"), rtol=1e-6)',
        "db -- array (n_l, 1)":
            'names=("dA_prev", "dW", "db"), rtol=1e-6)',
    },
    'model_backward': {
        "Backward pass of [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID with the cross-entropy cost.":
            "# AL and the caches come from a torch forward pass; the expected gradients from torch autograd (torch_model).",
        "AL -- output of model_forward, array (1, m)":
            "AL, caches, grads = torch_model(X, Y, parameters)",
        "Y -- true labels, array (1, m)":
            "with labels Y = [[1, 0]]",
        "caches -- list of L caches (linear_cache, Z) from model_forward, caches[l-1] for layer l":
            "then a 3-5-4-2-1 network (four layers of caches)",
        'grads -- dict with "dW{l}": array (n_l, n_{l-1}) and "db{l}": array (n_l, 1) for l = 1..L':
            'ck.check(model_backward, {"AL": AL, "Y": Y, "caches": caches}, expected=grads, rtol=1e-6)',
    },
    'update_parameters': {
        "One gradient-descent step.":
            'expected={"W1": np.array([[0.4, -0.8]]), "b1": np.array([[1.95]])})',
        'parameters -- dict "W{l}": array (n_l, n_{l-1}), "b{l}": array (n_l, 1), l = 1..L':
            "# three layers, and grads also holds dA keys; oracle: one step of torch.optim.SGD",
        'grads -- dict "dW{l}", "db{l}" of the same shapes (may hold more keys)':
            "# three layers, and grads also holds dA keys",
        "learning_rate -- float, the step size alpha":
            '"learning_rate": 0.5},',
        'parameters -- dict of the updated "W{l}", "b{l}"':
            "expected=torch_sgd_step(parameters, grads, learning_rate=0.5))",
    },
}
