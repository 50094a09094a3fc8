"""A run's configuration: one typed value, built from a params file, handed to every stage.

Nothing is read from the working directory. The default params file is the
project's own ``params.yaml``, found from this package; paths inside a params
file are read relative to that file, so ``python -m pipeline run`` does the same
wherever it is started. Every key must be present (no value hides in the code),
and every mistake is one line naming the file, the key and the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.reference import REFERENCE_DIR, read_yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
PARAMS_FILE = PROJECT_DIR / "params.yaml"
SUITES_DIR = Path(__file__).resolve().parent / "expectations"

# params.yaml's keys, by section: (field of Config, type it must have).
_PARAMS = {
    "paths": {"release": ("release", Path), "interim": ("interim", Path)},
    "extract": {"plan": ("plan", Path), "period": ("period", str)},
    "normalise": {"similarity_threshold": ("similarity_threshold", float)},
    "validate": {
        "max_doubtful_timescale_share": ("max_doubtful_timescale_share", float),
        "min_share_of_last_release": ("min_share_of_last_release", float),
    },
}
_SHARES = ("max_doubtful_timescale_share", "min_share_of_last_release")

# "plan-2023-24-q1.pdf", "plan_2023_24.docx": a financial year, perhaps a quarter.
_PERIOD_IN_NAME = re.compile(
    r"(?<!\d)(?P<first>20\d\d)[-_](?P<second>\d\d)(?!\d)(?:[-_ ]?(?P<quarter>q[1-4]))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Config:
    """Everything a run is told: where things are, thresholds and permissions."""

    plan: Path  # the plan a run reads when none is named
    period: str  # the plan period of ``plan``
    release: Path  # the published release folder; history and failed runs beside it
    interim: Path  # where ``run`` keeps each stage's output for inspection
    similarity_threshold: float
    max_doubtful_timescale_share: float
    min_share_of_last_release: float
    accept_fewer_rows: bool = False
    strict_decisions: bool = False  # a decision that no longer applies stops the run
    expectations: Path = SUITES_DIR
    reference: Path = REFERENCE_DIR
    decisions: Path | None = None  # None: decisions.yaml in ``reference``

    @property
    def decisions_file(self) -> Path:
        return self.decisions or self.reference / "decisions.yaml"

    def but(self, **changes) -> Config:
        """This configuration with the command line's values instead (None: not given)."""
        given = {k: v for k, v in changes.items() if v is not None}
        _check_ranges(given, "command line", lambda name: "--" + name.replace("_", "-"))
        return dataclasses.replace(self, **given)

    def recorded(self) -> dict:
        """What every report and datapackage.json say the run was told: the thresholds,
        and every reference file, the decisions and the suites by path and sha256."""
        decisions = self.decisions_file.resolve()
        reference_files = sorted({p.resolve() for p in self.reference.glob("*.yaml")} - {decisions})
        return {
            "similarity_threshold": self.similarity_threshold,
            "max_doubtful_timescale_share": self.max_doubtful_timescale_share,
            "min_share_of_last_release": self.min_share_of_last_release,
            "accept_fewer_rows": self.accept_fewer_rows,
            "strict_decisions": self.strict_decisions,
            "reference_files": [_file_record(path) for path in reference_files],
            "decisions": _file_record(self.decisions_file),
            "suites": [_file_record(path) for path in sorted(self.expectations.glob("*.json"))],
        }

    def period_of(self, inputs: list[Path]) -> str | None:
        """The plan period of ``inputs``: the configured one for the configured plan, else
        what the file names say (a financial year, perhaps a quarter), else unknown."""
        if [p.resolve() for p in inputs] == [self.plan.resolve()]:
            return self.period
        found = _PERIOD_IN_NAME.search(" ".join(path.name for path in inputs))
        if not found:
            return None
        years = f"{found['first']}/{found['second']}"
        return f"{years} {found['quarter'].upper()}" if found["quarter"] else years


def point_at_plan(params: Path, plan: Path, period: str) -> str:
    """Set extract.plan and extract.period in the params file, keeping every comment.

    Returns the file's text before, so a caller can put it back. The result is
    read back with load_config; InputError if it does not say what was asked.
    """
    before = params.read_text(encoding="utf-8")
    relative = os.path.relpath(plan.resolve(), params.parent.resolve())
    lines, section = before.split("\n"), None
    for number, line in enumerate(lines):
        if line and not line[0].isspace() and not line.startswith("#"):
            section = line.split(":")[0]
        elif section == "extract" and line.startswith("  plan:"):
            lines[number] = f"  plan: {json.dumps(Path(relative).as_posix())}"
        elif section == "extract" and line.startswith("  period:"):
            lines[number] = f"  period: {json.dumps(period)}"
    params.write_text("\n".join(lines), encoding="utf-8")
    config = load_config(params)
    if config.plan != plan.resolve() or config.period != period:
        params.write_text(before, encoding="utf-8")
        raise InputError(str(params), "could not set extract.plan and extract.period in it")
    return before


def _file_record(path: Path) -> dict:
    """A file as reports name it: relative to the project (else its name, never a local
    absolute path), with its sha256 so an auditor can tell which version was used."""
    try:
        shown = path.resolve().relative_to(PROJECT_DIR).as_posix()
    except ValueError:
        shown = path.name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    return {"path": shown, "sha256": digest}


def load_config(params: Path = PARAMS_FILE) -> Config:
    """The configuration a params file describes; InputError names any missing or wrong key."""
    if not params.is_file():
        raise InputError(
            str(params), "not found: name a params file with --params (see the project's own)"
        )
    sections = read_yaml(params, dict)
    values = {}
    for section, keys in _PARAMS.items():
        given = sections.get(section)
        if not isinstance(given, dict):
            raise InputError(str(params), f"needs a section {section}: with {', '.join(keys)}")
        unknown = sorted(given.keys() - keys.keys())
        if unknown:
            known = ", ".join(keys)
            raise InputError(
                str(params), f"unknown key (known: {known})", f"{section}.{unknown[0]}"
            )
        for key, (name, kind) in keys.items():
            values[name] = _value(params, f"{section}.{key}", given.get(key), kind)
    unknown = sorted(sections.keys() - _PARAMS.keys())
    if unknown:
        raise InputError(str(params), f"unknown section (known: {', '.join(_PARAMS)})", unknown[0])
    keys = {
        name: f"{section}.{key}" for section, k in _PARAMS.items() for key, (name, _) in k.items()
    }
    _check_ranges(values, str(params), keys.get)
    return Config(**values)


def _check_ranges(values: dict, source: str, key_of) -> None:
    for name in _SHARES:
        if name in values and not 0 <= values[name] <= 1:
            raise InputError(source, "must be a share between 0 and 1", key_of(name))
    if "similarity_threshold" in values and not 0 <= values["similarity_threshold"] <= 100:
        raise InputError(
            source, "must be a score between 0 and 100", key_of("similarity_threshold")
        )


def _value(params: Path, key: str, value, kind: type):
    if value is None or value == "":
        raise InputError(str(params), "is missing", key)
    if kind is Path:
        return (params.parent / str(value)).resolve()
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(str(params), f"must be a number, not {value!r}", key)
        return float(value)
    return str(value)
