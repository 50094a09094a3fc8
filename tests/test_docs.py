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


def test_docs_outputs_is_the_data_dictionary_made_from_the_schema():
    from pipeline.publish.datapackage import data_dictionary
    from pipeline.schema import CHANGES
    from pipeline.stages import PUBLISHED_TABLES

    made = data_dictionary([*PUBLISHED_TABLES.values(), CHANGES])
    assert (PROJECT / "docs" / "outputs.md").read_text(encoding="utf-8") == made, (
        "run: python -m pipeline.publish.datapackage > docs/outputs.md"
    )


def test_every_timescale_rule_the_code_names_is_in_docs_timescales():
    code = (PROJECT / "pipeline" / "normalise" / "timescales.py").read_text(encoding="utf-8")
    rules = set(re.findall(r"\b([RA]\d{1,2}) ", code))
    conventions = (PROJECT / "docs" / "timescales.md").read_text(encoding="utf-8")
    assert rules and all(f"| {rule} |" in conventions for rule in rules), rules


def test_nothing_the_user_reads_points_outside_the_repository():
    readable = [PROJECT / "README.md", *(PROJECT / "docs").glob("*.md")]
    readable += [*(PROJECT / "pipeline").rglob("*.md"), *(PROJECT / "pipeline").rglob("*.py")]
    for path in readable:
        assert "../shared" not in path.read_text(encoding="utf-8"), path
