"""Command line: one subcommand per stage, ``run`` for all of them, and ``rollback``.

Exit codes: 0 done; 2 a document or file the pipeline cannot use (one line
naming the file, the place in it and the reason); 3 a quality gate stopped the
run (the failed expectations, a few offending values with their locations, and
the report to open). Nothing is published unless every gate passed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.publish import release
from pipeline.publish.diff import changes_to_markdown, compare_actions
from pipeline.reference import REFERENCE_DIR, Reference, load_reference
from pipeline.stages import (
    Settings,
    StageFailed,
    describe_run,
    extract_stage,
    normalise_stage,
    previous_release,
    publish_stage,
    read_extraction,
    read_normalised,
    record_failure,
    write_changes,
    write_extraction,
    write_normalised,
)
from pipeline.validate import GateFailed
from pipeline.validate.gates import SuiteError

# "plan-2023-24-q1.pdf", "plan_2023_24.docx": a financial year, perhaps a quarter.
_PERIOD_IN_NAME = re.compile(
    r"(?<!\d)(?P<first>20\d\d)[-_](?P<second>\d\d)(?!\d)(?:[-_ ]?(?P<quarter>q[1-4]))?",
    re.IGNORECASE,
)
PARAMS_FILE = Path("params.yaml")
DEFAULT_OUT = Path("processed")
DEFAULT_INTERIM = Path("interim")
DEFAULT_EXPECTATIONS = Path(__file__).resolve().parent.parent / "expectations"
# Used when neither the command line nor params.yaml says otherwise.
DEFAULTS = {
    "similarity_threshold": 80.0,
    "max_doubtful_timescale_share": 0.25,
    "min_share_of_last_release": 0.8,
}

EXAMPLES = """\
examples:
  python -m pipeline run                          the plan named in params.yaml -> processed/
  python -m pipeline run raw/plan.txt --out /tmp/release
  python -m pipeline run --accept-fewer-rows      the plan really lost actions this quarter
  python -m pipeline extract raw/plan.txt --out interim/extract
  python -m pipeline normalise interim/extract --out interim/normalise
  python -m pipeline publish interim/normalise --out processed
  python -m pipeline rollback                     put the previous release back
  python -m pipeline diff OLD_RELEASE NEW_RELEASE  what changed between two releases
"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (InputError, SuiteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StageFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        print("nothing was published; the last release is unchanged", file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn a council delivery plan into a canonical dataset of actions.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="extract, normalise and publish in one go, each stage gated",
        description="Extract, normalise and publish, with a quality gate after each stage. "
        "With no INPUT, reads the plan named in params.yaml. The release is built in "
        "OUT.releases/staging/ and replaces OUT in one step only when every gate passed.",
        epilog="example: python -m pipeline run raw/knowsley-2030-delivery-plan.txt --out /tmp/release",
    )
    run.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="plan documents")
    run.add_argument("--out", type=Path, help=f"release folder (default: {DEFAULT_OUT}/)")
    run.add_argument(
        "--interim",
        type=Path,
        help=f"where stage outputs go (default: {DEFAULT_INTERIM}/ unless --out is given, "
        "then none are kept)",
    )
    _add_extract_options(run)
    _add_normalise_options(run)
    _add_reference(run)
    _add_expectations(run)
    run.set_defaults(handler=_run)

    extract = commands.add_parser(
        "extract",
        help="documents -> raw rows with source locators, gated",
        epilog="example: python -m pipeline extract raw/plan.txt --out interim/extract",
    )
    extract.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    extract.add_argument("--out", type=Path, required=True, help="folder for rows.parquet")
    extract.add_argument(
        "--last-release",
        type=Path,
        default=DEFAULT_OUT,
        help="the published release whose size the row count is checked against",
    )
    _add_extract_options(extract)
    _add_reference(extract)
    _add_expectations(extract)
    extract.set_defaults(handler=_extract)

    normalise = commands.add_parser(
        "normalise",
        help="raw rows -> the published tables, gated",
        epilog="example: python -m pipeline normalise interim/extract --out interim/normalise",
    )
    normalise.add_argument("extracted", type=Path, metavar="EXTRACT_DIR")
    normalise.add_argument("--out", type=Path, required=True, help="folder for the tables")
    _add_normalise_options(normalise)
    _add_reference(normalise)
    _add_expectations(normalise)
    normalise.set_defaults(handler=_normalise)

    publish = commands.add_parser(
        "publish",
        help="stage, check and publish the tables as CSV and Parquet",
        epilog="example: python -m pipeline publish interim/normalise --out processed",
    )
    publish.add_argument("normalised", type=Path, metavar="NORMALISE_DIR")
    publish.add_argument("--out", type=Path, default=DEFAULT_OUT, help="release folder")
    _add_expectations(publish)
    publish.set_defaults(handler=_publish)

    rollback = commands.add_parser(
        "rollback",
        help="put the newest archived release back (run again to undo)",
        epilog="example: python -m pipeline rollback --out processed",
    )
    rollback.add_argument("--out", type=Path, default=DEFAULT_OUT, help="release folder")
    rollback.set_defaults(handler=_rollback)

    diff = commands.add_parser(
        "diff",
        help="the change report between two releases",
        epilog="example: python -m pipeline diff processed.releases/archive/ID processed",
    )
    diff.add_argument("old", type=Path, metavar="OLD_RELEASE")
    diff.add_argument("new", type=Path, metavar="NEW_RELEASE")
    diff.add_argument(
        "--out", type=Path, help="write changes.md and changes.csv here (default: print changes.md)"
    )
    diff.set_defaults(handler=_diff)
    return parser


def _add_expectations(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--expectations",
        type=Path,
        default=DEFAULT_EXPECTATIONS,
        help="folder of the gate suites (default: the project's expectations/)",
    )


def _add_extract_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--period",
        help="the plan period the document covers, e.g. '2023/24 Q1' (default: params.yaml "
        "extract.period for the plan it names, else read from the file name)",
    )
    command.add_argument(
        "--accept-fewer-rows",
        action="store_true",
        help="let a plan with far fewer rows than the last release through the gate "
        "(recorded in the reports)",
    )


def _add_reference(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--reference",
        type=Path,
        default=REFERENCE_DIR,
        metavar="DIR",
        help="folder of the reference files (column labels, registry, vocabularies, timescale "
        "words, decisions), each checked before any stage runs (default: pipeline/reference/)",
    )


def _add_normalise_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--decisions",
        type=Path,
        help="decisions made on the review list, applied by every run "
        "(default: decisions.yaml in the reference folder)",
    )
    command.add_argument(
        "--similarity-threshold",
        type=float,
        metavar="SCORE",
        help="lowest similarity (0-100) at which an unknown organisation spelling is taken "
        "as a registry name (default: params.yaml)",
    )


def _run(args: argparse.Namespace) -> int:
    inputs = args.inputs or [_plan_from_params()]
    out = args.out or DEFAULT_OUT
    interim = args.interim or (None if args.out else DEFAULT_INTERIM)
    settings = _settings(args)
    reference = _reference(settings)
    run = describe_run(inputs, settings, _period(args, inputs))
    reports: list[dict] = []
    try:
        extraction, extract_report = _stage(
            "extract", lambda: extract_stage(inputs, out, settings, reference)
        )
        reports.append(extract_report)
        print(f"  {len(extraction.rows)} table rows from {len(inputs)} document(s), gate passed")
        if interim:
            write_extraction(extraction, extract_report, run, interim / "extract")

        normalised, normalise_report = _stage(
            "normalise", lambda: normalise_stage(extraction, settings, reference)
        )
        reports.append(normalise_report)
        _warn_stale(normalised.overrides)
        collapsed = int(extraction.rows["duplicate_of"].notna().sum())
        print(
            f"  {len(normalised.actions)} actions, {collapsed} repeated row(s) collapsed, gate passed"
        )
        if interim:
            write_normalised(normalised, reports, run, interim / "normalise")
    except GateFailed as failure:
        raise record_failure(failure, reports, out, run) from None

    archived = _stage("publish", lambda: publish_stage(normalised, reports, out, run, settings))
    print(
        f"  {out}/ is release {run['id']}"
        + (f"; the one it replaced: {archived}" if archived else "")
    )
    print(
        f"done: {len(normalised.actions)} actions written, {collapsed} duplicate row(s) "
        f"collapsed, {len(normalised.review)} value(s) sent to review; "
        f"report: {out / 'validation' / 'index.html'}"
    )
    return 0


def _extract(args: argparse.Namespace) -> int:
    settings = _settings(args)
    reference = _reference(settings)
    run = describe_run(args.inputs, settings, _period(args, args.inputs))
    try:
        extraction, report = _stage(
            "extract", lambda: extract_stage(args.inputs, args.last_release, settings, reference)
        )
    except GateFailed as failure:
        raise record_failure(failure, [], args.out, run) from None
    write_extraction(extraction, report, run, args.out)
    print(f"  {len(extraction.rows)} table rows -> {args.out}/")
    return 0


def _normalise(args: argparse.Namespace) -> int:
    settings = _settings(args)
    reference = _reference(settings)
    extraction, extract_report, run = read_extraction(_existing(args.extracted))
    try:
        normalised, report = _stage(
            "normalise", lambda: normalise_stage(extraction, settings, reference)
        )
    except GateFailed as failure:
        raise record_failure(failure, [extract_report], args.out, run) from None
    _warn_stale(normalised.overrides)
    write_normalised(normalised, [extract_report, report], run, args.out)
    print(f"  {len(normalised.actions)} actions -> {args.out}/")
    return 0


def _publish(args: argparse.Namespace) -> int:
    normalised, reports, run = read_normalised(_existing(args.normalised))
    settings = _settings(args)
    archived = _stage(
        "publish", lambda: publish_stage(normalised, reports, args.out, run, settings)
    )
    print(f"  {len(normalised.actions)} actions -> {args.out}/, release {run['id']}")
    if archived:
        print(f"  the release it replaced: {archived}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    try:
        restored, replaced = release.roll_back(args.out)
    except FileNotFoundError as error:
        raise InputError(str(args.out), str(error)) from None
    print(f"{args.out}/ is release {restored} again; the one it replaced: {replaced}")
    return 0


def _warn_stale(overrides: list[dict]) -> None:
    applied = sum(1 for o in overrides if o["applied"])
    if overrides:
        print(f"  {applied} of {len(overrides)} decision(s) applied")
    for override in overrides:
        if not override["applied"]:
            print(
                f"warning: decision ({override['kind']} {override['target']!r}) not applied: "
                f"{override['note']}",
                file=sys.stderr,
            )


def _diff(args: argparse.Namespace) -> int:
    old, new = previous_release(_existing(args.old)), previous_release(_existing(args.new))
    if old is None or new is None:
        missing = args.old if old is None else args.new
        raise InputError(str(missing), "holds no release (no actions.parquet)")
    if args.out:
        changes = write_changes(old, new, args.out)
        print(f"{len(changes)} change(s) -> {args.out}/changes.md, changes.csv")
    else:
        print(changes_to_markdown(compare_actions(old[0], new[0]), new[0], old[1], new[1]))
    return 0


def _period(args: argparse.Namespace, inputs: list[Path]) -> str | None:
    """--period, else params.yaml's for the plan it names, else what the file name says."""
    if args.period:
        return args.period
    extract = _params().get("extract") or {}
    if extract.get("period") and [str(p) for p in inputs] == [str(extract.get("plan"))]:
        return str(extract["period"])
    names = " ".join(path.name for path in inputs)
    found = _PERIOD_IN_NAME.search(names)
    if not found:
        return None
    years = f"{found['first']}/{found['second']}" if found["second"] else found["first"]
    return f"{years} {found['quarter'].upper()}" if found["quarter"] else years


def _stage(name: str, work: Callable):
    started = time.perf_counter()
    print(f"{name} ...", flush=True)
    result = work()
    print(f"{name} done in {time.perf_counter() - started:.2f} s", flush=True)
    return result


def _params() -> dict:
    if not PARAMS_FILE.exists():
        return {}
    return yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8")) or {}


def _settings(args: argparse.Namespace) -> Settings:
    params = _params()
    normalise = params.get("normalise") or {}
    validate = params.get("validate") or {}
    threshold = getattr(args, "similarity_threshold", None)
    return Settings(
        similarity_threshold=float(
            threshold
            if threshold is not None
            else normalise.get("similarity_threshold", DEFAULTS["similarity_threshold"])
        ),
        max_doubtful_timescale_share=float(
            validate.get("max_doubtful_timescale_share", DEFAULTS["max_doubtful_timescale_share"])
        ),
        min_share_of_last_release=float(
            validate.get("min_share_of_last_release", DEFAULTS["min_share_of_last_release"])
        ),
        accept_fewer_rows=bool(getattr(args, "accept_fewer_rows", False)),
        expectations=args.expectations,
        reference=getattr(args, "reference", REFERENCE_DIR),
        decisions=getattr(args, "decisions", None)
        or getattr(args, "reference", REFERENCE_DIR) / "decisions.yaml",
    )


def _reference(settings: Settings) -> Reference:
    """Every reference file, checked before any stage runs (InputError: exit 2)."""
    return load_reference(settings.reference, settings.decisions, settings.similarity_threshold)


def _plan_from_params() -> Path:
    if not PARAMS_FILE.exists():
        raise InputError(
            str(PARAMS_FILE), "not found: run from the project folder, or name the plan to read"
        )
    plan = (_params().get("extract") or {}).get("plan")
    if not plan:
        raise InputError(str(PARAMS_FILE), "names no plan (expected extract: plan: raw/...)")
    return Path(plan)


def _existing(path: Path) -> Path:
    if not path.exists():
        raise InputError(str(path), "not found: run the stage that writes it first")
    return path
