"""No check fails correct code by chance more often than once in 10^9 (issue 19, item 5).

A check that judges randomness (the draws of a random search spread over their range, a shuffle is not the
identity, another seed gives another result, random weights have the right standard deviation) can fail a correct
function by bad luck. For every such check in every notebook's test cells, visible and hidden, this module computes
the probability that a correct function fails it, exactly or by a stated bound, and requires it to be at most
MAX_FALSE_FAILURE.

How it finds them: the test cells that name a randomness-judging property or a ck.Shape run here (setup and
solution cells first, tests/support/nbtools.py) with `ck.check` replaced by a recorder, so every check of those
cells is seen with its inputs and its expected spec, and none is judged. What "correct" allows depends on the
docstring of the function checked, so every function that such a check judges is classified in DRAWS:

    "exact"   the docstring fixes every number (a seed's exact draws, or an input that holds the randomness): a
              correct function returns the answer key's result, so the check's verdict is fixed and the answer key
              passes it (tests/test_variants.py): probability 0.
    "split"   a uniformly random split of range(m) into parts of fixed sizes, each part in random order or sorted
              (07's split_indices allows both): the bound is the larger of the two.
    "search"  independent draws from each entry of a random search's space (11's random_search, any order of
              drawing): lists uniformly, ("uniform", low, high) and ("log-uniform", low, high) continuously.

The bounds (union bounds over the bins or parts a check judges):
    random_search_result, spread=True   sum over the names and bins of P(Binomial(n, p_bin) < threshold), the
                                        thresholds being those the property uses (properties.spread_threshold),
                                        the tails computed here by scipy.stats.binom
    random_search_result, order         n_iter >= ORDER_MIN_DRAWS: 2 / n_iter! (exchangeable draws: every order of
                                        n different scores equally likely, two of them sorted)
    random_search_result, not all equal product over the names of P(all n draws equal): sum_k p_k^n for a list,
                                        at most 2^-50 per draw for a continuous entry
    different_result                    P(two independent results equal): search: product over the draws of the
                                        collision probability; split: 1 / (number of distinct splits), the larger
                                        for sorted parts, m! / prod(size!)
    index_split / mini_batches,         P(the parts, concatenated, are 0, 1, ..., m-1): 1 / (m! / prod(size!))
      shuffled=True                     (sorted parts) >= 1 / m! (random order)
    shuffled_parts(run)                 sum over the parts of size L >= run of P(the part is a block a, a+1, ...,
                                        a+L-1 in increasing order) = (m - L + 1) / C(m, L) (sorted), the larger
    ck.Shape(std=, mean=, tol=)         N iid normal entries: P(|std - s| > tol s) from the chi-square law of
                                        N std^2 / s^2 (N - 1 degrees of freedom), plus P(|mean| > tol s) =
                                        2 Phi(-tol sqrt(N))
"""
import copy
import math
import re

import numpy as np
import pytest
from scipy import stats

from coursekit import checks as ck
from coursekit import course, properties
from support import nbtools

MAX_FALSE_FAILURE = 1e-9

# how the correct results of each function that a randomness-judging check judges may vary (see the docstring)
DRAWS = {
    ("04_backprop", "initialize_parameters"): "exact",        # the docstring's draws, number for number
    #                                                           (layerwise_draws)
    ("05_activations", "initialize_weights"): "exact",
    ("06_minibatch", "make_mini_batches"): "exact",           # the permutation is an input
    ("06_minibatch", "random_mini_batches"): "exact",         # default_rng(seed).permutation(m), checked visibly
    ("07_evaluation", "split_indices"): "split",
    ("11_tuning", "random_search"): "search",
}

RANDOM_PROPERTIES = ("random_search_result", "index_split", "mini_batches", "shuffled_parts", "different_result")
MARKERS = re.compile(r"\b(" + "|".join(RANDOM_PROPERTIES) + r")\b|ck\.Shape\(")
CONTINUOUS_COLLISION = 2.0 ** -50     # two independent continuous draws (doubles) equal: at most this


# ---------------------------------------------------------------- the checks, recorded

def recorded_checks(assignment):
    """(function name, inputs, expected, again, answer key's namespace) of every check in the test cells that
    name a randomness-judging property or a Shape, in notebook order; nothing is judged."""
    nb = nbtools.load(assignment)
    ns = nbtools.namespace(nb)
    calls = []

    def record(fn, inputs, expected, **options):
        calls.append((getattr(fn, "__name__", str(fn)), inputs, expected, options.get("again")))

    real = ck.check
    ck.check = record
    try:
        for function in course.graded_functions(nb):
            for cell in nbtools.test_cells(nb, function):
                if MARKERS.search(cell.source):
                    exec(compile(cell.source, f"<{course.grade_id(cell)}>", "exec"), dict(ns))
    finally:
        ck.check = real
    return [(name, inputs, expected, again, ns) for name, inputs, expected, again in calls]


def _shapes(expected):
    if isinstance(expected, ck.Shape):
        yield expected
    elif isinstance(expected, dict):
        for value in expected.values():
            yield from _shapes(value)
    elif isinstance(expected, (tuple, list)):
        for value in expected:
            yield from _shapes(value)


def judged_by_chance(expected):
    """The parts of a check's expected spec that judge randomness (empty: the check is deterministic)."""
    parts = []
    if isinstance(expected, ck.Satisfies):
        name = getattr(expected.prop, "__name__", "")
        params = expected.params
        if name == "random_search_result":
            parts.append(("search result", params))
        elif name in ("index_split", "mini_batches") and params.get("shuffled", True):
            parts.append(("identity", params))
        elif name == "shuffled_parts":
            parts.append(("block", params))
        elif name == "different_result":
            parts.append(("collision", params))
    parts += [("shape", {"spec": s}) for s in _shapes(expected) if s.std is not None or s.mean is not None]
    return parts


# ---------------------------------------------------------------- the bounds

def _log_multinomial(sizes):
    return math.lgamma(sum(sizes) + 1) - sum(math.lgamma(s + 1) for s in sizes)


def entry_probabilities(spec):
    """The probabilities of the bins a spread check counts an entry's draws in (list options by their share)."""
    return [p for _, p in properties.spread_bins(spec)]


def spread_bound(space, n):
    bins = sum(len(properties.spread_bins(spec)) for spec in space.values())
    delta = properties.SPREAD_FALSE_FAILURE / bins
    total = 0.0
    for spec in space.values():
        for p in entry_probabilities(spec):
            threshold = properties.spread_threshold(n, p, delta)
            total += float(stats.binom.cdf(threshold - 1, n, p)) if threshold > 0 else 0.0
    return total


def all_equal_bound(space, n):
    bound = 1.0
    for spec in space.values():
        if isinstance(spec, list):
            bound *= sum(p ** n for p in entry_probabilities(spec))
        else:
            bound *= CONTINUOUS_COLLISION ** (n - 1)
    return bound


def search_result_bound(params):
    space, n = params["space"], params["n_iter"]
    bound = 0.0
    if params.get("spread"):
        bound += spread_bound(space, n)
    if n >= properties.ORDER_MIN_DRAWS:
        bound += 2.0 * math.exp(-math.lgamma(n + 1))
    if n > 1:
        bound += all_equal_bound(space, n)
    return bound


def search_collision_bound(space, n):
    bound = 1.0
    for spec in space.values():
        per_draw = sum(p * p for p in entry_probabilities(spec)) if isinstance(spec, list) else CONTINUOUS_COLLISION
        bound *= per_draw ** n
    return bound


def split_sizes(fn, inputs):
    return [len(part) for part in fn(**ck.materialize(copy.deepcopy(inputs)))]


def bound(kind, part, params, fn, inputs):
    """The false-failure probability of one judged part of a check, for a function of this kind."""
    if kind == "exact":
        return 0.0
    if part == "search result" and kind == "search":
        return search_result_bound(params)
    if part == "collision" and kind == "search":
        return search_collision_bound(inputs["space"], inputs["n_iter"])
    if kind == "split":
        sizes = split_sizes(fn, inputs)
        m = sum(sizes)
        if part == "identity":
            return math.exp(-_log_multinomial(sizes)) if m > 2 else 0.0
        if part == "collision":
            return math.exp(-_log_multinomial(sizes))
        if part == "block":
            run = params.get("run", 5)
            return sum((m - L + 1) / math.comb(m, L) for L in sizes if L >= run)
    if part == "shape":
        spec = params["spec"]
        N, s, tol = int(np.prod(spec.shape)), spec.std, spec.tol
        total = 0.0
        if s is not None:
            chi2 = stats.chi2(N - 1)
            total += chi2.cdf(N * (1 - tol) ** 2) + chi2.sf(N * (1 + tol) ** 2)
        if spec.mean is not None:
            total += 2 * stats.norm.cdf(-tol * math.sqrt(N))
        return total
    raise AssertionError(f"no bound for a {part!r} check of a function of kind {kind!r}")


# ---------------------------------------------------------------- the tests

def test_every_check_that_judges_randomness_fails_correct_code_at_most_once_in_a_billion(assignment):
    checks = recorded_checks(assignment)
    problems, unclassified, judged = [], set(), 0
    for name, inputs, expected, _again, ns in checks:
        parts = judged_by_chance(expected)
        if not parts:
            continue
        kind = DRAWS.get((assignment, name))
        if kind is None:
            unclassified.add(name)
            continue
        for part, params in parts:
            judged += 1
            p = bound(kind, part, params, ns[name], inputs)
            if p > MAX_FALSE_FAILURE:
                shown = ({k: v for k, v in inputs.items() if not hasattr(v, "shape")} if isinstance(inputs, dict)
                         else inputs)
                problems.append(f"{name}({shown}): its {part} check fails correct code with probability {p:.2g}")
    assert not unclassified, (f"{assignment}: classify {sorted(unclassified)} in DRAWS (how its correct results may "
                              "vary), so that the false-failure probability of its checks can be computed")
    assert not problems, f"{assignment}, above {MAX_FALSE_FAILURE:g}:\n" + "\n".join(problems)


@pytest.mark.parametrize("n, p", [(200, 0.25), (150, 1 / 3), (300, 0.5), (1000, 0.1), (60, 0.25), (5, 0.5)])
def test_spread_threshold_is_the_largest_count_within_its_probability(n, p):
    delta = 1e-10
    c = properties.spread_threshold(n, p, delta)
    p_low = p * (1 - 1e-6)
    assert c == 0 or stats.binom.cdf(c - 1, n, p_low) <= delta * (1 + 1e-9)
    assert c == n + 1 or stats.binom.cdf(c, n, p_low) > delta


def test_binomial_below_agrees_with_scipy():
    for n, p, count in [(200, 0.25, 15), (150, 1 / 3, 17), (60, 0.25, 1), (300, 0.5, 96), (10, 0.9, 11)]:
        assert math.isclose(properties.binomial_below(n, p, count), stats.binom.cdf(count - 1, n, p), rel_tol=1e-9)


def test_a_spread_check_is_judged_with_its_bound_at_most_the_target():
    space = {"lr": ("log-uniform", 1e-4, 1.0), "m": ("uniform", 0.0, 0.99), "act": ["relu", "tanh", "sigmoid"]}
    assert spread_bound(space, 200) <= properties.SPREAD_FALSE_FAILURE
    # and it has the power to see the usual slip: log-uniform drawn uniformly leaves the lowest decade empty
    assert properties.spread_threshold(200, 0.25, properties.SPREAD_FALSE_FAILURE / 11) >= 10
