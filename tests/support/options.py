"""The suite's options as test modules read them (conftest.py defines them):

    --assignments 03,05   only these assignments (numbers or names); default: all
    --all-corpora         the hostile and tampering corpora on every selected assignment;
                          default: each corpus on one assignment
"""
from __future__ import annotations

import pytest

from coursekit import build

from .nbtools import ROOT

ALL = build.assignments(ROOT)


def selected(config):
    """The assignments --assignments selects (all by default)."""
    wanted = [w.strip() for w in config.getoption("--assignments").split(",") if w.strip()]
    if not wanted:
        return list(ALL)
    chosen = [a for a in ALL if any(a == w or a.startswith(w.zfill(2) + "_") for w in wanted)]
    if not chosen:
        raise pytest.UsageError(f"--assignments {','.join(wanted)} matches none of {', '.join(ALL)}")
    return chosen


def corpus_assignments(config, default):
    """Where a corpus runs: every selected assignment with --all-corpora, else one: `default`
    (its usual assignment) when selected, or the first selected."""
    names = selected(config)
    if config.getoption("--all-corpora"):
        return names
    return [default if default in names else names[0]]
