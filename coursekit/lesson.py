"""Lesson cells that wait for the learner: one line instead of a traceback.

A lesson cell that uses a graded function (a plot of the learner's trajectory, a training
run on their optimizer) cannot work before that function is written. Wrapped in `needs`,
it says so in one line and draws nothing:

    with lesson.needs("momentum_update", "train_network"):
        history = train_network(...)
        fig, ax = plt.subplots()
        ax.plot(history)

- a NotImplementedError from anywhere inside the block (the learner's stub) and
- a NameError raised by the lesson cell's own code (a name an earlier waiting cell never
  made)

end the block with "⏸ implement momentum_update, train_network above first (and run their
cells); this cell then ...". Figures opened inside the block are closed, so nothing is
half drawn. Any other error, and a NameError raised inside the learner's own code, is the
learner's to see and goes through unchanged.

Used in the lesson cells of assignments 03-12 that call a graded function.
"""
from __future__ import annotations

import contextlib
import sys

WAITING = "\u23f8"   # the pause sign that starts the line


class _Waiting:
    def __init__(self, names, then):
        self.names = names
        self.then = then
        self.skipped = False
        self._figures = set()
        self._frame = None

    def __enter__(self):
        self._frame = sys._getframe(1)
        self._figures = _open_figures()
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            return False
        from .checks import NotImplementedYet
        waiting = issubclass(kind, (NotImplementedError, NotImplementedYet))
        if not (waiting or (issubclass(kind, NameError) and self._own(tb))):
            return False
        self.skipped = True
        _close_new_figures(self._figures)
        names = ", ".join(self.names) if self.names else "the functions above"
        cells = "its cell" if len(self.names) == 1 else "their cells"
        line = f"{WAITING} implement {names} above first (and run {cells})"
        print(line + (f"; this cell then {self.then}" if self.then else ""))
        return True

    def _own(self, tb):
        """True when the NameError was raised by the lesson cell itself, not by code it called."""
        last = tb
        while last.tb_next is not None:
            last = last.tb_next
        return last.tb_frame.f_code is self._frame.f_code


def needs(*names, then=""):
    """Context manager for a lesson cell that uses the graded functions `names`.

    names: the graded functions the block calls (directly or through another lesson cell).
    then:  optional, what the cell shows once they work ("plots the cost per epoch").
    """
    return _Waiting(tuple(names), then)


def _open_figures():
    plt = sys.modules.get("matplotlib.pyplot")
    return set(plt.get_fignums()) if plt is not None else set()


def _close_new_figures(before):
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    for number in set(plt.get_fignums()) - before:
        with contextlib.suppress(Exception):
            plt.close(number)
