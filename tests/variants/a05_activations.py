"""Variants of 05_activations' graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Each correct formulation must pass every test cell of its function; each mistake must fail a visible test with a
message containing its fragment (plain text). The mistakes are the ones learners make with these functions: sigmoid'
taken as sigma(z), relu' = 1 at z = 0, softplus or its derivative overflowing, an in-place relu that corrupts the cache,
He scaled by n_l instead of n_{l-1}, DLS's Xavier and torch's Glorot swapped, layer numbers read from the last digit,
clipping each array by its own norm, the global generator, a dict lookup that raises KeyError instead of ValueError.
"""

CORRECT = {
    'activation': {
        'if_chain_textbook': """
            def activation(Z, name):
                if name == "sigmoid":
                    return 1 / (1 + np.exp(-Z))
                elif name == "tanh":
                    return np.tanh(Z)
                elif name == "relu":
                    return np.maximum(0, Z)
                elif name == "leaky_relu":
                    return np.where(Z > 0, Z, 0.01 * Z)
                elif name == "elu":
                    return np.where(Z > 0, Z, np.exp(Z) - 1)
                elif name == "softplus":
                    return np.maximum(Z, 0) + np.log1p(np.exp(-np.abs(Z)))
                elif name == "silu":
                    return Z / (1 + np.exp(-Z))
                else:
                    raise ValueError("unknown activation " + str(name) + ", expected one of " + str(ACTIVATIONS))
        """,
        # a table of lambdas, relu as a mask, softplus with np.logaddexp, the valid names from the table
        'dict_of_lambdas': """
            def activation(Z, name):
                table = {
                    "sigmoid": lambda z: np.exp(-np.logaddexp(0, -z)),
                    "tanh": np.tanh,
                    "relu": lambda z: z * (z > 0),
                    "leaky_relu": lambda z: np.maximum(z, 0.01 * z),
                    "elu": lambda z: np.where(z > 0, z, np.expm1(np.clip(z, None, 0))),
                    "softplus": lambda z: np.logaddexp(0, z),
                    "silu": lambda z: z * np.exp(-np.logaddexp(0, -z)),
                }
                if name not in table:
                    raise ValueError(f"activation must be one of {sorted(table)}, got {name!r}")
                return table[name](Z)
        """,
        # match statement, tanh through the sigmoid, softplus as torch does it (z itself above 20)
        'match_torch_threshold': """
            def activation(Z, name):
                sig = lambda z: 0.5 * (1 + np.tanh(z / 2))
                match name:
                    case "sigmoid":
                        return sig(Z)
                    case "tanh":
                        return 2 * sig(2 * Z) - 1
                    case "relu":
                        return np.where(Z > 0, Z, 0.0)
                    case "leaky_relu":
                        return np.where(Z >= 0, Z, Z * 0.01)
                    case "elu":
                        out = Z.copy()
                        neg = Z <= 0
                        out[neg] = np.exp(Z[neg]) - 1
                        return out
                    case "softplus":
                        return np.where(Z > 20, Z, np.log1p(np.exp(np.minimum(Z, 20))))
                    case "silu":
                        return Z * sig(Z)
                    case _:
                        raise ValueError("valid activations: sigmoid, tanh, relu, leaky_relu, elu, softplus, silu")
        """,
        # works on a copy, so writing into it is fine
        'copy_then_write': """
            def activation(Z, name):
                if name not in ACTIVATIONS:
                    raise ValueError(f"{name} is not an activation; choose from {', '.join(ACTIVATIONS)}")
                A = np.array(Z, dtype=float, copy=True)
                if name == "relu":
                    A[A < 0] = 0.0
                elif name == "leaky_relu":
                    A[A < 0] *= 0.01
                elif name == "elu":
                    A[A < 0] = np.expm1(A[A < 0])
                elif name == "sigmoid":
                    A = 1.0 / (1.0 + np.exp(-A))
                elif name == "tanh":
                    A = np.tanh(A)
                elif name == "softplus":
                    A = np.log1p(np.exp(-np.abs(A))) + np.maximum(A, 0)
                else:
                    A = A * (1.0 / (1.0 + np.exp(-A)))
                return A
        """,
    },
    'activation_derivative': {
        'textbook': """
            def activation_derivative(Z, name):
                s = 1 / (1 + np.exp(-Z))
                if name == "sigmoid":
                    return s * (1 - s)
                if name == "tanh":
                    return 1 - np.tanh(Z) ** 2
                if name == "relu":
                    return (Z > 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z > 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(Z))
                if name == "softplus":
                    return s
                if name == "silu":
                    return s + Z * s * (1 - s)
                raise ValueError(f"unknown activation {name}; valid: {ACTIVATIONS}")
        """,
        # through the learner's own activation: elu' = elu + 1 on the left, tanh' = 1 / cosh^2, relu' by heaviside
        'calls_activation': """
            def activation_derivative(Z, name):
                if name not in ACTIVATIONS:
                    raise ValueError("name must be one of " + ", ".join(ACTIVATIONS))
                if name == "sigmoid":
                    a = activation(Z, "sigmoid")
                    return a * (1 - a)
                if name == "tanh":
                    return 1 / np.cosh(Z) ** 2
                if name == "relu":
                    return np.heaviside(Z, 0.0)
                if name == "leaky_relu":
                    return 0.01 + 0.99 * np.heaviside(Z, 0.0)
                if name == "elu":
                    return np.where(Z > 0, 1.0, activation(Z, "elu") + 1)
                if name == "softplus":
                    return activation(Z, "sigmoid")
                a = activation(Z, "sigmoid")
                return a * (1 + Z * (1 - a))
        """,
        # a boolean mask for relu, exp(min(z, 0)) for elu, the sigmoid through tanh
        'masks_and_minimum': """
            def activation_derivative(Z, name):
                sig = 0.5 * (1 + np.tanh(Z / 2))
                derivatives = {
                    "sigmoid": lambda: sig * (1 - sig),
                    "tanh": lambda: 1 - np.tanh(Z) * np.tanh(Z),
                    "relu": lambda: Z > 0,
                    "leaky_relu": lambda: np.where(Z <= 0, 0.01, 1.0),
                    "elu": lambda: np.exp(np.minimum(Z, 0)),
                    "softplus": lambda: sig,
                    "silu": lambda: sig + activation(Z, "silu") * (1 - sig),
                }
                if name not in derivatives:
                    raise ValueError(f"unknown name {name!r}: use sigmoid, tanh, relu, leaky_relu, elu, softplus or silu")
                return derivatives[name]()
        """,
    },
    'initialize_weights': {
        'rng_normal_if_chain': """
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                params = {}
                for l in range(1, len(layer_dims)):
                    n_in, n_out = layer_dims[l - 1], layer_dims[l]
                    if scheme == "zeros":
                        std = 0.0
                    elif scheme == "small":
                        std = 0.01
                    elif scheme == "xavier":
                        std = np.sqrt(1.0 / n_in)
                    elif scheme == "glorot":
                        std = np.sqrt(2.0 / (n_in + n_out))
                    else:
                        std = np.sqrt(2.0 / n_in)
                    params["W" + str(l)] = rng.normal(0.0, std, size=(n_out, n_in))
                    params["b" + str(l)] = np.zeros((n_out, 1))
                return params
        """,
        # zeros without drawing, scales written as divisions
        'divisions_no_draw_for_zeros': """
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                parameters = {}
                for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
                    if scheme == "zeros":
                        W = np.zeros((n, n_prev))
                    elif scheme == "small":
                        W = rng.standard_normal((n, n_prev)) / 100
                    elif scheme == "xavier":
                        W = rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)
                    elif scheme == "glorot":
                        W = rng.standard_normal((n, n_prev)) * np.sqrt(2) / np.sqrt(n_prev + n)
                    elif scheme == "he":
                        W = rng.standard_normal((n, n_prev)) / np.sqrt(n_prev / 2)
                    parameters[f"W{l}"] = W
                    parameters[f"b{l}"] = np.zeros((n, 1))
                return parameters
        """,
        'flat_draw_reshaped': """
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                out = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0, "small": 0.01, "xavier": (1 / n_prev) ** 0.5,
                             "glorot": (2 / (n_prev + n)) ** 0.5, "he": (2 / n_prev) ** 0.5}[scheme]
                    out["W%d" % l] = scale * rng.standard_normal(n * n_prev).reshape(n, n_prev)
                    out["b%d" % l] = np.zeros((n, 1), dtype=float)
                return out
        """,
    },
    'gradient_norms': {
        'comprehension_fro': """
            def gradient_norms(grads):
                return {int(k[2:]): np.linalg.norm(v, "fro") for k, v in grads.items() if k.startswith("dW")}
        """,
        'count_layers_then_loop': """
            def gradient_norms(grads):
                L = sum(1 for key in grads if key.startswith("dW"))
                norms = {}
                for l in range(1, L + 1):
                    norms[l] = np.sqrt(np.sum(grads["dW" + str(l)] ** 2))
                return norms
        """,
        'regex_and_ravel': """
            def gradient_norms(grads):
                import re
                result = {}
                for key, value in grads.items():
                    match = re.fullmatch(r"dW(\\d+)", key)
                    if match:
                        result[int(match.group(1))] = float(np.sqrt(value.ravel() @ value.ravel()))
                return result
        """,
    },
    'clip_by_global_norm': {
        'concatenate_all': """
            def clip_by_global_norm(grads, max_norm):
                keys = [k for k in grads if k[:2] in ("dW", "db")]
                total = np.linalg.norm(np.concatenate([grads[k].ravel() for k in keys]))
                coef = min(1.0, max_norm / (total + 1e-6))
                new = dict(grads)
                for k in keys:
                    new[k] = grads[k] * coef
                return new, float(total)
        """,
        # norm of the per-array norms, scaling only when the coefficient is below 1
        'norm_of_norms': """
            def clip_by_global_norm(grads, max_norm):
                norms = [np.linalg.norm(v) for k, v in grads.items() if k.startswith("dW") or k.startswith("db")]
                total_norm = np.linalg.norm(norms)
                clip_coef = max_norm / (total_norm + 1e-6)
                new_grads = {k: v.copy() for k, v in grads.items()}
                if clip_coef < 1:
                    for k in new_grads:
                        if k.startswith("dW") or k.startswith("db"):
                            new_grads[k] = new_grads[k] * clip_coef
                return new_grads, total_norm
        """,
        # scaling only when the total exceeds max_norm (differs from torch by at most 1e-6 / max_norm, relatively)
        'if_total_above': """
            def clip_by_global_norm(grads, max_norm):
                total = 0.0
                for k, v in grads.items():
                    if k.startswith(("dW", "db")):
                        total += np.sum(v * v)
                total = np.sqrt(total)
                factor = max_norm / (total + 1e-6) if total > max_norm else 1.0
                return {k: (v * factor if k.startswith(("dW", "db")) else v) for k, v in grads.items()}, total
        """,
    },
    'clip_by_value': {
        'np_clip_loop': """
            def clip_by_value(grads, clip_value):
                new_grads = {}
                for key, value in grads.items():
                    if key.startswith("dW") or key.startswith("db"):
                        new_grads[key] = np.clip(value, -clip_value, clip_value)
                    else:
                        new_grads[key] = value
                return new_grads
        """,
        'minimum_maximum': """
            def clip_by_value(grads, clip_value):
                out = dict(grads)
                for k in out:
                    if k[:2] in ("dW", "db"):
                        out[k] = np.minimum(np.maximum(grads[k], -clip_value), clip_value)
                return out
        """,
        'nested_where': """
            def clip_by_value(grads, clip_value):
                c = clip_value
                return {k: np.where(v > c, c, np.where(v < -c, -c, v)) if k.startswith(("dW", "db")) else v
                        for k, v in grads.items()}
        """,
    },
}

_ACTIVATION_OK = """
                if name == "sigmoid":
                    return 1 / (1 + np.exp(-Z))
                if name == "tanh":
                    return np.tanh(Z)
                if name == "leaky_relu":
                    return np.where(Z > 0, Z, 0.01 * Z)
                if name == "elu":
                    return np.where(Z > 0, Z, np.exp(Z) - 1)
                if name == "silu":
                    return Z / (1 + np.exp(-Z))
"""

MISTAKES = {
    'activation': {
        'softplus overflows: np.log(1 + np.exp(z))': ("""
            def activation(Z, name):
                if name == "softplus":
                    return np.log(1 + np.exp(Z))
                if name == "relu":
                    return np.maximum(Z, 0)""" + _ACTIVATION_OK + """
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation(Z, 'softplus'): 1 of 12 entries are not finite"),
        'relu written into Z (corrupts the cache)': ("""
            def activation(Z, name):
                if name == "relu":
                    Z[Z < 0] = 0
                    return Z
                if name == "softplus":
                    return np.logaddexp(0, Z)""" + _ACTIVATION_OK + """
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation(Z, 'relu'): changed its argument 'Z' in place"),
        'leaky slope 0.1': ("""
            def activation(Z, name):
                if name == "leaky_relu":
                    return np.where(Z > 0, Z, 0.1 * Z)
                if name == "relu":
                    return np.maximum(Z, 0)
                if name == "softplus":
                    return np.logaddexp(0, Z)""" + _ACTIVATION_OK + """
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation(Z, 'leaky_relu'): 5 of 12 entries differ"),
        'dict lookup raises KeyError': ("""
            def activation(Z, name):
                return {"sigmoid": lambda z: np.exp(-np.logaddexp(0, -z)), "tanh": np.tanh,
                        "relu": lambda z: np.maximum(z, 0), "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
                        "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
                        "softplus": lambda z: np.logaddexp(0, z),
                        "silu": lambda z: z * np.exp(-np.logaddexp(0, -z))}[name](Z)
        """, "should raise ValueError, but raised KeyError"),
        'unknown name falls through (returns None)': ("""
            def activation(Z, name):
                if name == "relu":
                    return np.maximum(Z, 0)
                if name == "softplus":
                    return np.logaddexp(0, Z)""" + _ACTIVATION_OK + """
        """, "should raise ValueError for these inputs, but it returned normally"),
        'error message without the valid names': ("""
            def activation(Z, name):
                if name == "relu":
                    return np.maximum(Z, 0)
                if name == "softplus":
                    return np.logaddexp(0, Z)""" + _ACTIVATION_OK + """
                raise ValueError("unknown activation function")
        """, "its message should mention 'sigmoid'"),
    },
    'activation_derivative': {
        "sigmoid' as sigma(z)": ("""
            def activation_derivative(Z, name):
                s = np.exp(-np.logaddexp(0, -Z))
                if name == "sigmoid":
                    return s
                if name == "tanh":
                    return 1 - np.tanh(Z) ** 2
                if name == "relu":
                    return (Z > 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z > 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0)))
                if name == "softplus":
                    return s
                if name == "silu":
                    return s * (1 + Z * (1 - s))
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation_derivative(Z, 'sigmoid'): 10 of 12 entries differ"),
        "relu' = 1 at z = 0": ("""
            def activation_derivative(Z, name):
                s = np.exp(-np.logaddexp(0, -Z))
                if name == "relu":
                    return (Z >= 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z > 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0)))
                if name == "sigmoid":
                    return s * (1 - s)
                if name == "tanh":
                    return 1 - np.tanh(Z) ** 2
                if name == "softplus":
                    return s
                if name == "silu":
                    return s * (1 + Z * (1 - s))
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation_derivative(Z, 'relu') at Z = 0: 6 of 6 entries differ"),
        "leaky_relu' = 1 at z = 0": ("""
            def activation_derivative(Z, name):
                s = np.exp(-np.logaddexp(0, -Z))
                if name == "relu":
                    return (Z > 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z >= 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0)))
                if name == "sigmoid":
                    return s * (1 - s)
                if name == "tanh":
                    return 1 - np.tanh(Z) ** 2
                if name == "softplus":
                    return s
                if name == "silu":
                    return s * (1 + Z * (1 - s))
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation_derivative(Z, 'leaky_relu') at Z = 0: 6 of 6 entries differ"),
        "softplus' = e^z / (1 + e^z) overflows": ("""
            def activation_derivative(Z, name):
                s = 1 / (1 + np.exp(-Z))
                if name == "softplus":
                    return np.exp(Z) / (1 + np.exp(Z))
                if name == "relu":
                    return (Z > 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z > 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0)))
                if name == "sigmoid":
                    return s * (1 - s)
                if name == "tanh":
                    return 1 - np.tanh(Z) ** 2
                if name == "silu":
                    return s * (1 + Z * (1 - s))
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation_derivative(Z, 'softplus'): 1 of 12 entries are not finite"),
        "tanh' = 1 - tanh(z), not squared": ("""
            def activation_derivative(Z, name):
                s = np.exp(-np.logaddexp(0, -Z))
                if name == "tanh":
                    return 1 - np.tanh(Z)
                if name == "relu":
                    return (Z > 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z > 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0)))
                if name == "sigmoid":
                    return s * (1 - s)
                if name == "softplus":
                    return s
                if name == "silu":
                    return s * (1 + Z * (1 - s))
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation_derivative(Z, 'tanh')"),
        "silu' without the product rule (sigma(z))": ("""
            def activation_derivative(Z, name):
                s = np.exp(-np.logaddexp(0, -Z))
                if name == "silu":
                    return s
                if name == "relu":
                    return (Z > 0).astype(float)
                if name == "leaky_relu":
                    return np.where(Z > 0, 1.0, 0.01)
                if name == "elu":
                    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0)))
                if name == "sigmoid":
                    return s * (1 - s)
                if name == "tanh":
                    return 1 - np.tanh(Z) ** 2
                if name == "softplus":
                    return s
                raise ValueError(f"unknown activation {name!r}; use one of {ACTIVATIONS}")
        """, "activation_derivative(Z, 'silu')"),
        'dict lookup raises KeyError': ("""
            def activation_derivative(Z, name):
                s = np.exp(-np.logaddexp(0, -Z))
                return {"sigmoid": s * (1 - s), "tanh": 1 - np.tanh(Z) ** 2, "relu": (Z > 0) * 1.0,
                        "leaky_relu": np.where(Z > 0, 1.0, 0.01), "elu": np.exp(np.minimum(Z, 0)), "softplus": s,
                        "silu": s * (1 + Z * (1 - s))}[name]
        """, "should raise ValueError, but raised KeyError"),
    },
    'initialize_weights': {
        'He with n_l instead of n_{l-1}': ("""
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / n_prev),
                             "glorot": np.sqrt(2 / (n + n_prev)), "he": np.sqrt(2 / n)}[scheme]
                    p[f"W{l}"] = rng.standard_normal((n, n_prev)) * scale
                    p[f"b{l}"] = np.zeros((n, 1))
                return p
        """, "initialize_weights(scheme='he')['W1']: standard deviation of the entries is 0.1417, expected 0.07071"),
        "Xavier and Glorot swapped (torch's naming for 'xavier')": ("""
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(2 / (n + n_prev)),
                             "glorot": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[scheme]
                    p[f"W{l}"] = rng.standard_normal((n, n_prev)) * scale
                    p[f"b{l}"] = np.zeros((n, 1))
                return p
        """, "initialize_weights(scheme='xavier')['W1']: standard deviation of the entries is 0.06336, expected 0.05"),
        'a new generator for every layer': ("""
            def initialize_weights(layer_dims, scheme, seed):
                p = {}
                for l in range(1, len(layer_dims)):
                    rng = np.random.default_rng(seed)
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / n_prev),
                             "glorot": np.sqrt(2 / (n + n_prev)), "he": np.sqrt(2 / n_prev)}[scheme]
                    p[f"W{l}"] = rng.standard_normal((n, n_prev)) * scale
                    p[f"b{l}"] = np.zeros((n, 1))
                return p
        """, "initialize_weights(scheme='small')['W2']: 20 of 20 entries differ: not the draws of "
             "np.random.default_rng(3) in layer order times the scale (draws from another point of the generator's "
             "sequence"),
        'layers drawn last to first': ("""
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(len(layer_dims) - 1, 0, -1):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / n_prev),
                             "glorot": np.sqrt(2 / (n + n_prev)), "he": np.sqrt(2 / n_prev)}[scheme]
                    p[f"W{l}"] = rng.standard_normal((n, n_prev)) * scale
                    p[f"b{l}"] = np.zeros((n, 1))
                return p
        """, "initialize_weights(scheme='small')['W1']: 15 of 15 entries differ: not the draws of "
             "np.random.default_rng(3) in layer order times the scale (draws from another point of the generator's "
             "sequence"),
        'W drawn as (n_{l-1}, n_l), then transposed': ("""
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / n_prev),
                             "glorot": np.sqrt(2 / (n + n_prev)), "he": np.sqrt(2 / n_prev)}[scheme]
                    p[f"W{l}"] = rng.standard_normal((n_prev, n)).T * scale
                    p[f"b{l}"] = np.zeros((n, 1))
                return p
        """, "initialize_weights(scheme='small')['W1']: 12 of 15 entries differ: not the draws of "
             "np.random.default_rng(3) in layer order times the scale (the right numbers in another arrangement"),
        'the global generator (np.random.seed, randn)': ("""
            def initialize_weights(layer_dims, scheme, seed):
                np.random.seed(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / n_prev),
                             "glorot": np.sqrt(2 / (n + n_prev)), "he": np.sqrt(2 / n_prev)}[scheme]
                    p[f"W{l}"] = np.random.randn(n, n_prev) * scale
                    p[f"b{l}"] = np.zeros((n, 1))
                return p
        """, "initialize_weights(scheme='small')['W1']: 15 of 15 entries differ"),
        'biases of shape (n_l,)': ("""
            def initialize_weights(layer_dims, scheme, seed):
                rng = np.random.default_rng(seed)
                p = {}
                for l in range(1, len(layer_dims)):
                    n, n_prev = layer_dims[l], layer_dims[l - 1]
                    scale = {"zeros": 0.0, "small": 0.01, "xavier": np.sqrt(1 / n_prev),
                             "glorot": np.sqrt(2 / (n + n_prev)), "he": np.sqrt(2 / n_prev)}[scheme]
                    p[f"W{l}"] = rng.standard_normal((n, n_prev)) * scale
                    p[f"b{l}"] = np.zeros(n)
                return p
        """, "initialize_weights(scheme='small')['b1']: wrong shape: expected (100, 1), got (100,)"),
    },
    'gradient_norms': {
        'layer number from the last character': ("""
            def gradient_norms(grads):
                return {int(k[-1]): np.linalg.norm(v) for k, v in grads.items() if k.startswith("dW")}
        """, "gradient_norms(): missing keys [10, 11, 12]"),
        'string keys "dW1"': ("""
            def gradient_norms(grads):
                return {k: np.linalg.norm(v) for k, v in grads.items() if k.startswith("dW")}
        """, "gradient_norms(): missing keys [1, 2]"),
        'db included in the norm': ("""
            def gradient_norms(grads):
                norms = {}
                for k in grads:
                    if k.startswith("dW"):
                        l = int(k[2:])
                        norms[l] = np.sqrt(np.sum(grads[k] ** 2) + np.sum(grads[f"db{l}"] ** 2))
                return norms
        """, "gradient_norms()[1]: 1 of 1 entries differ"),
        'spectral norm instead of Frobenius': ("""
            def gradient_norms(grads):
                return {int(k[2:]): np.linalg.norm(v, 2) for k, v in grads.items() if k.startswith("dW")}
        """, "gradient_norms()[1]"),
        'layers counted from 0': ("""
            def gradient_norms(grads):
                keys = [k for k in grads if k.startswith("dW")]
                return {l: np.linalg.norm(grads[k]) for l, k in enumerate(keys)}
        """, "gradient_norms(): missing keys [2]"),
    },
    'clip_by_global_norm': {
        'each array clipped by its own norm': ("""
            def clip_by_global_norm(grads, max_norm):
                new, total = {}, 0.0
                for k, v in grads.items():
                    if k.startswith(("dW", "db")):
                        norm = np.linalg.norm(v)
                        total += norm ** 2
                        new[k] = v * min(1.0, max_norm / (norm + 1e-6))
                    else:
                        new[k] = v
                return new, np.sqrt(total)
        """, "clip_by_global_norm() (one norm over all arrays together) grads['dW1']"),
        'the norm of the dW arrays only': ("""
            def clip_by_global_norm(grads, max_norm):
                total = np.sqrt(sum(np.sum(v ** 2) for k, v in grads.items() if k.startswith("dW")))
                factor = min(1.0, max_norm / (total + 1e-6))
                return {k: (v * factor if k.startswith(("dW", "db")) else v) for k, v in grads.items()}, total
        """, "clip_by_global_norm() (one norm over all arrays together) grads['dW1']"),
        'always scaled, also up (no min with 1)': ("""
            def clip_by_global_norm(grads, max_norm):
                total = np.sqrt(sum(np.sum(v ** 2) for k, v in grads.items() if k.startswith(("dW", "db"))))
                factor = max_norm / (total + 1e-6)
                return {k: (v * factor if k.startswith(("dW", "db")) else v) for k, v in grads.items()}, total
        """, "clip_by_global_norm() grads['dW1']: 4 of 4 entries differ"),
        'no 1e-6 in the factor': ("""
            def clip_by_global_norm(grads, max_norm):
                total = np.sqrt(sum(np.sum(v ** 2) for k, v in grads.items() if k.startswith(("dW", "db"))))
                factor = min(1.0, max_norm / total)
                return {k: (v * factor if k.startswith(("dW", "db")) else v) for k, v in grads.items()}, total
        """, "clip_by_global_norm() grads['dW1']: 2 of 2 entries differ"),
        'dA entries clipped too': ("""
            def clip_by_global_norm(grads, max_norm):
                total = np.sqrt(sum(np.sum(v ** 2) for v in grads.values()))
                factor = min(1.0, max_norm / (total + 1e-6))
                return {k: v * factor for k, v in grads.items()}, total
        """, "clip_by_global_norm() (one norm over all arrays together) grads['dW1']"),
        'scaled in place': ("""
            def clip_by_global_norm(grads, max_norm):
                total = np.sqrt(sum(np.sum(v ** 2) for k, v in grads.items() if k.startswith(("dW", "db"))))
                factor = min(1.0, max_norm / (total + 1e-6))
                for k in grads:
                    if k.startswith(("dW", "db")):
                        grads[k] *= factor
                return grads, total
        """, "changed its argument 'grads' in place"),
    },
    'clip_by_value': {
        'upper bound only': ("""
            def clip_by_value(grads, clip_value):
                return {k: (np.minimum(v, clip_value) if k.startswith(("dW", "db")) else v) for k, v in grads.items()}
        """, "clip_by_value()['dW1']: 1 of 6 entries differ"),
        'dA entries clipped too': ("""
            def clip_by_value(grads, clip_value):
                return {k: np.clip(v, -clip_value, clip_value) for k, v in grads.items()}
        """, "clip_by_value()['dA0']"),
        'clipped in place': ("""
            def clip_by_value(grads, clip_value):
                for k, v in grads.items():
                    if k.startswith(("dW", "db")):
                        np.clip(v, -clip_value, clip_value, out=v)
                return grads
        """, "changed its argument 'grads' in place"),
    },
}

HIDDEN_ONLY = {}

# Every statement of each graded function's docstring -> the visible check that tests it (docs/lesson-rules.md, 4).
PROMISES = {
    'activation': {
        "Apply an activation function element by element.":
            "# a grid of shape (3, 4): both sides of 0, exact zeros",
        "Z -- array of any shape (for a layer, (n_l, m)); left unchanged":
            "# any shape: a vector of 6 random values",
        "left unchanged":
            "the input must be left unchanged",
        'name -- "sigmoid", "tanh", "relu", "leaky_relu" (slope 0.01 for z < 0), "elu" (alpha = 1: e^z - 1 for z < 0),':
            "Oracle: torch.nn.functional",
        '"softplus" (log(1 + e^z), computed without overflow) or "silu" (z * sigmoid(z))':
            "|z| up to 800 (np.exp(800) overflows)",
        "A -- new array of the shape of Z, g(Z)":
            'expected=torch_activation(Z, name), rtol=1e-8, pure=True,',
        "Raises:":
            "# an unknown name: a ValueError whose message lists every valid name",
        "ValueError -- for any other name, with a message that lists the valid names":
            'expected=ck.Raises(ValueError, match=valid),',
    },
    'activation_derivative': {
        "Derivative g'(Z) of an activation function, element by element.":
            "# the grid of test_activation, shape (3, 4): both sides of 0, exact zeros, |z| up to 800. Oracle: torch autograd",
        "Z -- array of any shape; left unchanged":
            "# any shape: a vector of 6 random values",
        "left unchanged":
            'expected=torch_derivative(Z, name), rtol=1e-8, pure=True,',
        'name -- one of "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "silu" (as in activation)':
            "for name in ACTIVATIONS:",
        "dg -- new array of the shape of Z, g'(Z); at exactly z = 0: relu 0, leaky_relu 0.01, elu 1 (PyTorch's autograd)":
            "# at exactly 0, the slopes of PyTorch's autograd: relu 0, leaky_relu 0.01, elu 1",
        "Raises:":
            "# an unknown name: a ValueError whose message lists every valid name",
        "ValueError -- for any other name, with a message that lists the valid names":
            'expected=ck.Raises(ValueError, match=valid),',
    },
    'initialize_weights': {
        "Random weights at the scale of an initialisation scheme, zero biases.":
            "# each scheme's standard deviation on layers of 400 -> 100 -> 30 units (oracle: torch.nn.init), mean 0, zero biases",
        "layer_dims -- list [n_0, n_1, ..., n_L] of layer sizes":
            'ck.check(initialize_weights, {"layer_dims": [3, 5, 4, 2], "scheme": scheme, "seed": 3},',
        'scheme -- "zeros" (0), "small" (0.01), "xavier" (sqrt(1 / n_{l-1})), "glorot" (sqrt(2 / (n_{l-1} + n_l)))':
            "for scheme in SCHEMES:",
        'or "he" (sqrt(2 / n_{l-1})): the scale of W{l}':
            'for scheme in ("small", "xavier", "glorot", "he"):',
        "seed -- int: make one generator rng = np.random.default_rng(seed) and draw W1, W2, ..., WL from it, in that order":
            "W3 drawn in layer order.",
        "parameters -- dict with, for l = 1..L:":
            "expected=init_spec([400, 100, 30], scheme)",
        '"W{l}": array (n_l, n_{l-1}), rng.standard_normal((n_l, n_{l-1})) * scale':
            "expected=ck.Satisfies(properties.layerwise_draws, expected=init_draws([3, 5, 4, 2], scheme, seed=3), seed=3),",
        '"b{l}": array (n_l, 1) of zeros':
            "mean 0, zero biases",
    },
    'gradient_norms': {
        "Frobenius norm of the weight gradient of every layer.":
            "||dW1|| = sqrt(9 + 16 + 144) = 13",
        'grads -- dict with "dW{l}": array (n_l, n_{l-1}) for l = 1..L (L may be 10 or more); other keys ("db{l}",':
            '# twelve layers ("dW10", "dW11", "dW12" have two-digit numbers) with "db" and "dA" entries',
        '"dA{l}", ...) are ignored; left unchanged':
            'plus "dA" entries to ignore',
        "left unchanged":
            'ck.check(gradient_norms, {"grads": grads}, expected={1: 13.0, 2: np.sqrt(0.75)}, pure=True)',
        "norms -- new dict int l -> float, sqrt(sum of the squares of the entries of dW{l}), for l = 1..L":
            'expected={1: 13.0, 2: np.sqrt(0.75)}',
    },
    'clip_by_global_norm': {
        "Scale all the gradients by one factor so that their joint norm is at most max_norm (torch's clip_grad_norm_).":
            "all arrays, and both scaled by the same factor",
        'grads -- dict of arrays: "dW{l}" (n_l, n_{l-1}) and "db{l}" (n_l, 1) for l = 1..L, possibly other keys':
            '# three layers with "dA" entries',
        '(e.g. "dA{l}"); left unchanged':
            '"dA1" is copied unchanged',
        "left unchanged":
            'names=("grads", "total_norm"), rtol=1e-6, pure=True)',
        "max_norm -- number > 0":
            'ck.check(clip_by_global_norm, {"grads": grads, "max_norm": 5.0}',
        'new_grads -- new dict with the same keys: every "dW*" and "db*" entry times':
            "# the worked example: total 13.2004, factor 5 / (13.2004 + 1e-6) = 0.378776981",
        "min(1, max_norm / (total_norm + 1e-6)), the other entries unchanged":
            "# tiny gradients, total 5e-4: the factor is 1e-4 / (5e-4 + 1e-6) = 0.1996, not 0.2",
        'total_norm -- float, sqrt of the sum of the squares of all the entries of all "dW*" and "db*" arrays':
            "# each array alone is below max_norm = 6 (norms 5 and 4), together they are above it (sqrt(41) = 6.40)",
    },
    'clip_by_value': {
        "Clamp every gradient entry to [-clip_value, clip_value] (torch's clip_grad_value_).":
            "# entries above, below, inside and exactly at -1 and 1",
        'grads -- dict of arrays: "dW{l}" (n_l, n_{l-1}) and "db{l}" (n_l, 1) for l = 1..L, possibly other keys; left unchanged':
            '# three layers with "dA" entries, clip_value 0.3',
        "left unchanged":
            'expected=torch_clip_grad_value(grads, 1.0), pure=True)',
        "clip_value -- number > 0":
            'ck.check(clip_by_value, {"grads": grads, "clip_value": 0.3}',
        'new_grads -- new dict with the same keys: "dW*" and "db*" entries clamped to [-clip_value, clip_value], the other':
            "Oracle: torch.nn.utils.clip_grad_value_",
        "entries unchanged":
            '"dA0" is copied unchanged',
    },
}
