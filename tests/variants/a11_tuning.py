"""Variants of 11_tuning's graded functions: correct formulations and typical mistakes (tests/support/variants.py)."""

CORRECT = {
    'grid_search': {
        'ParameterGrid and a strict >': """
            def grid_search(score, grid):
                best_params, best_score = None, None
                for params in ParameterGrid(grid):
                    s = score(params)
                    if best_score is None or s > best_score:
                        best_params, best_score = params, s
                return best_params, best_score
        """,
        'itertools.product over the sorted names, np.argmax': """
            def grid_search(score, grid):
                names = sorted(grid.keys())
                candidates = [dict(zip(names, values)) for values in itertools.product(*[grid[n] for n in names])]
                scores = [score(c) for c in candidates]
                i = int(np.argmax(scores))
                return candidates[i], scores[i]
        """,
        'max with a key (keeps the first maximum)': """
            def grid_search(score, grid):
                from sklearn.model_selection import ParameterGrid as PG
                scored = [(p, score(p)) for p in PG(grid)]
                return max(scored, key=lambda pair: pair[1])
        """,
        'recursive nested loops, the last name innermost': """
            def grid_search(score, grid):
                names = sorted(grid)
                best = {"params": None, "score": -float("inf")}

                def visit(i, chosen):
                    if i == len(names):
                        s = score(dict(chosen))
                        if best["params"] is None or s > best["score"]:
                            best["params"], best["score"] = dict(chosen), s
                        return
                    for value in grid[names[i]]:
                        chosen[names[i]] = value
                        visit(i + 1, chosen)
                    del chosen[names[i]]

                visit(0, {})
                return best["params"], best["score"]
        """,
    },
    'random_search': {
        'all draws of one name at once, rng.choice, exp of a uniform log': """
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                columns = {}
                for name in sorted(space):
                    entry = space[name]
                    if isinstance(entry, list):
                        columns[name] = [entry[i] for i in rng.choice(len(entry), size=n_iter)]
                    elif entry[0] == "log-uniform":
                        columns[name] = np.exp(rng.uniform(np.log(entry[1]), np.log(entry[2]), size=n_iter)).tolist()
                    else:
                        columns[name] = rng.uniform(entry[1], entry[2], size=n_iter).tolist()
                history = []
                for i in range(n_iter):
                    params = {name: columns[name][i] for name in space}
                    history.append((params, score(params)))
                best = 0
                for i in range(1, n_iter):
                    if history[i][1] > history[best][1]:
                        best = i
                return history[best][0], history[best][1], history
        """,
        'scipy.stats distributions with the generator': """
            def random_search(score, space, n_iter, seed):
                from scipy import stats
                rng = np.random.default_rng(seed)
                history = []
                best_params, best_score = None, None
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = rng.choice(entry)
                        elif entry[0] == "log-uniform":
                            params[name] = float(stats.loguniform(entry[1], entry[2]).rvs(random_state=rng))
                        else:
                            params[name] = float(stats.uniform(entry[1], entry[2] - entry[1]).rvs(random_state=rng))
                    s = score(params)
                    history.append((params, s))
                    if best_score is None or s > best_score:
                        best_params, best_score = params, s
                return best_params, best_score, history
        """,
        'random numbers in [0, 1) mapped to each entry': """
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        u = rng.random()
                        if isinstance(entry, list):
                            params[name] = entry[min(int(u * len(entry)), len(entry) - 1)]
                        elif entry[0] == "uniform":
                            params[name] = entry[1] + u * (entry[2] - entry[1])
                        else:
                            lo, hi = math.log10(entry[1]), math.log10(entry[2])
                            params[name] = 10 ** (lo + u * (hi - lo))
                    history.append((params, score(params)))
                scores = [s for _, s in history]
                best = scores.index(max(scores))
                return history[best][0], history[best][1], history
        """,
    },
    'cv_grid_search': {
        'cross_val_score on the splitter': """
            def cv_grid_search(make_model, X, y, grid, k, seed):
                from sklearn.model_selection import cross_val_score
                splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
                results = [(p, cross_val_score(make_model(**p), X, y, cv=splitter, scoring="accuracy").mean())
                           for p in ParameterGrid(grid)]
                best_params, best_score = results[0]
                for p, s in results[1:]:
                    if s > best_score:
                        best_params, best_score = p, s
                return best_params, results
        """,
        'cross_validate, a new splitter for each candidate': """
            def cv_grid_search(make_model, X, y, grid, k, seed):
                results = []
                for p in ParameterGrid(grid):
                    cv = StratifiedKFold(k, shuffle=True, random_state=seed)
                    r = cross_validate(make_model(**p), X, y, cv=cv, scoring="accuracy")
                    results.append((p, float(np.mean(r["test_score"]))))
                i = int(np.argmax([s for _, s in results]))
                return results[i][0], results
        """,
        'own loop over the folds, model.score, itertools.product': """
            def cv_grid_search(make_model, X, y, grid, k, seed):
                folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
                names = sorted(grid)
                results = []
                for values in itertools.product(*(grid[n] for n in names)):
                    params = dict(zip(names, values))
                    total = 0.0
                    for train_idx, test_idx in folds.split(X, y):
                        model = make_model(**params)
                        model.fit(X[train_idx], y[train_idx])
                        total += model.score(X[test_idx], y[test_idx])
                    results.append((params, total / k))
                best = max(results, key=lambda r: r[1])[0]
                return best, results
        """,
    },
    'expected_improvement': {
        'np.where with a safe sigma, scipy.stats.norm': """
            def expected_improvement(mu, sigma, best, xi=0.01):
                improvement = mu - best - xi
                Z = improvement / np.where(sigma > 0, sigma, 1.0)
                return np.where(sigma > 0, improvement * norm.cdf(Z) + sigma * norm.pdf(Z), 0.0)
        """,
        'a loop with math.erf': """
            def expected_improvement(mu, sigma, best, xi=0.01):
                out = np.zeros(len(mu))
                for i in range(len(mu)):
                    if sigma[i] == 0:
                        continue
                    d = mu[i] - best - xi
                    z = d / sigma[i]
                    cdf = 0.5 * (1 + math.erf(z / math.sqrt(2)))
                    pdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
                    out[i] = d * cdf + sigma[i] * pdf
                return out
        """,
        'a mask on copies, np.divide with where': """
            def expected_improvement(mu, sigma, best, xi=0.01):
                from scipy.special import ndtr
                mu, sigma = np.array(mu, dtype=float), np.array(sigma, dtype=float)
                d = mu - best - xi
                Z = np.divide(d, sigma, out=np.zeros_like(d), where=sigma > 0)
                ei = d * ndtr(Z) + sigma * np.exp(-0.5 * Z ** 2) / np.sqrt(2 * np.pi)
                ei[sigma == 0] = 0.0
                return ei
        """,
    },
}

MISTAKES = {
    'grid_search': {
        'last best on a tie (>=)': ("""
            def grid_search(score, grid):
                best_params, best_score = None, -np.inf
                for params in ParameterGrid(grid):
                    s = score(params)
                    if s >= best_score:
                        best_params, best_score = params, s
                return best_params, best_score
        """, "on a tie keep the first best"),
        'the first name varies fastest': ("""
            def grid_search(score, grid):
                names = sorted(grid)
                best_params, best_score = None, -np.inf
                for values in itertools.product(*(grid[n] for n in reversed(names))):
                    params = dict(zip(reversed(names), values))
                    s = score(params)
                    if s > best_score:
                        best_params, best_score = params, s
                return best_params, best_score
        """, "the first name, varies fastest"),
        "the names in the dict's own order": ("""
            def grid_search(score, grid):
                best_params, best_score = None, -np.inf
                for values in itertools.product(*grid.values()):
                    params = dict(zip(grid.keys(), values))
                    s = score(params)
                    if s > best_score:
                        best_params, best_score = params, s
                return best_params, best_score
        """, "ParameterGrid sorts the names first"),
        'zip instead of every combination': ("""
            def grid_search(score, grid):
                names = sorted(grid)
                best_params, best_score = None, -np.inf
                for values in zip(*(grid[n] for n in names)):
                    params = dict(zip(names, values))
                    s = score(params)
                    if s > best_score:
                        best_params, best_score = params, s
                return best_params, best_score
        """, "best_params['alpha']: 1 of 1 entries differ"),
        'the lowest score': ("""
            def grid_search(score, grid):
                scored = [(p, score(p)) for p in ParameterGrid(grid)]
                return min(scored, key=lambda pair: pair[1])
        """, "entries differ"),
    },
    'random_search': {
        'log-uniform drawn uniformly': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        else:
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "log-uniform draws spread evenly over the decades"),
        'low and high used as exponents': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(entry[1], entry[2]))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "lies outside its space"),
        'the seed ignored (the global generator)': ("""
            def random_search(score, space, n_iter, seed):
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[np.random.randint(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(np.random.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** np.random.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "is the seed argument used?"),
        'an unseeded generator': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng()
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "two calls with the same seed gave different results"),
        'the generator created again for every draw': ("""
            def random_search(score, space, n_iter, seed):
                history = []
                for _ in range(n_iter):
                    rng = np.random.default_rng(seed)
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "create the generator once"),
        'last best on a tie (>=)': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history, best_params, best_score = [], None, -np.inf
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    s = score(params)
                    history.append((params, s))
                    if s >= best_score:
                        best_params, best_score = params, s
                return best_params, best_score, history
        """, "on a tie keep the first best"),
        'the last option never drawn': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(0, len(entry) - 1)]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "was drawn 0 times"),
        'history sorted by score, best first': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history = []
                for _ in range(n_iter):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    history.append((params, score(params)))
                history = sorted(history, key=lambda pair: pair[1], reverse=True)
                return history[0][0], history[0][1], history
        """, "as if the history were sorted by score"),
        'one evaluation short': ("""
            def random_search(score, space, n_iter, seed):
                rng = np.random.default_rng(seed)
                history = []
                for _ in range(n_iter - 1):
                    params = {}
                    for name, entry in space.items():
                        if isinstance(entry, list):
                            params[name] = entry[rng.integers(len(entry))]
                        elif entry[0] == "uniform":
                            params[name] = float(rng.uniform(entry[1], entry[2]))
                        else:
                            params[name] = float(10 ** rng.uniform(np.log10(entry[1]), np.log10(entry[2])))
                    history.append((params, score(params)))
                best_params, best_score = history[int(np.argmax([s for _, s in history]))]
                return best_params, best_score, history
        """, "evaluations, expected n_iter"),
    },
    'cv_grid_search': {
        'plain KFold': ("""
            def cv_grid_search(make_model, X, y, grid, k, seed):
                from sklearn.model_selection import cross_val_score
                cv = KFold(n_splits=k, shuffle=True, random_state=seed)
                results = [(p, cross_val_score(make_model(**p), X, y, cv=cv).mean()) for p in ParameterGrid(grid)]
                return results[int(np.argmax([s for _, s in results]))][0], results
        """, "these are the scores of plain KFold"),
        'no shuffling (cv=k)': ("""
            def cv_grid_search(make_model, X, y, grid, k, seed):
                from sklearn.model_selection import cross_val_score
                results = [(p, cross_val_score(make_model(**p), X, y, cv=k).mean()) for p in ParameterGrid(grid)]
                return results[int(np.argmax([s for _, s in results]))][0], results
        """, "StratifiedKFold without shuffling"),
        'accuracy on the training folds': ("""
            def cv_grid_search(make_model, X, y, grid, k, seed):
                folds = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y))
                results = []
                for p in ParameterGrid(grid):
                    accs = [make_model(**p).fit(X[tr], y[tr]).score(X[tr], y[tr]) for tr, te in folds]
                    results.append((p, float(np.mean(accs))))
                return results[int(np.argmax([s for _, s in results]))][0], results
        """, "accuracies on the TRAINING folds"),
        "the names in the dict's own order": ("""
            def cv_grid_search(make_model, X, y, grid, k, seed):
                folds = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y))
                results = []
                for values in itertools.product(*grid.values()):
                    p = dict(zip(grid, values))
                    accs = [make_model(**p).fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in folds]
                    results.append((p, float(np.mean(accs))))
                return results[int(np.argmax([s for _, s in results]))][0], results
        """, "not in ParameterGrid's order"),
        'last best on a tie (>=)': ("""
            def cv_grid_search(make_model, X, y, grid, k, seed):
                folds = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y))
                results, best_params, best_score = [], None, -1.0
                for p in ParameterGrid(grid):
                    accs = [make_model(**p).fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in folds]
                    results.append((p, float(np.mean(accs))))
                    if results[-1][1] >= best_score:
                        best_params, best_score = p, results[-1][1]
                return best_params, results
        """, "best_params"),
        'correct predictions pooled over the folds': ("""
            def cv_grid_search(make_model, X, y, grid, k, seed):
                folds = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y))
                results = []
                for p in ParameterGrid(grid):
                    correct = sum(int(np.sum(make_model(**p).fit(X[tr], y[tr]).predict(X[te]) == y[te])) for tr, te in folds)
                    results.append((p, correct / len(y)))
                return results[int(np.argmax([s for _, s in results]))][0], results
        """, "entries differ"),
    },
    'expected_improvement': {
        'xi left out': ("""
            def expected_improvement(mu, sigma, best, xi=0.01):
                improvement = mu - best
                Z = improvement / np.where(sigma > 0, sigma, 1.0)
                return np.where(sigma > 0, improvement * norm.cdf(Z) + sigma * norm.pdf(Z), 0.0)
        """, "these are the values for xi = 0"),
        'NaN where sigma = 0': ("""
            def expected_improvement(mu, sigma, best, xi=0.01):
                Z = (mu - best - xi) / sigma
                return (mu - best - xi) * norm.cdf(Z) + sigma * norm.pdf(Z)
        """, "where sigma = 0 the result must be 0"),
        'the default xi = 0': ("""
            def expected_improvement(mu, sigma, best, xi=0.0):
                improvement = mu - best - xi
                Z = improvement / np.where(sigma > 0, sigma, 1.0)
                return np.where(sigma > 0, improvement * norm.cdf(Z) + sigma * norm.pdf(Z), 0.0)
        """, "these are the values for xi = 0"),
        'minimization sign (best - mu)': ("""
            def expected_improvement(mu, sigma, best, xi=0.01):
                improvement = best - mu - xi
                Z = improvement / np.where(sigma > 0, sigma, 1.0)
                return np.where(sigma > 0, improvement * norm.cdf(Z) + sigma * norm.pdf(Z), 0.0)
        """, "entries differ"),
        'sigma patched in place': ("""
            def expected_improvement(mu, sigma, best, xi=0.01):
                zero = sigma == 0
                sigma[zero] = 1.0
                Z = (mu - best - xi) / sigma
                ei = (mu - best - xi) * norm.cdf(Z) + sigma * norm.pdf(Z)
                ei[zero] = 0.0
                return ei
        """, "changed its argument 'sigma' in place"),
    },
}

HIDDEN_ONLY = {}

# Every statement of each graded function's docstring -> the visible check that tests it (docs/lesson-rules.md, 4).
PROMISES = {
    'grid_search': {
        "Evaluate every combination of the grid's values; return the best one.":
            "# the textbook's table as the score: 20 candidates, the best is 0.726 at C = 0.3, alpha = 0.2",
        "score -- function params -> number, higher is better; params is a dict {name: value}":
            'ck.check(grid_search, {"score": textbook_grid_score, "grid": textbook}',
        'grid -- dict {name: list of values}, e.g. {"C": [0.1, 0.3], "alpha": [0.1, 0.2, 0.4]}':
            'textbook = {"C": [0.1, 0.2, 0.3, 0.4, 0.5], "alpha": [0.1, 0.2, 0.3, 0.4]}',
        "The candidates are evaluated in the order of sklearn.model_selection.ParameterGrid(grid): the names":
            "# names given out of order: ParameterGrid sorts them (batch, lr, width) whatever the order of the dict",
        "sorted, then every combination with the LAST name varying fastest. On a tie, the FIRST best wins.":
            "# (0.01, 64) comes before (0.1, 16): the last name, width, varies fastest",
        "On a tie, the FIRST best wins.":
            "the first marked one in ParameterGrid's order wins",
        "best_params -- dict {name: value}, the best candidate":
            'expected=({"C": 0.3, "alpha": 0.2}, 0.726)',
        "best_score -- its score, a number":
            'names=("best_params", "best_score")',
        "The arguments are left untouched.":
            'names=("best_params", "best_score"), pure=True)',
    },
    'cv_grid_search': {
        "Grid search scored by stratified k-fold cross-validation (what GridSearchCV computes).":
            "# breast cancer, SVC in a pipeline, 5 stratified shuffled folds (seed 0)",
        "make_model -- function (**params) -> a fresh, unfitted scikit-learn classifier":
            '"make_model": scaled_svc',
        "X -- features, array (m, n_x): one example per ROW":
            '"X": X_bc',
        "y -- class labels, array (m,)":
            '"y": y_bc',
        "grid -- dict {name: list of values}; the names are arguments of make_model":
            '"grid": {"gamma": [0.003, 0.01], "C": [1.0, 10.0]}',
        "k -- number of folds, an int >= 2":
            "# another seed and k = 3: other folds, other scores",
        "seed -- random_state of the splitter":
            "# another seed and k = 3: other folds, other scores",
        "The folds: StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, y), the same for every "
        "candidate. A candidate's score: the mean over the k folds of the accuracy, on the held-out fold, of "
        "make_model(**params) fitted on the other k - 1 folds. Candidates in ParameterGrid(grid)'s order.":
            "5 stratified shuffled folds (seed 0), the same for every candidate",
        "A candidate's score: the mean over the k folds of the accuracy, on the held-out fold, of "
        "make_model(**params) fitted on the other k - 1 folds.":
            "score is the mean over the folds of its accuracy on the held-out fold",
        "Candidates in ParameterGrid(grid)'s order.":
            "# the names are given out of order: the results follow ParameterGrid's order (C first)",
        "best_params -- dict {name: value}: the candidate with the highest score (the first one on a tie)":
            "the first one in ParameterGrid's order, C = 0.001 with gamma = 0.0001, is the best",
        "results -- list of (params, score) pairs, one per candidate, in ParameterGrid(grid)'s order":
            "the results follow ParameterGrid's order (C first)",
        "The arguments are left untouched.":
            "ck.check(cv_grid_search, inputs, cv_grid_search_oracle(**inputs), pure=True)",
    },
    'random_search': {
        "Evaluate n_iter random draws from the space; return the best one and the history.":
            "# 200 draws from all three kinds of entries: inside the space, scored, the best",
        "score -- function params -> number, higher is better; params is a dict {name: value}":
            "inside the space, scored, the best",
        "space -- dict {name: entry}, each entry one of":
            "# 200 draws from all three kinds of entries",
        "a list of options -> one of them, each with the same probability":
            "spread (every option drawn",
        '("uniform", low, high) -> a number uniform in [low, high]':
            "uniform draws over 4 equal bins",
        '("log-uniform", low, high) -> 10 ** u, u uniform in [log10(low), log10(high)] (0 < low < high)':
            "the log-uniform ones over the 4 decades",
        "n_iter -- number of draws and evaluations, an int >= 1":
            "n_iter=200, score=score, spread=True)",
        "seed -- every random number comes from ONE generator np.random.default_rng(seed)":
            "# the same seed gives the same search; another seed another one",
        "best_params -- dict {name: value}: the params of the first entry of history with the highest score":
            "every draw with units = 32 ties for the best; the first one wins",
        "best_score -- its score":
            "inside the space, scored, the best",
        "history -- list of n_iter pairs (params, score(params)) in the order of evaluation; every params a "
        "dict {name: value} with a value drawn from its entry for every name of space":
            "# the history in the order of evaluation, not sorted by score",
        "every params a dict {name: value} with a value drawn from its entry for every name of space":
            "inside the space",
        "The same seed gives the same result; the arguments are left untouched.":
            "# the same seed gives the same search",
        "the arguments are left untouched.":
            "n_iter=200, score=score, spread=True), pure=True)",
    },
    'expected_improvement': {
        "Expected improvement of a normal prediction N(mu, sigma^2) over best + xi (maximization).":
            "# means below, at and above best + xi = 0.75",
        "mu -- predicted means, array (n,)":
            "mu = np.array([0.3, 0.5, 0.7, 0.75, 1.0, 2.0, 0.25, 0.75, 1.5])",
        "sigma -- predicted standard deviations, array (n,), each >= 0":
            "sigma = np.array([0.2, 1e-3, 0.05, 0.5, 0.3, 2.0, 0.0, 0.0, 0.0])",
        "best -- the highest score measured so far, a number":
            '"best": 0.5, "xi": 0.25',
        "xi -- margin >= 0: only improvements beyond best + xi count":
            "# xi left at its default, 0.01",
        "ei -- array (n,): (mu - best - xi) * Phi(Z) + sigma * phi(Z), Z = (mu - best - xi) / sigma, with Phi and":
            "# mu = best + xi: the first term vanishes and EI = sigma * phi(0) = 1 / sqrt(2 pi) for sigma = 1",
        "phi the standard normal CDF and density: E[max(f - best - xi, 0)] for f ~ N(mu, sigma^2) where sigma > 0;":
            "the definition E[max(f - best - xi, 0)],",
        "0 where sigma == 0, whatever mu is (a convention: the definition would give max(mu - best - xi, 0) there)":
            "also for mu = 1.5 above best + xi (where the definition would give 0.75)",
        "The arguments are left untouched.":
            "expected_improvement_oracle(mu, sigma, 0.5, 0.25), pure=True)",
    },
}
