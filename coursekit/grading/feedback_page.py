"""The feedback page a learner reads: nbgrader's feedback template, changed where it hurt.

nbgrader_config.py points nbgrader's HTML exporter here (`TEMPLATES`, template
`coursekit_feedback`). The page extends nbgrader's own `feedback` template and differs in
three ways: the table of contents names each test row after its test cell (`test_sigmoid`,
not "Test cell" twelve times); long failure lines wrap instead of running off the page; and no
MathJax is loaded from a CDN (formulas arrive as MathML, mathml.py), so the page works offline.
"""
from __future__ import annotations

import pathlib
import re

import nbgrader

TEMPLATE = "coursekit_feedback"             # the folder in templates/ (its conf.json: based on nbgrader's)
TEMPLATE_FILE = "coursekit_feedback.html.j2"  # not index.html.j2, which is nbgrader's page it extends
TEMPLATES = [str(pathlib.Path(__file__).parent / "templates"),
             str(pathlib.Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]

_ROW = re.compile(r'<a href="#([\w.-]+)">Test cell</a>')


def name_test_rows(html):
    """The table of contents' "Test cell" links, named after their cell."""
    return _ROW.sub(r'<a href="#\1"><code>\1</code></a>', str(html))


_CDN_MATHJAX = re.compile(r'<!-- Load mathjax -->\s*<script src="https://[^"]*"> ?</script>\s*'
                          r'<!-- MathJax configuration -->\s*<script type="text/x-mathjax-config">.*?</script>', re.S)


def drop_mathjax(html):
    """nbgrader's page header without the MathJax it loads from a CDN (formulas are MathML)."""
    return _CDN_MATHJAX.sub("<!-- formulas: MathML (coursekit.grading.mathml), no MathJax -->", str(html))
