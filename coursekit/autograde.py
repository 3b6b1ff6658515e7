"""`coursekit autograde`: nbgrader autograde that an instructor can leave running unattended.

    coursekit autograde ASSIGNMENT [--student ID ...] [--memory-limit GB] [--cell-timeout S]
                                   [--submission-timeout S] [--no-sandbox]

What it guarantees, per submission (see the README's instructor section):
- It ends graded: a score for every graded part in the gradebook, an autograded notebook,
  and notes the learner reads in the feedback (unreadable notebook, timed out in cell N,
  kernel died in cell N...). The run ends with a table and exit status 0 unless the
  grader itself failed.
- One submission cannot affect another: each is graded by its own `nbgrader autograde`
  process, from a scratch copy (submitted/ is never modified), and the learner's kernel
  runs in a sandbox (coursekit.sandbox) that sees neither the course folder (source/,
  solutions/, the gradebook, other submissions, tests) nor anything it could leave behind,
  under a memory cap. Cell timeouts and kernel deaths cost only the parts they touch
  (coursekit.nbgrader_ext.ResilientExecute).
`nbgrader generate_feedback ASSIGNMENT` works afterwards and never shows hidden tests.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat

from . import recheck, sandbox
from .build import BuildError, generate

LOG_NAME = "coursekit-autograde.log"
NOTES_TAG = "coursekit-grading-notes"


@dataclasses.dataclass
class Options:
    memory_limit: int = sandbox.DEFAULT_MEMORY   # bytes for one learner kernel
    cell_timeout: int = 60                       # seconds for one cell
    submission_timeout: float = 1800             # seconds for one submission as a whole
    sandbox: bool = True
    recheck: bool = True                         # the independent re-check (coursekit.recheck)


@dataclasses.dataclass
class Outcome:
    student: str
    status: str                  # "graded" or "graded with zeros"
    seconds: float
    notes: list = dataclasses.field(default_factory=list)
    flags: list = dataclasses.field(default_factory=list)   # re-check disagreed with the notebook


# ---------------------------------------------------------------- what to grade

def submissions(root, assignment, students=None):
    """Students with a submission of `assignment`, sorted."""
    folder = root / "submitted"
    found = sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir()) if folder.is_dir() else []
    if students:
        missing = [s for s in students if s not in found]
        if missing:
            raise BuildError(f"no submission of {assignment} from: {', '.join(missing)}")
        return list(students)
    return found


def sync_gradebook(root, assignment, release_dir):
    """Record the assignment's graded cells in the gradebook and write its release to
    `release_dir` (the committed notebooks/ stay untouched)."""
    generate(root, assignment, release_dir=str(release_dir), solution_dir=False)


def readable(path):
    """None if `path` is a notebook nbgrader can grade, else why not."""
    if not path.is_file():
        return "the notebook is missing from the submission"
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # invalid JSON, truncated file, wrong schema...
        return f"the notebook could not be read ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})"
    return None


def prepare(root, assignment, student, release, scratch):
    """Copy one submission to scratch/submitted; replace an unreadable notebook by the
    blank release, with a note. Returns the notes."""
    dest = scratch / "submitted" / student / assignment
    shutil.copytree(root / "submitted" / student / assignment, dest)
    notes = []
    for blank in sorted(release.glob("*.ipynb")):
        problem = readable(dest / blank.name)
        if problem:
            notes.append(f"{blank.name}: {problem}; it was graded as an unanswered notebook. "
                         "Your file is kept as submitted: ask your instructor.")
            shutil.copy2(blank, dest / blank.name)
        else:
            notes += restore_metadata(dest / blank.name, nbformat.read(blank, as_version=4))
    return notes


def restore_metadata(path, release_nb):
    """Give every graded cell its nbgrader metadata from the release (points, grade flags,
    checksums) and strip nbgrader metadata from cells that claim a grade_id the release
    does not have, or claim one twice. nbgrader restores a test cell's source but not
    these flags, and stops on an edited one. Returns notes for the learner."""
    original = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]
                for c in release_nb.cells if "grade_id" in c.metadata.get("nbgrader", {})}
    nb = nbformat.read(path, as_version=4)
    seen, edited = set(), []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if gid in original and gid not in seen:
            seen.add(gid)
            if any(meta.get(k) != original[gid].get(k) for k in ("grade", "solution", "task", "points")):
                edited.append(gid)
            cell.metadata["nbgrader"] = dict(original[gid])
        else:
            del cell.metadata["nbgrader"]
            if gid:
                edited.append(gid)
    nbformat.write(nb, path)
    return [f"{path.name}: the grading metadata of cell(s) {', '.join(sorted(set(edited)))} had been edited; "
            "it was restored from the assignment"] if edited else []


# ---------------------------------------------------------------- grading one submission

def course_dirs(root):
    """Folders whose contents a learner's kernel must not see: the course, and the
    checkout coursekit runs from when that is a course too (an editable install)."""
    dirs = {root.resolve()}
    here = pathlib.Path(__file__).resolve().parents[1]
    if (here / "nbgrader_config.py").is_file():
        dirs.add(here)
    return dirs


def sandbox_env(root, scratch, opts):
    hide = [str(entry) for d in course_dirs(root) for entry in sorted(d.iterdir())]
    runtime = scratch / "runtime"
    runtime.mkdir()
    expose = [sys.prefix, str(pathlib.Path(__file__).resolve().parent)]
    jupyter = scratch / "jupyter"
    sandbox.write_kernelspec(jupyter)
    env = dict(os.environ)
    env.update({
        "JUPYTER_PATH": os.pathsep.join([str(jupyter), env.get("JUPYTER_PATH", "")]).rstrip(os.pathsep),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "TMPDIR": str(scratch / "tmp"),
        "COURSEKIT_HIDE": os.pathsep.join(hide),
        "COURSEKIT_EXPOSE": os.pathsep.join(expose),
        "COURSEKIT_MEMORY_LIMIT": str(opts.memory_limit),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    (scratch / "tmp").mkdir()
    return env


def run_nbgrader(root, assignment, student, scratch, opts, plan_file=None):
    """`nbgrader autograde` for one student, in its own process; returns (ok, log)."""
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", student,
           "--create", "--force",
           f"--CourseDirectory.submitted_directory={scratch / 'submitted'}",
           f"--ResilientExecute.timeout={opts.cell_timeout}"]
    env = dict(os.environ)
    if opts.sandbox:
        # the sandbox has no network: the kernel talks to nbgrader over IPC sockets
        cmd += [f"--ResilientExecute.kernel_name={sandbox.KERNEL_NAME}",
                "--AsyncKernelManager.transport=ipc", f"--AsyncKernelManager.ip={scratch / 'runtime' / 'kernel'}"]
        env = sandbox_env(root, scratch, opts)
    if plan_file:
        env[recheck.IN_ENV] = str(plan_file)
        env[recheck.OUT_ENV] = str(scratch / "recheck-results.json")
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env,
                              timeout=opts.submission_timeout, errors="replace")
        return proc.returncode == 0, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = "".join(x.decode(errors="replace") if isinstance(x, bytes) else (x or "")
                      for x in (exc.stdout, exc.stderr))
        return False, out + f"\ncoursekit: stopped after {opts.submission_timeout:g} s"


def grading_complete(root, assignment, student, release):
    """True when the gradebook holds a score for every graded cell and the autograded
    notebooks exist."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return False
        for nb in sub.notebooks:
            if any(g.auto_score is None and g.manual_score is None and g.max_score for g in nb.grades):
                return False
    out = root / "autograded" / student / assignment
    return all((out / blank.name).is_file() for blank in release.glob("*.ipynb"))


def grade_with_zeros(root, assignment, student, release, scratch, reason):
    """The grader could not finish this submission: record 0 for every graded part and
    write an autograded notebook that says why, so that nothing is left ungraded."""
    from nbgrader.api import Gradebook
    out = root / "autograded" / student / assignment
    out.mkdir(parents=True, exist_ok=True)
    for blank in sorted(release.glob("*.ipynb")):
        src = scratch / "submitted" / student / assignment / blank.name
        nb = nbformat.read(src if readable(src) is None else blank, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                if cell.metadata.get("nbgrader", {}).get("grade"):
                    cell.outputs = [nbformat.v4.new_output("error", ename="NotGraded", evalue=reason,
                                                           traceback=[f"NotGraded: {reason}"])]
        nbformat.write(nb, out / blank.name)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                grade.auto_score = 0.0 if grade.max_score else grade.auto_score
                grade.needs_manual_grade = False
        gb.db.commit()


def cell_notes(root, assignment, student, release):
    """What happened in the kernel, from the autograded notebook: timeouts and deaths."""
    from .nbgrader_ext import KERNEL_DIED
    notes = []
    for blank in sorted(release.glob("*.ipynb")):
        path = root / "autograded" / student / assignment / blank.name
        nb = nbformat.read(path, as_version=4)
        code_index = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            code_index += 1
            label = cell.metadata.get("nbgrader", {}).get("grade_id") or f"code cell {code_index}"
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                if out.get("ename") == "CellTimeoutError" or "Timeout" in out.get("ename", ""):
                    notes.append(f"{blank.name}: timed out in cell {label} (limit per cell reached)")
                elif out.get("ename") == KERNEL_DIED:
                    notes.append(f"{blank.name}: the kernel died in cell {label}")
                elif out.get("ename") == "MemoryError":
                    notes.append(f"{blank.name}: ran out of memory in cell {label}")
    return notes


def add_notes(root, assignment, student, release, notes):
    """Put the notes at the top of the autograded notebook, where feedback shows them."""
    if not notes:
        return
    text = "**Grading notes** (from the autograder)\n\n" + "\n".join(f"- {n}" for n in notes)
    for blank in sorted(release.glob("*.ipynb")):
        path = root / "autograded" / student / assignment / blank.name
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        nb.cells = [c for c in nb.cells if NOTES_TAG not in c.metadata.get("tags", [])]
        cell = nbformat.v4.new_markdown_cell(text)
        cell.metadata["tags"] = [NOTES_TAG]
        nb.cells.insert(0, cell)
        os.chmod(path, 0o644)
        nbformat.write(nb, path)


def grade_one(root, assignment, student, release, opts, records=None, plan_file=None):
    start = time.monotonic()
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=f"coursekit-{student}-"))
    try:
        notes, flags = prepare(root, assignment, student, release, scratch), []
        ok, log = run_nbgrader(root, assignment, student, scratch, opts, plan_file)
        out = root / "autograded" / student / assignment
        status = "graded"
        complete = ok and grading_complete(root, assignment, student, release)
        results = scratch / "recheck-results.json"
        if complete and records is not None:
            if results.is_file():
                verdict = recheck.verdicts(records, json.loads(results.read_text()))
            else:  # the re-check did not run: nothing is confirmed
                verdict = {r.get("cell"): (recheck.GRADER_ERROR, "re-check could not run") for r in records}
            flags, grader_errors = recheck.apply(root, assignment, student, verdict)
            notes += flags + grader_errors
            flags += grader_errors
        if not complete:
            reason = _reason(log)
            grade_with_zeros(root, assignment, student, release, scratch, reason)
            notes.append(f"the grader could not run this submission ({reason}); every part scored 0. "
                         "Ask your instructor.")
            status = "graded with zeros"
        notes += cell_notes(root, assignment, student, release)
        add_notes(root, assignment, student, release, notes)
        out.mkdir(parents=True, exist_ok=True)
        (out / LOG_NAME).write_text(log, encoding="utf-8")
        return Outcome(student, status, time.monotonic() - start, notes, flags)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _reason(log):
    if "coursekit: stopped after" in log:
        return log.strip().splitlines()[-1].replace("coursekit: ", "")
    errors = [ln.strip() for ln in log.splitlines() if "ERROR" in ln or "Error:" in ln]
    return (errors[-1] if errors else "nbgrader failed")[:200]


def recorded_checks(root, assignment):
    """The answer key's checks (recheck.record), cached in .coursekit/ next to the gradebook
    until the source notebook or coursekit changes."""
    import hashlib
    from . import __version__
    digest = hashlib.sha256(__version__.encode())
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        digest.update(path.read_bytes())
    for module in ("checks.py", "replay.py", "recheck.py"):
        digest.update((pathlib.Path(__file__).parent / module).read_bytes())
    cache = root / ".coursekit" / f"recheck-{assignment}-{digest.hexdigest()[:16]}.json"
    if cache.is_file():
        return json.loads(cache.read_text())
    records = recheck.record(root, assignment)
    cache.parent.mkdir(exist_ok=True)
    cache.write_text(json.dumps(records))
    return records


# ---------------------------------------------------------------- the score table

def scores(root, assignment, students):
    """{student: {grade_id: score}} and {grade_id: max_score} from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    table, maxima = {}, {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
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


def parts(grade_ids, functions):
    """Group test-cell grade_ids into graded parts: the longest graded-function name that
    `test_<name>` starts with, else the grade_id itself."""
    grouped = {}
    for gid in grade_ids:
        rest = gid[len("test_"):] if gid.startswith("test_") else gid
        owner = max((f for f in functions if rest == f or rest.startswith(f + "_")), key=len, default=rest)
        grouped.setdefault(owner, []).append(gid)
    return grouped


def graded_functions(root, assignment):
    names = []
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and not meta.get("grade"):
                names.append(meta["grade_id"])
    return names


def format_table(assignment, outcomes, table, maxima, functions):
    grouped = parts(list(maxima), functions)
    cols = list(grouped)
    header = ["student", *cols, "total", "status"]
    rows = [["(max)", *[_fmt(sum(maxima[g] for g in grouped[c])) for c in cols],
             _fmt(sum(maxima.values())), ""]]
    for o in outcomes:
        row = table.get(o.student) or {}
        vals = [sum(row.get(g) or 0.0 for g in grouped[c]) for c in cols]
        status = o.status + (f" ({len(o.notes)} note{'s' * (len(o.notes) > 1)})" if o.notes else "")
        status += " RE-CHECK FLAG" if o.flags else ""
        rows.append([o.student, *map(_fmt, vals), _fmt(sum(vals)), status])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip()  # noqa: E731
    notes = [f"  {o.student}: {n}" for o in outcomes for n in o.notes]
    return "\n".join([f"{assignment}: autograded {len(outcomes)} submission(s)",
                      line(header), line(["-" * w for w in widths]), *map(line, rows),
                      *(["notes:", *notes] if notes else [])])


def _fmt(x):
    return f"{x:g}"


def autograde(root, assignment, students=None, opts=None, log=print):
    """Autograde every submission of `assignment`; return the outcomes."""
    opts = opts or Options()
    who = submissions(root, assignment, students)
    if not who:
        log(f"no submissions of {assignment} under submitted/*/{assignment}/")
        return []
    if opts.sandbox and not sandbox.available():
        log("coursekit autograde: bubblewrap (bwrap) is not installed: learner code will NOT be isolated "
            "from the course files (apt-get install bubblewrap, or pass --no-sandbox to silence this)")
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="coursekit-release-") as tmp:
        release = pathlib.Path(tmp) / assignment
        sync_gradebook(root, assignment, tmp)
        records = plan_file = None
        if opts.recheck:
            records = recorded_checks(root, assignment)
            plan_file = pathlib.Path(tmp) / "recheck-plan.json"
            release_nb = nbformat.read(release / f"{assignment}.ipynb", as_version=4)
            plan_file.write_text(json.dumps(recheck.plan(records, release_nb)))
            log(f"re-check: {len(records)} graded calls recorded from the answer key")
        for i, student in enumerate(who, 1):
            outcome = grade_one(root, assignment, student, release, opts, records, plan_file)
            log(f"[{i}/{len(who)}] {student}: {outcome.status} in {outcome.seconds:.1f} s")
            outcomes.append(outcome)
    table, maxima = scores(root, assignment, who)
    log(format_table(assignment, outcomes, table, maxima, graded_functions(root, assignment)))
    return outcomes
