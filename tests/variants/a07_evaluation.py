"""Variants of 07_evaluation's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Each correct formulation must pass every test cell of its function; each mistake must fail a visible test with a
message containing its fragment (plain text). split_indices is judged by properties (sizes, disjoint and complete,
shuffled, reproducible from the seed), so every correct shuffle passes; kfold_indices and cross_validate are
compared with scikit-learn's KFold and cross_val_score. The mistakes are the ones learners make with these ideas:
sizes rounded up, overlapping parts, the seed ignored (global generator) or not fixed, no shuffle, KFold's larger
folds put at the end or the remainder dropped, fitting on the validation fold, a mean instead of the k scores,
variance with ddof=1, the bias not squared, "variance" on a tie, training and validation errors swapped, and a learning curve
scored on the whole training set, on the last n examples, on n - 1 of them, or with its sizes sorted.
"""

CORRECT = {
    'split_indices': {
        'test_first_permutation': """
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test = int(test_fraction * m)
                n_val = int(val_fraction * m)
                perm = np.random.default_rng(seed).permutation(m)
                return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]
        """,
        # training first, then validation, then test, from an in-place shuffle of arange
        'shuffle_train_first': """
            def split_indices(m, val_fraction, test_fraction, seed):
                idx = np.arange(m)
                rng = np.random.default_rng(seed)
                rng.shuffle(idx)
                n_val, n_test = int(m * val_fraction), int(m * test_fraction)
                n_train = m - n_val - n_test
                return idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]
        """,
        # rng.choice without replacement, math.floor, each part sorted afterwards (still a random split)
        'choice_floor_sorted_parts': """
            import math

            def split_indices(m, val_fraction, test_fraction, seed):
                n_test = math.floor(test_fraction * m)
                n_val = math.floor(val_fraction * m)
                order = np.random.default_rng(seed).choice(m, size=m, replace=False)
                test_idx = np.sort(order[:n_test])
                val_idx = np.sort(order[n_test:n_test + n_val])
                train_idx = np.sort(order[n_test + n_val:])
                return train_idx, val_idx, test_idx
        """,
        # np.split at cumulative sizes
        'np_split': """
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                perm = np.random.default_rng(seed).permutation(m)
                test_idx, val_idx, train_idx = np.split(perm, [n_test, n_test + n_val])
                return train_idx, val_idx, test_idx
        """,
        # test taken from the end, then validation from the end of the rest
        'test_last_slices': """
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                idx = np.random.default_rng(seed).permutation(m)
                rest, test_idx = idx[:m - n_test], idx[m - n_test:]
                train_idx, val_idx = rest[:len(rest) - n_val], rest[len(rest) - n_val:]
                return train_idx, val_idx, test_idx
        """,
    },
    'kfold_indices': {
        'sizes_loop': """
            def kfold_indices(m, k):
                folds, start = [], 0
                for i in range(k):
                    size = m // k + (1 if i < m % k else 0)
                    val_idx = np.arange(start, start + size)
                    train_idx = np.concatenate([np.arange(start), np.arange(start + size, m)])
                    folds.append((train_idx, val_idx))
                    start += size
                return folds
        """,
        'array_split_setdiff': """
            def kfold_indices(m, k):
                idx = np.arange(m)
                return [(np.setdiff1d(idx, val), val) for val in np.array_split(idx, k)]
        """,
        'boolean_mask': """
            def kfold_indices(m, k):
                idx = np.arange(m)
                out = []
                for val in np.array_split(idx, k):
                    mask = np.ones(m, dtype=bool)
                    mask[val] = False
                    out.append((idx[mask], val))
                return out
        """,
        'np_delete_tuples': """
            def kfold_indices(m, k):
                bounds = np.cumsum([0] + [m // k + 1] * (m % k) + [m // k] * (k - m % k))
                return [(np.delete(np.arange(m), np.arange(a, b)), np.arange(a, b))
                        for a, b in zip(bounds[:-1], bounds[1:])]
        """,
        'sklearn_kfold': """
            from sklearn.model_selection import KFold

            def kfold_indices(m, k):
                return list(KFold(n_splits=k).split(np.zeros(m)))
        """,
        'python_lists': """
            def kfold_indices(m, k):
                q, r = divmod(m, k)
                folds, start = [], 0
                for i in range(k):
                    stop = start + q + (i < r)
                    folds.append(([j for j in range(m) if not start <= j < stop], list(range(start, stop))))
                    start = stop
                return folds
        """,
    },
    'cross_validate': {
        'with_kfold_indices': """
            def cross_validate(fit, score, X, Y, k):
                scores = []
                for train_idx, val_idx in kfold_indices(X.shape[1], k):
                    model = fit(X[:, train_idx], Y[:, train_idx])
                    scores.append(score(model, X[:, val_idx], Y[:, val_idx]))
                return np.array(scores)
        """,
        'array_split_inline': """
            def cross_validate(fit, score, X, Y, k):
                m = X.shape[1]
                out = np.zeros(k)
                for i, val in enumerate(np.array_split(np.arange(m), k)):
                    train = np.setdiff1d(np.arange(m), val)
                    out[i] = score(fit(X[:, train], Y[:, train]), X[:, val], Y[:, val])
                return out
        """,
        'sklearn_kfold_list_comprehension': """
            from sklearn.model_selection import KFold

            def cross_validate(fit, score, X, Y, k):
                return np.array([score(fit(X[:, tr], Y[:, tr]), X[:, va], Y[:, va])
                                 for tr, va in KFold(n_splits=k).split(X.T)])
        """,
        'np_take_list': """
            def cross_validate(fit, score, X, Y, k):
                results = []
                for train_idx, val_idx in kfold_indices(X.shape[1], k):
                    model = fit(np.take(X, train_idx, axis=1), np.take(Y, train_idx, axis=1))
                    results.append(float(score(model, np.take(X, val_idx, axis=1), np.take(Y, val_idx, axis=1))))
                return results
        """,
    },
    'bias_variance': {
        'np_var': """
            def bias_variance(predictions, truth):
                mean_prediction = np.mean(predictions, axis=0)
                return float(np.mean((mean_prediction - truth) ** 2)), float(np.mean(np.var(predictions, axis=0)))
        """,
        'mean_of_squares': """
            def bias_variance(predictions, truth):
                S = predictions.shape[0]
                avg = predictions.sum(axis=0) / S
                bias_squared = np.mean((avg - truth) ** 2)
                variance = np.mean(np.sum((predictions - avg) ** 2, axis=0) / S)
                return bias_squared, variance
        """,
        # E[p^2] - E[p]^2, points in a loop
        'moments_loop': """
            def bias_variance(predictions, truth):
                S, n = predictions.shape
                b2 = v = 0.0
                for j in range(n):
                    p = predictions[:, j]
                    mean = p.sum() / S
                    b2 += (mean - truth[j]) ** 2
                    v += (p ** 2).sum() / S - mean ** 2
                return b2 / n, v / n
        """,
        'std_squared_keepdims': """
            def bias_variance(predictions, truth):
                mean = predictions.mean(axis=0, keepdims=True)
                bias_squared = ((mean - truth[None, :]) ** 2).mean()
                variance = (predictions.std(axis=0) ** 2).mean()
                return bias_squared.item(), variance.item()
        """,
    },
    'diagnose': {
        'textbook': """
            def diagnose(human_error, train_error, val_error):
                avoidable_bias = train_error - human_error
                variance = val_error - train_error
                return {"avoidable_bias": avoidable_bias, "variance": variance,
                        "focus": "bias" if avoidable_bias >= variance else "variance"}
        """,
        'if_else_floats': """
            def diagnose(human_error, train_error, val_error):
                result = {"avoidable_bias": float(train_error - human_error),
                          "variance": float(val_error - train_error)}
                if result["variance"] > result["avoidable_bias"]:
                    result["focus"] = "variance"
                else:
                    result["focus"] = "bias"
                return result
        """,
        'max_with_key': """
            def diagnose(human_error, train_error, val_error):
                gaps = {"bias": train_error - human_error, "variance": val_error - train_error}
                focus = max(["bias", "variance"], key=lambda name: gaps[name])   # first wins a tie
                return dict(avoidable_bias=gaps["bias"], variance=gaps["variance"], focus=focus)
        """,
    },
    'learning_curve': {
        # a loop over the sizes, two lists
        'loop': """
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                train_scores, val_scores = [], []
                for n in sizes:
                    model = fit(X_train[:, :n], Y_train[:, :n])
                    train_scores.append(score(model, X_train[:, :n], Y_train[:, :n]))
                    val_scores.append(score(model, X_val, Y_val))
                return np.array(train_scores), np.array(val_scores)
        """,
        # the models first, then two comprehensions; index arrays for the first n columns
        'models_then_scores': """
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                subsets = [(X_train[:, np.arange(n)], Y_train[:, np.arange(n)]) for n in sizes]
                models = [fit(Xs, Ys) for Xs, Ys in subsets]
                train_scores = np.array([score(mdl, Xs, Ys) for mdl, (Xs, Ys) in zip(models, subsets)])
                val_scores = np.array([score(mdl, X_val, Y_val) for mdl in models])
                return train_scores, val_scores
        """,
        # one (len(sizes), 2) array split into its columns
        'stacked_array': """
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                table = np.zeros((len(sizes), 2))
                for i, n in enumerate(sizes):
                    Xn, Yn = X_train[:, 0:n], Y_train[:, 0:n]
                    model = fit(Xn, Yn)
                    table[i] = score(model, Xn, Yn), score(model, X_val, Y_val)
                return table[:, 0], table[:, 1]
        """,
    },
}

MISTAKES = {
    'split_indices': {
        'sizes_rounded': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = round(test_fraction * m), round(val_fraction * m)
                perm = np.random.default_rng(seed).permutation(m)
                return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]
        """, "part sizes"),
        'sizes_ceil': ("""
            import math

            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = math.ceil(test_fraction * m), math.ceil(val_fraction * m)
                perm = np.random.default_rng(seed).permutation(m)
                return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]
        """, "part sizes"),
        # validation and test both cut from the front of the permutation
        'overlapping_parts': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                perm = np.random.default_rng(seed).permutation(m)
                return perm[n_test + n_val:], perm[:n_val], perm[:n_test]
        """, "exactly once"),
        # the legacy global generator: every call gives the same split whatever the seed
        'seed_ignored_global': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                perm = np.random.permutation(m)
                return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]
        """, "is the seed argument used?"),
        'unseeded_generator': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                perm = np.random.default_rng().permutation(m)
                return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]
        """, "gave different results"),
        'not_shuffled_train_first': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                idx = np.arange(m)
                return idx[:m - n_val - n_test], idx[m - n_val - n_test:m - n_test], idx[m - n_test:]
        """, "original order"),
        # test first, without shuffling: the concatenation is not sorted, but every part is a block
        'not_shuffled_test_first': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                idx = np.arange(m)
                return idx[n_test + n_val:], idx[n_test:n_test + n_val], idx[:n_test]
        """, "shuffle the indices"),
        'returns_train_test_val': ("""
            def split_indices(m, val_fraction, test_fraction, seed):
                n_test, n_val = int(test_fraction * m), int(val_fraction * m)
                perm = np.random.default_rng(seed).permutation(m)
                return perm[n_test + n_val:], perm[:n_test], perm[n_test:n_test + n_val]
        """, "part sizes"),
    },
    'kfold_indices': {
        'larger_folds_last': ("""
            def kfold_indices(m, k):
                sizes = [m // k] * (k - m % k) + [m // k + 1] * (m % k)
                folds, start = [], 0
                for size in sizes:
                    val = np.arange(start, start + size)
                    folds.append((np.setdiff1d(np.arange(m), val), val))
                    start += size
                return folds
        """, "the first m % k = 1 folds are the larger ones"),
        'remainder_dropped': ("""
            def kfold_indices(m, k):
                size = m // k
                folds = []
                for i in range(k):
                    val = np.arange(i * size, (i + 1) * size)
                    folds.append((np.setdiff1d(np.arange(m), val), val))
                return folds
        """, "left out"),
        'remainder_in_last_fold': ("""
            def kfold_indices(m, k):
                size = m // k
                folds = []
                for i in range(k):
                    stop = m if i == k - 1 else (i + 1) * size
                    val = np.arange(i * size, stop)
                    folds.append((np.setdiff1d(np.arange(m), val), val))
                return folds
        """, "validation fold sizes"),
        'ceil_sizes': ("""
            def kfold_indices(m, k):
                size = -(-m // k)
                folds = []
                for i in range(k):
                    val = np.arange(i * size, min((i + 1) * size, m))
                    folds.append((np.setdiff1d(np.arange(m), val), val))
                return folds
        """, "validation fold sizes"),
        'train_includes_val': ("""
            def kfold_indices(m, k):
                return [(np.arange(m), val) for val in np.array_split(np.arange(m), k)]
        """, "in both the training and the validation part"),
        'shuffled_folds': ("""
            def kfold_indices(m, k):
                idx = np.random.default_rng(0).permutation(m)
                return [(np.sort(np.setdiff1d(idx, val)), np.sort(val)) for val in np.array_split(idx, k)]
        """, "consecutive block"),
    },
    'cross_validate': {
        'fit_on_validation': ("""
            def cross_validate(fit, score, X, Y, k):
                scores = []
                for train_idx, val_idx in kfold_indices(X.shape[1], k):
                    model = fit(X[:, val_idx], Y[:, val_idx])
                    scores.append(score(model, X[:, train_idx], Y[:, train_idx]))
                return np.array(scores)
        """, "entries differ"),
        'scored_on_training_fold': ("""
            def cross_validate(fit, score, X, Y, k):
                scores = []
                for train_idx, val_idx in kfold_indices(X.shape[1], k):
                    model = fit(X[:, train_idx], Y[:, train_idx])
                    scores.append(score(model, X[:, train_idx], Y[:, train_idx]))
                return np.array(scores)
        """, "entries differ"),
        'fit_once_on_everything': ("""
            def cross_validate(fit, score, X, Y, k):
                model = fit(X, Y)
                return np.array([score(model, X[:, val], Y[:, val]) for _, val in kfold_indices(X.shape[1], k)])
        """, "entries differ"),
        'mean_instead_of_scores': ("""
            def cross_validate(fit, score, X, Y, k):
                scores = []
                for train_idx, val_idx in kfold_indices(X.shape[1], k):
                    model = fit(X[:, train_idx], Y[:, train_idx])
                    scores.append(score(model, X[:, val_idx], Y[:, val_idx]))
                return float(np.mean(scores))
        """, "wrong shape"),
        'larger_folds_last': ("""
            def cross_validate(fit, score, X, Y, k):
                m = X.shape[1]
                folds = np.array_split(np.arange(m)[::-1], k)[::-1]
                scores = []
                for val in folds:
                    val = np.sort(val)
                    train = np.setdiff1d(np.arange(m), val)
                    scores.append(score(fit(X[:, train], Y[:, train]), X[:, val], Y[:, val]))
                return np.array(scores)
        """, "entries differ"),
        'shuffled_kfold': ("""
            from sklearn.model_selection import KFold

            def cross_validate(fit, score, X, Y, k):
                folds = KFold(n_splits=k, shuffle=True, random_state=0).split(X.T)
                return np.array([score(fit(X[:, tr], Y[:, tr]), X[:, va], Y[:, va]) for tr, va in folds])
        """, "entries differ"),
    },
    'bias_variance': {
        'variance_ddof_1': ("""
            def bias_variance(predictions, truth):
                mean_prediction = np.mean(predictions, axis=0)
                return float(np.mean((mean_prediction - truth) ** 2)), float(np.mean(np.var(predictions, axis=0, ddof=1)))
        """, "bias_variance() variance"),
        'bias_not_squared': ("""
            def bias_variance(predictions, truth):
                mean_prediction = np.mean(predictions, axis=0)
                return float(np.mean(mean_prediction - truth)), float(np.mean(np.var(predictions, axis=0)))
        """, "bias_variance() bias_squared"),
        'squared_after_averaging_points': ("""
            def bias_variance(predictions, truth):
                mean_prediction = np.mean(predictions, axis=0)
                return float(np.mean(mean_prediction - truth) ** 2), float(np.mean(np.var(predictions, axis=0)))
        """, "bias_variance() bias_squared"),
        'variance_over_points': ("""
            def bias_variance(predictions, truth):
                mean_prediction = np.mean(predictions, axis=0)
                return float(np.mean((mean_prediction - truth) ** 2)), float(np.mean(np.var(predictions, axis=1)))
        """, "bias_variance() variance"),
        # the mean squared error of the predictions: bias^2 + variance, not bias^2
        'mse_as_bias': ("""
            def bias_variance(predictions, truth):
                return float(np.mean((predictions - truth) ** 2)), float(np.mean(np.var(predictions, axis=0)))
        """, "bias_variance() bias_squared"),
        'per_point_arrays': ("""
            def bias_variance(predictions, truth):
                mean_prediction = np.mean(predictions, axis=0)
                return (mean_prediction - truth) ** 2, np.var(predictions, axis=0)
        """, "expected a single number"),
    },
    'diagnose': {
        'variance_on_a_tie': ("""
            def diagnose(human_error, train_error, val_error):
                avoidable_bias = train_error - human_error
                variance = val_error - train_error
                return {"avoidable_bias": avoidable_bias, "variance": variance,
                        "focus": "bias" if avoidable_bias > variance else "variance"}
        """, "diagnose() on a tie"),
        # the validation error where the training error belongs, and the other way round
        'train_val_swapped': ("""
            def diagnose(human_error, train_error, val_error):
                avoidable_bias = val_error - human_error
                variance = train_error - val_error
                return {"avoidable_bias": avoidable_bias, "variance": variance,
                        "focus": "bias" if avoidable_bias >= variance else "variance"}
        """, "['avoidable_bias']"),
        'variance_from_human': ("""
            def diagnose(human_error, train_error, val_error):
                avoidable_bias = train_error - human_error
                variance = val_error - human_error
                return {"avoidable_bias": avoidable_bias, "variance": variance,
                        "focus": "bias" if avoidable_bias >= variance else "variance"}
        """, "['variance']"),
        'focus_on_smaller_gap': ("""
            def diagnose(human_error, train_error, val_error):
                avoidable_bias = train_error - human_error
                variance = val_error - train_error
                return {"avoidable_bias": avoidable_bias, "variance": variance,
                        "focus": "bias" if avoidable_bias <= variance else "variance"}
        """, "['focus']"),
        'signs_flipped': ("""
            def diagnose(human_error, train_error, val_error):
                avoidable_bias = human_error - train_error
                variance = train_error - val_error
                return {"avoidable_bias": avoidable_bias, "variance": variance,
                        "focus": "bias" if avoidable_bias >= variance else "variance"}
        """, "['avoidable_bias']"),
    },
    'learning_curve': {
        # the training score on the whole training set, not on the n examples the model saw
        'train_score_on_all_examples': ("""
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                train_scores, val_scores = [], []
                for n in sizes:
                    model = fit(X_train[:, :n], Y_train[:, :n])
                    train_scores.append(score(model, X_train, Y_train))
                    val_scores.append(score(model, X_val, Y_val))
                return np.array(train_scores), np.array(val_scores)
        """, "learning_curve() [fit on the FIRST n training examples, score on those n and on the validation set] train_scores: 3 of 4 entries differ; worst at index (0,)"),
        # the last n examples instead of the first n
        'last_n_examples': ("""
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                train_scores, val_scores = [], []
                for n in sizes:
                    model = fit(X_train[:, -n:], Y_train[:, -n:])
                    train_scores.append(score(model, X_train[:, -n:], Y_train[:, -n:]))
                    val_scores.append(score(model, X_val, Y_val))
                return np.array(train_scores), np.array(val_scores)
        """, "learning_curve() [fit on the FIRST n training examples, score on those n and on the validation set] train_scores: 3 of 4 entries differ; worst at index (1,)"),
        # off by one: n - 1 examples
        'off_by_one': ("""
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                train_scores, val_scores = [], []
                for n in sizes:
                    model = fit(X_train[:, :n - 1], Y_train[:, :n - 1])
                    train_scores.append(score(model, X_train[:, :n - 1], Y_train[:, :n - 1]))
                    val_scores.append(score(model, X_val, Y_val))
                return np.array(train_scores), np.array(val_scores)
        """, "learning_curve() [fit on the FIRST n training examples, score on those n and on the validation set] train_scores: 4 of 4 entries differ"),
        # the sizes sorted (and repeats dropped), as scikit-learn does internally
        'sizes_sorted': ("""
            def learning_curve(fit, score, X_train, Y_train, X_val, Y_val, sizes):
                train_scores, val_scores = [], []
                for n in sorted(set(sizes)):
                    model = fit(X_train[:, :n], Y_train[:, :n])
                    train_scores.append(score(model, X_train[:, :n], Y_train[:, :n]))
                    val_scores.append(score(model, X_val, Y_val))
                return np.array(train_scores), np.array(val_scores)
        """, "learning_curve() [the sizes in the order given, one score per size] train_scores: wrong shape"),
    },
}

HIDDEN_ONLY = {}

# Every line of each graded function's docstring (docs/lesson-rules.md, section 4): a fragment of it, and a fragment
# of the visible check that tests it.
PROMISES = {
    'split_indices': {
        "A shuffled split of the examples 0, ..., m-1 into training, validation and test indices":
            "ck.Satisfies(properties.shuffled_parts)",
        "m -- int, number of examples": "ck.Satisfies(properties.index_split, m=10, sizes=(7, 2, 1), shuffled=False)",
        "n_val = int(val_fraction * m)": "n_val = int(0.27 * 10) = int(2.7) = 2 (rounded down)",
        "n_test = int(test_fraction * m)": "n_test = int(0.15 * 10) = int(1.5) = 1",
        "same seed, same split":
            "the seed decides the order: the same seed gives the same split, another seed another split",
        "train_idx -- numpy int array of shape (m - n_val - n_test,)": "m = 60: 12 test, 12 validation, 36 training",
        "val_idx -- numpy int array of shape (n_val,)": "ck.Satisfies(properties.index_split, m=60, sizes=(36, 12, 12))",
        "test_idx -- numpy int array of shape (n_test,)": "no test set at all: m = 7, n_val = int(2.1) = 2, n_test = 0",
        "Together they hold every index of range(m) exactly once":
            "every index once, and no part comes out as an unshuffled block",
    },
    'kfold_indices': {
        "The folds of K-fold cross-validation, as sklearn.model_selection.KFold(n_splits=k) (no shuffling).":
            "Oracle: scikit-learn's KFold(n_splits=k).",
        "m -- int, number of examples": 'ck.check(kfold_indices, {"m": 11, "k": 4}, expected=sklearn_kfold(11, 4))',
        "k -- int, number of folds, 2 <= k <= m": "m = 5, k = 5: leave-one-out",
        "folds -- list of k pairs (train_idx, val_idx) of 1-D numpy int arrays: val_idx is the i-th consecutive block":
            "ck.Satisfies(properties.kfold_folds, m=10, k=3)",
        "(the first m % k blocks have m // k + 1 indices, the others m // k)":
            "validation folds of 4, 3, 3 (the first m % k = 1 fold is the larger one)",
        "other indices in increasing order": "expected=sklearn_kfold(10, 3)",
    },
    'cross_validate': {
        "K-fold cross-validation scores, folds as kfold_indices(m, k) (no shuffling).":
            "Oracle: scikit-learn's cross_val_score with KFold(k)",
        "fit -- function (X_train, Y_train) -> model, trained on the examples given":
            '"fit": functools.partial(fit_polynomial, degree=3)',
        "score -- function (model, X_val, Y_val) -> float, the model's score on the examples given":
            '"score": r2_score',
        "X -- numpy array of shape (n_x, m), one example per column": "linear regression on 3 features",
        "Y -- numpy array of shape (1, m), targets": "Y = np.array([[1.0, -2.0, 0.5]]) @ X + 0.7",
        "k -- int, number of folds, 2 <= k <= m": "R^2 on each of 4 folds of 17 examples (5, 4, 4, 4)",
        "scores -- numpy array of shape (k,): scores[i] = score of the model fitted without fold i, on fold i":
            "expected=sklearn_cross_val(x, y, 5, degree=3)",
    },
    'bias_variance': {
        "Squared bias and variance of predictions of models trained on independent data sets.":
            'names=("bias_squared", "variance")',
        "predictions -- numpy array of shape (S, n): predictions[s, j] = prediction at point j of the model trained on":
            "6 data sets, 4 points",
        "data set s": "2 data sets, 3 points",
        "truth -- numpy array of shape (n,): the true function's value at each point":
            "the truth [0.5, 1, 3], so the biases are 1.5, 1, -1",
        "bias_squared -- float, mean over the n points of (mean over s of predictions[s, j] - truth[j])^2":
            "bias^2 = (2.25 + 1 + 1) / 3 = 17/12",
        "variance -- float, mean over the n points of the variance over s of predictions[s, j] (dividing by S, ddof=0)":
            "the variances over the 2 data sets (ddof 0) are 1, 0, 4",
    },
    'diagnose': {
        "Avoidable bias and variance from three error rates, and which one to work on.":
            "The slides' error analysis (human-level error 0.5 %)",
        "human_error -- float, human-level error (a stand-in for the lowest reachable error)": '"human_error": 0.5',
        "train_error -- float, the model's error on its training set": '"train_error": 5.0',
        "val_error -- float, the model's error on the validation set": '"val_error": 6.0',
        'diagnosis -- dict with "avoidable_bias": train_error - human_error (float),': '"avoidable_bias": 4.5',
        '"variance": val_error - train_error (float),': '"variance": 5.0',
        '"focus": "bias" if avoidable_bias >= variance (a tie gives "bias"), else "variance"':
            'a tie (2 and 2) gives "bias"; just off the tie on either side',
    },
    'learning_curve': {
        "Training and validation scores of a model trained on the first n training examples, for each n in sizes.":
            "fit on the FIRST n training examples, score on those n and on the validation set",
        "fit -- function (X, Y) -> model, trained on the examples given": '"fit": functools.partial(fit_polynomial, degree=3)',
        "score -- function (model, X, Y) -> float, the model's score on the examples given": '"score": r2_score',
        "X_train -- numpy array of shape (n_x, m_train), one example per column": "linear regression on 3 features",
        "Y_train -- numpy array of shape (1, m_train)": '"Y_train": y',
        "X_val -- numpy array of shape (n_x, m_val), the validation examples": '"X_val": xv',
        "Y_val -- numpy array of shape (1, m_val)": '"Y_val": yv',
        "sizes -- list of ints, 1 <= n <= m_train: the training-set sizes, in order":
            "the sizes in the order given, one score per size",
        "train_scores -- numpy array (len(sizes),): score of the model fitted on the first n training examples,":
            "the training score is on those n examples only",
        "on those same n examples": "a cubic on the first 5, 10, 20 and 40 of 40 training examples",
        "val_scores -- numpy array (len(sizes),): score of that model on the whole validation set":
            'names=("train_scores", "val_scores")',
    },
}
