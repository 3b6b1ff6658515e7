"""The gradebook side of grading: scores read back, a submission checked complete, and zeros
recorded for a submission the grader could not run (so that nothing is left ungraded)."""
from __future__ import annotations

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from .. import course
from .intake import readable


def scores(root, assignment, students):
    """{student: {grade_id: score} or None (no submission)} and {grade_id: max_score}."""
    table, maxima = {}, {}
    with Gradebook(course.gradebook_url(root)) as gb:
        for student in students:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                table[student] = None
                continue
            row = {}
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.max_score:
                        row[grade.name] = grade.score
                        maxima[grade.name] = grade.max_score
            table[student] = row
    return table, maxima


def lateness(root, assignment, students):
    """{student: {"timestamp", "duedate", "seconds_late", "raw", "penalty", "score"}} for the
    students with a submission, as `nbgrader export` computes them: the submission's timestamp
    (None without timestamp.txt), its due date (with any extension), the seconds past it, the
    raw score, the late penalty nbgrader's policy assigned (LateSubmissionPlugin) and the
    score after it, max(0, raw - penalty)."""
    out = {}
    with Gradebook(course.gradebook_url(root)) as gb:
        for student in students:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            raw, penalty = float(sub.score or 0.0), float(sub.late_submission_penalty or 0.0)
            out[student] = {"timestamp": sub.timestamp, "duedate": sub.duedate,
                            "seconds_late": float(sub.total_seconds_late), "raw": raw, "penalty": penalty,
                            "score": max(0.0, raw - penalty)}
    return out


def extensions(root, assignment, students):
    """{student: seconds of extension of the due date} for those given one (formgrader or API)."""
    out = {}
    with Gradebook(course.gradebook_url(root)) as gb:
        for student in students:
            try:
                extension = gb.find_submission(assignment, student).extension
            except MissingEntry:
                continue
            if extension is not None:
                out[student] = extension.total_seconds()
    return out


def passed(root, assignment, student):
    """The graded cells of a submission that scored in nbgrader's pass (grade_ids)."""
    with Gradebook(course.gradebook_url(root)) as gb:
        sub = gb.find_submission(assignment, student)
        return {g.name for nb in sub.notebooks for g in nb.grades if g.max_score and g.auto_score}


def grading_complete(root, assignment, student, release):
    """True when the gradebook holds a score for every graded cell of the submission and the
    autograded notebooks exist."""
    with Gradebook(course.gradebook_url(root)) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return False
        for nb in sub.notebooks:
            if any(g.auto_score is None and g.manual_score is None and g.max_score for g in nb.grades):
                return False
    out = root / "autograded" / student / assignment
    return all((out / blank.name).is_file() for blank in release.glob("*.ipynb"))


def grade_with_zeros(root, assignment, student, release, submitted, reason, for_review=False):
    """The grader could not finish this submission: record 0 for every graded part and write
    an autograded notebook that says why in every test cell. `submitted`: the folder of the
    (scratch) submission whose notebooks are shown. `for_review`: mark every graded part for
    manual grading, in the same transaction (a crash never leaves an unmarked zero)."""
    out = root / "autograded" / student / assignment
    out.mkdir(parents=True, exist_ok=True)
    for blank in sorted(release.glob("*.ipynb")):
        src = submitted / blank.name
        nb = course.read(src if readable(src) is None else blank)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                if course.is_test(cell):
                    cell.outputs = [nbformat.v4.new_output("error", ename="NotGraded", evalue=reason,
                                                           traceback=[f"NotGraded: {reason}"])]
        nbformat.write(nb, out / blank.name)
    with Gradebook(course.gradebook_url(root)) as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                grade.auto_score = 0.0 if grade.max_score else grade.auto_score
                grade.needs_manual_grade = bool(for_review and grade.max_score)
        gb.db.commit()
