"""The "Used by:" back-links of coursekit's helpers (coursekit/backlinks.py) are true.

Every public function of coursekit/properties.py and coursekit/functions.py ends its docstring with
the assignments and cells that use it, read from the source notebooks: each listed cell refers to it,
each cell that refers to it is listed. In-process: notebooks are read as JSON, code with ast.
"""
import json
import textwrap

import pytest

from coursekit import backlinks
from support.nbtools import ROOT


def test_every_helper_says_truly_where_it_is_used():
    problems = backlinks.problems(ROOT)
    assert not problems, "back-links out of step with source/:\n" + "\n".join(problems)


def test_the_notebooks_are_read():
    # the real course: a property in a test cell, a toy function in a test cell and a lesson, a name
    # imported from coursekit.functions (07), the helpers that call a helper
    used = backlinks.uses(ROOT, "properties")
    assert ("04", "test_initialize_parameters") in used["layerwise_draws"]
    assert {("06", "oracles"), ("11", "oracles")} <= set(used["matches"])
    functions = backlinks.uses(ROOT, "functions")
    assert {("01", "test_numerical_derivative"), ("01", "lesson")} <= set(functions["cube"])
    assert ("07", "test_cross_validate") in functions["fit_polynomial"]
    assert "epoch_setup" in backlinks.callers(ROOT, "functions")["small_model"]


# ---------------------------------------------------------------- a tiny course: the check can fail

HELPERS = '''
def cube(x):
    """x^3.

    Used by: 01 test_f"""
    return x ** 3


def sine(x):
    """sin x.

    Used by: 01 test_f, 01 lesson"""
    return x


def _inner(x):
    return sine(x)


def wrapped(x):
    """Calls sine through a private function.

    Used by: no notebook cell; the tiny course's own tests"""
    return _inner(x)
'''


def cell(source, grade_id=None):
    meta = {"nbgrader": {"grade_id": grade_id, "grade": grade_id.startswith("test_")}} if grade_id else {}
    return {"cell_type": "code", "metadata": meta, "source": textwrap.dedent(source), "outputs": [],
            "execution_count": None}


def tiny(tmp_path, helpers, cells):
    (tmp_path / "coursekit").mkdir()
    (tmp_path / "coursekit" / "functions.py").write_text(helpers)
    (tmp_path / "source" / "01_tiny").mkdir(parents=True)
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "source" / "01_tiny" / "01_tiny.ipynb").write_text(json.dumps(nb))
    return backlinks.problems(tmp_path, ("functions",))


SETUP = cell("from coursekit import functions as G\nfrom coursekit.functions import sine as s\n", "setup")


def test_true_links_pass(tmp_path):
    cells = [SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("%matplotlib inline\nprint(s(0.5))\n")]
    assert tiny(tmp_path, HELPERS, cells) == []


@pytest.mark.parametrize("cells, helpers, said", [
    # a use nobody listed: the lesson calls cube too
    ([SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("s(0.5)\nG.cube(1.0)\n")], None,
     "cube(): using it but not listed: 01 lesson; write\n    Used by: 01 test_f, 01 lesson"),
    # a listed cell that does not use it (the test cell names sine only in a comment and a string)
    ([SETUP, cell("G.cube(2.0)\n# s(1.0)\nprint('s(1.0)')\n", "test_f"), cell("s(0.5)\n")], None,
     "sine(): listed but not using it: 01 test_f; write\n    Used by: 01 lesson"),
    # no docstring line at all
    ([SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("s(0.5)\n")],
     HELPERS.replace("\n\n    Used by: 01 test_f\"\"\"", '"""'),
     "cube(): its docstring has no back-link; end it with the paragraph\n    Used by: 01 test_f"),
    # no cell uses it any more
    ([SETUP, cell("s(1.0)\n", "test_f"), cell("s(0.5)\n")], None,
     "cube(): it lists 01 test_f, but no notebook cell uses it; write\n"
     "    Used by: no notebook cell; <who uses it, in words>"),
    # the line may also end the last sentence
    ([SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("s(0.5)\n")],
     HELPERS.replace("x^3.\n\n    Used by: 01 test_f", "x^3. Used by: 01 lesson"),
     "cube(): listed but not using it: 01 lesson; using it but not listed: 01 test_f; write\n    Used by: 01 test_f"),
    # a helper nothing uses must say who does
    ([SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("s(0.5)\n")],
     HELPERS.replace("; the tiny course's own tests", ""),
     "wrapped(): nothing in the notebooks or in coursekit/functions.py uses it; say who does"),
    # ... and may not claim a caller it does not have
    ([SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("s(0.5)\n")],
     HELPERS.replace("the tiny course's own tests", "through cube"),
     "wrapped(): no public helper of coursekit/functions.py calls it any more"),
])
def test_wrong_links_fail_with_the_line_to_write(tmp_path, cells, helpers, said):
    problems = tiny(tmp_path, helpers or HELPERS, cells)
    assert any(said in p for p in problems), problems


def test_a_helper_reached_only_through_others_names_them(tmp_path):
    helpers = HELPERS.replace(
        "    return _inner(x)\n", "    return _inner(x)\n\n\ndef outer(x):\n    \"\"\"Calls wrapped.\n\n"
        "    Used by: 01 lesson\"\"\"\n    return wrapped(x)\n")
    cells = [SETUP, cell("G.cube(2.0)\ns(1.0)\n", "test_f"), cell("s(0.5)\nG.outer(1.0)\n")]
    problems = tiny(tmp_path, helpers, cells)
    assert len(problems) == 1 and problems[0].endswith(
        " wrapped(): the helpers that call it are outer; write\n    Used by: no notebook cell; through outer"), problems


def test_import_aliases_are_followed(tmp_path):
    cells = [cell("import coursekit.functions as H\n", "setup"), cell("H.cube(2.0)\n", "test_f"),
             cell("from coursekit.functions import sine\n"), cell("sine(0.5)\n", "test_f_more")]
    (tmp_path / "coursekit").mkdir()
    (tmp_path / "coursekit" / "functions.py").write_text(HELPERS)
    (tmp_path / "source" / "01_tiny").mkdir(parents=True)
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "source" / "01_tiny" / "01_tiny.ipynb").write_text(json.dumps(nb))
    assert backlinks.uses(tmp_path, "functions") == {"cube": [("01", "test_f")], "sine": [("01", "test_f_more")]}


# ---------------------------------------------------------------- the authoring guide the lines are explained in

def test_the_authoring_guide_names_only_what_a_clone_has():
    import re

    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert "../" not in guide, "docs/authoring.md names a path outside the repository"
    paths = re.findall(r"(?:coursekit|docs|source|tests)/[\w/.:-]+\.(?:py|md)(?:::\w+)?", guide)
    named = {m.split("::")[0] for m in paths}
    missing = sorted(p for p in named if not (ROOT / p).is_file())
    assert not missing, f"docs/authoring.md names files that do not exist: {missing}"
    assert "Used by:" in guide and "coursekit show" in guide
    stale = [p for p in ("README.md", "tests/support/nbtools.py", "docs/lesson-rules.md")
             if "tools/AUTHORING.md" in (ROOT / p).read_text(encoding="utf-8")]
    assert not stale, f"these still point at tools/AUTHORING.md (now docs/authoring.md): {stale}"
