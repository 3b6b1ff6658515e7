"""The grading machinery (instructor side): `coursekit autograde` and nbgrader_config.py use it.

One job per module, in the order a submission meets them:

    intake     which submissions there are; one copied to a scratch folder, made gradable
               (unreadable notebooks, edited grading metadata, deleted test cells)
    releases   the releases the course has issued (source/_issued/<A>.json, written by
               `coursekit build`): no learner is taken to have edited an earlier release's
               metadata; grades made against an earlier release
    sandbox    the learner kernel's sandbox: bubblewrap launcher, kernelspec, environment
    kernel     running cells in a kernel that may die or hang (used by execute and recheck)
    execute    ResilientExecute, nbgrader's execute step surviving dead and hung kernels
    recheck    the independent re-check: record the answer key's checks, replay them in a
               fresh sandboxed kernel, judge here, act on the gradebook
    gradebook  scores, completeness, zeros for a submission the grader could not run
    summary    the score table and the grading notes
    redact     RedactHiddenTests, nbgrader's feedback step
    nbgrader_main  `python -m nbgrader` without jsonschema's slow "iri" checker
    worker     grade_task: one submission graded from plain data, in a private folder
    record     the coordinator writes one result into the course gradebook and autograded/
    cluster    --cluster: tasks to a Dask scheduler's workers (daskworker: their preload)
    autograde  the command: tasks, --jobs pool or cluster, progress, the table
    report     `coursekit report` (report_facts, report_html, integrity, similarity: near-identical
               graded functions, similarity_html: their side-by-side section)
    export     `coursekit export`: the grades in Canvas's and Moodle's import layouts

The rules of what a course notebook is (setup, solution, test cells, parts) come from
coursekit.course. The learner-facing modules (checks, values, replay, data, plot, widgets,
gradcheck, functions, course) never import this package.
"""
