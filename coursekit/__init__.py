"""coursekit: the helper library of the neural-networks course.

Learner-facing modules, one job each: data (seeded data sets), plot (figures), widgets
(interactive explorers), gradcheck (numerical gradients), functions (named toy functions,
models and factories that checks pass), checks (one-line test helpers), properties (named
properties for checks without a fixed value), values (the one normalization and JSON form of
values, shared by the checks and the re-check), replay (checks recorded as data), course (what
a course notebook is). None of them holds the answer to a graded exercise, and none imports
the instructor-facing parts: build and measure (the `assign` verb), grading/ (autograde,
sandbox, re-check, gradebook, summary) and cli (the `coursekit` command).
"""
__version__ = "0.2.0"
