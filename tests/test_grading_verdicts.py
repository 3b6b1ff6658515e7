"""The re-check's verdict and what grading does with it, on the tiny course without running a
kernel: verdicts and apply on a tiny gradebook, a grader error (a deliberately broken encoder
or decoder) scored 0 and marked for the instructor, never as the learner's failure, the exit
status of `coursekit autograde`, and the key of the recorded-checks cache."""
import json
import shutil

import numpy as np
import pytest
from nbgrader.api import Gradebook

from coursekit import cli, course, values
from coursekit.grading import autograde, recheck
from support import tiny

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")   # nbgrader's add_submission


def records():
    rec = dict(rtol=1e-7, atol=1e-10, names=None, pure=False, notebook=tiny.NAME)
    return [
        {**rec, "cell": "test_double", "function": "double", "quantity": "double()",
         "inputs": values.encode({"x": np.array([1.0, -2.0])}), "expected": values.encode(np.array([2.0, -4.0]))},
        {**rec, "cell": "test_halve", "function": "halve", "quantity": "halve()",
         "inputs": values.encode({"x": np.array([4.0, -1.0])}), "expected": values.encode(np.array([2.0, -0.5]))},
    ]


def ok(value):
    return {"ok": json.loads(json.dumps(values.encode(np.asarray(value), strict=False, trusted=False)))}


RIGHT = [ok([2.0, -4.0]), ok([2.0, -0.5])]
BROKEN_ENCODER = {"grader_error": "encoding the result failed: ValueError: The truth value of an array with more "
                                  "than one element is ambiguous"}


def test_verdicts():
    assert recheck.verdicts(records(), RIGHT) == {"test_double": (recheck.PASS, ""), "test_halve": (recheck.PASS, "")}
    wrong = recheck.verdicts(records(), [ok([2.0, -4.0]), ok([2.0, 0.5])])
    assert wrong["test_double"] == (recheck.PASS, "")
    assert wrong["test_halve"][0] == recheck.FAIL and "1 of 2 entries differ" in wrong["test_halve"][1]
    raised = recheck.verdicts(records(), [{"error": "ZeroDivisionError: no", "types": ["ZeroDivisionError"]}, RIGHT[1]])
    assert raised["test_double"] == (recheck.FAIL, "double(): raised ZeroDivisionError: no")
    missing = recheck.verdicts(records(), RIGHT[:1])
    assert missing["test_halve"] == (recheck.GRADER_ERROR, "re-check could not compare halve(): no result came back")


def test_a_broken_encoder_is_a_grader_error_not_the_learners():
    verdict = recheck.verdicts(records(), [BROKEN_ENCODER, RIGHT[1]])
    status, message = verdict["test_double"]
    assert status == recheck.GRADER_ERROR
    assert message.startswith("re-check could not compare double(): encoding the result failed")
    assert "raised" not in message


def test_a_broken_decoder_is_a_grader_error(monkeypatch):
    real = values.decode

    def decode(data, callables=True):
        if not callables:   # data that came back from the learner's kernel
            raise ValueError("decoder test double")
        return real(data)
    monkeypatch.setattr(recheck.values, "decode", decode)
    verdict = recheck.verdicts(records(), RIGHT)
    assert verdict["test_double"] == (recheck.GRADER_ERROR,
                                      "re-check could not compare double(): ValueError: decoder test double")


def test_a_learners_failure_outranks_a_grader_error_in_the_same_cell():
    recs = records() + [{**records()[0], "inputs": values.encode({"x": np.array([3.0])}),
                         "expected": values.encode(np.array([6.0]))}]
    verdict = recheck.verdicts(recs, [BROKEN_ENCODER, RIGHT[1], ok([7.0])])
    assert verdict["test_double"][0] == recheck.FAIL


@pytest.fixture(scope="module")
def gradebook_course(tmp_path_factory):
    root = tiny.write_source(tmp_path_factory.mktemp("tiny-gradebook"))
    tiny.gradebook(root, {"alice": {"test_double": 1.0, "test_halve": 2.0},
                          "bob": {"test_double": 1.0, "test_halve": 0.0}})
    return root


@pytest.fixture
def course_root(gradebook_course, tmp_path):
    """The tiny course with a gradebook as nbgrader's pass leaves it (alice: full marks; bob:
    test_halve failed in the notebook), a copy per test."""
    return shutil.copytree(gradebook_course, tmp_path / "course")


def grades(root, student):
    with Gradebook(course.gradebook_url(root)) as gb:
        sub = gb.find_submission(tiny.ASSIGNMENT, student)
        out = {g.name: (g.score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades}
        comments = {c.name: c.manual_comment for nb in sub.notebooks for c in nb.comments}
    return out, comments


def test_apply_passes_keep_their_points(course_root):
    verdict = recheck.verdicts(records(), RIGHT)
    assert recheck.apply(course_root, tiny.ASSIGNMENT, "alice", verdict) == ([], [])
    assert grades(course_root, "alice")[0] == {"test_double": (1.0, False), "test_halve": (2.0, False)}


def test_apply_flags_a_notebook_pass_the_recheck_fails(course_root):
    verdict = recheck.verdicts(records(), [ok([2.0, -4.0]), ok([0.0, 0.0])])
    flags, errors = recheck.apply(course_root, tiny.ASSIGNMENT, "alice", verdict)
    assert errors == [] and len(flags) == 1
    assert flags[0].startswith("test_halve: the notebook's test passed but the independent re-check failed")
    scores, comments = grades(course_root, "alice")
    assert scores == {"test_double": (1.0, False), "test_halve": (0.0, False)}
    assert comments["halve"].startswith("Re-check failed for test_halve: halve(): 2 of 2 entries differ")
    # a part the notebook already failed is not a flag: bob lost test_halve in the notebook
    assert recheck.apply(course_root, tiny.ASSIGNMENT, "bob", verdict) == ([], [])


def test_apply_a_grader_error_scores_zero_and_is_marked_for_the_instructor(course_root):
    verdict = recheck.verdicts(records(), [BROKEN_ENCODER, RIGHT[1]])
    flags, errors = recheck.apply(course_root, tiny.ASSIGNMENT, "alice", verdict)
    assert flags == [] and len(errors) == 1
    assert errors[0].startswith("test_double: re-check could not compare double(): encoding the result failed")
    scores, comments = grades(course_root, "alice")
    assert scores == {"test_double": (0.0, True), "test_halve": (2.0, False)}   # not the in-kernel verdict
    assert "a grader problem, not yours" in comments["double"]


def test_autograde_exits_1_after_grading_when_the_grader_had_a_problem(course_root, monkeypatch, capsys):
    outcomes = [autograde.Outcome("alice", "graded", 1.0),
                autograde.Outcome("bob", "graded", 1.0, grader_errors=["test_double: re-check could not ..."])]
    seen = {}

    def fake(root, assignment, students, opts, **where):   # jobs= or cluster=
        seen["graded"] = (assignment, opts.recheck)
        return outcomes
    monkeypatch.setattr(cli, "autograde", fake)
    monkeypatch.chdir(course_root)
    assert cli.main(["autograde", tiny.ASSIGNMENT]) == 1
    assert seen["graded"] == (tiny.ASSIGNMENT, True)
    assert "grader had a problem with 1 submission(s) (bob)" in capsys.readouterr().err
    outcomes.pop()
    assert cli.main(["autograde", tiny.ASSIGNMENT]) == 0


def test_cache_key_follows_everything_that_can_change_an_expected_value(tmp_path):
    root, package = tiny.write_source(tmp_path / "course"), tmp_path / "coursekit"
    (package / "grading").mkdir(parents=True)
    for name in ("functions.py", "checks.py", "grading/recheck.py"):
        (package / name).write_text("# v1\n")
    versions = {"python": "3.11", "numpy": "2.0", "torch": "2.13.0"}

    def key(**changed):
        return recheck.cache_key(root, tiny.ASSIGNMENT, package, {**versions, **changed})

    first = key()
    assert key() == first
    (package / "functions.py").write_text("# v2: a toy function changed\n")
    second = key()
    assert second != first
    data = root / "source" / tiny.ASSIGNMENT / "data" / "points.csv"
    data.parent.mkdir()
    data.write_text("1,2\n")
    third = key()
    assert third != second
    (package / "grading" / "recheck.py").write_text("# v2\n")
    assert key() != third
    assert len({key(), key(numpy="2.1"), key(torch="2.14.0"), key(python="3.12")}) == 4
    before = key()
    (root / "source" / tiny.ASSIGNMENT / ".ipynb_checkpoints").mkdir()
    (root / "source" / tiny.ASSIGNMENT / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    assert key() == before
