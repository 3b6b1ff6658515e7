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
    """Two calls with `what` gave the same result, exactly (reproducible)."""
    __tracebackhide__ = True
    if _fingerprint(again) != _fingerprint(actual):
        _fail(f"{quantity}: two calls with {what} gave different results; make every random draw come "
              "from the seed you are given")


def different_result(quantity, actual, again, what="another seed"):
    """A call with `what` gave a different result (the seed is used)."""
    __tracebackhide__ = True
    if _fingerprint(again) == _fingerprint(actual):
        _fail(f"{quantity}: a call with {what} gave exactly the same result; is the seed argument used?")


def index_split(quantity, actual, m, sizes, shuffled=True):
    """`actual` is a tuple of len(sizes) integer index arrays of those sizes that together hold
    every index of range(m) exactly once (and, with shuffled=True, not in sorted order)."""
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
    column exactly once; X's first row must be a tracer (X[0] = arange(m)) that reads the order back."""
    __tracebackhide__ = True
    X, Y = np.asarray(X), np.asarray(Y)
    m = X.shape[1]
    sizes = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
    if not isinstance(actual, (list, tuple)):
        _fail(f"{quantity}: expected a list of (X_batch, Y_batch) pairs, got {type(actual).__name__}")
    if len(actual) != len(sizes):
        _fail(f"{quantity}: {len(actual)} batches, expected {len(sizes)} = ceil(m / batch_size) for m = {m}, "
              f"batch_size = {batch_size}{' (the last, smaller batch is missing?)' if len(actual) == m // batch_size else ''}")
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


def layerwise_draws(quantity, actual, layer_dims, seed, scales, rtol=1e-12):
    """`actual` is a parameters dict whose W{l} are the numbers of ONE generator
    np.random.default_rng(seed), drawn as standard normals of shape (n_l, n_{l-1}) for l = 1..L in
    that order and multiplied by scales[l-1], and whose b{l} are zeros (n_l, 1). The expected
    arrays stay inside this check (it says pass or where it fails, never the numbers), so it
    is no way to get the answer without writing it."""
    __tracebackhide__ = True
    if not isinstance(actual, dict):
        _fail(f"{quantity}: expected a dict of parameters, got {type(actual).__name__}")
    rng = np.random.default_rng(seed)
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        expected_W = rng.standard_normal((n, n_prev)) * scales[l - 1]
        for key, expected in ((f"W{l}", expected_W), (f"b{l}", np.zeros((n, 1)))):
            if key not in actual:
                _fail(f"{quantity}: missing key {key!r}")
            try:
                compare(f"{quantity}[{key!r}]", actual[key], expected, rtol=rtol, atol=0.0)
            except CheckFailed as exc:
                hint = ""
                got = np.asarray(actual[key], dtype=float)
                if key.startswith("W") and got.shape == expected.shape and np.allclose(
                        np.abs(got).sum(), np.abs(expected).sum(), rtol=1e-9):
                    hint = " (the right numbers in another order: draw W1, W2, ... in layer order, rows first)"
                elif key.startswith("W") and got.shape == expected.shape and np.std(got) > 0 and np.allclose(
                        got / np.std(got), expected / np.std(expected), rtol=1e-9):
                    hint = " (the right draws at the wrong scale)"
                message = str(exc).split("; worst")[0]
                _fail(f"{message}: not the draws of np.random.default_rng({seed}) in layer order times the "
                      f"scale{hint}")


def kfold_folds(quantity, actual, m, k):
    """`actual` is what KFold(n_splits=k) gives for m examples: k pairs (train_idx, val_idx); the validation folds
    are consecutive blocks of range(m) in order, the first m % k of them one index larger; each training part
    holds every other index in increasing order."""
    __tracebackhide__ = True
    if not isinstance(actual, (list, tuple)) or len(actual) != k:
        got = f"{type(actual).__name__} of {len(actual)}" if isinstance(actual, (list, tuple)) else type(actual).__name__
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
    (the examples were shuffled before they were cut into parts)."""
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
    says that message."""
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
    except Exception:  # arrays or odd objects: not a plain value
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


def _spread(quantity, name, spec, draws):
    # the draws of one name follow its distribution: every option drawn, uniform draws over 4 equal bins,
    # log-uniform draws over the decades (each bin at least 40% of its expected count)
    __tracebackhide__ = True
    n = len(draws)
    if isinstance(spec, list):
        for option in spec:
            count = sum(_same_value(d, option) for d in draws)
            if count < 0.4 * n / len(spec):
                _fail(f"{quantity}: the option {option!r} of {name!r} was drawn {count} times in {n} draws; each of "
                      f"the {len(spec)} options should come up about {n / len(spec):.0f} times (a uniform choice)")
        return
    kind, low, high = spec
    x = np.array([_scalar(d) for d in draws], dtype=float)
    if kind == "log-uniform":
        bins = max(2, int(round(math.log10(high / low))))
        edges = np.logspace(math.log10(low), math.log10(high), bins + 1)
        counts = np.histogram(np.log10(x), np.log10(edges))[0]
        hint = ("log-uniform draws spread evenly over the decades; drawn uniformly between low and high, almost "
                "all land in the top decade: draw the exponent uniformly, 10 ** rng.uniform(log10(low), log10(high))")
    else:
        bins = 4
        edges = np.linspace(low, high, bins + 1)
        counts = np.histogram(x, edges)[0]
        hint = "uniform draws spread evenly between low and high"
    if counts.min() < 0.4 * n / bins:
        spread = ", ".join(f"[{a:.3g}, {b:.3g}): {c}" for a, b, c in zip(edges[:-1], edges[1:], counts))
        _fail(f"{quantity}: the {n} draws of {name!r} ({kind} in [{low:g}, {high:g}]) fall {spread}; {hint}")


def random_search_result(quantity, actual, space, n_iter, score, spread=False):
    """`actual` is (best_params, best_score, history) of a random search of `score` over `space` with n_iter
    evaluations: history holds n_iter pairs (params, score(params)), each params a dict with a value inside its
    spec for every name of space (other keys are ignored), not all draws the same; best_params, best_score are those of the
    first entry with the highest score. spread=True (n_iter >= 50): the draws also follow their distributions."""
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
        for name in names:
            _spread(quantity, name, space[name], [p[name] for p, _ in history])


def cv_grid_results(quantity, actual, expected, make_model, X, y, grid, k, seed, rtol=1e-9):
    """`actual` equals `expected`, the (best_params, results) of a grid search scored by StratifiedKFold(k,
    shuffle=True, random_state=seed), mean test-fold accuracy, ParameterGrid's order, first best. When it does not,
    the usual slips are recomputed (training-fold accuracy, plain KFold, no shuffling, another order) and the one
    that matches is named."""
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

    order_message = (f"the results are not in ParameterGrid's order: names sorted ({', '.join(map(repr, sorted(grid)))}),"
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
    (weights, biases, batch norm's gamma and beta; running statistics are buffers, not parameters)."""
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
    costs of the same number of numpy steps (compute_cost before each update, to 1e-10 relative)."""
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


def early_stopped(quantity, actual, expected, patience, rtol=1e-7, atol=1e-10):
    """`actual` is fit()'s history {"train_loss", "val_loss", "val_accuracy", "best_epoch"} and agrees with
    `expected` (the reference history): the validation losses of the epochs both ran, then the number of
    epochs (the stopping rule), then best_epoch, then every list (to rtol, atol)."""
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
    val, ran = np.asarray(actual["val_loss"], dtype=float), len(actual["val_loss"])
    n = len(expected["val_loss"])
    both = min(ran, n)
    compare(f"{quantity}['val_loss'] (first {both} epochs)", val[:both], np.asarray(expected["val_loss"][:both]),
            rtol=rtol, atol=atol)
    lengths = {k: len(actual[k]) for k in lists}
    if len(set(lengths.values())) > 1:
        _fail(f"{quantity}: the lists have different lengths {lengths}; append one number to each per epoch")
    if ran != n:
        shown = ", ".join(f"{v:.4f}" for v in val[:12]) + (", ..." if ran > 12 else "")
        _fail(f"{quantity}: ran {ran} epochs, expected {n}. Your validation losses: {shown}. With patience "
              f"{patience}, training stops at the epoch that makes {patience} non-improving epochs in a row; an "
              "epoch improves only when its loss is below the best so far (an equal loss does not), and an "
              "improving epoch starts the count again")
    best = actual["best_epoch"]
    if not isinstance(best, (int, np.integer)) or isinstance(best, (bool, np.bool_)):
        _fail(f"{quantity}['best_epoch']: expected an int, got {type(best).__name__} {best!r}")
    if int(best) != int(expected["best_epoch"]):
        _fail(f"{quantity}['best_epoch']: got {int(best)}, expected {int(expected['best_epoch'])}: the last epoch "
              "whose validation loss was below every earlier one, counting epochs from 0 (an equal loss is not an "
              "improvement)")
    for k in lists:
        compare(f"{quantity}[{k!r}]", np.asarray(actual[k], dtype=float), np.asarray(expected[k], dtype=float),
                rtol=rtol, atol=atol)
