"""The feedback page a learner reads (nbgrader_config.py's feedback pipeline: mathml.py,
feedback_page.py, redact.py): formulas as MathML with no MathJax from a CDN, test rows named
after their cell, failure lines that wrap, and no configuration warnings in the instructor's
terminal. The autograded notebook and gradebook are written as autograde leaves them (no kernel)."""
import re

import nbformat
import pytest

from coursekit.build import nbgrader
from coursekit.grading import feedback_page, mathml
from coursekit.grading.kernel import error_output
from support import tiny

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
A = tiny.ASSIGNMENT
LONG = "CheckFailed: dW of shape (4, 3): worst |actual - expected| at index (2, 1) " + "x" * 300


def test_formulas_become_mathml_and_code_stays_code():
    html = mathml.to_mathml(r"Cost $J = \frac{1}{m}\sum_i L^{(i)}$ and `price $5 or $6` then "
                            r"$$dW = \frac{1}{m} dZ A^T$$")
    assert html.count("<math") == 2 and 'display="block"' in html and "$" not in html.replace("`price $5 or $6`", "")
    assert "`price $5 or $6`" in html
    assert mathml.to_mathml(r"a formula it cannot read: $\begin{nonsense}$") == \
        r"a formula it cannot read: `\begin{nonsense}`"


def test_toc_rows_are_named_and_mathjax_is_gone():
    html = '<li><a href="#test_sigmoid">Test cell</a> (Score: 1 / 1)</li>'
    named = '<li><a href="#test_sigmoid"><code>test_sigmoid</code></a> (Score: 1 / 1)</li>'
    assert feedback_page.name_test_rows(html) == named
    head = ('<!-- Load mathjax -->\n    <script src="https://cdnjs.cloudflare.com/x/latest.js?config=TeX"> </script>\n'
            '    <!-- MathJax configuration -->\n    <script type="text/x-mathjax-config">\n init();\n    </script>')
    assert "cdnjs" not in feedback_page.drop_mathjax(head) and "script" not in feedback_page.drop_mathjax(head)


@pytest.mark.slow
@pytest.mark.integration
def test_the_page_reads_offline(tmp_path):
    root = tiny.write_source(tmp_path / "course")
    tiny.gradebook(root, {"ann": {"test_double": 0.0, "test_halve": 2.0}})
    nb = tiny.answered()
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(r"The gradient is $dW = \frac{1}{m} dZ A_{prev}^T$."))
    tiny.cell(nb, "test_double").outputs = [error_output("CheckFailed", LONG)]
    folder = root / "autograded" / "ann" / A
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / tiny.NAME)
    proc = nbgrader(root, "generate_feedback", A)
    page = (root / "feedback" / "ann" / A / f"{A}.html").read_text()
    assert "cdnjs" not in page and "MathJax.Hub" not in page, "no script from a network"
    assert "<math" in page and r"\frac" not in page
    assert re.findall(r'<a href="#(test_\w+)"><code>\1</code></a>', page) == ["test_double", "test_halve"]
    assert "white-space: pre-wrap" in page and "x" * 300 in page
    assert "not recognized" not in proc.stdout + proc.stderr, (proc.stdout + proc.stderr)[-2000:]


def config_as_loaded(monkeypatch, server):
    """nbgrader_config.py's settings, as nbgrader (server False) or the formgrader (True) loads it."""
    from jupyter_server.serverapp import ServerApp
    from traitlets.config import Config

    from support.nbtools import ROOT
    monkeypatch.setattr(ServerApp, "initialized", classmethod(lambda cls: server))
    c = Config()
    exec(compile((ROOT / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec"),
         {"get_config": lambda: c, "__file__": str(ROOT / "nbgrader_config.py")})
    return c


def test_the_formgraders_autograde_button_refuses_with_what_to_run(monkeypatch):
    from coursekit.grading.formgrader_guard import AutogradeRefused, RefuseAutograde
    assert RefuseAutograde not in config_as_loaded(monkeypatch, server=False).Autograde.sanitize_preprocessors
    pipeline = config_as_loaded(monkeypatch, server=True).Autograde.sanitize_preprocessors
    assert pipeline == [RefuseAutograde]
    with pytest.raises(AutogradeRefused, match="coursekit autograde 03_x --student ann"):
        RefuseAutograde().preprocess(nbformat.v4.new_notebook(), {"nbgrader": {"assignment": "03_x", "student": "ann"}})
