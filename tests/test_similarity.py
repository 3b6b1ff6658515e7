"""The similarity check of `coursekit report` (coursekit/grading/similarity.py, issue 24 item 5):
names, whitespace and comments normalized away; a renamed, re-spaced, re-commented copy planted
in a batch is flagged and nothing else is; the release's code never makes two submissions alike;
the correct formulations of tests/variants (distinct ways of writing one function) are never
flagged. In-process, no kernel: a second or two."""
import itertools

import nbformat

from coursekit import course
from coursekit.grading import similarity
from support import variants
from support.nbtools import ROOT

A = "03_logistic_regression"
DISGUISED_BODY = '''    history = []      # the cost at every step
    g = None

    # plain gradient descent
    for it in range(num_iterations):
        g, J = propagate(w, b, X, Y)
        history.append(J)

        w = w - learning_rate*g["dw"]
        b = b - learning_rate*g["db"]
    result = {"w": w,
              "b": b}
    return result, g, history
'''


def disguised_optimize():
    """The answer key's optimize renamed, re-spaced and re-commented, under the release's signature
    and docstring (as a learner keeps them)."""
    return release()["optimize"].split("    # YOUR CODE HERE")[0] + DISGUISED_BODY


def answer_key():
    return course.read(ROOT / "solutions" / A / f"{A}.ipynb")


def release():
    return similarity.functions_of(course.read(ROOT / "notebooks" / A / f"{A}.ipynb"))


def test_tokens_forget_names_spacing_and_comments_but_keep_the_api():
    one = "def f(x, y):\n    # sum them\n    total = np.sum(x)   + y\n\n    return total\n"
    two = "def g(a, b):\n    s = np.sum(a)+b  # different words\n    return s"
    assert [t for t, _ in similarity.tokens(one)] == [t for t, _ in similarity.tokens(two)], \
        "renamed, re-spaced, re-commented code normalizes to the same tokens"
    three = two.replace("np.sum", "np.mean")
    assert [t for t, _ in similarity.tokens(two)] != [t for t, _ in similarity.tokens(three)], \
        "attribute names (the API called) are kept"
    assert [t for t, _ in similarity.tokens("%time x = 1\ny = 'a'")] == ["V", "=", "S", ";"], "magics dropped"
    assert isinstance(similarity.fingerprints("def f(x:\n    return '"), dict), "code that does not tokenize: no error"


def test_a_shared_run_of_w_plus_k_minus_1_tokens_always_shares_a_fingerprint():
    shared = "z = np.dot(q, r) + np.exp(-q)"       # 15 tokens
    for before, after in itertools.product(["", "u = 1\n", "u = v * 2 - w\n"], ["", "\nt = u", "\nt = u ** 3 + 1"]):
        a, b = f"{before}{shared}{after}", f"k = len(m)\n{shared}\nreturn None"
        assert set(similarity.fingerprints(a)) & set(similarity.fingerprints(b)), (a, b)


def test_a_planted_renamed_copy_is_flagged_in_a_batch_of_distinct_formulations():
    key = similarity.functions_of(answer_key())["optimize"]
    batch = {"key": {"optimize": key}, "copy": {"optimize": disguised_optimize()}}
    formulations = [c for c in variants.cases(A[:2] + A[2:]) if c.correct and c.function == "optimize"]
    assert len(formulations) >= 2, "the variants data has several correct formulations of optimize"
    for c in formulations:
        batch[f"v_{c.label}"] = {"optimize": c.source}
    result = similarity.compare(batch, release())
    flagged = [(p.function, p.a, p.b) for p in result.pairs]
    assert flagged == [("optimize", "copy", "key")], \
        f"only the planted copy should be flagged; got {flagged} (highest other {result.highest_unflagged:.2f})"
    pair = result.pairs[0]
    assert pair.similarity >= similarity.JACCARD and result.highest_unflagged < similarity.JACCARD
    body = {i for i, line in enumerate(pair.source_a.splitlines(), 1)
            if "for it in" in line or "learning_rate*" in line}
    assert len(body) == 3 and body <= pair.lines_a, f"the copy's loop and updates are shared lines, got {pair.lines_a}"
    assert result.compared == len(batch) * (len(batch) - 1) // 2, result.compared


def test_the_release_code_never_makes_two_submissions_alike():
    starter = ("def fit(X, Y, steps, alpha):\n    n, m = X.shape\n    assert Y.shape == (1, m), Y.shape\n"
               "    order = np.random.default_rng(0).permutation(m)\n    X, Y = X[:, order], Y[:, order]\n"
               "    W = np.zeros((n, 1))\n    b = 0.0\n    costs = []\n"
               "    for step in range(steps):\n        Z = W.T @ X + b\n        A = 1 / (1 + np.exp(-Z))\n"
               "        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))\n        costs.append(float(cost))\n"
               "        dZ = A - Y\n        # YOUR CODE HERE: the two updates\n")
    end = "    return W, b, costs\n"
    one = {"fit": starter + "        W = W - alpha * (X @ dZ.T) / m\n        b = b - alpha * np.mean(dZ)\n" + end}
    two = {"fit": starter + "        b -= alpha * dZ.sum() / m\n        W -= alpha * np.dot(X, dZ.T) / m\n" + end}
    assert similarity.compare({"one": one, "two": two}).pairs, "without the release, the starter code is shared"
    shipped = {"fit": starter + "        raise NotImplementedError()\n    return W, b, costs\n"}
    result = similarity.compare({"one": one, "two": two}, shipped)
    assert result.pairs == [], f"the release's starter code is left out: got {result.pairs}"


def test_distinct_correct_formulations_of_the_variants_are_not_flagged():
    """Every assignment's correct formulations, pairwise per function, the release left out."""
    count = compared = short = 0
    highest = 0.0
    flagged = []
    for path in sorted(variants.FOLDER.glob("a*.py")):
        assignment = path.stem[1:]
        cases = [c for c in variants.cases(assignment) if c.correct]
        count += len(cases)
        shipped = {}
        for nb in course.notebooks(ROOT, assignment, "notebooks"):
            shipped.update(similarity.functions_of(course.read(nb)))
        result = similarity.compare({f"{c.function}-{c.label}": {c.function: c.source} for c in cases}, shipped)
        compared, short = compared + result.compared, short + result.too_short
        highest = max(highest, result.highest_unflagged, *(p.similarity for p in result.pairs))
        flagged += [f"{assignment}: {p.a} ~ {p.b} ({p.similarity:.2f})" for p in result.pairs]
    print(f"\nvariants: {count} correct formulations, {compared} pairs compared, {short} too short, "
          f"{len(flagged)} flagged, highest similarity {highest:.2f}")
    assert count >= 233 and compared >= 250, (count, compared)
    assert flagged == [], f"distinct formulations flagged as copies: {flagged}"
    assert highest < similarity.JACCARD - 0.1, f"the margin below the threshold is thin: {highest:.2f}"


def test_check_reads_the_autograded_notebooks(tmp_path):
    key = answer_key()
    copy = nbformat.from_dict(nbformat.reads(nbformat.writes(key), as_version=4))
    for cell in copy.cells:
        if course.is_solution(cell) and course.grade_id(cell) == "optimize":
            cell.source = disguised_optimize()
    folders = {}
    for student, nb in (("ann", key), ("bo", copy)):
        folders[student] = tmp_path / student / A
        folders[student].mkdir(parents=True)
        nbformat.write(nb, folders[student] / f"{A}.ipynb")
    (folders["bo"] / "broken.ipynb").write_text("{not json")
    result = similarity.check(ROOT, A, folders)
    flagged = {p.function: p for p in result.pairs}
    assert ("ann", "bo") == (flagged["optimize"].a, flagged["optimize"].b), result.pairs
    assert sorted(flagged) == sorted(similarity.functions_of(key)), \
        f"ann and bo share every other function word for word: all flagged, got {sorted(flagged)}"
