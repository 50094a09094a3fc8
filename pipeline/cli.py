"""Command line: one subcommand per stage, and ``run`` for all of them.

Reading and writing happen here; the stages are plain functions. Expected
failures (a broken or unreadable document) print one line naming the file, the
place in it and the reason, and exit 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.extract import extract_documents
from pipeline.extract.layout import label_index
from pipeline.normalise import NormaliseConfig, Normalised, normalise_rows
from pipeline.publish.write import read_parquet, write_parquet, write_table
from pipeline.reference import (
    load_column_labels,
    load_registry_records,
    load_timescale_words,
    load_vocabulary,
)
from pipeline.schema import (
    ACTION_ORGANISATIONS,
    ACTIONS,
    MILESTONES,
    ORGANISATIONS,
    REVIEW,
    ROWS,
)

PARAMS_FILE = Path("params.yaml")
DEFAULT_OUT = Path("processed")
DEFAULT_INTERIM = Path("interim")
# Used when neither --similarity-threshold nor params.yaml says otherwise.
DEFAULT_SIMILARITY_THRESHOLD = 80.0
NORMALISED_TABLES = {
    "actions": ACTIONS,
    "milestones": MILESTONES,
    "organisations": ORGANISATIONS,
    "action_organisations": ACTION_ORGANISATIONS,
    "review": REVIEW,
}

EXAMPLES = """\
examples:
  python -m pipeline run                          the plan named in params.yaml -> processed/
  python -m pipeline run raw/plan.txt --out /tmp/release
  python -m pipeline extract raw/plan.txt --out interim/extract
  python -m pipeline normalise interim/extract --out interim/normalise
  python -m pipeline publish interim/normalise --out processed
"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


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
        help="extract, normalise and publish in one go",
        description="Extract, normalise and publish. With no INPUT, reads the plan named in "
        "params.yaml. With --out, writes only there.",
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
    _add_threshold(run)
    run.set_defaults(handler=_run)

    extract = commands.add_parser(
        "extract",
        help="documents -> raw rows with source locators",
        epilog="example: python -m pipeline extract raw/plan.txt --out interim/extract",
    )
    extract.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    extract.add_argument("--out", type=Path, required=True, help="folder for rows.parquet")
    extract.set_defaults(handler=_extract)

    normalise = commands.add_parser(
        "normalise",
        help="raw rows -> actions",
        epilog="example: python -m pipeline normalise interim/extract --out interim/normalise",
    )
    normalise.add_argument("extracted", type=Path, metavar="EXTRACT_DIR")
    normalise.add_argument("--out", type=Path, required=True, help="folder for actions.parquet")
    _add_threshold(normalise)
    normalise.set_defaults(handler=_normalise)

    publish = commands.add_parser(
        "publish",
        help="actions -> the published CSV and Parquet tables",
        epilog="example: python -m pipeline publish interim/normalise --out processed",
    )
    publish.add_argument("normalised", type=Path, metavar="NORMALISE_DIR")
    publish.add_argument("--out", type=Path, default=DEFAULT_OUT, help="release folder")
    publish.set_defaults(handler=_publish)
    return parser


def _add_threshold(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--similarity-threshold",
        type=float,
        metavar="SCORE",
        help="lowest similarity (0-100) at which an unknown organisation spelling is taken "
        f"as a registry name (default: params.yaml, else {DEFAULT_SIMILARITY_THRESHOLD:g})",
    )


def _run(args: argparse.Namespace) -> int:
    inputs = args.inputs or [_plan_from_params()]
    out = args.out or DEFAULT_OUT
    interim = args.interim or (None if args.out else DEFAULT_INTERIM)

    extraction = _stage("extract", lambda: extract_documents(inputs, _labels()))
    print(f"  {len(extraction.rows)} table rows from {len(inputs)} document(s)")
    if interim:
        _write_extraction(extraction.rows, extraction.review, interim / "extract")

    config = _normalise_config(args)
    normalised = _stage(
        "normalise", lambda: normalise_rows(extraction.rows, extraction.review, config)
    )
    collapsed = int(extraction.rows["duplicate_of"].notna().sum())
    print(f"  {len(normalised.actions)} actions, {collapsed} repeated row(s) collapsed")
    if interim:
        _write_normalised(normalised, interim / "normalise")

    _stage("publish", lambda: _write_release(normalised, out))
    print(f"  {out}/")
    print(
        f"done: {len(normalised.actions)} actions written, {collapsed} duplicate row(s) "
        f"collapsed, {len(normalised.review)} value(s) sent to review"
    )
    return 0


def _extract(args: argparse.Namespace) -> int:
    extraction = _stage("extract", lambda: extract_documents(args.inputs, _labels()))
    _write_extraction(extraction.rows, extraction.review, args.out)
    print(f"  {len(extraction.rows)} table rows -> {args.out}/")
    return 0


def _normalise(args: argparse.Namespace) -> int:
    rows = read_parquet(ROWS, _existing(args.extracted / "rows.parquet"))
    review = read_parquet(REVIEW, _existing(args.extracted / "review.parquet"))
    config = _normalise_config(args)
    normalised = _stage("normalise", lambda: normalise_rows(rows, review, config))
    _write_normalised(normalised, args.out)
    print(f"  {len(normalised.actions)} actions -> {args.out}/")
    return 0


def _publish(args: argparse.Namespace) -> int:
    normalised = Normalised(
        **{
            name: read_parquet(table, _existing(args.normalised / f"{name}.parquet"))
            for name, table in NORMALISED_TABLES.items()
        }
    )
    _stage("publish", lambda: _write_release(normalised, args.out))
    print(f"  {len(normalised.actions)} actions -> {args.out}/")
    return 0


def _stage(name: str, work: Callable):
    started = time.perf_counter()
    print(f"{name} ...", flush=True)
    result = work()
    print(f"{name} done in {time.perf_counter() - started:.2f} s", flush=True)
    return result


def _labels() -> dict[str, str]:
    return label_index(load_column_labels())


def _params() -> dict:
    if not PARAMS_FILE.exists():
        return {}
    return yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8")) or {}


def _normalise_config(args: argparse.Namespace) -> NormaliseConfig:
    threshold = args.similarity_threshold
    if threshold is None:
        threshold = (_params().get("normalise") or {}).get(
            "similarity_threshold", DEFAULT_SIMILARITY_THRESHOLD
        )
    return NormaliseConfig.from_reference(
        load_registry_records(), load_vocabulary(), load_timescale_words(), float(threshold)
    )


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


def _write_extraction(rows: pd.DataFrame, review: pd.DataFrame, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_parquet(rows, ROWS, folder / "rows.parquet")
    write_parquet(review, REVIEW, folder / "review.parquet")


def _write_normalised(normalised: Normalised, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in NORMALISED_TABLES.items():
        write_parquet(getattr(normalised, name), table, folder / f"{name}.parquet")


def _write_release(normalised: Normalised, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in NORMALISED_TABLES.items():
        write_table(getattr(normalised, name), table, folder)
