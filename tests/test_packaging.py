"""environment.yml (conda) and pyproject.toml (pip) name the same dependencies."""
import pathlib
import re
import tomllib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _name_and_spec(req):
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_requirements():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return dict(_name_and_spec(r) for r in reqs)


def conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    reqs = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item.split("=")[0] in ("python", "pip"):
                continue
            name, spec = _name_and_spec(item)
            reqs[name] = spec
    return reqs


def test_environment_yml_and_pyproject_agree():
    assert conda_requirements() == pyproject_requirements()


def test_torch_range_admits_the_cpu_wheel_on_disk():
    from packaging.specifiers import SpecifierSet
    assert "2.13.0" in SpecifierSet(pyproject_requirements()["torch"])


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./course test" in readme and "./course test" in ci


def constraints():
    """{name: version} of constraints.txt (comments skipped)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def test_constraints_pin_every_requirement_inside_its_range():
    """What `./course setup` installs with (pip install -c constraints.txt) is admitted by
    pyproject.toml's ranges; torch is installed by ./course itself (its CPU build)."""
    from packaging.requirements import Requirement
    pins = constraints()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for req in map(Requirement, data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]):
        name = req.name.lower().replace("_", "-")
        if name == "torch":
            assert name not in pins, "constraints.txt pins torch: ./course installs its CPU build (see its header)"
            continue
        assert name in pins, f"constraints.txt has no line for {name}: refresh it (docs/tests.md)"
        assert pins[name] in req.specifier, (f"constraints.txt pins {name}=={pins[name]}, outside pyproject.toml's "
                                             f"{req}: refresh it or widen the range (docs/tests.md)")
