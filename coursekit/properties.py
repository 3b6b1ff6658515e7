"""Named properties for checks that judge a result without a fixed expected value.

`ck.check(fn, inputs, ck.Satisfies(properties.index_split, m=10, sizes=(6, 2, 2)))`: each
property is `prop(quantity, actual, **params)` and raises checks.CheckFailed with a message
that says what does not hold. They are importable by name, so the grader's re-check can
judge a replayed result with the same property. Used where any correct learner may draw
randomness differently (a shuffle), or for "same seed, same result" (with `again=`).
"""
from __future__ import annotations

import json
import math

import numpy as np

from . import values
from .checks import CheckFailed, compare


def _fail(message):
    __tracebackhide__ = True
    raise CheckFailed(message)


def _as_int_indices(quantity, idx):
    arr = np.asarray(idx)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        _fail(f"{quantity}: expected a 1-D array of integer indices, got {arr.dtype} of shape {arr.shape}")
    return arr.astype(np.int64)


def _fingerprint(value):
    """The exact plain-data form of a result (functions and other objects by their type only)."""
    return json.dumps(values.encode(value, strict=False, trusted=False), sort_keys=True)


def same_result(quantity, actual, again, what="the same inputs"):
    """Two calls with `what` gave the same result, exactly (reproducible).

    Used by: 06 test_random_mini_batches, 07 test_split_indices, 11 test_random_search"""
    __tracebackhide__ = True
    if _fingerprint(again) != _fingerprint(actual):
        _fail(f"{quantity}: two calls with {what} gave different results; make every random draw come "
              "from the seed you are given")


def different_result(quantity, actual, again, what="another seed"):
    """A call with `what` gave a different result (the seed is used).

    Used by: 06 test_random_mini_batches, 07 test_split_indices, 11 test_random_search"""
    __tracebackhide__ = True
    if _fingerprint(again) == _fingerprint(actual):
        _fail(f"{quantity}: a call with {what} gave exactly the same result; is the seed argument used?")


def index_split(quantity, actual, m, sizes, shuffled=True):
    """`actual` is a tuple of len(sizes) integer index arrays of those sizes that together hold
    every index of range(m) exactly once (and, with shuffled=True, not in sorted order).

    Used by: 07 test_split_indices"""
    __tracebackhide__ = True
    if not isinstance(actual, (tuple, list)) or len(actual) != len(sizes):
        _fail(f"{quantity}: expected a tuple of {len(sizes)} index arrays, got {type(actual).__name__}"
              f"{f' of {len(actual)}' if isinstance(actual, (tuple, list)) else ''}")
    parts = [_as_int_indices(f"{quantity}[{i}]", a) for i, a in enumerate(actual)]
    got = tuple(len(p) for p in parts)
    if got != tuple(sizes):
        _fail(f"{quantity}: part sizes {got}, expected {tuple(sizes)} for m = {m}")
    every = np.concatenate(parts) if parts else np.array([], dtype=np.int64)
    if every.size and (every.min() < 0 or every.max() >= m):
        _fail(f"{quantity}: indices must lie in range({m}); found {every.min() if every.min() < 0 else every.max()}")
    counts = np.bincount(every, minlength=m)
    if np.any(counts != 1):
        dup = int(np.argmax(counts > 1)) if np.any(counts > 1) else None
        missing = int(np.argmax(counts == 0)) if np.any(counts == 0) else None
        _fail(f"{quantity}: the parts must hold each index of range({m}) exactly once"
              f"{f'; index {dup} appears {counts[dup]} times' if dup is not None else ''}"
              f"{f'; index {missing} is missing' if missing is not None else ''}")
    if shuffled and m > 2 and np.array_equal(every, np.arange(m)):
        _fail(f"{quantity}: the indices come out in their original order: shuffle them first")


def mini_batches(quantity, actual, X, Y, batch_size, shuffled=True):
    """`actual` is a list of (X_batch, Y_batch) covering the columns of X (n_x, m) and Y (n_y, m):
    ceil(m / b) batches of sizes [b] * (m // b) + [m % b], columns of X and Y kept together, every
    column exactly once; X's first row must be a tracer (X[0] = arange(m)) that reads the order back.

    Used by: 06 test_make_mini_batches, 06 test_random_mini_batches"""
    __tracebackhide__ = True
    X, Y = np.asarray(X), np.asarray(Y)
    m = X.shape[1]
    sizes = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
    if not isinstance(actual, (list, tuple)):
        _fail(f"{quantity}: expected a list of (X_batch, Y_batch) pairs, got {type(actual).__name__}")
    if len(actual) != len(sizes):
        hint = " (the last, smaller batch is missing?)" if len(actual) == m // batch_size else ""
        _fail(f"{quantity}: {len(actual)} batches, expected {len(sizes)} = ceil(m / batch_size) for m = {m}, "
              f"batch_size = {batch_size}{hint}")
    order = []
    for k, (pair, size) in enumerate(zip(actual, sizes)):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            _fail(f"{quantity}[{k}]: expected a pair (X_batch, Y_batch)")
        xb, yb = np.asarray(pair[0]), np.asarray(pair[1])
        if xb.shape != (X.shape[0], size) or yb.shape != (Y.shape[0], size):
            _fail(f"{quantity}[{k}]: shapes {xb.shape} and {yb.shape}, expected {(X.shape[0], size)} and "
                  f"{(Y.shape[0], size)}")
        cols = np.rint(xb[0]).astype(np.int64)
        if np.any(cols < 0) or np.any(cols >= m) or not np.array_equal(xb, X[:, cols]):
            _fail(f"{quantity}[{k}]: X_batch's columns are not columns of X")
        if not np.array_equal(yb, Y[:, cols]):
            _fail(f"{quantity}[{k}]: Y_batch's columns do not belong to X_batch's columns: shuffle X and Y "
                  "with the same permutation")
        order.extend(cols.tolist())
    if sorted(order) != list(range(m)):
        _fail(f"{quantity}: the batches must hold every column exactly once")
    if shuffled and m > 2 and order == list(range(m)):
        _fail(f"{quantity}: the columns come out in their original order: shuffle them first")


def layerwise_draws(quantity, actual, expected, seed=None, rtol=1e-12):
    """`actual` is a parameters dict equal to `expected` ({"W1": ..., "b1": ..., ..., "WL": ..., "bL": ...}, given
    as data by the test: the recipe's numbers of ONE generator np.random.default_rng(seed), drawn as standard
    normals of shape (n_l, n_{l-1}) for l = 1..L in that order, times each layer's scale, and zero biases). The
    property computes nothing of the recipe; it compares, and a failure is about that failure: a missing key, a
    wrong shape or a nonzero bias as `compare` says it, and only for a W of the right shape holding other numbers
    "not the draws of np.random.default_rng(seed) in layer order times the scale", with what they are where it can
    tell: the right numbers in another arrangement, the right draws at the wrong scale, or draws taken at another
    point of the generator's sequence (layers out of order, a new generator for every layer).

    Used by: 04 test_initialize_parameters, 05 test_initialize_weights"""
    __tracebackhide__ = True

    def proportional(got, want):
        # the factor c != 0 with got == c * want entry by entry, or None
        norm = float(np.sum(want * want))
        if norm == 0.0 or got.shape != want.shape:
            return None
        c = float(np.sum(got * want)) / norm
        return c if c != 0.0 and np.allclose(got, c * want, rtol=1e-9, atol=0.0) else None

    def hint(got, want, l):
        if np.allclose(np.sort(got, axis=None), np.sort(want, axis=None), rtol=1e-9, atol=0.0):
            return (f" (the right numbers in another arrangement: draw W{l} as one array of shape (n_l, n_{{l-1}}), "
                    "not transposed or reshaped from another shape)")
        factor = proportional(got, want)
        if factor is not None:
            return f" (the right draws at the wrong scale: yours are {factor:.4g} times the expected values)"
        # the generator's sequence is W1, W2, ... flattened, each up to its layer's factor: do yours start elsewhere?
        starts = np.cumsum([0] + [w.size for w in weights])
        flat = got.ravel()
        for offset in range(int(starts[-1]) - flat.size + 1):
            if offset == starts[l - 1]:
                continue
            pieces = [(max(offset, starts[k]), min(offset + flat.size, starts[k + 1]), w.ravel())
                      for k, w in enumerate(weights)]
            pieces = [(lo, hi, w[lo - starts[k]:hi - starts[k]]) for k, (lo, hi, w) in enumerate(pieces) if lo < hi]
            if all(proportional(flat[lo - offset:hi - offset], part) is not None for lo, hi, part in pieces):
                return (" (draws from another point of the generator's sequence: make one generator before the "
                        "loop and draw W1, W2, ..., WL from it in that order)")
        return ""

    if not isinstance(actual, dict):
        _fail(f"{quantity}: expected a dict of parameters, got {type(actual).__name__}")
    L = sum(1 for k in expected if k.startswith("W"))
    weights = [np.asarray(expected[f"W{l}"], dtype=float) for l in range(1, L + 1)]
    for l in range(1, L + 1):
        for key in (f"W{l}", f"b{l}"):
            if key not in actual:
                _fail(f"{quantity}: missing key {key!r}")
            want = np.asarray(expected[key], dtype=float)
            try:
                compare(f"{quantity}[{key!r}]", actual[key], want, rtol=rtol, atol=0.0)
            except CheckFailed as exc:
                message = str(exc)
                if key.startswith("b") or not message.endswith(f"shape {want.shape} as expected"):
                    raise      # a wrong shape, entries that are not finite, a bias that is not zero: as compare says
                where = f"np.random.default_rng({seed})" if seed is not None else "the generator"
                _fail(f"{message.split('; worst')[0]}: not the draws of {where} in layer order times the scale"
                      f"{hint(np.asarray(actual[key], dtype=float), want, l)}")


def kfold_folds(quantity, actual, m, k):
    """`actual` is what KFold(n_splits=k) gives for m examples: k pairs (train_idx, val_idx); the validation folds
    are consecutive blocks of range(m) in order, the first m % k of them one index larger; each training part
    holds every other index in increasing order.

    Used by: 07 test_kfold_indices"""
    __tracebackhide__ = True
    if not isinstance(actual, (list, tuple)) or len(actual) != k:
        got = (f"{type(actual).__name__} of {len(actual)}" if isinstance(actual, (list, tuple))
               else type(actual).__name__)
        _fail(f"{quantity}: expected a list of k = {k} (train_idx, val_idx) pairs, got {got}")
    pairs = []
    for i, pair in enumerate(actual):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            _fail(f"{quantity}[{i}]: expected a pair (train_idx, val_idx)")
        pairs.append((_as_int_indices(f"{quantity}[{i}][0]", pair[0]), _as_int_indices(f"{quantity}[{i}][1]", pair[1])))
    sizes = tuple(m // k + (1 if i < m % k else 0) for i in range(k))
    got = tuple(len(val) for _, val in pairs)
    if got != sizes:
        hint = ""
        if sorted(got) == sorted(sizes):
            hint = f": the first m % k = {m % k} folds are the larger ones, not the last"
        elif sum(got) < m:
            hint = f": together they hold {sum(got)} of the {m} examples (the remainder m % k = {m % k} left out?)"
        _fail(f"{quantity}: validation fold sizes {got}, expected {sizes} for m = {m}, k = {k}{hint}")
    start = 0
    for i, (train, val) in enumerate(pairs):
        stop = start + sizes[i]
        if not np.array_equal(val, np.arange(start, stop)):
            _fail(f"{quantity}: fold {i}'s validation indices should be the consecutive block "
                                 f"{start}, ..., {stop - 1} in increasing order (folds in order, no shuffling)")
        shared = np.intersect1d(train, val)
        if shared.size:
            _fail(f"{quantity}: fold {i}: index {shared[0]} is in both the training and the "
                                 "validation part")
        if not np.array_equal(train, np.r_[0:start, stop:m]):
            _fail(f"{quantity}: fold {i}'s training indices should be all {m - sizes[i]} indices "
                                 f"outside its validation fold, in increasing order; got {len(train)} indices")
        start = stop


def shuffled_parts(quantity, actual, run=5):
    """No part of a split with `run` or more indices is a block of consecutive indices in increasing order
    (the examples were shuffled before they were cut into parts).

    Used by: 07 test_split_indices"""
    __tracebackhide__ = True
    if not isinstance(actual, (list, tuple)):
        _fail(f"{quantity}: expected a tuple of index arrays, got {type(actual).__name__}")
    for i, part in enumerate(actual):
        part = np.asarray(part)
        if len(part) >= run and np.array_equal(part, np.arange(part[0], part[0] + len(part))):
            _fail(f"{quantity}: part {i} is the consecutive block {part[0]}, ..., {part[-1]}: "
                                 "shuffle the indices before cutting them into parts")


# ---------------------------------------------------------------- searches (11)

def matches(quantity, actual, expected, mistakes=(), rtol=1e-9, atol=1e-12, names=None):
    """`actual` equals `expected` (compared as ck.check compares). When it does not, and it equals the result of
    one of `mistakes` (pairs (result, message): the same inputs computed the wrong way on purpose), the failure
    says that message.

    Used by: 06 oracles, 11 oracles"""
    __tracebackhide__ = True
    try:
        compare(quantity, actual, expected, rtol=rtol, atol=atol, names=names)
        return
    except CheckFailed as exc:
        detail = str(exc)
    for result, message in mistakes:
        try:
            compare(quantity, actual, result, rtol=rtol, atol=atol, names=names)
        except CheckFailed:
            continue
        _fail(f"{quantity}: {message} [{detail.split(': ', 1)[-1][:200]}]")
    _fail(detail)


def _same_value(a, b):
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - arrays or odd objects (any error comparing them): not a plain value
        return False


def _scalar(value):
    # a number held in a 0-d array, a numpy scalar or a one-element torch tensor, as a python number
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0:
        return value.item()
    return value


def _inside(value, spec):
    # whether value lies in the space of one name: a list (one of its options) or (kind, low, high)
    if isinstance(spec, list):
        return any(_same_value(value, option) for option in spec)
    value = _scalar(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    _, low, high = spec
    slack = 1e-12 * max(abs(low), abs(high))
    return low - slack <= value <= high + slack


SPREAD_FALSE_FAILURE = 1e-9   # the most often a correct search may fail one spread check by chance (every name and bin)
ORDER_MIN_DRAWS = 20          # a history of this many different scores is judged for being sorted by score


def spread_bins(spec):
    """The bins a spread check counts the draws of one entry in, with the probability a correct draw falls in each:
    a list: one bin per distinct option (probability: its share of the list); ("uniform", low, high): 4 equal
    bins; ("log-uniform", low, high): max(2, round(decades)) bins of equal width on a log10 scale.

    Used by: no notebook cell; through random_search_result"""
    if isinstance(spec, list):
        options = []
        for option in spec:
            if not any(_same_value(option, seen) for seen in options):
                options.append(option)
        return [(option, sum(_same_value(o, option) for o in spec) / len(spec)) for option in options]
    kind, low, high = spec
    bins = max(2, int(round(math.log10(high / low)))) if kind == "log-uniform" else 4
    return [(i, 1.0 / bins) for i in range(bins)]


def binomial_below(n, p, count):
    """P(X < count) for X ~ Binomial(n, p), summed exactly term by term (log-gamma for the coefficients).

    Used by: no notebook cell; through spread_threshold"""
    if count <= 0:
        return 0.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 1.0 if count > n else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    terms = (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_p + (n - k) * log_q
             for k in range(min(count, n + 1)))
    return min(1.0, math.fsum(math.exp(t) for t in terms))


def spread_threshold(n, p, delta):
    """The fewest draws a bin of probability p may get out of n: the largest count c with P(Binomial(n, p) < c)
    <= delta. A spread check fails a bin with fewer than c draws, so a correct search fails it with probability
    at most delta (0 when n is too small to judge: then nothing is judged).

    Used by: no notebook cell; through random_search_result"""
    p = p * (1 - 1e-6)   # margin for rounding at the bins' edges: the bound holds for any probability >= this p
    c = 0
    while c <= n and binomial_below(n, p, c + 1) <= delta:
        c += 1
    return c


def _spread(quantity, name, spec, draws, delta):
    # the draws of one name follow its distribution: every bin of spread_bins(spec) holds at least the
    # spread_threshold of its probability, so that correct draws fail a bin with probability at most delta
    __tracebackhide__ = True
    n = len(draws)
    bins = spread_bins(spec)
    if isinstance(spec, list):
        for option, p in bins:
            count = sum(_same_value(d, option) for d in draws)
            least = spread_threshold(n, p, delta)
            if count < least:
                _fail(f"{quantity}: the option {option!r} of {name!r} was drawn {count} times in {n} draws; each of "
                      f"the {len(spec)} options should come up about {n / len(spec):.0f} times (a uniform choice "
                      f"draws it fewer than {least} times with a probability below {delta:.0e})")
        return
    kind, low, high = spec
    x = np.array([_scalar(d) for d in draws], dtype=float)
    if kind == "log-uniform":
        edges = np.logspace(math.log10(low), math.log10(high), len(bins) + 1)
        counts = np.histogram(np.log10(x), np.log10(edges))[0]
        hint = ("log-uniform draws spread evenly over the decades; drawn uniformly between low and high, almost "
                "all land in the top decade: draw the exponent uniformly, 10 ** rng.uniform(log10(low), log10(high))")
    else:
        edges = np.linspace(low, high, len(bins) + 1)
        counts = np.histogram(x, edges)[0]
        hint = "uniform draws spread evenly between low and high"
    least = [spread_threshold(n, p, delta) for _, p in bins]
    if any(c < t for c, t in zip(counts, least)):
        spread = ", ".join(f"[{a:.3g}, {b:.3g}): {c}" for a, b, c in zip(edges[:-1], edges[1:], counts))
        _fail(f"{quantity}: the {n} draws of {name!r} ({kind} in [{low:g}, {high:g}]) fall {spread}; {hint} (correct "
              f"draws put fewer than {min(least)} in a bin with a probability below {delta:.0e})")


def random_search_result(quantity, actual, space, n_iter, score, spread=False):
    """`actual` is (best_params, best_score, history) of a random search of `score` over `space` with n_iter
    evaluations: history holds n_iter pairs (params, score(params)), each params a dict with a value inside its
    spec for every name of space (other keys are ignored), not all draws the same, in the order of evaluation;
    best_params, best_score are those of the first entry with the highest score. spread=True: the draws also
    follow their distributions (spread_bins, spread_threshold).

    Judged by chance, each with a false-failure probability for correct code computed in tests/test_random_checks.py:
    the order (with n_iter >= ORDER_MIN_DRAWS different scores, a history sorted by score, increasing or decreasing,
    fails: correct draws are exchangeable, so that happens with probability 2 / n_iter!), and the spread (every bin
    of every name at its spread_threshold for SPREAD_FALSE_FAILURE / the number of bins: at most
    SPREAD_FALSE_FAILURE in all).

    Used by: 11 test_random_search"""
    __tracebackhide__ = True
    if not isinstance(actual, (tuple, list)) or len(actual) != 3:
        _fail(f"{quantity}: expected a tuple (best_params, best_score, history), got {type(actual).__name__}"
              f"{f' of {len(actual)}' if isinstance(actual, (tuple, list)) else ''}")
    best_params, best_score, history = actual
    if not isinstance(history, (list, tuple)):
        _fail(f"{quantity} history: expected a list of (params, score) pairs, got {type(history).__name__}")
    if len(history) != n_iter:
        _fail(f"{quantity} history: {len(history)} evaluations, expected n_iter = {n_iter}")
    names = sorted(space)
    for i, entry in enumerate(history):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2 or not isinstance(entry[0], dict):
            _fail(f"{quantity} history[{i}]: expected a pair (params dict, score), got {str(entry)[:80]}")
        params, s = entry
        missing = [name for name in names if name not in params]
        if missing:
            _fail(f"{quantity} history[{i}]: params has no value for {missing}; expected a value for each of {names}")
        for name in names:
            if not _inside(params[name], space[name]):
                _fail(f"{quantity} history[{i}]: {name} = {params[name]!r} lies outside its space {space[name]!r}")
        compare(f"{quantity} history[{i}] score", s, score(params), rtol=1e-12, atol=1e-12)
    if n_iter > 1 and len({tuple(repr(p[name]) for name in names) for p, _ in history}) == 1:
        _fail(f"{quantity} history: all {n_iter} draws are the same; create the generator once, before the loop, "
              "and draw every value from it")
    if n_iter:
        scores = [float(s) for _, s in history]
        if n_iter >= ORDER_MIN_DRAWS and len(set(scores)) == n_iter and (
                scores == sorted(scores) or scores == sorted(scores, reverse=True)):
            way = "increasing" if scores[0] < scores[-1] else "decreasing"
            _fail(f"{quantity} history: the {n_iter} scores come in {way}"
                  " order, as if the history were sorted by score; keep the pairs in the order of evaluation (sort a "
                  "copy if you need one)")
        first = int(np.argmax(scores))
        if not isinstance(best_params, dict) or not all(
                name in best_params and _same_value(best_params[name], history[first][0][name]) for name in names):
            later = [i for i, (p, s) in enumerate(history) if i > first and s == scores[first] and isinstance(
                best_params, dict) and all(_same_value(best_params.get(n), p[n]) for n in names)]
            hint = (f"; you returned entry {later[0]}, a later one with the same score: on a tie keep the first best "
                    "(compare with >, not >=)") if later else ""
            _fail(f"{quantity} best_params: not the params of the first entry of history with the highest score "
                  f"(entry {first}){hint}")
        compare(f"{quantity} best_score", best_score, scores[first], rtol=1e-12, atol=1e-12)
    if spread:
        delta = SPREAD_FALSE_FAILURE / sum(len(spread_bins(space[name])) for name in names)
        for name in names:
            _spread(quantity, name, space[name], [p[name] for p, _ in history], delta)


def cv_grid_results(quantity, actual, expected, make_model, X, y, grid, k, seed, rtol=1e-9):
    """`actual` equals `expected`, the (best_params, results) of a grid search scored by StratifiedKFold(k,
    shuffle=True, random_state=seed), mean test-fold accuracy, ParameterGrid's order, first best. When it does not,
    the usual slips are recomputed (training-fold accuracy, plain KFold, no shuffling, another order) and the one
    that matches is named.

    Used by: 11 oracles"""
    __tracebackhide__ = True
    names = ("best_params", "results")
    try:
        compare(quantity, actual, expected, rtol=rtol, atol=1e-12, names=names)
        return
    except CheckFailed as exc:
        detail = str(exc)
    import itertools

    from sklearn.model_selection import KFold, ParameterGrid, StratifiedKFold, cross_validate

    candidates = list(ParameterGrid(grid))

    def searched(cv, train=False):
        key = "train_score" if train else "test_score"
        pairs = tuple((p, float(np.mean(cross_validate(make_model(**p), X, y, cv=cv, scoring="accuracy",
                                                       return_train_score=train)[key]))) for p in candidates)
        return pairs[int(np.argmax([s for _, s in pairs]))][0], pairs

    def reordered(keys, last_fastest):
        score = {tuple(sorted(p.items())): s for p, s in expected[1]}
        keys = list(keys) if last_fastest else list(keys)[::-1]
        order = [dict(zip(keys, v)) for v in itertools.product(*(grid[n] for n in keys))]
        return expected[0], tuple((p, score[tuple(sorted(p.items()))]) for p in order)

    grid_names = ", ".join(map(repr, sorted(grid)))
    order_message = (f"the results are not in ParameterGrid's order: names sorted ({grid_names}),"
                     " the LAST name varying fastest")
    slips = [
        (lambda: searched(StratifiedKFold(k, shuffle=True, random_state=seed), train=True),
         "these are accuracies on the TRAINING folds; score each model on the fold it was not trained on"),
        (lambda: searched(KFold(k, shuffle=True, random_state=seed)),
         "these are the scores of plain KFold: use StratifiedKFold(k, shuffle=True, random_state=seed), which keeps "
         "the class proportions of y in every fold"),
        (lambda: searched(StratifiedKFold(k)),
         "these are the scores of StratifiedKFold without shuffling (what cv=k does): shuffle the examples with "
         "StratifiedKFold(k, shuffle=True, random_state=seed)"),
        (lambda: reordered(sorted(grid), last_fastest=False), order_message),
        (lambda: reordered(list(grid), last_fastest=True), order_message),
    ]
    for make, message in slips:
        try:
            compare(quantity, actual, make(), rtol=rtol, atol=1e-12, names=names)
        except CheckFailed:
            continue
        _fail(f"{quantity}: {message} [{detail.split(': ', 1)[-1][:200]}]")
    _fail(detail)


# ---------------------------------------------------------------- assignment 12: torch models as data
# A returned torch module reaches a property as values.describe_module's plain data:
# {"type", "in_features", ..., "children": [...], "parameters": {name: array}, "buffers": {...}}.


def _layers(quantity, actual):
    __tracebackhide__ = True
    if not isinstance(actual, dict) or "type" not in actual:
        _fail(f"{quantity}: expected a torch module (nn.Sequential), got {type(actual).__name__}")
    if actual["type"] != "Sequential":
        _fail(f"{quantity}: expected an nn.Sequential, got {actual['type']}")
    return actual.get("children", [])


def _count(layer):
    return sum(int(np.asarray(p).size) for p in layer.get("parameters", {}).values())


def sequential_layers(quantity, actual, types, n_parameters=None):
    """`actual` is an nn.Sequential whose layers have the given types in this order (e.g. ["Linear",
    "BatchNorm1d", "ReLU", "Dropout", "Linear"]) and, if n_parameters is given, that many parameters
    (weights, biases, batch norm's gamma and beta; running statistics are buffers, not parameters).

    Used by: 12 test_build_mlp"""
    __tracebackhide__ = True
    got = [layer.get("type") for layer in _layers(quantity, actual)]
    if got != list(types):
        hint = ""
        if sorted(got) == sorted(types):
            hint = " (the right layers in the wrong order)"
        elif len(got) > len(types) and got[:len(types)] == list(types):
            hint = " (extra layers after the output Linear: it must be the last layer)"
        elif "Dropout" in got and "Dropout" not in types:
            hint = " (no Dropout layer when dropout is 0)"
        _fail(f"{quantity}: its layers are {', '.join(got) or 'none'}; expected {', '.join(types)}{hint}")
    if n_parameters is not None:
        total = sum(_count(layer) for layer in actual.get("children", []))
        if total != n_parameters:
            _fail(f"{quantity}: {total} parameters, expected {n_parameters}")


def _module_from_description(desc):
    """A float64 torch module rebuilt from describe_module's data (Sequential of Linear, ReLU, Tanh,
    Sigmoid, Dropout and BatchNorm1d layers), in eval mode."""
    import torch
    from torch import nn

    kind = desc["type"]
    if kind == "Sequential":
        module = nn.Sequential(*[_module_from_description(c) for c in desc.get("children", [])])
    elif kind == "Linear":
        weight = np.asarray(desc["parameters"]["weight"])
        module = nn.Linear(weight.shape[1], weight.shape[0], bias="bias" in desc["parameters"])
    elif kind == "BatchNorm1d":
        module = nn.BatchNorm1d(desc["num_features"], eps=desc.get("eps", 1e-5))
    elif kind == "Dropout":
        module = nn.Dropout(desc.get("p", 0.5))
    elif kind in ("ReLU", "Tanh", "Sigmoid"):
        module = getattr(nn, kind)()
    else:
        raise ValueError(f"cannot rebuild a {kind} layer")
    module = module.double()
    if kind != "Sequential":
        for name, value in {**desc.get("parameters", {}), **desc.get("buffers", {})}.items():
            t = torch.tensor(np.asarray(value))
            getattr(module, name).data = t.double() if t.is_floating_point() else t
    return module.eval()


def matches_numpy_network(quantity, actual, X, Y, ZL, costs, learning_rate, rtol=1e-12):
    """`actual` (a torch model, as data) run by torch in float64 is the course's numpy network: on X (n_x, m)
    its outputs (m, 1) are the numpy network's last pre-activation ZL (1, m) transposed (to rtol), and
    len(costs) steps of torch.optim.SGD(lr=learning_rate) on nn.BCEWithLogitsLoss against Y (1, m) give the
    costs of the same number of numpy steps (compute_cost before each update, to 1e-10 relative).

    Used by: 12 test_load_numpy_parameters"""
    __tracebackhide__ = True
    import torch

    _layers(quantity, actual)
    try:
        model = _module_from_description(actual)
    except (KeyError, ValueError, RuntimeError, TypeError) as exc:
        _fail(f"{quantity}: not a model of Linear and ReLU layers that torch can run ({exc})")
    X_t, Y_t = torch.tensor(np.asarray(X).T), torch.tensor(np.asarray(Y).T)
    try:
        with torch.no_grad():
            out = model(X_t).numpy()
    except RuntimeError as exc:
        _fail(f"{quantity}: torch cannot run the model on X.T of shape {tuple(X_t.shape)} ({str(exc)[:120]}); "
              "are the weights of shape (n_l, n_(l-1))?")
    compare(f"{quantity} outputs on X.T (the numpy network's Z[L].T)", out, np.asarray(ZL).T, rtol=rtol, atol=1e-13)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    got = []
    for _ in range(len(costs)):
        optimizer.zero_grad()
        loss = loss_fn(model(X_t), Y_t)
        loss.backward()
        optimizer.step()
        got.append(loss.item())
    compare(f"{quantity}: torch's SGD losses against the numpy network's costs", np.array(got),
            np.asarray(costs, dtype=float), rtol=1e-10, atol=1e-13)


def _stopping_rule(val, patience):
    # (epochs run, best epoch) of the early-stopping rule on the validation losses `val`: an epoch improves when
    # its loss is below the best so far; training stops after the epoch that makes `patience` non-improving epochs
    # in a row. None for the epochs when the losses end before a stop.
    best_loss, best, waited = math.inf, 0, 0
    for epoch, loss in enumerate(val):
        if loss < best_loss:
            best_loss, best, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch + 1, best
    return None, best


def early_stopped(quantity, actual, expected, patience, max_epochs=None, rtol=1e-7, atol=1e-10):
    """`actual` is fit()'s history {"train_loss", "val_loss", "val_accuracy", "best_epoch"} and agrees with
    `expected` (the reference history). Judged in this order, so that a failure names its cause:
    1. the form: a dict with the keys, lists of one number per epoch all of one length, best_epoch an int;
    2. fit's own rule, on the learner's own validation losses (whatever their train_one_epoch and evaluate
       gave): the number of epochs run (the stop, or max_epochs) and best_epoch;
    3. the numbers against the reference: val_loss, then train_loss and val_accuracy (to rtol, atol). They come
       from train_one_epoch and evaluate, so a failure here, with the rule applied right, says so.

    Used by: 12 test_fit"""
    __tracebackhide__ = True
    if not isinstance(actual, dict):
        _fail(f"{quantity}: expected a history dict, got {type(actual).__name__}")
    missing = [k for k in expected if k not in actual]
    if missing:
        _fail(f"{quantity}: the history has no {', '.join(repr(k) for k in missing)}")
    lists = [k for k in expected if k != "best_epoch"]
    for k in lists:
        if np.ndim(actual[k]) != 1:
            _fail(f"{quantity}[{k!r}]: expected a list with one number per epoch, got {type(actual[k]).__name__}")
    lengths = {k: len(actual[k]) for k in lists}
    if len(set(lengths.values())) > 1:
        _fail(f"{quantity}: the lists have different lengths {lengths}; append one number to each per epoch")
    best = actual["best_epoch"]
    if not isinstance(best, (int, np.integer)) or isinstance(best, (bool, np.bool_)):
        _fail(f"{quantity}['best_epoch']: expected an int, got {type(best).__name__} {best!r}")
    val, ran = np.asarray(actual["val_loss"], dtype=float), len(actual["val_loss"])
    reference = np.asarray(expected["val_loss"], dtype=float)
    n = len(reference)
    same_losses = ran <= n and np.allclose(val, reference[:ran], rtol=rtol, atol=atol)
    # 2. the rule on the learner's own losses
    shown = ", ".join(f"{v:.4f}" for v in val[:12]) + (", ..." if ran > 12 else "")
    rule = (f"With patience {patience}, training stops after the epoch that makes {patience} non-improving epochs "
            "in a row; an epoch improves only when its loss is below the best so far (an equal loss does not), and "
            "an improving epoch starts the count again")
    stop, own_best = _stopping_rule(val, patience)
    if stop is not None and stop < ran:
        _fail(f"{quantity}: ran {ran} epochs, expected {stop}. Your validation losses: {shown}. {rule}")
    if max_epochs is not None and ran > max_epochs:
        _fail(f"{quantity}: ran {ran} epochs, more than max_epochs = {max_epochs}")
    if stop is None and ran < (max_epochs if max_epochs is not None else n if same_losses else ran):
        more = n if same_losses else max_epochs
        _fail(f"{quantity}: ran {ran} epochs, expected {more}: your validation losses ({shown}) call for no stop yet, "
              f"so training goes on (up to max_epochs = {max_epochs}). {rule}")
    if int(best) != own_best:
        _fail(f"{quantity}['best_epoch']: got {int(best)}, expected {own_best}: the last epoch whose validation loss "
              f"was below every earlier one, counting epochs from 0 (an equal loss is not an improvement); your "
              f"validation losses: {shown}")
    # 3. the numbers against the reference
    source = {"val_loss": "evaluate(model, val_loader, loss_fn)'s loss after that epoch's training",
              "val_accuracy": "evaluate(model, val_loader, loss_fn)'s accuracy after that epoch's training",
              "train_loss": "what train_one_epoch(model, train_loader, loss_fn, optimizer) returned for that epoch"}
    for k in ["val_loss"] + [k for k in lists if k != "val_loss"]:
        both = min(ran, n)
        try:
            compare(f"{quantity}[{k!r}] (first {both} epochs)", np.asarray(actual[k], dtype=float)[:both],
                    np.asarray(expected[k], dtype=float)[:both], rtol=rtol, atol=atol)
        except CheckFailed as exc:
            _fail(f"{exc}. fit applies the early-stopping rule right to its losses, but the numbers differ from the "
                  f"reference's: each {k} entry is {source.get(k, 'one number per epoch')}, the example-weighted "
                  "mean over the batches. If train_one_epoch and evaluate pass their own tests, check that fit calls "
                  "them once per epoch, in that order, with these arguments, and records their results as they are")
    if ran != n:
        _fail(f"{quantity}: ran {ran} epochs, expected {n}. Your validation losses: {shown}. {rule}")


# ---------------------------------------------------------------- assignment 12: modules written by learners, devices

def _linear_layers(layer):
    # the Linear layers of a module description, in registration order, searched through its children
    if layer.get("type") == "Linear":
        return [layer]
    return [found for child in layer.get("children", []) for found in _linear_layers(child)]


def _all_parameters(layer):
    return _count(layer) + sum(_all_parameters(child) for child in layer.get("children", []))


def registered_linears(quantity, actual, shapes):
    """`actual` (a torch module as data) registers Linear layers whose weights have the given shapes, in this
    order (e.g. [(32, 64), (10, 32)]), each with a bias, and no other parameter: its .parameters() and
    state_dict() see the layers. Used by: 12 test_MLP"""
    __tracebackhide__ = True
    if not isinstance(actual, dict) or "type" not in actual:
        _fail(f"{quantity}: expected a torch module (an instance of your nn.Module subclass), "
              f"got {type(actual).__name__}")
    linears = _linear_layers(actual)
    if not linears:
        _fail(f"{quantity}: the module registers no Linear layer, so .parameters() and state_dict() see none; assign "
              "the layers to attributes of self, e.g. an nn.ModuleList (a plain Python list hides them from PyTorch), "
              "after calling super().__init__()")
    got = [tuple(np.shape(layer["parameters"].get("weight"))) for layer in linears]
    if got != [tuple(s) for s in shapes]:
        _fail(f"{quantity}: its registered Linear layers have weights of shapes {got}, "
              f"expected {[tuple(s) for s in shapes]} (weight (n_l, n_(l-1)) for l = 1..L, in order)")
    no_bias = [i for i, layer in enumerate(linears) if "bias" not in layer["parameters"]]
    if no_bias:
        _fail(f"{quantity}: Linear layer {no_bias[0]} has no bias; keep PyTorch's default bias=True")
    expected = sum(a * b + a for a, b in shapes)
    if _all_parameters(actual) != expected:
        _fail(f"{quantity}: {_all_parameters(actual)} parameters, expected {expected} (the Linear layers' alone)")


def on_device(quantity, actual, device, shape=None):
    """`actual` (a tensor or a torch module, as data) lives on `device` ("cpu" or "meta"): a tensor of that shape
    there, or a module whose parameters and buffers are all there. A tensor on the CPU reads as an array, one on
    torch's "meta" device (shapes, no numbers) as {"device": "meta", "shape": ...}. Used by: 12 test_logits_on"""
    __tracebackhide__ = True

    def where(data):
        return "meta" if isinstance(data, dict) and data.get("device") == "meta" else "cpu"

    if isinstance(actual, dict) and "type" in actual:  # a module
        def tensors(layer, prefix):
            for kind in ("parameters", "buffers"):
                for name, data in layer.get(kind, {}).items():
                    yield f"{prefix}{name}", data
            for i, child in enumerate(layer.get("children", [])):
                yield from tensors(child, f"{prefix}{i}.")
        away = [(name, where(data)) for name, data in tensors(actual, "") if where(data) != device]
        if away:
            _fail(f"{quantity}: the model's {away[0][0]} is on {away[0][1]}, expected on {device}: move the model "
                  "with model.to(device)")
        return
    if isinstance(actual, dict) and "shape" in actual:
        got_shape = tuple(actual["shape"])
    elif hasattr(actual, "shape"):
        got_shape = tuple(np.shape(actual))
    else:
        _fail(f"{quantity}: expected a tensor, got {type(actual).__name__}")
    if where(actual) != device:
        _fail(f"{quantity}: the result is on {where(actual)}, expected on {device}: move the model and the data to the "
              "device you are given (model.to(device), X.to(device)), not to a fixed one")
    if shape is not None and got_shape != tuple(shape):
        _fail(f"{quantity}: wrong shape: expected {tuple(shape)}, got {got_shape}")
