"""The "Similar code" section of `coursekit report`'s page (similarity.py finds the pairs): the
method and thresholds stated, then each flagged pair's function side by side, the lines the two
share marked. Every learner's text is escaped; nothing here changes a score."""
from __future__ import annotations

import html

from . import similarity


def section(result):
    """The section's HTML for a similarity.Result (None: not checked)."""
    if result is None:
        return ""
    method = (f"Pairs of submissions whose graded function is near-identical once names, whitespace and comments "
              f"are normalized away: winnowed fingerprints of {similarity.K}-token runs (window "
              f"{similarity.W}) as MOSS computes them, compared by Jaccard similarity, flagged at "
              f"{similarity.JACCARD:g} or more. The release's own code and code found in more than "
              f"{similarity.COMMON} submissions are left out; a function with fewer than {similarity.MIN_PRINTS} "
              "fingerprints besides is too short to tell and is not compared. For a person to look at: similar "
              "code changes no score, and learners who worked it out together, or the one whose work was "
              "copied, look the same here.")
    below = (f"the highest similarity below the threshold {result.highest_unflagged:.2f}"
             if result.compared > len(result.pairs) else "no pair below the threshold")
    stats = (f"{result.compared} pair(s) of functions compared, {len(result.pairs)} flagged; {below}; "
             f"{result.too_short} function(s) too short to compare.")
    out = [f"<h2>Similar code</h2><p class=muted>{_e(method)}</p><p>{_e(stats)}</p>"]
    if not result.pairs:
        out.append("<p class=ok>No pair flagged.</p>")
    for pair in result.pairs:
        out.append(f"<h3><code>{_e(pair.function)}</code>: {_e(pair.a)} and {_e(pair.b)} "
                   f"<span class=muted>(similarity {pair.similarity:.2f}; shared lines marked)</span></h3>")
        out.append("<table class=side><thead><tr>" f"<th>{_e(pair.a)}</th><th>{_e(pair.b)}</th></tr></thead>"
                   f"<tbody><tr><td>{_code(pair.source_a, pair.lines_a)}</td>"
                   f"<td>{_code(pair.source_b, pair.lines_b)}</td></tr></tbody></table>")
    return "\n".join(out)


def _code(source, shared):
    lines = []
    for number, line in enumerate(source.splitlines(), 1):
        text = f"{number:3d}  {_e(line)}"
        lines.append(f"<mark>{text}</mark>" if number in shared else text)
    return "<pre>" + "\n".join(lines) + "</pre>"


def _e(value):
    return html.escape(str(value), quote=True)
