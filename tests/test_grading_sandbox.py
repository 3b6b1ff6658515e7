"""coursekit.grading.sandbox without starting a kernel: the bubblewrap command line, the
kernelspec, the connection file handed to the kernel, what a submission's kernels may see."""
import json
import os
import pathlib
import sys

from coursekit.grading import sandbox


def test_bwrap_command_isolates_and_hides(tmp_path):
    hidden_dir, hidden_file = tmp_path / "source", tmp_path / "gradebook.db"
    hidden_dir.mkdir()
    hidden_file.write_text("")
    exposed, sockets, work = tmp_path / "env", tmp_path / "runtime" / "recheck", tmp_path / "work"
    exposed.mkdir()
    cmd = sandbox.bwrap_command(["python", "-m", "ipykernel_launcher"], work,
                                [str(hidden_dir), str(hidden_file), str(tmp_path / "absent")],
                                [str(exposed), str(tmp_path / "absent-too")], [str(sockets)])
    assert cmd[:5] == ["bwrap", "--ro-bind", "/", "/", "--dev"]
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-user", "--unshare-ipc", "--die-with-parent",
                 "--new-session"):
        assert flag in cmd
    text = " ".join(cmd)
    assert f"--tmpfs {hidden_dir}" in text and f"--ro-bind /dev/null {hidden_file}" in text
    assert "absent" not in text
    assert f"--ro-bind {exposed} {exposed}" in text
    assert f"--bind {sockets} {sockets}" in text and f"--bind {work} {sandbox.WORKDIR}" in text
    # order matters: hide, then expose what is needed inside, then the writable binds
    assert text.index(f"--tmpfs {hidden_dir}") < text.index(f"--ro-bind {exposed}") < text.index(f"--bind {sockets}")
    assert cmd[-4:] == ["--", "python", "-m", "ipykernel_launcher"]


def test_kernelspec_starts_the_launcher_module(tmp_path):
    spec_dir = sandbox.write_kernelspec(tmp_path, python="/py")
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec_dir == tmp_path / "kernels" / sandbox.KERNEL_NAME
    assert spec["argv"] == ["/py", "-m", "coursekit.grading.sandbox", "/py", "-m", "ipykernel_launcher",
                            "-f", "{connection_file}"]
    assert spec["interrupt_mode"] == "message"


def test_connection_file_is_copied_and_only_its_own_socket_folder_bound(tmp_path):
    runtime = tmp_path / "runtime" / "tests"
    runtime.mkdir(parents=True)
    conn = tmp_path / "kernel-1.json"
    conn.write_text(json.dumps({"transport": "ipc", "ip": str(runtime / "kernel"), "key": "k"}))
    work = tmp_path / "work"
    work.mkdir()
    argv, sockets = sandbox.move_connection_file(["py", "-m", "ipykernel_launcher", "-f", str(conn)], work)
    assert argv[-1] == f"{sandbox.WORKDIR}/kernel-1.json" and (work / "kernel-1.json").is_file()
    assert sockets == [str(runtime.resolve())]
    conn.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1"}))
    assert sandbox.move_connection_file(["py", "-f", str(conn)], work)[1] == []


def test_setup_hides_the_course_and_the_scratch_and_separates_kernels(tmp_path):
    root, scratch = tmp_path / "course", tmp_path / "scratch"
    (root / "source").mkdir(parents=True)
    (root / "gradebook.db").write_text("")
    scratch.mkdir()
    setup = sandbox.setup(root, scratch, 123)
    hide = setup.env["COURSEKIT_HIDE"].split(os.pathsep)
    assert str((root / "source").resolve()) in hide and str((root / "gradebook.db").resolve()) in hide
    assert str(scratch.resolve()) in hide                         # where the kernels' files are left
    expose = setup.env["COURSEKIT_EXPOSE"].split(os.pathsep)
    assert sys.prefix in expose and str(pathlib.Path(sandbox.__file__).resolve().parents[1]) in expose
    assert setup.env["COURSEKIT_MEMORY_LIMIT"] == "123"
    assert setup.isolated and setup.name == sandbox.KERNEL_NAME
    assert (pathlib.Path(setup.kernel_dirs[0]) / sandbox.KERNEL_NAME / "kernel.json").is_file()
    tests, recheck = setup.sockets("tests"), setup.sockets("recheck")
    assert pathlib.Path(tests).parent != pathlib.Path(recheck).parent   # nothing left for the re-check
    assert setup.nbgrader_args("tests") == [f"--ResilientExecute.kernel_name={sandbox.KERNEL_NAME}",
                                            f"--ResilientExecute.kernel_dirs={setup.kernel_dirs[0]}",
                                            "--AsyncKernelManager.transport=ipc",
                                            f"--AsyncKernelManager.ip={tests}"]


def test_without_sandbox_nothing_changes():
    plain = sandbox.KernelSetup()
    assert not plain.isolated and plain.nbgrader_args() == [] and plain.sockets("x") == "" and plain.env is None


def test_autograde_refuses_where_bwrap_is_installed_but_cannot_make_a_sandbox(tmp_path, monkeypatch):
    """sandbox.available() used to mean "bwrap is on PATH": with user namespaces blocked every
    submission would have been graded with zeros as a grader problem. It now runs the probe."""
    import pytest

    from coursekit.grading import autograde, sandbox
    from support import tiny
    root = tiny.write_source(tmp_path / "course")
    tiny.submit(root, "ann", tiny.answered())
    (root / "notebooks" / tiny.ASSIGNMENT).mkdir(parents=True)
    monkeypatch.setattr(sandbox, "bwrap_command", lambda *a, **k: ["sh", "-c", "echo 'bwrap: setting up uid map:"
                                                                  " Permission denied' >&2; exit 1"])
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: "/usr/bin/" + name)
    sandbox.problem.cache_clear()
    try:
        assert not sandbox.available()
        with pytest.raises(autograde.SandboxMissing, match="could not make a sandbox .*uid map"):
            autograde.autograde(root, tiny.ASSIGNMENT, jobs=2, log=lambda *_: None)
    finally:
        sandbox.problem.cache_clear()
