"""Variants of 08_regularization's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Each correct formulation must pass every test cell of its function; each mistake must fail a visible test with a
message containing its fragment (plain text). The mistakes are the ones learners make with these formulas: the
elastic-net alpha read as scikit-learn's l1_ratio, the slide's lambda / (2m) for L1, lambda / m left out of the L2
gradient, penalized biases, np.linalg.norm(W, 1) of a matrix (its largest column sum), keep and drop probabilities
swapped, dropout without the 1 / keep_prob scaling, in-place updates of the inputs, and early stopping off by one
epoch or remembering the wrong best epoch, and max-norm on the columns (the wrong axis for W of shape
(n_l, n_{l-1})) or on every row rather than only those above c.
"""

CORRECT = {
    'regression_cost': {
        'textbook': """
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                mse = np.mean((y - y_hat) ** 2)
                if kind == "l1":
                    return float(mse + lambd * np.sum(np.abs(w)))
                if kind == "l2":
                    return float(mse + lambd * np.sum(w ** 2))
                return float(mse + lambd * ((1 - alpha) * np.sum(np.abs(w)) + alpha * np.sum(w ** 2)))
        """,
        # norms and dot products, a dict of penalties, a 0-d numpy result
        'norms_and_dot': """
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                r = y - y_hat
                l1, l2 = np.linalg.norm(w, 1), w @ w
                penalty = {"l1": l1, "l2": l2}.get(kind)
                if penalty is None:
                    penalty = (1 - alpha) * l1 + alpha * l2
                return r @ r / len(y) + lambd * penalty
        """,
        # plain Python loops; the elastic net as the mix of the two others
        'python_loops': """
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                m = len(y)
                total = 0.0
                for i in range(m):
                    total += (y[i] - y_hat[i]) ** 2
                mse = total / m
                l1 = sum(abs(v) for v in w)
                l2 = sum(v * v for v in w)
                if kind == "elastic":
                    return mse + lambd * (1 - alpha) * l1 + lambd * alpha * l2
                return mse + lambd * (l1 if kind == "l1" else l2)
        """,
    },
    'l2_penalty': {
        'frobenius_norm': """
            def l2_penalty(parameters, lambd, m):
                L = len(parameters) // 2
                total = 0.0
                for l in range(1, L + 1):
                    total += np.linalg.norm(parameters["W" + str(l)]) ** 2
                return lambd / (2 * m) * total
        """,
        'keys_starting_with_W': """
            def l2_penalty(parameters, lambd, m):
                squares = [np.sum(np.square(v)) for k, v in parameters.items() if k[0] == "W"]
                return float(lambd * sum(squares) / m / 2)
        """,
        # every entry in a loop
        'entry_loop': """
            def l2_penalty(parameters, lambd, m):
                total = 0.0
                for name, W in parameters.items():
                    if name.startswith("W"):
                        for value in W.ravel():
                            total += value * value
                return 0.5 * lambd / m * total
        """,
    },
    'l1_penalty': {
        'abs_sum': """
            def l1_penalty(parameters, lambd, m):
                L = len(parameters) // 2
                return float(lambd / m * sum(np.abs(parameters[f"W{l}"]).sum() for l in range(1, L + 1)))
        """,
        # the vector 1-norm of the flattened matrix (not the matrix 1-norm)
        'norm_of_ravel': """
            def l1_penalty(parameters, lambd, m):
                total = 0.0
                for key in parameters:
                    if key.startswith("W"):
                        total += np.linalg.norm(parameters[key].ravel(), ord=1)
                return lambd * total / m
        """,
        'concatenate_then_sum': """
            def l1_penalty(parameters, lambd, m):
                weights = np.concatenate([v.reshape(-1) for k, v in sorted(parameters.items()) if k.startswith("W")])
                return lambd / m * np.sum(np.abs(weights))
        """,
    },
    'regularized_gradients': {
        'dict_comprehension': """
            def regularized_gradients(grads, parameters, lambd, m, kind):
                def term(W):
                    return W if kind == "l2" else np.sign(W)
                return {k: (g + lambd / m * term(parameters[k[1:]]) if k.startswith("dW") else g)
                        for k, g in grads.items()}
        """,
        # a shallow copy of the dict, then new arrays for the dW entries; sign by np.where
        'copy_then_replace': """
            def regularized_gradients(grads, parameters, lambd, m, kind):
                new_grads = grads.copy()
                L = len(parameters) // 2
                for l in range(1, L + 1):
                    W = parameters["W" + str(l)]
                    if kind == "l2":
                        extra = (lambd / m) * W
                    else:
                        extra = (lambd / m) * np.where(W > 0, 1.0, np.where(W < 0, -1.0, 0.0))
                    new_grads["dW" + str(l)] = grads["dW" + str(l)] + extra
                return new_grads
        """,
        # copies of every array (db copied too), then in-place additions on the copies
        'deep_copy_then_in_place': """
            import copy
            def regularized_gradients(grads, parameters, lambd, m, kind):
                out = copy.deepcopy(grads)
                for name, W in parameters.items():
                    if name.startswith("W"):
                        if kind == "l2":
                            out["d" + name] += lambd * W / m
                        else:
                            out["d" + name] += lambd * np.sign(W) / m
                return out
        """,
    },
    'dropout_mask': {
        'boolean': """
            def dropout_mask(shape, keep_prob, rng):
                return rng.random(shape) < keep_prob
        """,
        'floats_from_uniform': """
            def dropout_mask(shape, keep_prob, rng):
                u = rng.uniform(0.0, 1.0, size=shape)
                return (u < keep_prob).astype(float)
        """,
        # integers 0 / 1 through np.where
        'where_ints': """
            def dropout_mask(shape, keep_prob, rng):
                return np.where(rng.random(size=shape) < keep_prob, 1, 0)
        """,
    },
    'dropout_forward': {
        'multiply_divide': """
            def dropout_forward(A, keep_prob, mask):
                return A * mask / keep_prob
        """,
        'where': """
            def dropout_forward(A, keep_prob, mask):
                return np.where(mask, A / keep_prob, 0.0)
        """,
        # a copy changed in place
        'copy_in_place': """
            def dropout_forward(A, keep_prob, mask):
                out = A.copy()
                out *= mask
                out /= keep_prob
                return out
        """,
    },
    'dropout_backward': {
        'multiply_divide': """
            def dropout_backward(dA, keep_prob, mask):
                return dA * mask / keep_prob
        """,
        'np_multiply_reciprocal': """
            def dropout_backward(dA, keep_prob, mask):
                return np.multiply(dA, mask.astype(float)) * (1.0 / keep_prob)
        """,
    },
    'early_stopping': {
        'counter_loop': """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = float("inf"), 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return best_epoch, epoch
                return best_epoch, len(val_losses) - 1
        """,
        # index arithmetic: the count of non-improving epochs is epoch - best_epoch
        'index_arithmetic': """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch = np.inf, 0
                for epoch in range(len(val_losses)):
                    if val_losses[epoch] < best - min_delta:
                        best, best_epoch = val_losses[epoch], epoch
                    elif epoch - best_epoch >= patience:
                        return best_epoch, epoch
                return best_epoch, len(val_losses) - 1
        """,
        # Keras's form: count first, improvement written as loss + min_delta < best
        'keras_style': """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait, stop = None, None, 0, None
                for epoch, loss in enumerate(val_losses):
                    wait += 1
                    if best is None or loss + min_delta < best:
                        best, best_epoch, wait = loss, epoch, 0
                    elif wait >= patience:
                        stop = epoch
                        break
                if stop is None:
                    stop = len(val_losses) - 1
                return int(best_epoch), int(stop)
        """,
    },
    'max_norm': {
        # a scale per row: 1 for rows within c, c / norm above it
        'textbook': """
            def max_norm(W, c):
                norms = np.linalg.norm(W, axis=1, keepdims=True)
                return W * (c / np.maximum(norms, c))
        """,
        # np.where on the rows above c (a zero row divides by zero in the branch np.where does not keep)
        'where_above': """
            def max_norm(W, c):
                norms = np.sqrt(np.sum(W ** 2, axis=1, keepdims=True))
                return np.where(norms > c, W * c / norms, W)
        """,
        # a loop over the units, on a copy
        'loop_over_rows': """
            def max_norm(W, c):
                W_capped = W.copy()
                for j in range(W.shape[0]):
                    norm = np.sqrt(W[j] @ W[j])
                    if norm > c:
                        W_capped[j] = W[j] * (c / norm)
                return W_capped
        """,
    },
}

MISTAKES = {
    'regression_cost': {
        # scikit-learn's l1_ratio convention: alpha on the L1 part
        'alpha_weighs_l1': ("""
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                mse = np.mean((y - y_hat) ** 2)
                l1, l2 = np.sum(np.abs(w)), np.sum(w ** 2)
                if kind == "l1":
                    return mse + lambd * l1
                if kind == "l2":
                    return mse + lambd * l2
                return mse + lambd * (alpha * l1 + (1 - alpha) * l2)
        """, "regression_cost(kind='elastic'), where alpha weighs the L2 part and 1 - alpha the L1 part: 1 of 1 entries differ; worst value: got 0.3825"),
        'sum_of_squares_not_mean': ("""
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                sse = np.sum((y - y_hat) ** 2)
                l1, l2 = np.sum(np.abs(w)), np.sum(w ** 2)
                penalty = l1 if kind == "l1" else l2 if kind == "l2" else (1 - alpha) * l1 + alpha * l2
                return sse + lambd * penalty
        """, "regression_cost(kind='l1') = mean squared error + lambd sum|w|: 1 of 1 entries differ; worst value: got 0.65"),
        # scikit-learn's 1 / (2m)
        'half_mean_squared_error': ("""
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                mse = np.mean((y - y_hat) ** 2) / 2
                l1, l2 = np.sum(np.abs(w)), np.sum(w ** 2)
                penalty = l1 if kind == "l1" else l2 if kind == "l2" else (1 - alpha) * l1 + alpha * l2
                return mse + lambd * penalty
        """, "regression_cost(kind='l1') = mean squared error + lambd sum|w|: 1 of 1 entries differ; worst value: got 0.275"),
        'l2_norm_not_squared': ("""
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                mse = np.mean((y - y_hat) ** 2)
                l1, l2 = np.linalg.norm(w, 1), np.linalg.norm(w)
                penalty = l1 if kind == "l1" else l2 if kind == "l2" else (1 - alpha) * l1 + alpha * l2
                return mse + lambd * penalty
        """, "regression_cost(kind='l2') = mean squared error + lambd sum w^2: 1 of 1 entries differ; worst value: got 0.3618"),
        'l1_without_abs': ("""
            def regression_cost(y, y_hat, w, lambd, kind, alpha=None):
                mse = np.mean((y - y_hat) ** 2)
                l1, l2 = np.sum(w), np.sum(w ** 2)
                penalty = l1 if kind == "l1" else l2 if kind == "l2" else (1 - alpha) * l1 + alpha * l2
                return mse + lambd * penalty
        """, "regression_cost(kind='l1') = mean squared error + lambd sum|w|: 1 of 1 entries differ; worst value: got 0.2,"),
    },
    'l2_penalty': {
        'biases_penalized': ("""
            def l2_penalty(parameters, lambd, m):
                return lambd / (2 * m) * sum(np.sum(v ** 2) for v in parameters.values())
        """, "l2_penalty() with all weights 0 and nonzero biases (biases are not penalized): 1 of 1 entries differ; worst value: got 0.09375"),
        'no_division_by_m': ("""
            def l2_penalty(parameters, lambd, m):
                return lambd / 2 * sum(np.sum(v ** 2) for k, v in parameters.items() if k.startswith("W"))
        """, "l2_penalty() = lambd / (2m) * (sum of W^2) on the worked example: 1 of 1 entries differ; worst value: got 0.325,"),
        # lambd / m: the 1/2 forgotten
        'without_the_half': ("""
            def l2_penalty(parameters, lambd, m):
                return lambd / m * sum(np.sum(v ** 2) for k, v in parameters.items() if k.startswith("W"))
        """, "l2_penalty() = lambd / (2m) * (sum of W^2) on the worked example: 1 of 1 entries differ; worst value: got 0.1625,"),
        # a norm without the square
        'norm_not_squared': ("""
            def l2_penalty(parameters, lambd, m):
                return lambd / (2 * m) * sum(np.linalg.norm(v) for k, v in parameters.items() if k.startswith("W"))
        """, "l2_penalty() = lambd / (2m) * (sum of W^2) on the worked example: 1 of 1 entries differ; worst value: got 0.0375,"),
        'two_layers_hard_coded': ("""
            def l2_penalty(parameters, lambd, m):
                W1, W2 = parameters["W1"], parameters["W2"]
                return lambd / (2 * m) * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        """, "l2_penalty() = lambd / (2m) * (sum of W^2 over all layers): 1 of 1 entries differ; worst value: got 1.37"),
    },
    'l1_penalty': {
        # the slide's lambda / (2m)
        'slide_half': ("""
            def l1_penalty(parameters, lambd, m):
                return lambd / (2 * m) * sum(np.sum(np.abs(v)) for k, v in parameters.items() if k.startswith("W"))
        """, "l1_penalty() = lambd / m * (sum of |W|) on the worked example: 1 of 1 entries differ; worst value: got 0.0625,"),
        'biases_penalized': ("""
            def l1_penalty(parameters, lambd, m):
                return lambd / m * sum(np.sum(np.abs(v)) for v in parameters.values())
        """, "l1_penalty() with all weights 0 and nonzero biases (biases are not penalized): 1 of 1 entries differ; worst value: got 0.125,"),
        # np.linalg.norm(W, 1) of a matrix is its largest column sum
        'matrix_one_norm': ("""
            def l1_penalty(parameters, lambd, m):
                return lambd / m * sum(np.linalg.norm(v, 1) for k, v in parameters.items() if k.startswith("W"))
        """, "l1_penalty() = lambd / m * (sum of |W|) on the worked example: 1 of 1 entries differ; worst value: got 0.0875,"),
        'without_abs': ("""
            def l1_penalty(parameters, lambd, m):
                return lambd / m * sum(np.sum(v) for k, v in parameters.items() if k.startswith("W"))
        """, "l1_penalty() = lambd / m * (sum of |W|) on the worked example: 1 of 1 entries differ; worst value: got 0.05,"),
    },
    'regularized_gradients': {
        'l2_without_division_by_m': ("""
            def regularized_gradients(grads, parameters, lambd, m, kind):
                out = dict(grads)
                for k, W in parameters.items():
                    if k.startswith("W"):
                        out["d" + k] = grads["d" + k] + lambd * (W if kind == "l2" else np.sign(W) / m)
                return out
        """, "regularized_gradients(kind='l2') [adds (lambd / m) W to each dW, leaves db alone]['dW1']"),
        'biases_penalized': ("""
            def regularized_gradients(grads, parameters, lambd, m, kind):
                out = {}
                for k, P in parameters.items():
                    out["d" + k] = grads["d" + k] + lambd / m * (P if kind == "l2" else np.sign(P))
                return out
        """, "regularized_gradients(kind='l2') [adds (lambd / m) W to each dW, leaves db alone]['db1']: 1 of 1 entries differ"),
        # the slide's lambda / (2m) for L1
        'l1_slide_half': ("""
            def regularized_gradients(grads, parameters, lambd, m, kind):
                out = dict(grads)
                for k, W in parameters.items():
                    if k.startswith("W"):
                        out["d" + k] = grads["d" + k] + (lambd / m * W if kind == "l2" else lambd / (2 * m) * np.sign(W))
                return out
        """, "regularized_gradients(kind='l1') [adds (lambd / m) sign(W) to each dW, leaves db alone]['dW1']: 1 of 1 entries differ; worst at index (0, 0): got 0.15,"),
        # the derivative of lambd / (2m) W^2 taken as lambd / (2m) W
        'l2_half': ("""
            def regularized_gradients(grads, parameters, lambd, m, kind):
                out = dict(grads)
                for k, W in parameters.items():
                    if k.startswith("W"):
                        out["d" + k] = grads["d" + k] + (lambd / (2 * m) * W if kind == "l2" else lambd / m * np.sign(W))
                return out
        """, "regularized_gradients(kind='l2') [adds (lambd / m) W to each dW, leaves db alone]['dW1']: 1 of 1 entries differ; worst at index (0, 0): got 0.125,"),
        'in_place_on_grads': ("""
            def regularized_gradients(grads, parameters, lambd, m, kind):
                for k, W in parameters.items():
                    if k.startswith("W"):
                        grads["d" + k] += lambd / m * (W if kind == "l2" else np.sign(W))
                return grads
        """, "changed its argument 'grads' in place"),
        # sign as W / |W|: NaN where a weight is 0
        'sign_by_division': ("""
            def regularized_gradients(grads, parameters, lambd, m, kind):
                out = dict(grads)
                for k, W in parameters.items():
                    if k.startswith("W"):
                        out["d" + k] = grads["d" + k] + lambd / m * (W if kind == "l2" else W / np.abs(W))
                return out
        """, "regularized_gradients(kind='l1') [adds (lambd / m) sign(W) to each dW, sign(0) = 0]['dW2']: 1 of 15 entries are not finite"),
    },
    'dropout_mask': {
        'keep_and_drop_swapped': ("""
            def dropout_mask(shape, keep_prob, rng):
                return rng.random(shape) > keep_prob
        """, "dropout_mask(keep_prob=1.0) [keep_prob is the probability of keeping a unit, so all are kept]"),
        'drop_probability_as_threshold': ("""
            def dropout_mask(shape, keep_prob, rng):
                return rng.random(shape) < 1 - keep_prob
        """, "dropout_mask(keep_prob=1.0) [keep_prob is the probability of keeping a unit, so all are kept]"),
        'global_generator': ("""
            def dropout_mask(shape, keep_prob, rng):
                return np.random.rand(*shape) < keep_prob
        """, "dropout_mask() [True where rng.random(shape) < keep_prob]"),
        # Bernoulli draws: a valid dropout, but other numbers than the recipe's
        'binomial_draws': ("""
            def dropout_mask(shape, keep_prob, rng):
                return rng.binomial(1, keep_prob, size=shape)
        """, "dropout_mask() [True where rng.random(shape) < keep_prob]"),
    },
    'dropout_forward': {
        'no_scaling': ("""
            def dropout_forward(A, keep_prob, mask):
                return A * mask
        """, "dropout_forward() [A * mask / keep_prob]: 4 of 6 entries differ"),
        'divided_by_drop_probability': ("""
            def dropout_forward(A, keep_prob, mask):
                return A * mask / (1 - keep_prob)
        """, "dropout_forward() [A * mask / keep_prob]: 4 of 6 entries differ"),
        # the test-time scaling of standard dropout, applied in training
        'times_keep_prob': ("""
            def dropout_forward(A, keep_prob, mask):
                return A * mask * keep_prob
        """, "dropout_forward() [A * mask / keep_prob]: 4 of 6 entries differ"),
        'in_place_on_A': ("""
            def dropout_forward(A, keep_prob, mask):
                A *= mask
                A /= keep_prob
                return A
        """, "changed its argument 'A' in place"),
    },
    'dropout_backward': {
        'no_scaling': ("""
            def dropout_backward(dA, keep_prob, mask):
                return dA * mask
        """, "dropout_backward() [dA * mask / keep_prob]: 4 of 6 entries differ"),
        'mask_forgotten': ("""
            def dropout_backward(dA, keep_prob, mask):
                return dA / keep_prob
        """, "dropout_backward() [dA * mask / keep_prob]: 2 of 6 entries differ"),
        'times_keep_prob': ("""
            def dropout_backward(dA, keep_prob, mask):
                return dA * mask * keep_prob
        """, "dropout_backward() [dA * mask / keep_prob]: 4 of 6 entries differ"),
    },
    'early_stopping': {
        # stops one epoch late: wait > patience
        'off_by_one_late': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait > patience:
                            return best_epoch, epoch
                return best_epoch, len(val_losses) - 1
        """, "early_stopping() [stops AT the epoch that completes `patience` non-improving epochs, counted from 0]: got (4, 4), expected (1, 3)"),
        # epochs counted from 1 for the stop
        'stop_counted_from_one': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return best_epoch, epoch + 1
                return best_epoch, len(val_losses) - 1
        """, "early_stopping() [stops AT the epoch that completes `patience` non-improving epochs, counted from 0]: got (1, 4), expected (1, 3)"),
        # the best epoch follows every new minimum, improving or not
        'best_epoch_is_argmin': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, wait = np.inf, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        best, wait = loss, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return int(np.argmin(val_losses[:epoch + 1])), epoch
                return int(np.argmin(val_losses)), len(val_losses) - 1
        """, "early_stopping() on the example [an epoch improves only if loss < best - min_delta; best_epoch is the last improving epoch]: got (4, 4), expected (2, 4)"),
        # best loss updated at every new minimum, the count reset only by min_delta improvements
        'best_updated_without_min_delta': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        wait = 0
                    else:
                        wait += 1
                    if loss < best:
                        best, best_epoch = loss, epoch
                    if wait >= patience:
                        return best_epoch, epoch
                return best_epoch, len(val_losses) - 1
        """, "early_stopping() on the example [an epoch improves only if loss < best - min_delta; best_epoch is the last improving epoch]: got (2, 2), expected (2, 4)"),
        'count_not_reset': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, bad = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        best, best_epoch = loss, epoch
                    else:
                        bad += 1
                        if bad >= patience:
                            return best_epoch, epoch
                return best_epoch, len(val_losses) - 1
        """, "early_stopping() [an improvement resets the count of non-improving epochs]: got (2, 3), expected (2, 4)"),
        'compared_with_previous_epoch': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                previous, best_epoch, wait = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < previous - min_delta:
                        best_epoch, wait = epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return best_epoch, epoch
                    previous = loss
                return best_epoch, len(val_losses) - 1
        """, "early_stopping() [improvement is measured against the best loss, not the previous epoch]: got (5, 5), expected (1, 4)"),
        'not_strict': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss <= best - min_delta:
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return best_epoch, epoch
                return best_epoch, len(val_losses) - 1
        """, "early_stopping() [a loss of exactly best - min_delta is not an improvement]: got (3, 3), expected (2, 3)"),
        'never_stopping_returns_none': ("""
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = np.inf, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if loss < best - min_delta:
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return best_epoch, epoch
                return best_epoch, None
        """, "early_stopping() when every epoch improves [never stops: stop_epoch = len - 1][1]: expected an integer, got NoneType"),
    },
    'max_norm': {
        # the norm of each column: the outgoing weights of an input, the wrong axis for W (n_l, n_{l-1})
        'columns_not_rows': ("""
            def max_norm(W, c):
                norms = np.linalg.norm(W, axis=0, keepdims=True)
                return W * (c / np.maximum(norms, c))
        """, "each ROW (axis=1) whose norm exceeds c is multiplied by c / norm, the others stay]: 7 of 12 entries differ"),
        # every row rescaled to norm c, also the short ones
        'rescales_every_row': ("""
            def max_norm(W, c):
                norms = np.linalg.norm(W, axis=1, keepdims=True)
                return W * c / np.where(norms == 0, 1.0, norms)
        """, "max_norm() [rows whose norm is at most c are left unchanged]: 2 of 6 entries differ"),
        # one norm for the whole matrix (Frobenius)
        'whole_matrix': ("""
            def max_norm(W, c):
                norm = np.linalg.norm(W)
                return W * (c / norm) if norm > c else W.copy()
        """, "max_norm() [rows whose norm is at most c are left unchanged]: 4 of 6 entries differ"),
        # rows rescaled in place: the caller's W changes
        'in_place': ("""
            def max_norm(W, c):
                norms = np.linalg.norm(W, axis=1, keepdims=True)
                W *= c / np.maximum(norms, c)
                return W
        """, "changed its argument 'W' in place"),
    },
}

HIDDEN_ONLY = {}

# Every line of each graded function's docstring (docs/lesson-rules.md, section 4): a fragment of it, and a fragment
# of the visible check that tests it.
PROMISES = {
    'regression_cost': {
        "Mean squared error plus an L1, L2 or elastic-net penalty on the weights.":
            "regression_cost(kind='l1') = mean squared error + lambd sum|w|",
        "y -- targets, array (m,)": "5 examples, 3 weights",
        "y_hat -- predictions, array (m,)": "y, y_hat, w = rng.standard_normal(5), rng.standard_normal(5), rng.standard_normal(3)",
        "w -- weights, array (k,) (the bias is not among them: it is not penalized)":
            "y_hat = (2.5, 5.5), w = (0.5, -1)",
        "lambd -- float >= 0, the strength of the penalty": '"lambd": 0.7',
        'kind -- "l1": lambd * sum|w|;  "l2": lambd * sum w^2;':
            "regression_cost(kind='l2') = mean squared error + lambd sum w^2",
        '"elastic": lambd * ((1 - alpha) * sum|w| + alpha * sum w^2), alpha weighing the L2 part':
            "where alpha weighs the L2 part and 1 - alpha the L1 part",
        'alpha -- float in [0, 1], used by "elastic" only': "alpha = 0 is the lasso, alpha = 1 ridge",
        "cost -- float, (1/m) sum (y - y_hat)^2 + the penalty": "expected=0.40, rtol=1e-9",
    },
    'l2_penalty': {
        "The L2 penalty of a network's weights.": "l2_penalty() = lambd / (2m) * (sum of W^2) on the worked example",
        'parameters -- dict "W{l}": array (n_l, n_{l-1}), "b{l}": array (n_l, 1), l = 1..L':
            "parameters, _ = random_network([4, 5, 3, 2], seed=81)",
        "lambd -- float >= 0, the strength of the penalty": '"lambd": 0.7',
        "m -- int, the number of training examples": '"m": 10',
        "penalty -- float, lambd / (2 m) * (sum over l of the sum of the squared entries of W{l})":
            "l2_penalty() = lambd / (2m) * (sum of W^2 over all layers)",
        "biases excluded": "l2_penalty() with all weights 0 and nonzero biases (biases are not penalized)",
    },
    'l1_penalty': {
        "The L1 penalty of a network's weights.": "l1_penalty() = lambd / m * (sum of |W|) on the worked example",
        'parameters -- dict "W{l}": array (n_l, n_{l-1}), "b{l}": array (n_l, 1), l = 1..L':
            "parameters, _ = random_network([4, 5, 3, 2], seed=82)",
        "lambd -- float >= 0, the strength of the penalty": '"lambd": 0.7',
        "m -- int, the number of training examples": '"m": 10',
        "penalty -- float, lambd / m * (sum over l of the sum of |entries| of W{l})":
            "l1_penalty() = lambd / m * (sum of |W| over all layers)",
        "biases excluded": "l1_penalty() with all weights 0 and nonzero biases (biases are not penalized)",
    },
    'regularized_gradients': {
        "Add the gradient of the L2 or L1 penalty to the weight gradients.":
            "regularized_gradients(kind='l2') [adds (lambd / m) W to each dW, leaves db alone]",
        'grads -- dict "dW{l}": array (n_l, n_{l-1}), "db{l}": array (n_l, 1), l = 1..L (gradients of the cost J)':
            "a 4-5-3-2 network (three layers), m = 5",
        'parameters -- dict "W{l}": array (n_l, n_{l-1}), "b{l}": array (n_l, 1)':
            "parameters, grads = random_network([4, 5, 3, 2], seed=83)",
        "lambd -- float >= 0, the strength of the penalty": '"lambd": 0.3',
        "m -- int, the number of training examples": '"m": 5',
        'kind -- "l2": dW{l} + (lambd / m) * W{l};':
            "oracles: torch.optim.SGD with weight_decay = lambd / m on the weights (L2)",
        '"l1": dW{l} + (lambd / m) * sign(W{l}), with sign(0) = 0':
            "[adds (lambd / m) sign(W) to each dW, sign(0) = 0]",
        'new_grads -- a new dict: the regularized "dW{l}" and the unchanged "db{l}"':
            'expected={"dW1": np.array([[0.15]]), "db1": np.array([[-0.3]])}',
        "(grads and parameters are left untouched)": "pure=True",
    },
    'dropout_mask': {
        "A random dropout mask.": "the recipe, entry by entry",
        "shape -- tuple of ints, the shape of the activations, e.g. (n_l, m)": '"shape": (4, 6)',
        "keep_prob -- float in [0, 1], the probability of KEEPING each unit":
            "[keep_prob is the probability of keeping a unit, so none is kept]",
        "rng -- np.random.Generator: the mask comes from one call rng.random(shape) on it":
            "a 5x2 mask with keep_prob 0.3 from a generator",
        "mask -- array of shape `shape`, True (or 1.0) where rng.random(shape) < keep_prob, else False (or 0.0)":
            "dropout_mask() [True where rng.random(shape) < keep_prob]",
    },
    'dropout_forward': {
        "Inverted dropout on a layer's activations.": "dropout_forward() [A * mask / keep_prob]",
        "A -- activations, array (n_l, m)": "A = np.random.default_rng(86).standard_normal((4, 6))",
        "keep_prob -- float in (0, 1], the probability of keeping each unit":
            "kept entries divided by keep_prob = 0.8, dropped ones 0",
        "mask -- array (n_l, m) of bools or of 0.0 / 1.0: True / 1.0 where the unit is kept":
            "the same mask as booleans and as 0.0 / 1.0",
        "A_drop -- array (n_l, m): A * mask / keep_prob (A is left untouched)":
            'ck.check(dropout_forward, {"A": A, "keep_prob": 0.8, "mask": mask}, expected=expected, pure=True,',
    },
    'dropout_backward': {
        "Backward pass of inverted dropout.":
            "oracle: autograd through torch.nn.Dropout(p = 1 - keep_prob), on torch's mask",
        "dA -- gradient with respect to the output of dropout_forward, array (n_l, m)":
            "A, dA = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))",
        "keep_prob -- float in (0, 1], the probability of keeping each unit":
            "by hand, boolean and 0.0 / 1.0 masks with keep_prob = 0.8",
        "mask -- the mask of the forward pass, array (n_l, m) of bools or of 0.0 / 1.0":
            "dropout_backward() [dA * mask / keep_prob, mask of 0.0 / 1.0]",
        "dA_prev -- array (n_l, m): dA * mask / keep_prob (dA is left untouched)":
            'ck.check(dropout_backward, {"dA": dA, "keep_prob": 0.8, "mask": mask}, expected=expected, pure=True,',
    },
    'early_stopping': {
        "When early stopping would stop training, and which epoch's weights it keeps.":
            "Each check isolates one part of the rule",
        "val_losses -- list or array (n_epochs,) of validation losses, epoch 0 first":
            '"val_losses": np.array([1.0, 0.5, 0.9, 0.8, 0.7, 0.6])',
        "patience -- int >= 1, the number of non-improving epochs in a row that stops training":
            "stops AT the epoch that completes `patience` non-improving epochs, counted from 0",
        "min_delta -- float >= 0: an epoch improves only if its loss < best - min_delta (best starts at +inf)":
            "a loss of exactly best - min_delta is not an improvement",
        "best_epoch -- int, the last improving epoch (whose weights are kept)":
            "best_epoch is the last improving epoch",
        "stop_epoch -- int, the epoch that completes `patience` non-improving epochs in a row,":
            "[an improvement resets the count of non-improving epochs]",
        "or len(val_losses) - 1 if that never happens": "[never stops: stop_epoch = len - 1]",
    },
    'max_norm': {
        "Max-norm constraint: cap the L2 norm of every unit's incoming weight vector.":
            "[one norm per ROW: a unit's incoming weights]",
        "W -- weights of one layer, array (n_l, n_{l-1}); row j holds the incoming weights of unit j":
            "a 5x3 layer (5 units, 3 inputs each)",
        "c -- float > 0, the largest L2 norm a row may keep": "rows on both sides of c = 1.2",
        "W_capped -- a new array (n_l, n_{l-1}): every row whose L2 norm exceeds c multiplied by c / norm (so its":
            "[each ROW (axis=1) whose norm exceeds c is multiplied by c / norm, the others stay]",
        "norm becomes c), every other row unchanged (W is left untouched)":
            "[rows whose norm is at most c are left unchanged]",
    },
}
