"""The pipeline's entry points: a whole run, and each stage as DVC runs it.

The CLI, ``dvc repro`` (through the CLI) and the benchmark call these and
nothing below them, so the order of the stages, where a stopped run's reports
go and what a run records are decided here once. Progress goes to ``log``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config, point_at_plan
from pipeline.errors import InputError
from pipeline.extract import Extraction
from pipeline.extract.assemble import document_notes
from pipeline.normalise import Normalised
from pipeline.reference import Reference, load_reference
from pipeline.stages import (
    RunInfo,
    extract_stage,
    normalise_stage,
    publish_stage,
    read_extraction,
    read_normalised,
    record_failure,
    write_extraction,
    write_normalised,
)
from pipeline.validate import GateFailed, gates_loaded

Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    """The default log: a library call prints nothing."""


@dataclass
class RunResult:
    """What a run did: its record, the tables it published and how long each stage took."""

    run: RunInfo
    normalised: Normalised
    rows: int  # table rows read from the documents
    collapsed: int  # repeated rows folded into another
    archived: Path | None  # where the release it replaced went
    seconds: dict[str, float] = field(default_factory=dict)


def run_pipeline(
    inputs: list[Path],
    config: Config,
    out: Path,
    interim: Path | None = None,
    period: str | None = None,
    log: Log = _quiet,
) -> RunResult:
    """Extract, normalise and publish ``inputs`` to the release folder ``out``.

    Every reference file is checked first (InputError). Each stage is gated; a
    failed gate raises StageFailed after writing every report so far under
    ``OUT.releases/failed/ID/``, and ``out`` is left as it was. With ``interim``,
    each stage's output is kept there as the stage commands write it. ``period``
    is the plan period the inputs cover (default: Config.period_of).
    """
    reference = checked_reference(config)
    run = RunInfo.start(inputs, config, period or config.period_of(inputs))
    gate = _Gate(run, out, log)
    extraction = gate("extract", extract_stage, inputs, config, reference)
    log(f"  {len(extraction.rows)} table rows from {len(inputs)} document(s), gate passed")
    _log_table_notes(extraction, log)
    if interim:
        write_extraction(extraction, gate.reports, run, interim / "extract")
    normalised = gate("normalise", normalise_stage, extraction, config, reference)
    rows, collapsed = len(extraction.rows), int(extraction.rows["duplicate_of"].notna().sum())
    del extraction  # the rows are in the tables now: not held while the release is written
    log(f"  {len(normalised.actions)} actions, {collapsed} repeated row(s) collapsed, gate passed")
    if interim:
        write_normalised(normalised, gate.reports, run, interim / "normalise")
    archived = gate("publish", publish_stage, normalised, list(gate.reports), out, run, config)
    return RunResult(run, normalised, rows, collapsed, archived, gate.seconds)


def run_extract(
    inputs: list[Path],
    config: Config,
    folder: Path,
    release: Path,
    period: str | None = None,
    log: Log = _quiet,
) -> int:
    """The extract stage alone: rows of ``inputs`` to ``folder``; returns how many.

    ``release`` is the published release, beside which a stopped run's reports are kept.
    """
    reference = checked_reference(config)
    run = RunInfo.start(inputs, config, period or config.period_of(inputs))
    gate = _Gate(run, release, log)
    extraction = gate("extract", extract_stage, inputs, config, reference)
    _log_table_notes(extraction, log)
    write_extraction(extraction, gate.reports, run, folder)
    return len(extraction.rows)


def _log_table_notes(extraction: Extraction, log: Log) -> None:
    """What the review list says once per table about its columns (and of pending tracked
    changes), said in the summary too: a renamed or new column is news the data team
    should not have to dig for."""
    for note in document_notes(extraction.review):
        log(f"  {note}")


def run_normalise(
    extracted: Path, config: Config, folder: Path, release: Path, log: Log = _quiet
) -> Normalised:
    """The normalise stage alone: ``extracted`` (run_extract's folder) to ``folder``."""
    reference = checked_reference(config)
    extraction, reports, run = read_extraction(extracted)
    gate = _Gate(run, release, log, reports)
    normalised = gate("normalise", normalise_stage, extraction, config, reference)
    write_normalised(normalised, gate.reports, run, folder)
    return normalised


def run_publish(
    normalised_folder: Path, config: Config, out: Path, log: Log = _quiet
) -> tuple[RunInfo, Normalised, Path | None]:
    """The publish stage alone: run_normalise's folder to the release ``out``.

    Returns the run, its tables and where the replaced release was archived.
    """
    normalised, reports, run = read_normalised(normalised_folder)
    gate = _Gate(run, out, log, reports)
    archived = gate("publish", publish_stage, normalised, reports, out, run, config)
    return run, normalised, archived


class RefreshFailed(Exception):
    """`dvc repro` stopped; ``code`` is the stage's exit code (2 input, 3 gate), else 1."""

    def __init__(self, code: int, output: str) -> None:
        self.code, self.output = code, output
        super().__init__(output)


def refresh(plan: Path, period: str, params: Path) -> str:
    """The quarterly refresh in one step: point the params file at ``plan`` and ``period``
    and run the DVC pipeline, so dvc.lock records exactly what was published.

    Returns DVC's output. On any failure the params file is put back as it was
    (the live release is untouched: publish swaps it only after every gate) and
    RefreshFailed is raised.
    """
    if not plan.is_file():
        raise InputError(str(plan), "not found: copy the new plan into raw/ first")
    before = point_at_plan(params, plan, period)
    python = os.path.dirname(sys.executable)  # the stages run with this interpreter
    done = subprocess.run(
        [sys.executable, "-m", "dvc", "repro"],
        cwd=params.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{python}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        params.write_text(before, encoding="utf-8")
        exited = re.search(r"exited with (\d+)", output)
        raise RefreshFailed(int(exited.group(1)) if exited else 1, output)
    return output


class _Gate:
    """Runs one stage after another, timing each and keeping its report; returns its output.

    The one failure handler: whichever stage a gate stops, every report so far
    goes under ``RELEASE.releases/failed/ID/`` and StageFailed is raised.
    """

    def __init__(self, run: RunInfo, release: Path, log: Log, reports=()) -> None:
        self.run, self.release, self.log = run, release, log
        self.reports: list[dict] = list(reports)
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str, work: Callable, *args):
        started, loaded_before = time.perf_counter(), gates_loaded()
        self.log(f"{stage} ...")
        try:
            result, report = work(*args)
        except GateFailed as failure:
            raise record_failure(failure, self.reports, self.release, self.run) from None
        # GX is imported by the first gate that runs (a document refused before it does
        # not wait for it): seconds of set-up, not of the stage
        loading = gates_loaded() - loaded_before
        if loading:
            self.seconds["gates ready"] = loading
            self.log(f"quality gates: Great Expectations loaded in {loading:.2f} s")
        self.reports.append(report)
        self.seconds[stage] = time.perf_counter() - started - loading
        self.log(f"{stage} done in {self.seconds[stage]:.2f} s")
        return result


def checked_reference(config: Config) -> Reference:
    """Every reference file, checked before any stage runs (InputError: exit 2)."""
    return load_reference(config.reference, config.decisions_file, config.similarity_threshold)
