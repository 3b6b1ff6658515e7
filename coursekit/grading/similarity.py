"""Who copied from whom: pairs of submissions whose graded functions are near-identical once
names, whitespace and comments are normalized away, for a person to look at (never a score
change). No kernel runs: the autograded notebooks are read as text.

The method is MOSS's (Schleimer, Wilkerson, Aiken, "Winnowing: local algorithms for document
fingerprinting", SIGMOD 2003), on Python tokens:

1. Normalize: the code of a graded function's solution cell is cut into Python tokens
   (`tokenize`); comments, blank lines and indentation are dropped; every name a learner chooses
   (variables, parameters, helpers) becomes `V`, while keywords, builtins and attribute names
   (`np.dot`, `.shape`) stay; strings become `S`; numbers stay as written. Lines starting with
   `%` or `!` (IPython magics) are dropped.
2. Fingerprint: every run of K = 5 consecutive tokens (a k-gram) is hashed (BLAKE2b, so the
   same everywhere); winnowing keeps, in every window of W = 4 consecutive hashes, the smallest
   (the rightmost of equal ones). Any run of W + K - 1 = 8 tokens two functions share gives them
   a shared fingerprint; runs shorter than K tokens never do.
3. Exclude the release and the class's common code: fingerprints that occur in the release's
   own cell of that function (the signature, the docstring, the starter code) are removed from
   every submission, and so are those found in more than COMMON = 10 submissions of that function
   (MOSS's `-m`, same default: what many write alike is the exercise's, not a copy's).
4. Compare: for each graded function and each pair of submissions, the Jaccard similarity of
   their remaining fingerprint sets, |A & B| / |A | B|. A pair is flagged at JACCARD = 0.8 or
   more, when both functions keep at least MIN_PRINTS = 8 fingerprints (a shorter answer is
   alike by necessity: `return 2 * x`).

The thresholds were chosen on the course's own data (tests/test_similarity.py): the correct
formulations of tests/variants, distinct ways of writing one function, are never flagged, and a
copy with its names changed, its comments rewritten and its lines re-spaced is.
"""
from __future__ import annotations

import builtins
import collections
import dataclasses
import hashlib
import io
import itertools
import keyword
import pathlib
import tokenize

from .. import course

K = 5
W = 4
JACCARD = 0.8
MIN_PRINTS = 8
COMMON = 10
_KEEP = set(keyword.kwlist) | set(dir(builtins))      # `_` and the soft keywords are names
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER}


@dataclasses.dataclass(frozen=True)
class Pair:
    """Two submissions whose `function` is near-identical: their sources and the lines (1-based)
    each has in common with the other."""
    function: str
    a: str
    b: str
    similarity: float
    source_a: str
    source_b: str
    lines_a: frozenset
    lines_b: frozenset


@dataclasses.dataclass
class Result:
    """The similarity check of one assignment: the flagged pairs, most similar first, and what
    was compared (for the report to state)."""
    pairs: list
    compared: int = 0            # pairs of (submission, submission) per function compared
    too_short: int = 0           # functions with fewer than MIN_PRINTS fingerprints outside the release
    highest_unflagged: float = 0.0


def tokens(source):
    """[(normalized token, line)] of Python source (see the module's step 1)."""
    kept = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()) + "\n"
    out, prev = [], None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(kept).readline):
            if tok.type in _SKIP:
                continue
            text = tok.string
            if tok.type == tokenize.NAME and text not in _KEEP and prev != ".":
                text = "V"
            elif tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_START", -1):
                text = "S"
            elif tok.type == tokenize.NEWLINE:
                text = ";"
            out.append((text, tok.start[0]))
            prev = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass                     # code that does not tokenize to the end: compared up to where it stops
    return out


def fingerprints(source, k=K, w=W):
    """{hash: lines it covers}: the winnowed k-gram hashes of `source` (see step 2)."""
    toks = tokens(source)
    grams = []
    for i in range(len(toks) - k + 1):
        text = "\x00".join(t for t, _ in toks[i:i + k])
        digest = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
        grams.append((digest, frozenset(line for _, line in toks[i:i + k])))
    if not grams:
        return {}
    chosen = {}
    for start in range(max(1, len(grams) - w + 1)):
        window = grams[start:start + w]
        low = min(h for h, _ in window)
        at = max(j for j, (h, _) in enumerate(window) if h == low)
        h, lines = window[at]
        chosen.setdefault(h, set()).update(lines)
    return chosen


def functions_of(nb):
    """{graded function: the source of its solution cell} of a notebook."""
    return {course.grade_id(c): c.source for c in nb.cells if course.is_solution(c)}


def compare(sources, release=None):
    """The Result over `sources` {student: {function: source}}, the release's code of each function
    (`release` {function: source}) excluded."""
    release = release or {}
    result = Result([])
    functions = sorted({f for fs in sources.values() for f in fs})
    for function in functions:
        common = set(fingerprints(release.get(function, "")))
        everyone = {s: fingerprints(sources[s][function]) for s in sorted(sources) if function in sources[s]}
        seen = collections.Counter(h for found in everyone.values() for h in found)
        common |= {h for h, n in seen.items() if n > COMMON}
        prints = {}
        for student, found in everyone.items():
            found = {h: lines for h, lines in found.items() if h not in common}
            if len(found) < MIN_PRINTS:
                result.too_short += 1
                continue
            prints[student] = found
        for a, b in itertools.combinations(sorted(prints), 2):
            pa, pb = prints[a], prints[b]
            shared = pa.keys() & pb.keys()
            jaccard = len(shared) / len(pa.keys() | pb.keys())
            result.compared += 1
            if jaccard >= JACCARD:
                result.pairs.append(Pair(function, a, b, jaccard, sources[a][function], sources[b][function],
                                         frozenset().union(*(pa[h] for h in shared)),
                                         frozenset().union(*(pb[h] for h in shared))))
            else:
                result.highest_unflagged = max(result.highest_unflagged, jaccard)
    result.pairs.sort(key=lambda p: (-p.similarity, p.function, p.a, p.b))
    return result


def check(root, assignment, folders):
    """The Result of an assignment's autograded folders {student: folder}, the release
    (notebooks/<assignment>/) excluded."""
    release = {}
    for path in course.notebooks(root, assignment, "notebooks"):
        release.update(functions_of(course.read(path)))
    sources = {}
    for student, folder in folders.items():
        found = {}
        for path in sorted(pathlib.Path(folder).glob("*.ipynb")):
            try:
                found.update(functions_of(course.read(path)))
            except Exception:  # noqa: BLE001 - an unreadable notebook: nothing to compare
                continue
        sources[student] = found
    return compare(sources, release)
