"""A gradebook in PostgreSQL, for real: the same submissions of 01_derivatives (the answer key,
the blank release, the key with a typical mistake in one function) graded by `coursekit
autograde` twice, in a course with the default sqlite gradebook and in a copy whose
nbgrader_config.py sets `c.CourseDirectory.db_url` to a throwaway PostgreSQL server
(tests/support/postgres.py). Every score read back from PostgreSQL must equal sqlite's, and
the PostgreSQL course must have no gradebook.db. Skipped when PostgreSQL's binaries or
psycopg are missing (`./course setup --dev` installs both)."""
import time

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from coursekit import course as conventions
from support import courses, variants
from support.postgres import postgres_missing, postgres_server  # noqa: F401 - the fixture

# one xdist worker grades both courses (`./course test` runs --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.xdist_group("postgres"),
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
              pytest.mark.skipif(bool(postgres_missing()), reason=postgres_missing() or "")]

ASSIGNMENT = "01_derivatives"
STUDENTS = ("key", "blank", "mistake")
AUTOGRADE_TIMEOUT = 900


def a_mistake():
    """A typical mistake in one graded function that a visible test catches: (function, source)."""
    case = next(c for c in variants.cases(ASSIGNMENT)
                if not c.correct and not c.hidden_only and not c.not_replayed)
    return case.function, case.source


def write_mistake(course, dest):
    """The answer key with one function replaced by a typical mistake, in `dest`; the function."""
    function, source = a_mistake()
    dest.mkdir(parents=True)
    for path in conventions.notebooks(course, ASSIGNMENT, "solutions"):
        nb = conventions.read(path)
        for cell in nb.cells:
            if conventions.is_solution(cell) and conventions.grade_id(cell) == function:
                cell.source = source
        nbformat.write(nb, dest / path.name)
    return function


def submit_all(course, mistake_folder):
    courses.submit(course, ASSIGNMENT, "key", course / "solutions" / ASSIGNMENT)
    courses.submit(course, ASSIGNMENT, "blank", course / "notebooks" / ASSIGNMENT)
    courses.submit(course, ASSIGNMENT, "mistake", mistake_folder)


def cell_scores(url):
    """{student: {(notebook, grade_id): (score, max_score)}} of every graded cell, read with
    nbgrader's own API from the gradebook at `url`; a student without a submission: None."""
    out = {}
    with Gradebook(url) as gb:
        for student in STUDENTS:
            try:
                sub = gb.find_submission(ASSIGNMENT, student)
            except MissingEntry:
                out[student] = None
                continue
            out[student] = {(nb.name, g.name): (g.score, g.max_score)
                            for nb in sub.notebooks for g in nb.grades if g.max_score}
    return out


def autograde(course):
    proc, seconds = courses.run(course, "coursekit.cli", "autograde", ASSIGNMENT, timeout=AUTOGRADE_TIMEOUT)
    assert proc.returncode == 0, (f"coursekit autograde in {course} should exit with 0, exited with "
                                  f"{proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return proc, seconds


@pytest.fixture(scope="module")
def graded(tmp_path_factory, postgres_server):  # noqa: F811 - the imported fixture
    """Both courses graded: {"sqlite": ..., "postgres": ...} of (course, scores, stdout), and
    "function" (the one with the mistake), "seconds" (what took how long)."""
    t0 = time.monotonic()
    built = courses.built(tmp_path_factory, ASSIGNMENT)
    seconds = {"server start": postgres_server.start_seconds, "built course": time.monotonic() - t0}
    folder = tmp_path_factory.mktemp("gradebook-postgres")
    function = write_mistake(built, folder / "mistake")
    lite = courses.copy_course(built, folder / "sqlite")
    config = (built / "nbgrader_config.py").read_text()
    pg = courses.copy_course(built, folder / "postgres",
                             config=f"{config}\nc.CourseDirectory.db_url = {postgres_server.url!r}\n")
    (pg / conventions.GRADEBOOK).unlink(missing_ok=True)      # the copy's sqlite gradebook: not to be used
    seconds["copies"] = time.monotonic() - t0 - seconds["built course"]
    out = {"function": function, "seconds": seconds}
    for name, course, url in (("sqlite", lite, conventions.gradebook_url(lite)), ("postgres", pg, postgres_server.url)):
        submit_all(course, folder / "mistake")
        proc, seconds[f"autograde {name}"] = autograde(course)
        t1 = time.monotonic()
        out[name] = (course, cell_scores(url), proc.stdout)
        seconds[f"read {name}"] = time.monotonic() - t1
    seconds["total"] = time.monotonic() - t0
    print(f"\ntimes (s): {', '.join(f'{k} {v:.1f}' for k, v in seconds.items())}")
    return out


def test_the_postgres_course_uses_the_configured_url(graded, postgres_server):  # noqa: F811
    course = graded["postgres"][0]
    assert conventions.gradebook_url(course) == postgres_server.url, (
        f"coursekit should find the gradebook at {postgres_server.url}, found {conventions.gradebook_url(course)}")
    assert not (course / conventions.GRADEBOOK).exists(), (
        f"no {conventions.GRADEBOOK} was expected in a course whose gradebook is PostgreSQL, one was created")


def test_sqlite_scores_are_as_expected(graded):
    """The reference itself is right: full marks, zeros, and exactly the mistaken part lost."""
    course, scores, _ = graded["sqlite"]
    function, functions = graded["function"], conventions.assignment_functions(course, ASSIGNMENT)
    key = scores["key"]
    assert key and all(score == top for score, top in key.values()), f"the answer key lost points: {key}"
    assert all(score == 0 for score, _ in scores["blank"].values()), f"the blank release scored: {scores['blank']}"
    lost = {gid for (_, gid), (score, top) in scores["mistake"].items() if score < top}
    owned = {gid for _, gid in key if conventions.owner(gid, functions) == function}
    assert lost and lost <= owned, (f"the mistake in {function} should cost points in its tests {sorted(owned)} "
                                    f"only; it cost points in {sorted(lost)}")


def test_postgres_scores_equal_sqlite(graded):
    lite, pg = graded["sqlite"][1], graded["postgres"][1]
    for student in STUDENTS:
        assert pg[student] == lite[student], (
            f"{student}'s scores per graded cell should be the same in PostgreSQL as in sqlite:\n"
            f"sqlite:     {lite[student]}\npostgresql: {pg[student]}")
