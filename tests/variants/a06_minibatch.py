"""Variants of 06_minibatch's graded functions: correct formulations and typical mistakes (tests/support/variants.py).

Each correct formulation must pass every test cell of its function; each mistake must fail a visible test with a
message containing its fragment (plain text). random_mini_batches is judged first by properties (batch sizes, columns
of X and Y kept together, every column once, shuffled, same seed same batches, another seed another order), then by
the exact order of its docstring, np.random.default_rng(seed).permutation(m): every way of drawing that order passes
(rng.shuffle of np.arange(m), rng.permuted), other orders (rng.choice, numpy's legacy generator as in the DLS course,
an argsort of uniforms) fail with a message that names the recipe. train's points depend on train alone
(docs/lesson-rules.md section 5): a correct train passes over every accepted way of writing random_mini_batches (the
'over_*' formulations define their own random_mini_batches next to train), and over a shuffle that
random_mini_batches' tests reject it fails with a message that names the shuffle (the 'correct_loop_over_*' cases).
The other tests of train run with the answer key's random_mini_batches (tests/support/nbtools.py runs every other
solution cell from the key).
"""

CORRECT = {
    'make_mini_batches': {
        'loop_with_slices': """
            def make_mini_batches(X, Y, batch_size, permutation):
                m = X.shape[1]
                X_shuffled = X[:, permutation]
                Y_shuffled = Y[:, permutation].reshape(Y.shape[0], m)
                mini_batches = []
                num_complete = m // batch_size
                for k in range(num_complete):
                    mini_batches.append((X_shuffled[:, k * batch_size:(k + 1) * batch_size],
                                         Y_shuffled[:, k * batch_size:(k + 1) * batch_size]))
                if m % batch_size != 0:
                    mini_batches.append((X_shuffled[:, num_complete * batch_size:],
                                         Y_shuffled[:, num_complete * batch_size:]))
                return mini_batches
        """,
        'index_lists': """
            def make_mini_batches(X, Y, batch_size, permutation):
                m = X.shape[1]
                batches = []
                for start in range(0, m, batch_size):
                    columns = list(permutation[start:start + batch_size])
                    batches.append((X[:, columns], Y[:, columns]))
                return batches
        """,
        'np_split_at_multiples_of_b': """
            def make_mini_batches(X, Y, batch_size, permutation):
                pieces = np.split(np.asarray(permutation), np.arange(batch_size, X.shape[1], batch_size))
                return [(np.take(X, idx, axis=1), np.take(Y, idx, axis=1)) for idx in pieces]
        """,
        'while_loop_tuples': """
            def make_mini_batches(X, Y, batch_size, permutation):
                X_s, Y_s = X.T[permutation].T, Y.T[permutation].T
                out, start = [], 0
                while start < X.shape[1]:
                    stop = min(start + batch_size, X.shape[1])
                    out.append((X_s[:, start:stop].copy(), Y_s[:, start:stop].copy()))
                    start = stop
                return tuple(out)
        """,
    },
    'random_mini_batches': {
        'key_with_make_mini_batches': """
            def random_mini_batches(X, Y, batch_size, seed):
                rng = np.random.default_rng(seed)
                return make_mini_batches(X, Y, batch_size, rng.permutation(X.shape[1]))
        """,
        'permutation_of_arange_list_index': """
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                idx = list(np.random.default_rng(seed).permutation(np.arange(m)))
                batches = []
                k = 0
                while k * batch_size < m:
                    cols = idx[k * batch_size:(k + 1) * batch_size]
                    batches.append((X[:, cols], Y[:, cols]))
                    k += 1
                return batches
        """,
        'permuted_columns': """
            def random_mini_batches(X, Y, batch_size, seed):
                order = np.random.default_rng(seed).permuted(np.arange(X.shape[1]))
                Xs, Ys = np.take(X, order, axis=1), np.take(Y, order, axis=1)
                return [(Xs[:, i:i + batch_size], Ys[:, i:i + batch_size]) for i in range(0, X.shape[1], batch_size)]
        """,
        'shuffled_index_array_split': """
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                idx = np.arange(m)
                np.random.default_rng(seed).shuffle(idx)
                parts = np.array_split(idx, range(batch_size, m, batch_size))
                return [(X[:, p], Y[:, p]) for p in parts]
        """,
    },
    'updates_per_epoch': {
        'integer_ceiling': """
            def updates_per_epoch(m, batch_size):
                return (m + batch_size - 1) // batch_size
        """,
        'math_ceil': """
            def updates_per_epoch(m, batch_size):
                return math.ceil(m / batch_size)
        """,
        'floor_plus_remainder': """
            def updates_per_epoch(m, batch_size):
                n = m // batch_size
                if m % batch_size:
                    n += 1
                return n
        """,
        'numpy_ceil_int': """
            def updates_per_epoch(m, batch_size):
                return int(np.ceil(m / batch_size))
        """,
        'negated_floor_division': """
            def updates_per_epoch(m, batch_size):
                return -(-m // batch_size)
        """,
    },
    'train': {
        'dict_comprehension': """
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """,
        'copies_updated_in_place_array_of_costs': """
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                params = {k: np.copy(v) for k, v in parameters.items()}
                L = len(params) // 2
                costs = np.zeros(num_epochs * updates_per_epoch(X.shape[1], batch_size))
                t = 0
                for e in range(num_epochs):
                    batches = random_mini_batches(X, Y, batch_size, seed=seed + e)
                    for (X_batch, Y_batch) in batches:
                        costs[t], grads = step(params, X_batch, Y_batch)
                        for l in range(1, L + 1):
                            params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
                            params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
                        t += 1
                return params, costs
        """,
        # a correct train over each accepted way of writing random_mini_batches (defined here, next to train)
        'over_shuffled_index_array_split': """
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                idx = np.arange(m)
                np.random.default_rng(seed).shuffle(idx)
                parts = np.array_split(idx, range(batch_size, m, batch_size))
                return [(X[:, p], Y[:, p]) for p in parts]

            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """,
        'over_permutation_of_arange_list_index': """
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                idx = list(np.random.default_rng(seed).permutation(np.arange(m)))
                return [(X[:, idx[k:k + batch_size]], Y[:, idx[k:k + batch_size]]) for k in range(0, m, batch_size)]

            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """,
        'over_permuted_columns': """
            def random_mini_batches(X, Y, batch_size, seed):
                order = np.random.default_rng(seed).permuted(np.arange(X.shape[1]))
                Xs, Ys = np.take(X, order, axis=1), np.take(Y, order, axis=1)
                return [(Xs[:, i:i + batch_size], Ys[:, i:i + batch_size]) for i in range(0, X.shape[1], batch_size)]

            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """,
        'keyword_step_and_while_loop': """
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                current = dict(parameters)
                history = []
                epoch = 0
                while epoch < num_epochs:
                    batches = random_mini_batches(X=X, Y=Y, batch_size=batch_size, seed=seed + epoch)
                    for batch in batches:
                        cost, grads = step(parameters=current, X_batch=batch[0], Y_batch=batch[1])
                        history.append(float(cost))
                        current = {name: current[name] - learning_rate * grads[f"d{name}"] for name in current}
                    epoch += 1
                return current, history
        """,
    },
}

MISTAKES = {
    'make_mini_batches': {
        'remainder_dropped': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                Xs, Ys = X[:, permutation], Y[:, permutation]
                return [(Xs[:, k * batch_size:(k + 1) * batch_size], Ys[:, k * batch_size:(k + 1) * batch_size])
                        for k in range(X.shape[1] // batch_size)]
        """, "(the last, smaller batch is missing?)"),
        'slice_k_to_b_times_k_plus_1': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                Xs, Ys = X[:, permutation], Y[:, permutation]
                return [(Xs[:, k:batch_size * (k + 1)], Ys[:, k:batch_size * (k + 1)])
                        for k in range(math.ceil(X.shape[1] / batch_size))]
        """, "[1]: shapes (3, 5) and (1, 5), expected (3, 3) and (1, 3)"),
        'permutation_ignored': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                m = X.shape[1]
                return [(X[:, k:k + batch_size], Y[:, k:k + batch_size]) for k in range(0, m, batch_size)]
        """, "the columns come out in their original order"),
        'Y_not_permuted': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                Xs = X[:, permutation]
                return [(Xs[:, k:k + batch_size], Y[:, k:k + batch_size]) for k in range(0, X.shape[1], batch_size)]
        """, "shuffle X and Y with the same permutation"),
        'balanced_array_split': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                parts = np.array_split(permutation, math.ceil(X.shape[1] / batch_size))
                return [(X[:, p], Y[:, p]) for p in parts]
        """, "[1]: shapes (3, 2) and (1, 2), expected (3, 3) and (1, 3)"),
        'inverse_permutation': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                order = np.argsort(permutation)
                Xs, Ys = X[:, order], Y[:, order]
                return [(Xs[:, k:k + batch_size], Ys[:, k:k + batch_size]) for k in range(0, X.shape[1], batch_size)]
        """, "make_mini_batches()[0][0]: 9 of 9 entries differ"),
        'empty_batch_when_b_divides_m': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                Xs, Ys = X[:, permutation], Y[:, permutation]
                return [(Xs[:, k * batch_size:(k + 1) * batch_size], Ys[:, k * batch_size:(k + 1) * batch_size])
                        for k in range(X.shape[1] // batch_size + 1)]
        """, "4 batches, expected 3"),
        'one_example_loses_an_axis': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                if batch_size == 1:
                    return [(X[:, j], Y[:, j]) for j in permutation]
                Xs, Ys = X[:, permutation], Y[:, permutation]
                return [(Xs[:, k:k + batch_size], Ys[:, k:k + batch_size]) for k in range(0, X.shape[1], batch_size)]
        """, "[0]: shapes (4,) and (2,), expected (4, 1) and (2, 1)"),
        'shuffles_X_in_place': ("""
            def make_mini_batches(X, Y, batch_size, permutation):
                X[:] = X[:, permutation]
                Y[:] = Y[:, permutation]
                return [(X[:, k:k + batch_size].copy(), Y[:, k:k + batch_size].copy())
                        for k in range(0, X.shape[1], batch_size)]
        """, "changed its argument 'X' in place"),
    },
    'random_mini_batches': {
        'X_and_Y_different_permutations': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                rng = np.random.default_rng(seed)
                m = X.shape[1]
                Xs, Ys = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]
                return [(Xs[:, k:k + batch_size], Ys[:, k:k + batch_size]) for k in range(0, m, batch_size)]
        """, "shuffle X and Y with the same permutation"),
        'global_generator': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                return make_mini_batches(X, Y, batch_size, np.random.permutation(X.shape[1]))
        """, "is the seed argument used?"),
        'unseeded_generator': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                return make_mini_batches(X, Y, batch_size, np.random.default_rng().permutation(X.shape[1]))
        """, "two calls with the same seed gave different results"),
        'no_shuffle': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                return make_mini_batches(X, Y, batch_size, np.arange(X.shape[1]))
        """, "the columns come out in their original order"),
        'remainder_dropped': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                p = np.random.default_rng(seed).permutation(X.shape[1])
                return [(X[:, p[k * batch_size:(k + 1) * batch_size]], Y[:, p[k * batch_size:(k + 1) * batch_size]])
                        for k in range(X.shape[1] // batch_size)]
        """, "(the last, smaller batch is missing?)"),
        # another order than the docstring's np.random.default_rng(seed).permutation(m): train's tests replay that one
        'rng_choice_without_replacement': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                order = np.random.default_rng(seed).choice(m, size=m, replace=False)
                Xs, Ys = X[:, order], Y[:, order]
                return [(Xs[:, i:i + batch_size], Ys[:, i:i + batch_size]) for i in range(0, m, batch_size)]
        """, "np.random.default_rng(seed).choice(m, m, replace=False), another order"),
        'legacy_random_state': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                permutation = list(np.random.RandomState(seed).permutation(m))
                batches = []
                k = 0
                while k * batch_size < m:
                    idx = permutation[k * batch_size:(k + 1) * batch_size]
                    batches.append((X[:, idx], Y[:, idx]))
                    k += 1
                return batches
        """, "numpy's legacy generator"),
        # the deep-learning course's version: the global generator seeded with the seed
        'dls_global_seed': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                np.random.seed(seed)
                m = X.shape[1]
                mini_batches = []
                permutation = list(np.random.permutation(m))
                shuffled_X = X[:, permutation]
                shuffled_Y = Y[:, permutation].reshape((Y.shape[0], m))
                num_complete_minibatches = math.floor(m / batch_size)
                for k in range(0, num_complete_minibatches):
                    mini_batches.append((shuffled_X[:, k * batch_size:(k + 1) * batch_size],
                                         shuffled_Y[:, k * batch_size:(k + 1) * batch_size]))
                if m % batch_size != 0:
                    mini_batches.append((shuffled_X[:, num_complete_minibatches * batch_size:m],
                                         shuffled_Y[:, num_complete_minibatches * batch_size:m]))
                return mini_batches
        """, "draw the order with np.random.default_rng(seed).permutation(m)"),
        'argsort_of_uniforms': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                order = np.argsort(np.random.default_rng(seed).random(X.shape[1]))
                return make_mini_batches(X, Y, batch_size, order)
        """, "random_mini_batches(batch_size=4, seed=1) in the order np.random.default_rng(1).permutation(10)"),
        'shuffles_in_place': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                np.random.default_rng(seed).shuffle(X, axis=1)
                np.random.default_rng(seed).shuffle(Y, axis=1)
                return [(X[:, k:k + batch_size].copy(), Y[:, k:k + batch_size].copy())
                        for k in range(0, X.shape[1], batch_size)]
        """, "changed its argument 'X' in place"),
    },
    'updates_per_epoch': {
        'floor_division': ("""
            def updates_per_epoch(m, batch_size):
                return m // batch_size
        """, "updates_per_epoch(1000, 64): got 15, expected 16"),
        'true_division': ("""
            def updates_per_epoch(m, batch_size):
                return m / batch_size
        """, "expected an integer, got float"),
        'always_one_more': ("""
            def updates_per_epoch(m, batch_size):
                return m // batch_size + 1
        """, "updates_per_epoch(1000, 1000): got 2, expected 1"),
        'rounded': ("""
            def updates_per_epoch(m, batch_size):
                return round(m / batch_size)
        """, "updates_per_epoch(10, 4): got 2, expected 3"),
        'numpy_ceil_as_float': ("""
            def updates_per_epoch(m, batch_size):
                return np.ceil(m / batch_size)
        """, "expected an integer, got float64"),
    },
    'train': {
        'cost_accumulated_across_updates': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs, cost = [], 0.0
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        c, grads = step(parameters, X_batch, Y_batch)
                        cost += c
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """, "train() with batch_size = m (batch gradient descent) costs: 2 of 3 entries differ"),
        'same_seed_every_epoch': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """, "train() over 3 epochs (epoch e shuffles with seed + e)"),
        'epochs_counted_from_1': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(1, num_epochs + 1):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """, "train() for one epoch on the batches of random_mini_batches(X, Y, 4, seed)"),
        'no_shuffle': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                m = X.shape[1]
                for epoch in range(num_epochs):
                    for k in range(0, m, batch_size):
                        cost, grads = step(parameters, X[:, k:k + batch_size], Y[:, k:k + batch_size])
                        costs.append(cost)
                        parameters = {k2: v - learning_rate * grads["d" + k2] for k2, v in parameters.items()}
                return parameters, costs
        """, "train() for one epoch on the batches of random_mini_batches(X, Y, 4, seed)"),
        # the correct loop over a random_mini_batches that its own tests reject: train's message names the shuffle
        'correct_loop_over_choice_shuffle': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                m = X.shape[1]
                order = np.random.default_rng(seed).choice(m, size=m, replace=False)
                return [(X[:, order[i:i + batch_size]], Y[:, order[i:i + batch_size]]) for i in range(0, m, batch_size)]

            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """, "on the batches of np.random.default_rng(seed).choice(m, m, replace=False): your random_mini_batches "
               "draws another order"),
        'correct_loop_over_dls_shuffle': ("""
            def random_mini_batches(X, Y, batch_size, seed):
                np.random.seed(seed)
                m = X.shape[1]
                permutation = list(np.random.permutation(m))
                shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
                return [(shuffled_X[:, k:k + batch_size], shuffled_Y[:, k:k + batch_size]) for k in range(0, m, batch_size)]

            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                return parameters, costs
        """, "on the batches of numpy's legacy generator (np.random.seed(seed) or np.random.RandomState(seed), "
               "then permutation(m)): your random_mini_batches draws another order"),
        'updates_callers_arrays_in_place': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        costs.append(cost)
                        for k in parameters:
                            parameters[k] -= learning_rate * grads["d" + k]
                return parameters, costs
        """, "changed its argument 'parameters' in place"),
        'one_cost_per_epoch': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        cost, grads = step(parameters, X_batch, Y_batch)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                    costs.append(cost)
                return parameters, costs
        """, "costs: wrong shape: expected (3,), got (1,)"),
        'cost_after_the_update': ("""
            def train(X, Y, parameters, step, batch_size, num_epochs, learning_rate, seed):
                costs = []
                for epoch in range(num_epochs):
                    for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
                        _, grads = step(parameters, X_batch, Y_batch)
                        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
                        costs.append(step(parameters, X_batch, Y_batch)[0])
                return parameters, costs
        """, "train() with batch_size = m (batch gradient descent) costs: 3 of 3 entries differ"),
    },
}

HIDDEN_ONLY = {}

# Every line of each docstring (verbatim) -> a fragment of a visible test cell that checks it.
PROMISES = {
    'make_mini_batches': {
        "Cut the columns of X and Y, taken in the order `permutation`, into mini-batches.":
            "the batches hold the columns [3, 0, 6], [2, 5, 1], [4]",
        "X -- data, array of shape (n_x, m), one example per column (left unchanged)":
            "ck.Satisfies(properties.mini_batches, X=X, Y=Y, batch_size=3), pure=True",
        "Y -- labels, array of shape (n_y, m) (left unchanged)": "12 examples, Y with 2 rows",
        "batch_size -- int b with 1 <= b <= m": "for b in [4, 5, 1, 12]:",
        "permutation -- integer array of shape (m,) holding each of 0, ..., m-1 once: the order of the columns":
            "permutation = np.array([3, 0, 6, 2, 5, 1, 4])",
        "(left unchanged)": "batch_size=b), pure=True,",
        "mini_batches -- list of ceil(m / b) pairs (X_batch, Y_batch): pair k holds the columns":
            "expected=split_reference(X, Y, b, permutation)",
        "permutation[k * b : (k + 1) * b] of X, shape (n_x, b), and of Y, shape (n_y, b);":
            "1 (SGD: batches of shape",
        "the last pair holds the m - (ceil(m / b) - 1) * b columns that are left":
            "batch_size 4 divides m (no smaller batch), 5 does not",
    },
    'random_mini_batches': {
        "Shuffle the columns of X and Y with one random permutation and cut them into mini-batches.":
            "ck.Satisfies(properties.mini_batches, X=X, Y=Y, batch_size=b), pure=True,",
        "X -- data, array of shape (n_x, m) (left unchanged)": "batch_size=b), pure=True,",
        "Y -- labels, array of shape (n_y, m) (left unchanged)": "X, Y = tracer_data(n_x=3, n_y=2, m=10, seed=62)",
        "batch_size -- int b with 1 <= b <= m": "batch sizes 4 (4, 4, 2), 5 (5, 5), 1 (SGD) and 10 (one batch of all)",
        "seed -- int: the order is np.random.default_rng(seed).permutation(m)":
            "the exact order np.random.default_rng(seed).permutation(m)",
        "mini_batches -- list of ceil(m / b) pairs (X_batch, Y_batch) as make_mini_batches returns them, for that":
            "recipe_batches(X, Y, b, seed)",
        "permutation: shapes (n_x, b) and (n_y, b), the last pair with the columns that are left":
            "batch sizes 4 (4, 4, 2), 5 (5, 5)",
    },
    'updates_per_epoch': {
        "Number of mini-batches (parameter updates) in one pass over m examples.":
            "the slides' table for m = 1000: batch GD (b = m), SGD (b = 1)",
        "m -- int >= 1, number of training examples": "(1, 1, 1)",
        "batch_size -- int b with 1 <= b <= m": "for b, n in [(1000, 1), (1, 1000), (64, 16)]:",
        "n -- int, ceil(m / b): the full batches and, when b does not divide m, one smaller batch":
            "b divides m (no smaller batch); a remainder of 2 and of 1",
    },
    'train': {
        "Mini-batch gradient descent: batch_size = m is batch gradient descent, batch_size = 1 is SGD.":
            "batch_size 1: stochastic gradient descent",
        "X -- data, array of shape (n_x, m) (left unchanged)": "train_reference(X, Y, parameters, 10, 3, 0.5, seed=0), pure=True",
        "Y -- labels, array of shape (n_y, m) (left unchanged)": "train_reference(X, Y, parameters, 4, 1, 0.3, seed=5), pure=True",
        'parameters -- dict "W1", "b1", ..., "WL", "bL" of starting values, W{l} (n_l, n_{l-1}), b{l} (n_l, 1)':
            "A 2-3-1 network",
        "(left unchanged)": "train_reference(X, Y, parameters, 4, 3, 0.3, seed=5), pure=True",
        "step -- function step(parameters, X_batch, Y_batch) -> (cost, grads): the cost (a float) of the batch at":
            '"step": network_step',
        'these parameters and its gradients, a dict "dW1", "db1", ... shaped like the parameters':
            '"step": network_step',
        "batch_size -- int b with 1 <= b <= m": "batch_size 4 on 10 examples: batches of 4, 4 and 2",
        "num_epochs -- int >= 1, passes over the data": "one epoch, then three epochs",
        "learning_rate -- float, the step size alpha": '"learning_rate": 0.3',
        "seed -- int: epoch e (counted from 0) takes its batches from random_mini_batches(X, Y, batch_size, seed + e)":
            "train() over 3 epochs (epoch e shuffles with seed + e)",
        "parameters -- dict with the same keys: the values after the last update":
            "train_reference(X, Y, parameters, 1, 2, 0.1, seed=8)",
        "costs -- list of num_epochs * ceil(m / b) floats: costs[k] is the cost step returned for update k (counted":
            "costs[k] is the cost of update k's batch alone (not a running total), taken before that update",
        "over all epochs), at the parameters before that update": "taken before that update",
    },
}
