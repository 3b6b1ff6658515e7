"""Named properties for checks that judge a result without a fixed expected value.

`ck.check(fn, inputs, ck.Satisfies(properties.index_split, m=10, sizes=(6, 2, 2)))`: each
property is `prop(quantity, actual, **params)` and raises checks.CheckFailed with a message
that says what does not hold. They are importable by name, so the grader's re-check can
judge a replayed result with the same property. Used where any correct learner may draw
randomness differently (a shuffle), or for "same seed, same result" (with `again=`).
"""
from __future__ import annotations

import numpy as np

from .checks import CheckFailed, compare


def _fail(message):
    __tracebackhide__ = True
    raise CheckFailed(message)


def _as_int_indices(quantity, idx):
    arr = np.asarray(idx)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        _fail(f"{quantity}: expected a 1-D array of integer indices, got {arr.dtype} of shape {arr.shape}")
    return arr.astype(np.int64)


def same_result(quantity, actual, again, what="the same inputs"):
    """Two calls with `what` gave the same result (reproducible)."""
    __tracebackhide__ = True
    try:
        compare(f"{quantity} called again with {what}", again, actual, rtol=0.0, atol=0.0)
    except CheckFailed as exc:
        _fail(f"{quantity}: two calls with {what} gave different results; make every random draw come "
              f"from the seed you are given ({str(exc).split(': ', 1)[-1][:160]})")


def different_result(quantity, actual, again, what="another seed"):
    """A call with `what` gave a different result (the seed is used)."""
    __tracebackhide__ = True
    try:
        compare(quantity, again, actual, rtol=0.0, atol=0.0)
    except CheckFailed:
        return
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