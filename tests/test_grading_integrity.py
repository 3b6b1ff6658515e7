"""Integrity flags follow calls (issue 19, item 3): a graded function that delegates to a
recorded oracle or to a notebook function that is not an allowed helper is flagged with the name
it called; a forbidden library one call away is flagged, saying through which function."""
import nbformat

from coursekit.grading import integrity


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for source, gid, solution in cells:
        cell = nbformat.v4.new_code_cell(source)
        if gid:
            cell.metadata["nbgrader"] = {"grade_id": gid, "solution": solution, "grade": False, "locked": not solution}
        nb.cells.append(cell)
    return nb


ORACLES = ("from coursekit.expected import recorded\ntorch_bn = recorded('torch_bn')", "oracles", False)
LESSON = ("import torch\ndef draw(x):\n    return x\n\ndef shortcut(x):\n    return torch.relu(x)\n", None, False)


def flags(solution, allowed=("draw",)):
    nb = notebook(ORACLES, LESSON, (solution, "f", True))
    return [str(f) for f in integrity.check(nb, functions=["f"], allowed_helpers=set(allowed))]


def test_a_delegation_to_recorded_values_is_flagged_with_its_name():
    (found,) = flags("def f(Z):\n    return torch_bn(Z)")
    assert "calls torch_bn, recorded expected values" in found


def test_a_call_to_a_function_outside_the_solutions_is_flagged_unless_allowed():
    assert "calls shortcut" in flags("def f(Z):\n    return shortcut(Z)")[0]
    assert flags("def f(Z):\n    return draw(Z)") == []
    assert "calls shortcut" in flags("def f(Z):\n    g = shortcut\n    return g(Z)")[0]


def test_the_learners_own_helper_is_followed_to_a_forbidden_library():
    (found,) = flags("def helper(Z):\n    return torch.relu(Z)\n\ndef f(Z):\n    return helper(Z)")
    assert found.startswith("f uses torch") and "via helper: torch.relu" in found


def test_own_code_and_parameters_are_not_flagged():
    assert flags("def f(Z, torch_bn=None):\n    return torch_bn") == []
    assert flags("def helper(Z):\n    return 2 * Z\n\ndef f(Z):\n    return helper(Z)") == []
