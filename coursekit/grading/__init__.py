"""The grading machinery (instructor side): `coursekit autograde` and nbgrader_config.py use it.

One job per module, in the order a submission meets them:

    autograde  the command: tasks, --jobs pool or cluster, the table (progress: the bar)
    limits     the default limits (cell and submission timeouts, the memory cap)
    result     the result contract: Result, Outcome, events, failed(), the outcome file
    intake     which submissions there are; one copied to a scratch folder, made gradable
               (unreadable notebooks, edited grading metadata, deleted test cells)
    releases   the releases the course has issued (source/_issued/<A>.json, written by
               `coursekit build`): no learner is taken to have edited an earlier release's
               metadata; grades made against an earlier release
    worker     grade_task: one submission graded from plain data, in a private folder
    sandbox    the learner kernel's sandbox: bubblewrap launcher, kernelspec, environment, probe
    nbgrader_cli   every nbgrader process coursekit starts (commands; the grading pass, forked
               from a server that imported nbgrader once); nbgrader_main: its entry point,
               without jsonschema's slow "iri" checker
    execute    ResilientExecute, nbgrader's execute step surviving dead and hung kernels;
               slicing: the cells a grade needs; loops: a looping function costs one timeout
    overwrite  QuietOverwriteCells (nbgrader's, without the hidden tests' checksum warnings)
    kernel     running cells in a kernel that may die or hang (used by execute and recheck)
    recheck    the independent re-check, in three parts: recheck_record (the answer key's
               checks, cached), recheck_replay (a fresh sandboxed kernel runs
               coursekit.replay_driver), recheck_verdict (judged here, applied to the gradebook)
    gradebook  scores, completeness, zeros for a submission the grader could not run
    summary    the score table and the grading notes
    record     the coordinator writes one result into the course gradebook and autograded/
    cluster    --cluster: tasks to a Dask scheduler's workers (daskworker: their preload)
    integrity  integrity flags (integrity_uses: what code uses, read with ast)
    redact, mathml, feedback_page   nbgrader's feedback: no hidden test, formulas as MathML,
               the page's template (templates/)
    formgrader_guard   the formgrader's Autograde button says to use `coursekit autograde`
    report     `coursekit report` (report_facts, report_html, similarity: near-identical
               graded functions, similarity_html: their side-by-side section)
    export     `coursekit export`: the grades in Canvas's and Moodle's import layouts

The rules of what a course notebook is (setup, solution, test cells, parts) come from
coursekit.course. The learner-facing modules (checks, values, replay, data, plot, widgets,
gradcheck, functions, course) never import this package.
"""
