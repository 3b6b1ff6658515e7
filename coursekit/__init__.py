"""coursekit: the helper library of the neural-networks course.

Modules, one job each: data (seeded data sets), plot (figures), gradcheck (numerical
gradients), checks (one-line test helpers), functions (named toy functions), widgets
(interactive explorers), replay (checks as data), cli (build and autograde).
"""
__version__ = "0.1.0"
