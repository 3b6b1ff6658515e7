"""Variants of 10_normalization's graded functions: correct formulations and typical mistakes (tests/support/variants.py)."""

CORRECT = {
    'batchnorm_forward': {
        'np.var, extra cache keys': """
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = Z.mean(axis=1, keepdims=True)
                var = np.var(Z, axis=1, keepdims=True)
                std = np.sqrt(var + epsilon)
                Z_norm = (Z - mu) / std
                cache = {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "beta": beta,
                         "epsilon": epsilon, "std": std}
                return gamma * Z_norm + beta, cache
        """,
        'mean of squares minus squared mean, inverse std': """
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                m = Z.shape[1]
                mu = np.sum(Z, axis=1, keepdims=True) / m
                var = np.sum(Z * Z, axis=1, keepdims=True) / m - mu ** 2
                inv_std = 1.0 / np.sqrt(var + epsilon)
                Z_norm = (Z - mu) * inv_std
                return Z_norm * gamma + beta, dict(Z=Z, Z_norm=Z_norm, mu=mu, var=var, gamma=gamma, epsilon=epsilon)
        """,
        "torch's layout (examples in rows), transposed back": """
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                X = Z.T                                  # (m, n)
                mu = X.mean(axis=0)
                var = ((X - mu) ** 2).mean(axis=0)
                X_hat = (X - mu) / np.sqrt(var + epsilon)
                out = (X_hat * gamma.ravel() + beta.ravel()).T
                cache = {"Z": Z, "Z_norm": X_hat.T, "mu": mu.reshape(-1, 1), "var": var.reshape(-1, 1),
                         "gamma": gamma, "epsilon": epsilon}
                return out, cache
        """,
        'a loop over the units': """
            import math
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                n, m = Z.shape
                out, Z_norm = np.empty((n, m)), np.empty((n, m))
                mu, var = np.empty((n, 1)), np.empty((n, 1))
                for j in range(n):
                    row = Z[j]
                    mu[j, 0] = sum(row) / m
                    var[j, 0] = sum((v - mu[j, 0]) ** 2 for v in row) / m
                    Z_norm[j] = (row - mu[j, 0]) / math.sqrt(var[j, 0] + epsilon)
                    out[j] = gamma[j, 0] * Z_norm[j] + beta[j, 0]
                return out, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """,
    },
    'batchnorm_backward': {
        'closed form from Z and mu': """
            def batchnorm_backward(dout, cache):
                Z, mu, var, gamma, eps = cache["Z"], cache["mu"], cache["var"], cache["gamma"], cache["epsilon"]
                m = Z.shape[1]
                inv = 1.0 / np.sqrt(var + eps)
                x_hat = (Z - mu) * inv
                dx_hat = dout * gamma
                dZ = inv / m * (m * dx_hat - dx_hat.sum(axis=1, keepdims=True)
                                - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True))
                return dZ, (dout * x_hat).sum(axis=1, keepdims=True), dout.sum(axis=1, keepdims=True)
        """,
        'step by step through the computation graph': """
            def batchnorm_backward(dout, cache):
                Z, gamma, eps = cache["Z"], cache["gamma"], cache["epsilon"]
                n, m = Z.shape
                mu = np.mean(Z, axis=1, keepdims=True)
                xmu = Z - mu
                sq = xmu ** 2
                var = np.mean(sq, axis=1, keepdims=True)
                sqrtvar = np.sqrt(var + eps)
                ivar = 1.0 / sqrtvar
                xhat = xmu * ivar
                dbeta = np.sum(dout, axis=1, keepdims=True)
                dgamma = np.sum(dout * xhat, axis=1, keepdims=True)
                dxhat = dout * gamma
                divar = np.sum(dxhat * xmu, axis=1, keepdims=True)
                dxmu1 = dxhat * ivar
                dsqrtvar = -1.0 / sqrtvar ** 2 * divar
                dvar = 0.5 / np.sqrt(var + eps) * dsqrtvar
                dsq = np.ones((n, m)) / m * dvar
                dxmu2 = 2 * xmu * dsq
                dx1 = dxmu1 + dxmu2
                dmu = -np.sum(dx1, axis=1, keepdims=True)
                dx2 = np.ones((n, m)) / m * dmu
                return dx1 + dx2, dgamma, dbeta
        """,
        'the Jacobian of each unit, one unit at a time': """
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                n, m = Z_norm.shape
                dZ = np.zeros((n, m))
                for j in range(n):
                    z_hat = Z_norm[j]
                    jac = (np.eye(m) - 1.0 / m - np.outer(z_hat, z_hat) / m) / np.sqrt(var[j, 0] + eps)
                    dZ[j] = jac.T @ (gamma[j, 0] * dout[j])
                dgamma = np.einsum("ij,ij->i", dout, Z_norm)[:, None]
                dbeta = dout.sum(axis=1)[:, None]
                return dZ, dgamma, dbeta
        """,
    },
    'update_running_stats': {
        'np.var with ddof=1': """
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                if Z.shape[1] == 1:
                    raise ValueError("a batch of one example has no unbiased variance")
                batch_mean = Z.mean(axis=1, keepdims=True)
                batch_var = Z.var(axis=1, ddof=1, keepdims=True)
                new_mean = (1 - momentum) * running_mean + momentum * batch_mean
                new_var = (1 - momentum) * running_var + momentum * batch_var
                return new_mean, new_var
        """,
        'interpolation form, biased variance times m/(m-1)': """
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                m = Z.shape[1]
                if m < 2:
                    raise ValueError(f"need at least two examples, got {m}")
                unbiased = np.var(Z, axis=1, keepdims=True) * m / (m - 1)
                return (running_mean + momentum * (np.mean(Z, axis=1, keepdims=True) - running_mean),
                        running_var + momentum * (unbiased - running_var))
        """,
        'copies updated in place': """
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                n, m = Z.shape
                if m <= 1:
                    raise ValueError("Expected more than 1 value per unit when training")
                mean, var = running_mean.copy(), running_var.copy()
                mean *= 1 - momentum
                mean += momentum * Z.mean(axis=1).reshape(n, 1)
                var *= 1 - momentum
                var += momentum * np.var(Z, axis=1, ddof=1).reshape(n, 1)
                return mean, var
        """,
    },
    'batchnorm_inference': {
        'folded into one scale and one shift': """
            def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
                scale = gamma / np.sqrt(running_var + epsilon)
                shift = beta - running_mean * scale
                return scale * Z + shift
        """,
        "torch's layout (examples in rows), transposed back": """
            def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
                X = Z.T
                X_hat = (X - running_mean.T) / (running_var.T + epsilon) ** 0.5
                return (X_hat * gamma.T + beta.T).T
        """,
    },
    'layernorm_forward': {
        'mean of squares minus squared mean': """
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=0, keepdims=True)
                var = np.mean(Z ** 2, axis=0, keepdims=True) - mu ** 2
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var,
                                               "gamma": gamma, "epsilon": epsilon}
        """,
        "torch's layout (examples in rows), transposed back": """
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                X = Z.T                                      # (m, n): normalize each row
                mu = X.mean(axis=1, keepdims=True)
                var = X.var(axis=1, keepdims=True)
                X_hat = (X - mu) / np.sqrt(var + epsilon)
                out = X_hat * gamma.T + beta.T
                return out.T, {"Z": Z, "Z_norm": X_hat.T, "mu": mu.T, "var": var.T, "gamma": gamma,
                               "epsilon": epsilon, "std": np.sqrt(var + epsilon).T}
        """,
        'a loop over the examples': """
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                n, m = Z.shape
                Z_norm, mu, var = np.zeros((n, m)), np.zeros((1, m)), np.zeros((1, m))
                for i in range(m):
                    column = Z[:, i]
                    mu[0, i] = column.mean()
                    var[0, i] = ((column - mu[0, i]) ** 2).mean()
                    Z_norm[:, i] = (column - mu[0, i]) / np.sqrt(var[0, i] + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var,
                                               "gamma": gamma, "epsilon": epsilon}
        """,
    },
    'layernorm_backward': {
        'the chain rule through mu and var (three terms)': """
            def layernorm_backward(dout, cache):
                Z, mu, var, gamma, eps = cache["Z"], cache["mu"], cache["var"], cache["gamma"], cache["epsilon"]
                n = Z.shape[0]
                std = np.sqrt(var + eps)
                centred = Z - mu
                g = dout * gamma
                dvar = -0.5 * np.sum(g * centred, axis=0, keepdims=True) / std ** 3
                dmu = -np.sum(g, axis=0, keepdims=True) / std - 2.0 * dvar * np.mean(centred, axis=0, keepdims=True)
                dZ = g / std + dvar * 2.0 * centred / n + dmu / n
                return dZ, np.sum(dout * centred / std, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """,
        "torch's layout (examples in rows): batch norm's backward on the transpose": """
            def layernorm_backward(dout, cache):
                X_hat, var, eps = cache["Z_norm"].T, cache["var"].T, cache["epsilon"]      # (m, n), (m, 1)
                D = dout.T * cache["gamma"].T                                              # (m, n)
                dX = (D - D.mean(axis=1, keepdims=True)
                      - X_hat * (D * X_hat).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
                return dX.T, (dout.T * X_hat).sum(axis=0)[:, None], dout.T.sum(axis=0)[:, None]
        """,
        'all the Jacobians at once with einsum': """
            def layernorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                n = Z_norm.shape[0]
                jac = (np.eye(n)[:, :, None] - 1.0 / n
                       - Z_norm[:, None, :] * Z_norm[None, :, :] / n) / np.sqrt(var + eps)   # (n, n, m)
                dZ = np.einsum("kjm,km->jm", jac, dout * gamma)
                return dZ, np.einsum("jm,jm->j", dout, Z_norm).reshape(-1, 1), np.add.reduce(dout, axis=1).reshape(-1, 1)
        """,
    },
}

MISTAKES = {
    'batchnorm_forward': {
        'statistics over axis 0 (per example, not per unit)': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=0, keepdims=True)
                var = np.var(Z, axis=0, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() cache['mu']: wrong shape: expected (3, 1), got (1, 5)"),
        'epsilon outside the square root': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.var(Z, axis=1, keepdims=True)
                Z_norm = (Z - mu) / (np.sqrt(var) + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() cache['Z_norm']"),
        "the slide's variance without the square": ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.mean(Z - mu, axis=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() cache['var']"),
        "the slide's sqrt(var - epsilon)": ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.var(Z, axis=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var - epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() out: 5 of 15 entries are not finite"),
        'unbiased variance (ddof=1)': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.var(Z, axis=1, ddof=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() cache['var']"),
        'keepdims lost (statistics of shape (n,) in the cache)': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = Z.mean(axis=1)
                var = Z.var(axis=1)
                Z_norm = (Z - mu[:, None]) / np.sqrt(var[:, None] + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "cache['mu']: wrong shape: expected (3, 1), got (3,) (a lost dimension of size 1"),
        'standard deviation stored as var': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                std = np.std(Z, axis=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(std ** 2 + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": std, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() cache['var']"),
        'gamma and beta swapped': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.var(Z, axis=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return beta * Z_norm + gamma, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() out: 4 of 4 entries differ"),
        'Z centred in place': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                Z -= mu
                var = np.mean(Z ** 2, axis=1, keepdims=True)
                Z_norm = Z / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "batchnorm_forward() cache['Z']: "),
        'cache as a tuple (CS231n style)': ("""
            def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.var(Z, axis=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, epsilon)
        """, "batchnorm_forward() cache: expected a dict"),
    },
    'batchnorm_backward': {
        'epsilon forgotten': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma = cache["Z_norm"], cache["var"], cache["gamma"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var)
                return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "batchnorm_backward() dZ: 5 of 15 entries are not finite"),
        'epsilon hard-coded instead of the cache\'s': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma = cache["Z_norm"], cache["var"], cache["gamma"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + 1e-5)
                return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "batchnorm_backward() dZ"),
        'dgamma and dbeta not summed over the examples': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
                return dZ, dout * Z_norm, dout
        """, "batchnorm_backward() dgamma: wrong shape: expected (3, 1), got (3, 5)"),
        'keepdims lost in dgamma and dbeta': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
                return dZ, np.sum(dout * Z_norm, axis=1), np.sum(dout, axis=1)
        """, "dgamma: wrong shape: expected (3, 1), got (3,) (a lost dimension of size 1: keepdims=True"),
        'mean instead of sum (the 1/m of assignment 04)': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
                return dZ, np.mean(dout * Z_norm, axis=1, keepdims=True), np.mean(dout, axis=1, keepdims=True)
        """, "batchnorm_backward() dgamma"),
        'mean and variance treated as constants': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                dZ = dout * gamma / np.sqrt(var + eps)
                return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "batchnorm_backward() dZ"),
        'gamma left out of dZ': ("""
            def batchnorm_backward(dout, cache):
                Z_norm, var, eps = cache["Z_norm"], cache["var"], cache["epsilon"]
                dZ = (dout - dout.mean(axis=1, keepdims=True)
                      - Z_norm * (dout * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
                return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "batchnorm_backward() dZ"),
    },
    'update_running_stats': {
        'biased running variance': ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                if Z.shape[1] < 2:
                    raise ValueError("batch of one")
                return ((1 - momentum) * running_mean + momentum * Z.mean(axis=1, keepdims=True),
                        (1 - momentum) * running_var + momentum * Z.var(axis=1, keepdims=True))
        """, "update_running_stats() running_var: 1 of 1 entries differ; worst at index (0, 0): got 1.025"),
        'momentum read the CS231n way (weight of the old value)': ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                if Z.shape[1] < 2:
                    raise ValueError("batch of one")
                return (momentum * running_mean + (1 - momentum) * Z.mean(axis=1, keepdims=True),
                        momentum * running_var + (1 - momentum) * Z.var(axis=1, ddof=1, keepdims=True))
        """, "update_running_stats() running_mean: 1 of 1 entries differ; worst at index (0, 0): got 2.25"),
        "CS231n's formula and default momentum 0.9": ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.9):
                if Z.shape[1] < 2:
                    raise ValueError("batch of one")
                return (momentum * running_mean + (1 - momentum) * Z.mean(axis=1, keepdims=True),
                        momentum * running_var + (1 - momentum) * Z.var(axis=1, ddof=1, keepdims=True))
        """, "update_running_stats() running_mean"),
        'no ValueError for a batch of one example': ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                return ((1 - momentum) * running_mean + momentum * Z.mean(axis=1, keepdims=True),
                        (1 - momentum) * running_var + momentum * Z.var(axis=1, ddof=1, keepdims=True))
        """, "update_running_stats(): should raise ValueError for these inputs, but it returned normally"),
        'ZeroDivisionError instead of ValueError': ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                m = Z.shape[1]
                mean = Z.mean(axis=1, keepdims=True)
                var = np.sum((Z - mean) ** 2, axis=1, keepdims=True) * (1 / (m - 1))
                return (1 - momentum) * running_mean + momentum * mean, (1 - momentum) * running_var + momentum * var
        """, "update_running_stats(): should raise ValueError, but raised ZeroDivisionError"),
        'running statistics updated in place': ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                if Z.shape[1] < 2:
                    raise ValueError("batch of one")
                running_mean *= 1 - momentum
                running_mean += momentum * Z.mean(axis=1, keepdims=True)
                running_var *= 1 - momentum
                running_var += momentum * Z.var(axis=1, ddof=1, keepdims=True)
                return running_mean, running_var
        """, "update_running_stats(): changed its argument 'running_mean' in place"),
        'keepdims lost (broadcasts to (n, n))': ("""
            def update_running_stats(running_mean, running_var, Z, momentum=0.1):
                if Z.shape[1] < 2:
                    raise ValueError("batch of one")
                return ((1 - momentum) * running_mean + momentum * Z.mean(axis=1),
                        (1 - momentum) * running_var + momentum * Z.var(axis=1, ddof=1))
        """, "update_running_stats() running_mean: wrong shape: expected (3, 1), got (3, 3)"),
    },
    'batchnorm_inference': {
        "the batch's statistics instead of the running ones": ("""
            def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
                mu, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
                return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta
        """, "batchnorm_inference(): 12 of 12 entries differ"),
        'epsilon outside the square root': ("""
            def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
                return gamma * (Z - running_mean) / (np.sqrt(running_var) + epsilon) + beta
        """, "batchnorm_inference()"),
        'running_var used as a standard deviation': ("""
            def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
                return gamma * (Z - running_mean) / (running_var + epsilon) + beta
        """, "batchnorm_inference()"),
        'gamma and beta not applied': ("""
            def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
                return (Z - running_mean) / np.sqrt(running_var + epsilon)
        """, "batchnorm_inference()"),
    },
    'layernorm_forward': {
        "batch norm's axis (over the examples)": ("""
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=1, keepdims=True)
                var = np.var(Z, axis=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "layernorm_forward() cache['mu']: wrong shape: expected (1, 4), got (3, 1)"),
        'keepdims lost (statistics of shape (m,) in the cache)': ("""
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=0)
                var = np.var(Z, axis=0)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "layernorm_forward() cache['mu']: wrong shape: expected (1, 4), got (4,)"),
        'one mean and variance for the whole batch': ("""
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu, var = Z.mean(), Z.var()
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "layernorm_forward() cache['mu']: wrong shape"),
        'unbiased variance (ddof=1)': ("""
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=0, keepdims=True)
                var = np.var(Z, axis=0, ddof=1, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "layernorm_forward() cache['var']"),
        'epsilon outside the square root': ("""
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=0, keepdims=True)
                var = np.var(Z, axis=0, keepdims=True)
                Z_norm = (Z - mu) / (np.sqrt(var) + epsilon)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "layernorm_forward() cache['Z_norm']"),
        'epsilon hard-coded instead of the argument': ("""
            def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
                mu = np.mean(Z, axis=0, keepdims=True)
                var = np.var(Z, axis=0, keepdims=True)
                Z_norm = (Z - mu) / np.sqrt(var + 1e-5)
                return gamma * Z_norm + beta, {"Z": Z, "Z_norm": Z_norm, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
        """, "layernorm_forward() out"),
    },
    'layernorm_backward': {
        "batch norm's axis (means over the examples)": ("""
            def layernorm_backward(dout, cache):
                X_hat, var, eps = cache["Z_norm"].T, cache["var"].T, cache["epsilon"]
                D = dout.T * cache["gamma"].T
                dX = (D - D.mean(axis=0) - X_hat * (D * X_hat).mean(axis=0)) / np.sqrt(var + eps)
                return dX.T, (dout.T * X_hat).sum(axis=0)[:, None], dout.T.sum(axis=0)[:, None]
        """, "layernorm_backward() dZ"),
        'the path through the variance forgotten': ("""
            def layernorm_backward(dout, cache):
                Z, mu, var, gamma, eps = cache["Z"], cache["mu"], cache["var"], cache["gamma"], cache["epsilon"]
                std = np.sqrt(var + eps)
                g = dout * gamma
                dmu = -np.sum(g, axis=0, keepdims=True) / std
                dZ = g / std + dmu / Z.shape[0]
                return dZ, np.sum(dout * (Z - mu) / std, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "layernorm_backward() dZ"),
        'dgamma and dbeta summed over the units': ("""
            def layernorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / np.sqrt(var + eps)
                return dZ, np.sum(dout * Z_norm, axis=0, keepdims=True), np.sum(dout, axis=0, keepdims=True)
        """, "layernorm_backward() dgamma: wrong shape: expected (4, 1), got (1, 3)"),
        'epsilon forgotten': ("""
            def layernorm_backward(dout, cache):
                Z_norm, var, gamma = cache["Z_norm"], cache["var"], cache["gamma"]
                dZ_norm = dout * gamma
                dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True)
                      - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / np.sqrt(var)
                return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "layernorm_backward() dZ: "),
        'mean and variance treated as constants': ("""
            def layernorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                return (dout * gamma / np.sqrt(var + eps), np.sum(dout * Z_norm, axis=1, keepdims=True),
                        np.sum(dout, axis=1, keepdims=True))
        """, "layernorm_backward() dZ"),
        'gamma left out of dZ': ("""
            def layernorm_backward(dout, cache):
                Z_norm, var, eps = cache["Z_norm"], cache["var"], cache["epsilon"]
                dZ = (dout - dout.mean(axis=0, keepdims=True)
                      - Z_norm * (dout * Z_norm).mean(axis=0, keepdims=True)) / np.sqrt(var + eps)
                return dZ, np.sum(dout * Z_norm, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)
        """, "layernorm_backward() dZ"),
        'dout scaled in place': ("""
            def layernorm_backward(dout, cache):
                Z_norm, var, gamma, eps = cache["Z_norm"], cache["var"], cache["gamma"], cache["epsilon"]
                dbeta, dgamma = np.sum(dout, axis=1, keepdims=True), np.sum(dout * Z_norm, axis=1, keepdims=True)
                dout *= gamma
                dZ = (dout - dout.mean(axis=0, keepdims=True)
                      - Z_norm * (dout * Z_norm).mean(axis=0, keepdims=True)) / np.sqrt(var + eps)
                return dZ, dgamma, dbeta
        """, "layernorm_backward(): changed its argument 'dout' in place"),
    },
}

HIDDEN_ONLY = {}

# Each docstring line of each graded function (key: a verbatim fragment of the docstring) and the visible check
# that tests it (value: a verbatim fragment of the visible part of the function's test cell); docs/lesson-rules.md 4.
PROMISES = {
    'batchnorm_forward': {
        "Batch normalization of one layer in training mode (statistics of the current batch).":
            "# out against torch.nn.functional.batch_norm (training mode), with epsilon = 1e-3",
        "Z -- pre-activations, array (n_l, m): one unit per row, one example per column": "# 3 units x 5 examples",
        "gamma -- scale, array (n_l, 1)": "gamma, beta = np.array([[2.0], [0.5], [-1.5]]), np.array([[0.5], [-1.0], [3.0]])",
        "beta -- shift, array (n_l, 1)": "gamma, beta = np.array([[2.0], [0.5], [-1.5]]), np.array([[0.5], [-1.0], [3.0]])",
        "epsilon -- number > 0, added to the variance inside the square root": "so its variance is close to epsilon",
        "out -- gamma * Z_norm + beta, array (n_l, m)": "# the worked example: z = [1, 2, 3, 4], gamma 2, beta 0.5",
        "cache -- dict with at least these keys (the only ones batchnorm_backward may read):": 'names=("out", "cache")',
        '"Z": Z (n_l, m)': "expected=(ck.Shape((3, 5)), torch_batchnorm_cache(Z, gamma, 1e-5))",
        '"Z_norm": (Z - mu) / sqrt(var + epsilon), array (n_l, m)':
            "# the cache: mean and biased variance of each unit over the examples (axis 1), then Z_norm",
        '"mu": each unit\'s mean over the m examples, array (n_l, 1)': '{"mu": np.array([[2.5]]), "var": np.array([[1.25]])}',
        '"var": each unit\'s biased variance over the m examples (divided by m), array (n_l, 1)':
            '{"mu": np.array([[2.5]]), "var": np.array([[1.25]])}',
        '"gamma": gamma (n_l, 1)': "torch_batchnorm_cache(Z, gamma, 1e-5)",
        '"epsilon": epsilon (a number)': "torch_batchnorm_cache(Z, gamma, 1e-3)",
        "The arguments are left untouched.": "pure=True",
    },
    'batchnorm_backward': {
        "Backward pass of batchnorm_forward.": "expected=torch_batchnorm_backward(dout, Z, gamma, beta, 1e-5)",
        "dout -- gradient of the cost with respect to out, array (n_l, m) (any 1/m of the cost is already in it)":
            "# a second, independent reference: the numerical gradient (central differences)",
        'cache -- dict from batchnorm_forward; only its keys "Z", "Z_norm", "mu", "var", "gamma", "epsilon" are read':
            "# a cache whose epsilon is large (0.5): the backward pass uses the cache's epsilon",
        "dZ -- gradient with respect to Z, array (n_l, m)": 'names=("dZ", "dgamma", "dbeta")',
        "dgamma -- gradient with respect to gamma, summed over the examples, array (n_l, 1)": 'names=("dZ", "dgamma", "dbeta")',
        "dbeta -- gradient with respect to beta, summed over the examples, array (n_l, 1)": 'names=("dZ", "dgamma", "dbeta")',
    },
    'update_running_stats': {
        "One update of batch norm's running statistics after a training batch (PyTorch's convention).":
            "# three steps of nn.BatchNorm1d(momentum=0.3)",
        "running_mean -- array (n_l, 1)": '"running_mean": states[k][0]',
        "running_var -- array (n_l, 1)": '"running_var": states[k][1]',
        "Z -- the batch's pre-activations, array (n_l, m), m >= 2": "3 units, batches of 5 examples",
        "momentum -- number in [0, 1], the weight of the NEW batch's statistics": '"momentum": 0.3}',
        "running_mean -- (1 - momentum) * running_mean + momentum * (each unit\'s mean over the examples), array (n_l, 1)":
            "expected=(np.array([[0.25]]), np.array([[1.0666666666666667]]))",
        "running_var -- (1 - momentum) * running_var + momentum * (each unit's UNBIASED variance over the examples,":
            "expected=(np.array([[0.25]]), np.array([[1.0666666666666667]]))",
        "the sum of squared deviations divided by m - 1), array (n_l, 1)":
            "expected=(np.array([[0.25]]), np.array([[1.0666666666666667]]))",
        "New arrays; the arguments are left untouched.": "pure=True",
        "Raises:": 'expected=ck.Raises("ValueError")',
        "ValueError -- if the batch has a single example (m == 1): its unbiased variance is undefined":
            "# a batch of one example has no unbiased variance: raise ValueError, as PyTorch does",
    },
    'batchnorm_inference': {
        "Batch normalization at inference: the running statistics in place of the batch's.":
            "# nn.BatchNorm1d trained on three batches of 8 examples (momentum 0.1), then in eval mode on a new batch",
        "Z -- pre-activations, array (n_l, m), any m >= 1": "# a single example",
        "gamma -- scale, array (n_l, 1)": "gamma, beta = np.array([[1.5], [0.8], [-2.0]]), np.array([[0.1], [-0.5], [1.0]])",
        "beta -- shift, array (n_l, 1)": "gamma, beta = np.array([[1.5], [0.8], [-2.0]]), np.array([[0.1], [-0.5], [1.0]])",
        "running_mean -- array (n_l, 1), from update_running_stats": '"running_mean": running_mean, "running_var": running_var}',
        "running_var -- array (n_l, 1), from update_running_stats": '"running_mean": running_mean, "running_var": running_var}',
        "epsilon -- number > 0, added to running_var inside the square root":
            "# running variances close to and below epsilon, and epsilon = 1e-4",
        "out -- gamma * (Z - running_mean) / sqrt(running_var + epsilon) + beta, array (n_l, m)":
            "expected=torch_batchnorm_eval(Z, gamma, beta, running_mean, running_var, 1e-5))",
        "The arguments are left untouched.": "pure=True",
    },
    'layernorm_forward': {
        "Layer normalization: each example normalized over the units of the layer.":
            "expected=(torch_layernorm(Z, gamma, beta, 1e-5), torch_layernorm_cache(Z, gamma, 1e-5))",
        "Z -- pre-activations, array (n_l, m): one unit per row, one example per column":
            "# 4 units x 3 examples, gamma and beta per unit",
        "gamma -- scale, one per unit, array (n_l, 1)":
            "gamma, beta = np.array([[1.5], [-0.5], [2.0], [0.7]]), np.array([[0.3], [0.0], [-1.0], [2.0]])",
        "beta -- shift, one per unit, array (n_l, 1)":
            "gamma, beta = np.array([[1.5], [-0.5], [2.0], [0.7]]), np.array([[0.3], [0.0], [-1.0], [2.0]])",
        "epsilon -- number > 0, added to the variance inside the square root":
            "# epsilon = 0.1, far above the variance of example 2: your function uses its epsilon argument",
        "out -- gamma * Z_norm + beta, array (n_l, m)": "expected=(torch_layernorm(Z, gamma, beta, 1e-5)",
        "cache -- dict with at least the keys:": 'names=("out", "cache")',
        '"Z": Z (n_l, m)': "torch_layernorm_cache(Z, gamma, 1e-5)",
        '"Z_norm": (Z - mu) / sqrt(var + epsilon), array (n_l, m)':
            "# the cache: mean and biased variance of each example over the units (axis 0), then Z_norm",
        '"mu": each example\'s mean over the n_l units, array (1, m)':
            "# the cache: mean and biased variance of each example over the units (axis 0), then Z_norm",
        '"var": each example\'s biased variance over the n_l units (divided by n_l), array (1, m)':
            "# the cache: mean and biased variance of each example over the units (axis 0), then Z_norm",
        '"gamma": gamma (n_l, 1)': "torch_layernorm_cache(Z, gamma, 1e-5)",
        '"epsilon": epsilon (a number)': "torch_layernorm_cache(Z, gamma, 0.1)",
        "The arguments are left untouched.": "pure=True",
    },
    'layernorm_backward': {
        "Backward pass of layernorm_forward.": "expected=torch_layernorm_backward(dout, Z, gamma, beta, 1e-5)",
        "dout -- gradient of the cost with respect to out, array (n_l, m) (any 1/m of the cost is already in it)":
            "# a second, independent reference: the numerical gradient (central differences)",
        'cache -- dict from layernorm_forward; only its keys "Z", "Z_norm", "mu", "var", "gamma", "epsilon" are read':
            "a cache whose epsilon is large (0.5): the backward pass uses the cache's epsilon",
        '("mu" and "var": one value per example, arrays (1, m))':
            "in example 2 all units are equal (variance 0): only epsilon keeps 1/sqrt(var + epsilon) finite",
        "dZ -- gradient with respect to Z, array (n_l, m)": 'names=("dZ", "dgamma", "dbeta")',
        "dgamma -- gradient with respect to gamma, summed over the examples, array (n_l, 1)": 'names=("dZ", "dgamma", "dbeta")',
        "dbeta -- gradient with respect to beta, summed over the examples, array (n_l, 1)": 'names=("dZ", "dgamma", "dbeta")',
        "The arguments are left untouched.": "rtol=1e-6, atol=1e-9, pure=True)",
    },
}
