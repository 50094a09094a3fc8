"""The stages as the CLI and DVC run them: read, compute, gate, write.

Each stage's computation is a plain function elsewhere; here is where files
are read and written, where each gate runs, and where a release is staged,
validated and published in one step (pipeline/publish/release.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from pipeline import __version__
from pipeline.config import Config
from pipeline.errors import InputError
from pipeline.extract import Extraction, extract_documents
from pipeline.extract.assemble import WORDS_NOT_PLACED, document_notes
from pipeline.forking import WorkFailed, alongside
from pipeline.normalise import Normalised, normalise_rows
from pipeline.normalise.decisions import acknowledge_review
from pipeline.publish import release
from pipeline.publish.datapackage import build_datapackage, workbook_about
from pipeline.publish.diff import (
    changes_to_markdown,
    compare_releases,
    delivery_status_changes,
    with_status_changes,
)
from pipeline.publish.progress import (
    NOT_GIVEN,
    PeriodRelease,
    history_table,
    progress_over_time,
    progress_table,
)
from pipeline.publish.progress_report import (
    draw_progress_chart,
    progress_markdown,
    progress_summary,
)
from pipeline.publish.workbook import WORKBOOK, write_workbook
from pipeline.publish.write import (
    read_parquet,
    write_csv,
    write_json,
    write_parquet,
)
from pipeline.reference import Reference
from pipeline.review import (
    REVIEW_KEY,
    attach_action_ids,
    combine_review,
    mark_new,
    with_actions,
)
from pipeline.schema import (
    ACTION_HISTORY,
    ACTION_ORGANISATIONS,
    ACTION_PROGRESS,
    ACTIONS,
    CHANGES,
    MILESTONES,
    ORGANISATIONS,
    REVIEW,
    ROWS,
    Table,
)
from pipeline.validate import (
    GateFailed,
    GateReport,
    check_stage,
    columns_checked,
    extract_parameters,
    gate_review,
    normalise_parameters,
    publish_parameters,
)
from pipeline.validate.release_check import FILES_TABLE, release_check_tables
from pipeline.validate.report import write_reports

NORMALISED_TABLES = {  # what normalise makes, kept in interim/normalise/ too
    "actions": ACTIONS,
    "milestones": MILESTONES,
    "organisations": ORGANISATIONS,
    "action_organisations": ACTION_ORGANISATIONS,
    "review": REVIEW,
}
TRACKING_TABLES = {"action_history": ACTION_HISTORY, "action_progress": ACTION_PROGRESS}
PUBLISHED_TABLES = {**NORMALISED_TABLES, **TRACKING_TABLES}
STAGE_REPORT = "validation.json"


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str


@dataclass(frozen=True)
class RunInfo:
    """Which run this is, what it read, the plan period it covers and what it was told.

    Kept in every report, in datapackage.json and in the change report.
    """

    id: str
    time: str
    software: str
    sources: tuple[Source, ...]
    period: str | None
    settings: dict
    code: str | None = None  # the git commit run, "-dirty" when changed, in a checkout

    @classmethod
    def start(cls, inputs: list[Path], config: Config, period: str | None) -> RunInfo:
        now = dt.datetime.now(dt.UTC)
        return cls(
            id=release.new_release_id(now),
            time=now.isoformat(timespec="seconds"),
            software=f"delivery-plan-pipeline {__version__}, great-expectations "
            f"{version('great-expectations')}, pandas {version('pandas')}, "
            f"Python {platform.python_version()}",
            sources=tuple(Source(path.name, _sha256(path)) for path in inputs),
            period=period,
            settings=config.recorded(),
            code=_code_version(),
        )

    def to_dict(self) -> dict:
        return dataclasses.asdict(self) | {"sources": [s.__dict__ for s in self.sources]}

    @classmethod
    def from_dict(cls, data: dict) -> RunInfo:
        return cls(**data | {"sources": tuple(Source(**s) for s in data["sources"])})


class StageFailed(Exception):
    """A gate stopped the run; ``report`` is the page a person should open."""

    def __init__(self, failure: GateFailed, report: Path) -> None:
        self.report = report
        super().__init__(f"{failure}\nreport: {report}")


def extract_stage(
    inputs: list[Path], config: Config, reference: Reference
) -> tuple[Extraction, dict]:
    """Rows of the documents, through the extract gate. Raises GateFailed."""
    extraction = extract_documents(inputs, reference.labels)
    parameters = extract_parameters(extraction.rows)
    review = extraction.review
    tables = {"rows": extraction.rows, "unplaced_words": review[review.reason == WORDS_NOT_PLACED]}
    facts = {
        "documents": len(inputs),
        "counted": "table rows",
        "per_priority": _per_priority(extraction.rows),
        "review_open": len(review),
        # the document's shape, said once per table: a missing or unknown column
        "table_notes": document_notes(review),
    }
    report = check_stage("extract", tables, parameters, config.expectations, facts)
    extraction.review = combine_review(extraction.review, gate_review(report))
    return extraction, report.to_dict()


def normalise_stage(
    extraction: Extraction, config: Config, reference: Reference
) -> tuple[Normalised, dict]:
    """The published tables, through the normalise gate; gate warnings join the review list."""
    words = reference.normalise
    normalised = normalise_rows(extraction.rows, extraction.review, words)
    parameters = normalise_parameters(
        list(words.registry.organisations),
        sorted(set(words.rag_ratings.values())),
        config.max_doubtful_timescale_share,
    )
    facts = {"counted": "actions", "per_priority": _per_priority(normalised.actions)}
    report = check_stage(
        "normalise", {"actions": normalised.actions}, parameters, config.expectations, facts
    )
    review = attach_action_ids(
        combine_review(normalised.review, gate_review(report)), normalised.actions
    )
    normalised.review, settled = acknowledge_review(
        with_actions(review, normalised.actions), list(words.decisions)
    )
    normalised.overrides += settled
    stale = [o for o in normalised.overrides if not o["applied"]]
    if config.strict_decisions and stale:
        raise InputError(
            str(config.decisions_file),
            f"{len(stale)} decision(s) no longer apply, the first ({stale[0]['kind']} "
            f"{stale[0]['target']!r}): {stale[0]['note']}; remove or correct them, or run "
            "without --strict",
        )
    return normalised, {**report.to_dict(), "overrides": normalised.overrides}


def publish_stage(
    normalised: Normalised, earlier_reports: list[dict], out: Path, run: RunInfo, config: Config
) -> tuple[Path | None, dict]:
    """Stage the release, check it as written, then swap it in whole.

    Returns where the replaced release was archived, and the gate's report. On
    a failed gate the staged files go to ``OUT.releases/failed/ID/`` and
    GateFailed is raised; ``out`` is never touched.
    """
    staging = release.new_staging(out, run.id)
    try:
        previous = previous_release(out)
        replaces = previous[1].get("id") if previous else None
        last_quarter = release.last_of_another_period(out, run.period)
        last_review = (  # only the key columns: a release from before a column was added
            pd.read_parquet(last_quarter / "review.parquet", columns=REVIEW_KEY)
            if last_quarter
            else None
        )
        normalised.review = mark_new(normalised.review, last_review)
        tracking = track_delivery(normalised.actions, run, release.lineage(out))
        compared = _Compared(
            previous_release(last_quarter) if last_quarter else None,
            # this period published before: what re-running it corrected
            previous if last_quarter != out else None,
            progress_of(last_quarter),
            replaces,
        )
        written = write_tables(normalised, staging, run, replaces, tracking)
        _ = tracking.summary  # made once, before the fork: the facts and progress.md read it
        try:
            # Written by processes of their own while this one writes the change report:
            # the CSV files, which the check waits for, and the workbook and the chart,
            # which no check reads (on the corpus each took as long as a part of the check)
            with (
                alongside(write_for_people, written, tracking, staging),
                alongside(write_csv_files, written, staging) as csv_written,
            ):
                report = _check_release(
                    normalised, staging, run, config, tracking, csv_written, previous, compared
                )
        except GateFailed:
            release.keep_failed(staging, out, run.id)
            raise
        except WorkFailed as failure:
            raise ReleaseNotWritten(str(failure)) from failure
        live = f"this run's release, {run.id}, in {out.name}/"
        write_reports(staging / "validation", [*earlier_reports, report.to_dict()], run, live)
        return release.publish_staged(staging, out), report.to_dict()
    finally:
        if staging.exists():
            release.discard(staging)


@dataclass(frozen=True)
class _Compared:
    """What the change report compares this run with, read before the writers fork."""

    last_quarter: tuple[pd.DataFrame, dict] | None  # the newest release of another period
    same_period: tuple[pd.DataFrame, dict] | None  # an earlier release of this period
    last_progress: pd.DataFrame | None  # the last quarter's action_progress
    replaces: str | None  # the id of the release this one replaces


def _check_release(
    normalised: Normalised,
    staging: Path,
    run: RunInfo,
    config: Config,
    tracking: Tracking,
    csv_written: Callable[[], None],
    previous: tuple[pd.DataFrame, dict] | None,
    compared: _Compared,
) -> GateReport:
    """The change report against the last quarter, then, once ``csv_written()`` says the
    CSV files are written, the publish gate on the staged files as written (GateFailed
    when it fails)."""
    actions = normalised.actions
    changes = write_changes(
        compared.last_quarter,
        (actions, _provenance({"actions": actions}, run, compared.replaces)),
        staging,
        corrections_since=compared.same_period,
        status_changes=delivery_status_changes(compared.last_progress, tracking.action_progress),
    )
    acknowledged = int(normalised.review["acknowledged"].notna().sum())
    last = compared.last_quarter
    facts = {
        "counted": "actions",
        "per_priority": _per_priority(actions),
        "review_open": len(normalised.review) - acknowledged,
        "review_acknowledged": acknowledged,
        "changes_against": describe_release(last[1]) if last else None,
        "changes": changes.groupby("change")["action_id"].nunique().to_dict(),  # actions
        "delivery": tracking.action_progress["delivery_status"].value_counts().to_dict(),
        "progress": tracking.summary,
    }
    csv_written()
    tables = release_check_tables(
        staging,
        list(PUBLISHED_TABLES.values()),
        columns=columns_checked("publish", config.expectations, FILES_TABLE),
    )
    parameters = publish_parameters(
        len(previous[0]) if previous else None,
        config.min_share_of_last_release,
        config.accept_fewer_rows,
        describe_release(previous[1]) if previous else "",
    )
    return check_stage("publish", tables, parameters, config.expectations, facts)


def record_failure(
    failure: GateFailed, earlier_reports: list[dict], release_root: Path, run: RunInfo
) -> StageFailed:
    """Every report of a run a gate stopped, kept under ``RELEASE.releases/failed/ID/``.

    The one place a failed gate is written down, whichever stage it stopped.
    """
    folder = release.releases_dir(release_root) / "failed" / run.id / "validation"
    live = previous_release(release_root)
    still = (
        f"still {describe_release(live[1])}, in {release_root.name}/"
        if live
        else f"none: no release has been published in {release_root.name}/"
    )
    page = write_reports(folder, [*earlier_reports, failure.report.to_dict()], run, still)
    return StageFailed(failure, page)


def describe_release(descriptor: dict) -> str:
    """A release as a report names it: id, period and when it was made."""
    period = descriptor.get("period") or "period not given"
    return f"release {descriptor.get('id', '(no id)')} ({period}, made {descriptor.get('created')})"


def _per_priority(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["priority_number"].dropna().astype(int).value_counts().sort_index()
    return {f"Priority {number}": int(count) for number, count in counts.items()}


@dataclass(frozen=True)
class Tracking:
    """The plan's delivery over the periods published so far (pipeline/publish/progress.py)."""

    period: str
    action_history: pd.DataFrame
    over_time: pd.DataFrame  # every history row with its standing at its period's end
    action_progress: pd.DataFrame

    @cached_property
    def summary(self) -> dict:
        """What progress.md and the validation report say of it."""
        return progress_summary(self.over_time, self.action_progress, self.period)


def track_delivery(actions: pd.DataFrame, run: RunInfo, earlier: list[release.Release]) -> Tracking:
    """This run's actions as its period, after the newest release of each other period
    among ``earlier`` (the live release and those it replaced, newest first)."""
    period = run.period or NOT_GIVEN
    made = dt.date.fromisoformat(run.time[:10])
    periods = [PeriodRelease(period, run.id, made, actions)]
    narrow = dataclasses.replace(
        ACTIONS, columns=tuple(c for c in ACTIONS.columns if c.name in ACTION_HISTORY.names)
    )
    for before in earlier:
        label = before.period or NOT_GIVEN
        if label in {p.period for p in periods} or not (before.folder / "actions.parquet").exists():
            continue
        day = dt.date.fromisoformat(before.created[:10]) if before.created else made
        frame = narrow.missing_as_null(read_parquet(narrow, before.folder / "actions.parquet"))
        periods.append(PeriodRelease(label, before.id, day, frame))
    history = history_table(periods)
    over_time = progress_over_time(history)
    return Tracking(period, history, over_time, progress_table(over_time, period))


def write_release(
    normalised: Normalised,
    folder: Path,
    run: RunInfo,
    replaces: str | None = None,
    tracking: Tracking | None = None,
) -> None:
    """Every published table as CSV and Parquet, datapackage.json describing them, the
    same tables as a workbook for people, and the delivery progress report.

    ``replaces`` is the id of the release this one replaces: rollback follows it back.
    ``tracking`` defaults to this run's period alone.
    """
    tracking = tracking or track_delivery(normalised.actions, run, [])
    written = write_tables(normalised, folder, run, replaces, tracking)
    write_csv_files(written, folder)
    write_for_people(written, tracking, folder)


@dataclass(frozen=True)
class WrittenTables:
    """The published tables (frame, with missing as null, and declaration) and the
    datapackage.json describing them, as write_tables wrote them."""

    frames: dict[str, tuple[pd.DataFrame, Table]]
    descriptor: dict


def write_tables(
    normalised: Normalised, folder: Path, run: RunInfo, replaces: str | None, tracking: Tracking
) -> WrittenTables:
    """The published tables as Parquet, and datapackage.json; write_csv_files writes the
    same frames as CSV."""
    tables = {name: getattr(normalised, name) for name in NORMALISED_TABLES}
    tables |= {name: getattr(tracking, name) for name in TRACKING_TABLES}
    frames = {
        name: (table.missing_as_null(tables[name]), table)  # the workbook leaves it empty
        for name, table in PUBLISHED_TABLES.items()
    }
    for frame, table in frames.values():
        write_parquet(frame, table, folder / f"{table.name}.parquet")
    descriptor = build_datapackage(
        list(PUBLISHED_TABLES.values()), _provenance(tables, run, replaces)
    )
    write_json(descriptor, folder / "datapackage.json")
    return WrittenTables(frames, descriptor)


def write_csv_files(written: WrittenTables, folder: Path) -> None:
    """Each published table as CSV, row for row the frame its Parquet file holds."""
    for frame, table in written.frames.values():
        write_csv(frame, table, folder / f"{table.name}.csv")


def write_for_people(written: WrittenTables, tracking: Tracking, folder: Path) -> None:
    """The workbook, progress.md and its chart: made from the tables, read by people."""
    write_workbook(written.frames, workbook_about(written.descriptor), folder / WORKBOOK)
    (folder / "progress.md").write_text(progress_markdown(tracking.summary), encoding="utf-8")
    draw_progress_chart(tracking.over_time, folder)


class ReleaseNotWritten(RuntimeError):
    """A file of the release could not be written; nothing was published."""


def _provenance(tables: dict[str, pd.DataFrame], run: RunInfo, replaces: str | None) -> dict:
    return {
        "id": run.id,
        "replaces": replaces,
        "created": run.time,
        "sources": run.to_dict()["sources"],
        "period": run.period,
        "settings": run.settings,
        "row_counts": {name: len(frame) for name, frame in tables.items()},
    }


def progress_of(folder: Path | None) -> pd.DataFrame | None:
    """A release's action_progress, when it has one (releases before 2.1.0 do not)."""
    if folder is None or not (folder / "action_progress.parquet").exists():
        return None
    return read_parquet(ACTION_PROGRESS, folder / "action_progress.parquet")


def previous_release(folder: Path) -> tuple[pd.DataFrame, dict] | None:
    """A published release's actions and its datapackage.json, if there is one."""
    if not (folder / "actions.parquet").exists():
        return None
    package = folder / "datapackage.json"
    described = json.loads(package.read_text(encoding="utf-8")) if package.exists() else {}
    # a release from before 2.0.0 holds "" where a cell was empty
    return ACTIONS.missing_as_null(read_parquet(ACTIONS, folder / "actions.parquet")), described


def write_changes(
    old: tuple[pd.DataFrame, dict] | None,
    new: tuple[pd.DataFrame, dict],
    folder: Path,
    corrections_since: tuple[pd.DataFrame, dict] | None = None,
    status_changes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """changes.md, changes.csv and corrections.csv in ``folder``: ``new`` against ``old``
    (actions, descriptor), and against ``corrections_since``, an earlier release of the
    same period, when there is one (corrections.csv is then empty); ``status_changes``
    (delivery status against ``old``'s) join the changes and are called out."""
    folder.mkdir(parents=True, exist_ok=True)
    new_actions, new_release = new
    since = compare_releases(old, new_actions)
    if status_changes is not None:
        since = with_status_changes(since, status_changes)
    corrections = compare_releases(corrections_since, new_actions) if corrections_since else None
    write_csv(since.changes, CHANGES, folder / "changes.csv")
    write_csv(
        corrections.changes if corrections else CHANGES.frame([]),
        CHANGES,
        folder / "corrections.csv",
    )
    markdown = changes_to_markdown(new_actions, new_release, since, corrections)
    (folder / "changes.md").write_text(markdown, encoding="utf-8")
    return since.changes


def write_extraction(extraction: Extraction, reports: list[dict], run: RunInfo, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    write_parquet(extraction.rows, ROWS, folder / "rows.parquet")
    write_parquet(extraction.review, REVIEW, folder / "review.parquet")
    write_json({"run": run.to_dict(), "results": reports}, folder / STAGE_REPORT)


def read_extraction(folder: Path) -> tuple[Extraction, list[dict], RunInfo]:
    reports, run = _read_stage_report(folder)
    rows = read_parquet(ROWS, folder / "rows.parquet")
    review = read_parquet(REVIEW, folder / "review.parquet")
    return Extraction(rows, review), reports, run


def write_normalised(normalised: Normalised, reports: list[dict], run: RunInfo, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in NORMALISED_TABLES.items():
        write_parquet(getattr(normalised, name), table, folder / f"{name}.parquet")
    write_json({"run": run.to_dict(), "results": reports}, folder / STAGE_REPORT)


def read_normalised(folder: Path) -> tuple[Normalised, list[dict], RunInfo]:
    reports, run = _read_stage_report(folder)
    tables = {
        name: read_parquet(table, folder / f"{name}.parquet")
        for name, table in NORMALISED_TABLES.items()
    }
    return Normalised(**tables), reports, run


def _read_stage_report(folder: Path) -> tuple[list[dict], RunInfo]:
    report = json.loads((folder / STAGE_REPORT).read_text(encoding="utf-8"))
    return report["results"], RunInfo.from_dict(report["run"])


def _code_version() -> str | None:
    """The commit of the checkout the package runs from, with "-dirty" when files differ
    from it; None for an installed package (its version is in ``software``)."""
    package = Path(__file__).resolve().parent
    try:
        top = subprocess.run(
            ["git", "-C", str(package), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=20,
        )
        if top.returncode or Path(top.stdout.strip()) / "pipeline" != package:
            return None
        described = subprocess.run(
            ["git", "-C", str(package), "describe", "--always", "--dirty", "--abbrev=40"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return described.stdout.strip() or None


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
