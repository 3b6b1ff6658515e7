"""`coursekit show ASSIGNMENT FUNCTION` (coursekit/show.py): where a graded function is checked.

In-process: the report is computed from the course folder's files (nothing runs), and the command
is called through coursekit.cli.main with its output captured.
"""
import pytest

from coursekit import cli, course, show
from support import tiny, variants
from support.nbtools import ROOT


def sections(text):
    """{header line: body} of a report's test-cell sections (the lines starting with '── ')."""
    out, header = {}, None
    for line in text.splitlines():
        if line.startswith("── "):
            header = line
            out[header] = []
        elif line and not line.startswith(" "):
            header = None
        elif header:
            out[header].append(line)
    return {h: "\n".join(body) for h, body in out.items()}


def test_visible_and_hidden_parts_are_shown_apart_with_the_points():
    text = show.report(ROOT, "04_backprop", "initialize_parameters")
    nb = course.read(course.notebooks(ROOT, "04_backprop")[0])
    (cell,) = course.test_cells(nb, "initialize_parameters")
    points = course.points(nb)["initialize_parameters"]
    assert text.startswith(f"04_backprop · initialize_parameters · {points:g} points · 1 test cell(s)")
    parts = sections(text)
    visible = next(body for h, body in parts.items()
                   if h.startswith("── test_initialize_parameters (") and "visible" in h)
    hidden = next(body for h, body in parts.items() if "HIDDEN" in h)
    assert "dims = [300, 60, 40, 1]" in hidden and "dims = [300, 60, 40, 1]" not in visible
    assert '"layer_dims": [2, 4, 1], "seed": 3' in visible and '"layer_dims": [2, 4, 1], "seed": 3' not in hidden
    assert course.HIDDEN_BEGIN not in text and course.HIDDEN_END not in text
    assert course.visible_source(cell.source).strip().splitlines()[0] in visible


def test_oracles_helpers_and_library_calls_are_named():
    text = show.report(ROOT, "04", "model_backward")
    # the oracle the checks call, where, and what it computes with (torch.nn.functional spelt out from TF)
    line = next(l for l in text.splitlines() if l.strip().startswith("torch_model "))
    assert "in visible and hidden tests" in line and "torch.nn.functional.binary_cross_entropy" in line
    said = " ".join(text.split())      # the sentence on the tables is wrapped
    assert "04_backprop.hidden.json (" in said and "values for its hidden tests); the release holds" in said
    assert "he_draws" not in text            # an oracle of another function's tests
    text = show.report(ROOT, "12_pytorch", "fit")
    assert "coursekit helpers named in the test cells: functions.fit_setup, properties.early_stopped" in text
    text = show.report(ROOT, "12_pytorch", "load_numpy_parameters")    # a data set of coursekit.data as well
    assert "coursekit helpers named in the test cells: data.digits, functions.binary_mlp, " in text


def test_variants_names_are_those_the_variants_tests_use():
    # read with ast here, by executing the data file in tests/support/variants.py: the same names
    # (05's mistakes of activation are sources built from pieces: labels and fragments are still read)
    for assignment in ("04_backprop", "05_activations", "07_evaluation"):
        nb = course.read(course.notebooks(ROOT, assignment)[0])
        cases = variants.cases(assignment)
        for function in course.graded_functions(nb):
            text = show.report(ROOT, assignment, function)
            correct = [c.label for c in cases if c.function == function and c.correct]
            mistakes = [c for c in cases if c.function == function and not c.correct]
            assert f"correct formulations ({len(correct)}): {', '.join(correct)}" in text, function
            assert f"typical mistakes ({len(mistakes)})" in text, function
            for case in mistakes:
                said = f"    {case.label}: {case.fragment!r}"
                said += " [caught by hidden tests only]" if case.hidden_only else ""
                assert said in text.splitlines(), (function, said)


def test_a_course_without_oracles_or_variants(tmp_path):
    root = tiny.write_source(tmp_path / "course")
    text = show.report(root, tiny.ASSIGNMENT, "halve")
    assert text.startswith(f"{tiny.ASSIGNMENT} · halve · 2 points · 1 test cell(s)")
    hidden = ("── test_halve: HIDDEN, in the answer key and the grader's hands only "
              "(nbgrader strips it from the release)")
    assert "ck.check(halve, {'x': np.array([3.0])}" in sections(text)[hidden]
    assert "no recorded oracle: the expected values are written in the test cells" in text
    assert "none: this assignment has no variants data file" in text


def test_the_command_prints_the_report(monkeypatch, capsys):
    monkeypatch.chdir(ROOT / "source")                 # the course folder is found upwards
    assert cli.main(["show", "6", "train"]) == 0
    out, err = capsys.readouterr()
    assert out == show.report(ROOT, "06_minibatch", "train") and err == ""


@pytest.mark.parametrize("argv, said", [
    (["show", "04_backprp", "model_backward"],
     "coursekit show: no assignment named 04_backprp in source/ (did you mean 04_backprop? have: 01_derivatives, "),
    (["show", "04", "model_backwards"],
     "coursekit show: 04_backprop has no graded function named model_backwards (did you mean model_backward? "
     "have: layer_shapes, initialize_parameters, "),
    (["show", "99", "x"], "coursekit show: no assignment named 99 in source/ (have: 01_derivatives, "),
])
def test_a_misspelt_name_is_one_line_listing_the_valid_ones(monkeypatch, capsys, argv, said):
    monkeypatch.chdir(ROOT)
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(said) and err.count("\n") == 1, err


def test_an_assignment_folder_without_its_notebook_is_one_line(tmp_path, monkeypatch, capsys):
    root = tiny.write_source(tmp_path / "course")
    (root / "source" / "01_new").mkdir()
    monkeypatch.chdir(root)
    assert cli.main(["show", "1", "f"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "coursekit show: source/01_new holds 0 notebooks; coursekit show reads an assignment of one\n"
