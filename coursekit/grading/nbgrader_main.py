"""`python -m coursekit.grading.nbgrader_main ARGS`: `python -m nbgrader ARGS`, 2-7 s sooner and quieter.

nbgrader imports nbformat, which imports jsonschema, which eagerly imports rfc3987_syntax for
its "iri" format checker; that module builds some 35 Lark grammars at import: 1.5 s on a quiet
machine, 4 s and more on a loaded one (python-jsonschema/jsonschema#1428). No notebook or
nbgrader schema uses that format, and jsonschema skips the checker when the import fails, so
it is made to fail here, before nbgrader is imported. Measured (tools/bench/profile_one.py):
the imports of an nbgrader autograde process take 5.6-11.4 s as installed and 3.8-4.0 s with
this, at load 4-6 on 2 cores.
"""
import sys
import warnings

sys.modules.setdefault("rfc3987_syntax", None)   # None in sys.modules: `import` raises ImportError
# nbgrader 0.9's api warns through SQLAlchemy that a new submission is "not in session" on every
# autograde: harmless, and noise in every learner's grading log (coursekit's command filters it too)
warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")

from nbgrader.apps.nbgraderapp import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
