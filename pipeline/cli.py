"""Command line: one subcommand per stage, ``run`` for all of them, and ``rollback``.

Exit codes: 0 done; 2 a document or file the pipeline cannot use (one line
naming the file, the place in it and the reason); 3 a quality gate stopped the
run (the failed expectations, a few offending values with their locations, and
the report to open). Nothing is published unless every gate passed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import pandas as pd

from pipeline import __version__
from pipeline.config import PARAMS_FILE, Config, load_config
from pipeline.decide import append_decision, propose
from pipeline.errors import InputError
from pipeline.normalise.decisions import KINDS
from pipeline.publish import release
from pipeline.publish.diff import (
    changes_to_markdown,
    compare_releases,
    delivery_status_changes,
    with_status_changes,
)
from pipeline.run import (
    RefreshFailed,
    checked_reference,
    refresh,
    run_extract,
    run_normalise,
    run_pipeline,
    run_publish,
)
from pipeline.stages import (
    ReleaseNotWritten,
    StageFailed,
    previous_release,
    progress_of,
    write_changes,
)
from pipeline.validate.gates import SuiteError

_EXIT_CODES = (
    "Exit codes: 0 done; 2 a document, params or reference file it cannot use (one line "
    "naming the file, the place and the reason); 3 a quality gate stopped it (nothing "
    "published; reports in RELEASE.releases/failed/); 1 a release file could not be "
    "written (nothing published)."
)
EXAMPLES = """\
examples:
  python -m pipeline run                          the plan named in params.yaml -> processed/
  python -m pipeline run raw/plan.txt --out /tmp/release
  python -m pipeline run --accept-fewer-rows      the plan really lost actions this quarter
  python -m pipeline extract raw/plan.txt --out interim/extract
  python -m pipeline normalise interim/extract --out interim/normalise
  python -m pipeline publish interim/normalise --out processed
  python -m pipeline rollback                     put back the release the live one replaced
  python -m pipeline releases                     the live release and the archived ones
  python -m pipeline diff OLD_RELEASE NEW_RELEASE  what changed between two releases
  python -m pipeline decide alias Merpel merseyside-police --by NAME --why TEXT
"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # e.g. `python -m pipeline diff A B | head`: end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (InputError, SuiteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StageFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        print("nothing was published; the last release is unchanged", file=sys.stderr)
        return 3
    except ReleaseNotWritten as error:
        print(f"error: {error}", file=sys.stderr)
        print("nothing was published; the last release is unchanged", file=sys.stderr)
        return 1


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
        "Reads INPUT (PDF, Word or text export), else the plan the params file names. Writes "
        "the release to OUT: the tables as CSV and Parquet, datapackage.json, review.csv (what "
        "the pipeline was unsure of: settle entries with decisions.yaml), changes.md and the "
        "auditors' report validation/index.html. It is built in OUT.releases/staging/ and "
        "replaces OUT in one step only when every gate passed; the replaced release is "
        "archived. " + _EXIT_CODES,
        epilog="example: python -m pipeline run raw/knowsley-2030-delivery-plan.txt --out /tmp/release",
    )
    run.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="plan documents")
    run.add_argument("--out", type=Path, help="release folder (default: paths.release)")
    run.add_argument(
        "--interim",
        type=Path,
        help="where stage outputs go (default: paths.interim unless --out is given, "
        "then none are kept)",
    )
    _add_period(run)
    _add_row_count_options(run)
    _add_normalise_options(run)
    _add_common(run)
    run.set_defaults(handler=_run)

    extract = commands.add_parser(
        "extract",
        help="documents -> raw rows with source locators, gated",
        description="Read plan documents into raw rows, each with its file and line, page or "
        "table row, and gate them. Writes OUT/rows.parquet, OUT/review.parquet (rows it could "
        "not place) and OUT/validation.json. " + _EXIT_CODES,
        epilog="example: python -m pipeline extract raw/plan.txt --out interim/extract",
    )
    extract.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    extract.add_argument("--out", type=Path, required=True, help="folder for rows.parquet")
    _add_release(extract)
    _add_period(extract)
    _add_common(extract)
    extract.set_defaults(handler=_extract)

    normalise = commands.add_parser(
        "normalise",
        help="raw rows -> the published tables, gated",
        description="Normalise extract's rows (EXTRACT_DIR) into actions, milestones, "
        "organisations and the review list, applying the reference files and decisions, and "
        "gate them. Writes each table as OUT/NAME.parquet and OUT/validation.json. " + _EXIT_CODES,
        epilog="example: python -m pipeline normalise interim/extract --out interim/normalise",
    )
    normalise.add_argument("extracted", type=Path, metavar="EXTRACT_DIR")
    normalise.add_argument("--out", type=Path, required=True, help="folder for the tables")
    _add_release(normalise)
    _add_normalise_options(normalise)
    _add_common(normalise)
    normalise.set_defaults(handler=_normalise)

    publish = commands.add_parser(
        "publish",
        help="stage, check and publish the tables as CSV and Parquet",
        description="Write normalise's tables (NORMALISE_DIR) as a release: CSV, Parquet, "
        "datapackage.json, the change report and the auditors' report, check the files as "
        "written, then swap them in for OUT in one step, archiving the release they "
        "replace. " + _EXIT_CODES,
        epilog="example: python -m pipeline publish interim/normalise --out processed",
    )
    publish.add_argument("normalised", type=Path, metavar="NORMALISE_DIR")
    publish.add_argument("--out", type=Path, help="release folder (default: paths.release)")
    _add_row_count_options(publish)
    _add_common(publish, reference=False)
    publish.set_defaults(handler=_publish)

    rollback = commands.add_parser(
        "rollback",
        help="put back the release the live one replaced (again: one further back)",
        description="Put back the release the live one replaced, or the one --to names; the "
        "live one is archived, so nothing is lost. Run it again to go one further back. "
        "Exit codes: 0 done, 2 nothing to put back.",
        epilog="example: python -m pipeline rollback --out processed",
    )
    rollback.add_argument("--out", type=Path, help="release folder (default: paths.release)")
    rollback.add_argument(
        "--to", metavar="ID", help="the archived release to put back (see: releases)"
    )
    _add_params(rollback)
    rollback.set_defaults(handler=_rollback)

    refresh_command = commands.add_parser(
        "refresh",
        help="the quarterly refresh: point params.yaml at a new plan and run dvc repro",
        description="Set extract.plan and extract.period in the params file (comments kept), "
        "run the DVC pipeline (only the stages whose inputs changed), and print the new "
        "release's change and review counts. If a stage stops, the params file is put back "
        "and the live release is unchanged. Then commit the params file, dvc.lock and the "
        "plan. " + _EXIT_CODES,
        epilog="example: python -m pipeline refresh raw/plan-2023-24-q1.pdf --period '2023/24 Q1'",
    )
    refresh_command.add_argument("plan", type=Path, metavar="PLAN", help="the new plan document")
    refresh_command.add_argument(
        "--period", required=True, help="the plan period it covers, e.g. '2023/24 Q1'"
    )
    _add_params(refresh_command)
    refresh_command.set_defaults(handler=_refresh)

    decide = commands.add_parser(
        "decide",
        help="record a decision on a review entry in the decisions file, after a preview",
        description="Check a decision against the registry and the live release (an unknown "
        "organisation or action id gets the nearest known ones), print how the pipeline will "
        "read it, and append it to the decisions file with who, when and why; every later run "
        "applies it. KIND alias: TARGET a spelling from the review list, VALUE the registry id "
        "it means. KIND timescale: TARGET an action id, VALUE the text to read its timescale "
        "from. KIND organisation: TARGET an action id, VALUE registry ids, lead first, "
        "comma-separated. KIND accept: TARGET an action id, VALUE a reason from the review "
        "list (the values stand). KIND acknowledge: TARGET 'Priority N', VALUE a reason (a gap "
        "in the document's shape, once for the priority). "
        "Exit codes: 0 saved (or previewed, with --dry-run); 2 refused "
        "(one line saying why; the file is unchanged).",
        epilog="example: python -m pipeline decide alias Merpel merseyside-police "
        "--by 'A. Analyst' --why 'typo for Merpol'",
    )
    decide.add_argument("kind", choices=list(KINDS), metavar="KIND", help=", ".join(KINDS))
    decide.add_argument("target", metavar="TARGET", help="the spelling, or the action id")
    decide.add_argument("value", metavar="VALUE", help="the org id, timescale text or org ids")
    decide.add_argument("--by", required=True, help="who decides")
    decide.add_argument("--why", required=True, help="why, in a sentence a reviewer can check")
    decide.add_argument("--dry-run", action="store_true", help="preview only; save nothing")
    decide.add_argument(
        "--release", type=Path, metavar="DIR", help="the live release (default: paths.release)"
    )
    _add_params(decide)
    decide.add_argument("--reference", type=Path, metavar="DIR", help="reference files folder")
    decide.add_argument("--decisions", type=Path, metavar="FILE", help="the decisions file")
    decide.set_defaults(handler=_decide)

    releases = commands.add_parser(
        "releases",
        help="list the live release and every archived one, newest first",
        description="Each release's id, plan period, source documents (with sha256), when it "
        "was made, the release it replaced, and which one is live. Exit codes: 0 listed, 2 "
        "no release there.",
        epilog="example: python -m pipeline releases --out processed",
    )
    releases.add_argument("--out", type=Path, help="release folder (default: paths.release)")
    _add_params(releases)
    releases.set_defaults(handler=_releases)

    diff = commands.add_parser(
        "diff",
        help="the change report between two releases",
        description="Compare the actions of two release folders: added, removed, reworded "
        "and changed, field by field. Prints changes.md, or writes changes.md and changes.csv "
        "to --out. Exit codes: 0 done, 2 a folder holds no release.",
        epilog="example: python -m pipeline diff processed.releases/archive/ID processed",
    )
    diff.add_argument("old", type=Path, metavar="OLD_RELEASE")
    diff.add_argument("new", type=Path, metavar="NEW_RELEASE")
    diff.add_argument(
        "--out", type=Path, help="write changes.md and changes.csv here (default: print changes.md)"
    )
    diff.set_defaults(handler=_diff)
    return parser


def _add_params(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--params",
        type=Path,
        default=PARAMS_FILE,
        metavar="FILE",
        help=f"the params file; its paths are relative to it (default: {PARAMS_FILE})",
    )


def _add_common(command: argparse.ArgumentParser, reference: bool = True) -> None:
    """--params, --expectations and (for the stages that read it) --reference."""
    _add_params(command)
    command.add_argument(
        "--expectations",
        type=Path,
        metavar="DIR",
        help="folder of the gate suites (default: pipeline/expectations/)",
    )
    if not reference:
        return
    command.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="folder of the reference files (column labels, registry, vocabularies, timescale "
        "words, decisions), each checked before any stage runs (default: pipeline/reference/)",
    )


def _add_release(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--release",
        type=Path,
        metavar="DIR",
        help="the published release: a stopped run's reports go to DIR.releases/failed/ "
        "(default: paths.release)",
    )


def _add_period(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--period",
        help="the plan period the document covers, e.g. '2023/24 Q1' (default: extract.period "
        "for the plan the params file names, else read from the file name)",
    )


def _add_row_count_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--min-share-of-last-release",
        type=float,
        metavar="SHARE",
        help="stop at the publish gate when the plan gives fewer actions than this share of "
        "the last release's (default: validate.min_share_of_last_release)",
    )
    command.add_argument(
        "--accept-fewer-rows",
        action="store_true",
        help="let a plan with far fewer actions than the last release through the publish "
        "gate (recorded in the reports)",
    )


def _add_normalise_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--strict",
        action="store_true",
        help="stop (exit 2, nothing published) when a decision no longer applies: its action "
        "or spelling is gone, or no review entry of its reason is left",
    )
    command.add_argument(
        "--decisions",
        type=Path,
        metavar="FILE",
        help="decisions made on the review list, applied by every run "
        "(default: decisions.yaml in the reference folder)",
    )
    command.add_argument(
        "--similarity-threshold",
        type=float,
        metavar="SCORE",
        help="lowest similarity (0-100) at which an unknown organisation spelling is taken "
        "as a registry name (default: normalise.similarity_threshold)",
    )
    command.add_argument(
        "--max-doubtful-timescale-share",
        type=float,
        metavar="SHARE",
        help="stop when more actions than this share have a timescale read with low or no "
        "confidence (default: validate.max_doubtful_timescale_share)",
    )


def _config(args: argparse.Namespace) -> Config:
    """The params file's configuration, with what the command line says instead."""
    given = vars(args)
    return load_config(args.params).but(
        **{
            name: given.get(name)
            for name in (
                "similarity_threshold",
                "max_doubtful_timescale_share",
                "min_share_of_last_release",
                "expectations",
                "reference",
                "decisions",
            )
        },
        accept_fewer_rows=given.get("accept_fewer_rows") or None,
        strict_decisions=given.get("strict") or None,
    )


def _say(message: str) -> None:
    print(message, flush=True)


def _run(args: argparse.Namespace) -> int:
    config = _config(args)
    inputs = args.inputs or [config.plan]
    out = args.out or config.release
    interim = args.interim or (None if args.out else config.interim)
    result = run_pipeline(inputs, config, out, interim, args.period, log=_say)
    _warn_stale(result.normalised.overrides)
    print(
        f"  {out}/ is release {result.run.id}"
        + (f"; the one it replaced: {result.archived}" if result.archived else "")
    )
    print(
        f"done: {len(result.normalised.actions)} actions written, {result.collapsed} duplicate "
        f"row(s) collapsed, {_open_entries(result.normalised.review, 'sent to review')}; "
        f"report: {out / 'validation' / 'index.html'}"
    )
    return 0


def _extract(args: argparse.Namespace) -> int:
    config = _config(args)
    release_root = args.release or config.release
    rows = run_extract(args.inputs, config, args.out, release_root, args.period, log=_say)
    print(f"  {rows} table rows -> {args.out}/")
    return 0


def _normalise(args: argparse.Namespace) -> int:
    config = _config(args)
    release_root = args.release or config.release
    normalised = run_normalise(_existing(args.extracted), config, args.out, release_root, log=_say)
    _warn_stale(normalised.overrides)
    print(f"  {len(normalised.actions)} actions -> {args.out}/")
    return 0


def _publish(args: argparse.Namespace) -> int:
    config = _config(args)
    out = args.out or config.release
    run, normalised, archived = run_publish(_existing(args.normalised), config, out, log=_say)
    print(f"  {len(normalised.actions)} actions -> {out}/, release {run.id}")
    if archived:
        print(f"  the release it replaced: {archived}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    out = args.out or load_config(args.params).release
    try:
        restored, replaced = release.roll_back(out, args.to)
    except FileNotFoundError as error:
        raise InputError(str(out), str(error)) from None
    print(
        f"{out}/ is release {restored} again"
        + (f"; {replaced} holds the one it replaced" if replaced else "")
    )
    _warn_params_differ(args.params, out)
    return 0


def _warn_params_differ(params: Path, out: Path) -> None:
    """After a rollback the params file may still name the plan rolled back from."""
    try:
        config = load_config(params)
    except InputError:
        return
    if out.resolve() != config.release:
        return
    live = next(r for r in release.release_history(out) if r.live)
    plan_named = any(source.startswith(f"{config.plan.name} (") for source in live.sources)
    if not plan_named or live.period != config.period:
        print(
            f"note: {params} names {config.plan.name} ({config.period}) but the live release "
            f"is from {', '.join(live.sources)} ({live.period}); set extract.plan and "
            "extract.period to match it, or the next `dvc repro` publishes the plan it names"
        )


def _refresh(args: argparse.Namespace) -> int:
    try:
        output = refresh(args.plan, args.period, args.params)
    except RefreshFailed as failure:
        print(failure.output.rstrip(), file=sys.stderr)
        print(
            f"refresh stopped: {args.params} is as it was and the live release is unchanged",
            file=sys.stderr,
        )
        return failure.code
    print(output.rstrip())
    config = load_config(args.params)
    package = json.loads((config.release / "datapackage.json").read_text(encoding="utf-8"))
    changes = pd.read_csv(config.release / "changes.csv", dtype=str, keep_default_na=False)
    counts = ", ".join(f"{n} {kind}" for kind, n in changes.change.value_counts().items())
    print(
        f"refreshed: {config.release}/ is release {package['id']} ({package['period']}), "
        f"{package['row_counts']['actions']} actions; changes: {counts or 'none'}; "
        f"{_open_entries(pd.read_parquet(config.release / 'review.parquet'), 'to review')} in "
        "review.csv\n"
        f"commit {args.params.name}, dvc.lock and {args.plan}"
    )
    return 0


def _decide(args: argparse.Namespace) -> int:
    config = _config(args)
    reference = checked_reference(config)
    folder = args.release or config.release
    live = previous_release(folder)
    review = pd.read_parquet(folder / "review.parquet") if live else None
    today = dt.datetime.now(dt.UTC).date().isoformat()
    proposal = propose(
        args.kind,
        args.target,
        args.value,
        args.by,
        args.why,
        today,
        reference,
        live[0] if live else None,
        review,
    )
    for line in proposal.preview:
        print(line)
    for warning in proposal.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.dry_run:
        print("dry run: nothing saved")
        return 0
    registry_ids = set(reference.normalise.registry.organisations)
    number = append_decision(config.decisions_file, proposal.record, registry_ids)
    print(f"saved as entry {number} of {config.decisions_file}; the next run applies it")
    return 0


def _releases(args: argparse.Namespace) -> int:
    out = args.out or load_config(args.params).release
    history = release.release_history(out)
    if not history:
        raise InputError(str(out), "holds no release, and none is archived")
    print("live | id | period | sources | created | replaces")
    for r in history:
        print(
            f"{'*' if r.live else ' '} | {r.id} | {r.period or ''} | {', '.join(r.sources)} | "
            f"{r.created} | {r.replaces or ''}"
        )
    return 0


def _open_entries(review: pd.DataFrame, where: str) -> str:
    """The review count a person works through: acknowledged entries are listed apart."""
    settled = int(review["acknowledged"].notna().sum()) if "acknowledged" in review else 0
    text = f"{len(review) - settled} value(s) {where}"
    return text + (f" ({settled} more acknowledged)" if settled else "")


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
    status_changes = delivery_status_changes(progress_of(args.old), progress_of(args.new))
    if args.out:
        changes = write_changes(old, new, args.out, status_changes=status_changes)
        print(f"{len(changes)} change(s) -> {args.out}/changes.md, changes.csv")
    else:
        since = with_status_changes(compare_releases(old, new[0]), status_changes)
        print(changes_to_markdown(new[0], new[1], since))
    return 0


def _existing(path: Path) -> Path:
    if not path.exists():
        raise InputError(str(path), "not found: run the stage that writes it first")
    return path
