"""The README is the user's first contact: its commands must be the ones CI proves."""

import re

from pipeline.cli import _parser
from pipeline.config import SUITES_DIR
from tests.conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _first_screen_commands() -> list[str]:
    first_screen = "\n".join(README.splitlines()[:25])
    return re.findall(r"^    (python3\.11 .+)$", first_screen, flags=re.MULTILINE)


def test_first_screen_gives_exactly_two_commands_one_to_run_one_to_test():
    run, test = _first_screen_commands()
    assert run.endswith("python -m pipeline run")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert _first_screen_commands()[1] in ci.splitlines()


def test_every_cli_command_is_documented():
    commands = _parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"python -m pipeline {name}" in README, name


def test_expectations_readme_lists_every_expectation_with_its_severity():
    import json

    readme = (SUITES_DIR / "README.md").read_text(encoding="utf-8")
    for stage in ("extract", "normalise", "publish"):
        spec = json.loads((SUITES_DIR / f"{stage}.json").read_text())
        section = readme.split(f"## {stage}.json")[1].split("\n## ")[0]
        listed = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
        assert len(listed) == len(spec["expectations"]), stage
        for line, expectation in zip(listed, spec["expectations"], strict=True):
            assert f"`{expectation['type']}" in line
            severity = "blocking" if expectation["severity"] == "critical" else "warning"
            assert f"| {severity} |" in line
