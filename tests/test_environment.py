"""environment.yml (conda) and pyproject.toml (pip) describe the same environment."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(req: str) -> str:
    return req.replace(" ", "").lower()


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_norm(r) for r in project["dependencies"]}
    wanted |= {_norm(r) for r in project["optional-dependencies"]["dev"]}

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_block = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    listed = {_norm(r) for r in pip_block if not r.startswith("-")}
    assert listed == wanted, (
        f"only in pyproject: {sorted(wanted - listed)}; only in environment.yml: "
        f"{sorted(listed - wanted)}"
    )
    assert "-e ." in pip_block


def test_torch_is_pinned_to_the_cpu_wheel_everywhere() -> None:
    constraints = (ROOT / "constraints.txt").read_text()
    assert "torch==2.13.0" in constraints
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text()
