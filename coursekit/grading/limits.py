"""The grader's default limits, in one place: `coursekit autograde`'s options (cli.py,
worker.Options), the sandbox's memory cap (sandbox.py) and plain `nbgrader autograde`'s cell
timeout (nbgrader_config.py) all read them here."""
CELL_TIMEOUT = 60                # seconds for one cell; then the kernel is interrupted
SUBMISSION_TIMEOUT = 1800        # seconds for one submission as a whole
MEMORY_LIMIT = 4 * 2 ** 30       # bytes of address space for one learner kernel
