"""Work done once per test run, whichever pytest-xdist worker asks for it first.

`./course test` runs two workers. A module-scoped fixture runs once per worker that gets a
test of the module, and `--dist loadgroup` (which would keep a module on one worker) is not
reliable across pytest versions; so the expensive setups (a corpus graded end to end, a built
course) go through `once`: the first worker computes and stores a JSON result in a folder
shared by the whole run, the others wait for it and read it. A failure is stored too, so that
it is not computed again.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import traceback


def run_folder(tmp_path_factory):
    """A folder shared by every worker of this run (each worker's base temp is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory, name, make):
    """(make(folder)'s JSON-able result, folder): computed once per run for `name`."""
    shared = run_folder(tmp_path_factory) / "once"
    shared.mkdir(exist_ok=True)
    folder, result, failure = shared / name, shared / f"{name}.json", shared / f"{name}.failed"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.is_file():
            return json.loads(result.read_text()), folder
        if failure.is_file():
            raise RuntimeError(f"{name} failed in another worker of this run:\n{failure.read_text()}")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        try:
            value = make(folder)
        except BaseException:
            failure.write_text(traceback.format_exc())
            raise
        result.write_text(json.dumps(value))
        return value, folder
