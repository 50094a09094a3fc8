"""Benchmark the pipeline on this machine; figures and targets in benchmarks/README.md.

    .venv/bin/python benchmarks/run.py            # everything, about four minutes
    .venv/bin/python benchmarks/run.py --quick    # the scaled corpus at 10 times

First the pipeline's own work as the CLI does it: wall time of ``python -m
pipeline run`` less that of a bare import of its dependencies, alternated in
fresh processes. Then each scenario in a fresh process of its own, so its peak
memory is its own, calling ``pipeline.run.run_pipeline`` (the CLI's entry
point); those times exclude interpreter start-up, imports and one-off set-up
(Great Expectations' context and dateparser are warmed first) and include
every gate. Not part of the test suite: machines are noisy.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

PLAN = PROJECT / "raw" / "knowsley-2030-delivery-plan.txt"
RENDERINGS = {
    "text": PLAN,
    "docx": PROJECT / "tests" / "fixtures" / "knowsley-2030-delivery-plan.docx",
    "pdf": PROJECT / "tests" / "fixtures" / "knowsley-2030-delivery-plan.pdf",
}
FOCUS = ("Internal\t", "External\t", "Partnership\t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale the corpus 10 times, not 100")
    parser.add_argument("--scenario", help=argparse.SUPPRESS)  # run one scenario, in a child
    parser.add_argument("--inputs", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(SCENARIOS[args.scenario](args.inputs)))
        return
    scale = 10 if args.quick else 100
    with tempfile.TemporaryDirectory() as folder:
        corpus = make_corpus(Path(folder), scale)
        report(scale, corpus)


def report(scale: int, corpus: dict[str, list[Path]]) -> None:
    bare, whole = own_work()
    print("## Shipped plan: the pipeline's own work\n")
    print(
        "Wall time of `python -m pipeline run` on the shipped plan, less that of a bare "
        f"`import` of its dependencies, each run {OWN_WORK_RUNS} times alternately in fresh "
        "processes.\n"
    )
    print("| | best s | median s |")
    print("| --- | --- | --- |")
    print(f"| `python -m pipeline run` | {min(whole):.2f} | {statistics.median(whole):.2f} |")
    print(f"| bare import of the dependencies | {min(bare):.2f} | {statistics.median(bare):.2f} |")
    paired = statistics.median(w - b for w, b in zip(whole, bare, strict=True))
    print(
        f"\nOwn work: {min(whole) - min(bare):.2f} s (best run less best import); "
        f"{paired:.2f} s (median of each run less the import beside it)."
    )
    print("\n## Shipped plan, end to end (gates included)\n")
    print("First run in a fresh process (imports done), then the same run again in it.\n")
    print(
        "| format | extract s | normalise s | publish s | total s | again s | actions | peak MiB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path in RENDERINGS.items():
        r = child("pipeline_twice", [path])
        print(
            f"| {name} | {r['extract']:.2f} | {r['normalise']:.2f} | {r['publish']:.2f} | "
            f"{r['total']:.2f} | {r['again']:.2f} | {r['actions']} | {r['peak_mib']:.0f} |"
        )
    print(f"\n## Scaled corpus: the plan's rows {scale} times, varied (gates included)\n")
    print(
        "Peak MiB is the run's process. The CSV files, the workbook and the chart are written, "
        "and about half of each gate's checks evaluated, by processes forked from it: all "
        "processes MiB is the peak of their memory added up, each page shared by n processes counted "
        "1/n in each (proportional set size, sampled every 25 ms in a second run, as sampling "
        "takes time; Linux only).\n"
    )
    print("| shape | rows | actions | total s | actions/s | peak MiB | all processes MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for shape, paths in corpus.items():
        r = child("pipeline", paths)
        together = all_processes_peak_mib("pipeline", paths)
        print(
            f"| {shape} | {r['rows']} | {r['actions']} | {r['total']:.2f} | "
            f"{r['actions'] / r['total']:.0f} | {r['peak_mib']:.0f} | "
            f"{'n/a' if together is None else f'{together:.0f}'} |"
        )
    r = child("tracking", corpus["one document"])
    print(
        f"\n## Delivery tracking over {r['periods']} quarters of the {scale}-times corpus\n\n"
        f"{r['history_rows']} history rows: history and progress in {r['history_s']:.2f} s, "
        f"progress.md and the chart in {r['report_s']:.2f} s; peak {r['peak_mib']:.0f} MiB "
        "(the corpus's run included)."
    )
    r = child("timescales", [])
    print(
        "\n## Timescale normaliser against dateparser, on the plan's Timescale cells and "
        "the phrasing corpus\n"
    )
    print("| reader | cells | seconds | cells/s | agrees with timescales.md |")
    print("| --- | --- | --- | --- | --- |")
    for reader, x in r.items():
        print(
            f"| {reader} | {x['cells']} | {x['seconds']:.3f} | {x['cells'] / x['seconds']:.0f} | "
            f"{x['agree']} of {x['distinct']} distinct cells |"
        )
    rules = r["rules"]["cells"] / r["rules"]["seconds"]
    for reader in ("dateparser", "dateparser, English only"):
        ratio = rules / (r[reader]["cells"] / r[reader]["seconds"])
        print(f"\nThe rules read {ratio:.0f} times as many cells a second as {reader}.")
    r = child("pdf_pages", [RENDERINGS["pdf"]])
    print(
        f"\n## PDF extraction\n\n{r['pages']} pages in {r['seconds']:.2f} s (best of 3): "
        f"{r['seconds'] / r['pages']:.3f} s a page on {r['workers']} core(s)."
    )


OWN_WORK_RUNS = 5
DEPENDENCIES = "pandas, pyarrow.parquet, yaml, regex, rapidfuzz, great_expectations, pdfplumber, docx, dateparser"


def own_work() -> tuple[list[float], list[float]]:
    """Wall seconds of bare imports and of whole CLI runs, alternated to share the noise."""
    bare, whole = [], []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(OWN_WORK_RUNS):
            bare.append(_wall([sys.executable, "-c", f"import {DEPENDENCIES}"]))
            out = Path(folder) / f"release-{number}"
            whole.append(_wall([sys.executable, "-m", "pipeline", "run", "--out", str(out)]))
    return bare, whole


def _wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=tempfile.gettempdir())
    return time.perf_counter() - started


def child(scenario: str, inputs: list[Path]) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--scenario", scenario, "--inputs", *map(str, inputs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def all_processes_peak_mib(scenario: str, inputs: list[Path]) -> float | None:
    """The scenario run once more, the proportional set sizes of it and every process it
    forked summed every 25 ms: the largest sum. None where /proc cannot tell."""
    command = [sys.executable, __file__, "--scenario", scenario, "--inputs", *map(str, inputs)]
    running = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=PROJECT)
    peak = 0.0
    while running.poll() is None:
        peak = max(peak, sum(map(_pss_mib, _process_tree(running.pid))))
        time.sleep(0.025)
    if running.returncode:
        raise subprocess.CalledProcessError(running.returncode, command)
    return peak or None


def _process_tree(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        children = [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:  # gone, or no /proc
        return [pid]
    return [pid, *itertools.chain.from_iterable(map(_process_tree, children))]


def _pss_mib(pid: int) -> float:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    kib = next((line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return int(kib) / 1024


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_up() -> None:
    """Imports and one-off set-up (GX's context, dateparser's language data) that the
    per-scenario figures exclude: one run on the shipped plan, its output discarded."""
    from pipeline.config import load_config
    from pipeline.run import run_pipeline as run

    with tempfile.TemporaryDirectory() as folder:
        run([PLAN], load_config(), Path(folder) / "processed")


def run_pipeline(inputs: list[Path]) -> dict:
    """The library's one entry point, as the CLI calls it, timed stage by stage."""
    from pipeline.config import load_config
    from pipeline.run import run_pipeline as run

    config = load_config().but(accept_fewer_rows=True)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = run(inputs, config, Path(folder) / "processed")
        total = time.perf_counter() - started
    return {
        **result.seconds,
        "total": total,
        "rows": result.rows,
        "actions": len(result.normalised.actions),
        "peak_mib": _peak_mib(),
    }


def compare_timescales(_inputs) -> dict:
    """The rules against dateparser on the plan's Timescale cells and the phrasing corpus.

    Agreement is counted over every distinct cell with a reading in the tests'
    tables (the plan's cells and tests/normalise/timescale_phrasings.txt). A
    flagged phrasing agrees when the reader does not give it as certain: for
    the rules confidence low or none, for dateparser no date at all.
    """
    import dateparser

    from pipeline.normalise.timescales import HIGH, TimescaleWords, parse_timescale
    from pipeline.reference import load_timescale_words
    from tests.normalise.test_timescales import FALLBACK, PHRASINGS, SHIPPED_TIMESCALES, _day

    _warm_up()
    words = TimescaleWords(load_timescale_words())
    plan_cells = [
        line.split("\t")[7]
        for line in PLAN.read_text(encoding="utf-8").split("\n")
        if line.startswith(FOCUS) and line.count("\t") == 7
    ]
    expected = {  # a fallback reading is a flag: it agrees when not read as certain
        text: (None, None, None, None, True) if reading == FALLBACK else (*reading, False)
        for text, reading in SHIPPED_TIMESCALES.items()
    }
    for text, status, start, end, confidence, _rule, _named in (p.values for p in PHRASINGS):
        flagged = confidence == "flag"
        expected[text] = (status, _day(start), _day(end), confidence, flagged)
    corpus = [text for text in expected if text]
    cells = plan_cells + corpus
    dateparser.parse("Mar-23")  # its first call builds its language data

    def timed(read, repeat):
        started = time.perf_counter()
        for _ in range(repeat):
            for cell in cells:
                read(cell)
        return time.perf_counter() - started

    def agrees_rules(cell):
        reading = parse_timescale(cell, words)
        status, start, end, confidence, flagged = expected[cell]
        if flagged:
            return reading.confidence != HIGH
        return (reading.status, reading.start, reading.end, reading.confidence) == (
            status,
            start,
            end,
            confidence,
        )

    def agrees(parse):
        # dateparser gives one date: it agrees when that is the spec's end date
        # (a deadline or the end of a period), the closest a single date can,
        # and on a flagged phrasing when it gives no date.
        def check(cell):
            found = parse(cell)
            day = found.date() if found else None
            _status, _start, end, _confidence, flagged = expected[cell]
            return day is None if flagged else day == end

        return sum(map(check, corpus))

    def english(cell):
        return dateparser.parse(cell, languages=["en"])

    def measured(read, repeat, agreement):
        return {
            "cells": len(cells) * repeat,
            "seconds": timed(read, repeat),
            "agree": agreement,
            "distinct": len(corpus),
        }

    return {
        "rules": measured(lambda c: parse_timescale(c, words), 20, sum(map(agrees_rules, corpus))),
        "dateparser": measured(dateparser.parse, 1, agrees(dateparser.parse)),
        "dateparser, English only": measured(english, 3, agrees(english)),
    }


def pdf_pages(inputs: list[Path]) -> dict:

    import pdfplumber

    from pipeline.extract import extract_document
    from pipeline.extract.layout import label_index
    from pipeline.forking import usable_cores
    from pipeline.reference import load_column_labels

    labels = label_index(load_column_labels())
    extract_document(inputs[0], labels)
    best = min(_seconds(lambda: extract_document(inputs[0], labels)) for _ in range(3))
    with pdfplumber.open(inputs[0]) as pdf:
        pages = len(pdf.pages)
    return {"pages": pages, "seconds": best, "workers": usable_cores()}


def _seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def run_pipeline_warm(inputs: list[Path]) -> dict:
    _warm_up()
    return run_pipeline(inputs)


def run_pipeline_twice(inputs: list[Path]) -> dict:
    _warm_up()
    first = run_pipeline(inputs)
    return {**first, "again": run_pipeline(inputs)["total"], "peak_mib": _peak_mib()}


def tracking(inputs: list[Path]) -> dict:
    """Delivery history over 12 quarters of the corpus's actions: the corpus published,
    then 11 earlier quarters written beside it (every fifth action's target a month
    later each quarter), and the history, progress, report and chart timed as a run
    makes them."""
    import datetime as dt

    from pipeline.config import load_config
    from pipeline.publish.progress import period_end
    from pipeline.publish.progress_report import draw_progress_chart, progress_markdown
    from pipeline.publish.release import Release
    from pipeline.publish.write import write_parquet
    from pipeline.run import run_pipeline as run
    from pipeline.schema import ACTIONS
    from pipeline.stages import RunInfo, track_delivery

    config = load_config().but(accept_fewer_rows=True)
    quarters = [f"{2023 + q // 4}/{(24 + q // 4) % 100:02d} Q{q % 4 + 1}" for q in range(12)]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        actions = run(inputs, config, folder / "processed").normalised.actions
        earlier = []
        for number, quarter in enumerate(quarters[:-1]):
            back = 11 - number  # quarters before the live one
            ends = [
                end - dt.timedelta(days=31 * back) if end is not None and row % 5 == 0 else end
                for row, end in enumerate(actions["end_date"])
            ]
            release = folder / f"release-{number}"
            release.mkdir()
            write_parquet(actions.assign(end_date=ends), ACTIONS, release / "actions.parquet")
            made = period_end(quarter, dt.date(2023, 1, 1)).isoformat()
            earlier.insert(0, Release(str(number), release, False, made, quarter, (), None))
        run_info = RunInfo.start(inputs, config, quarters[-1])
        started = time.perf_counter()
        tracked = track_delivery(actions, run_info, earlier)
        history_seconds = time.perf_counter() - started
        started = time.perf_counter()
        progress_markdown(tracked.summary)
        draw_progress_chart(tracked.over_time, folder)
        report_seconds = time.perf_counter() - started
    return {
        "periods": len(quarters),
        "history_rows": len(tracked.action_history),
        "history_s": history_seconds,
        "report_s": report_seconds,
        "peak_mib": _peak_mib(),
    }


SCENARIOS = {
    "tracking": tracking,
    "pipeline": run_pipeline_warm,
    "pipeline_twice": run_pipeline_twice,
    "timescales": compare_timescales,
    "pdf_pages": pdf_pages,
}


def make_corpus(folder: Path, scale: int) -> dict[str, list[Path]]:
    """The plan's rows ``scale`` times, each copy's headlines marked so every action differs:
    as one document (each priority's table grown), and as ``scale`` documents."""
    lines = PLAN.read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(lines) if line.startswith("**Priority")] + [len(lines)]
    sections = [lines[a:b] for a, b in itertools.pairwise(starts)]

    def varied(section: list[str], copy: int) -> list[str]:
        out = []
        for line in section:
            if line.startswith(FOCUS):
                cells = line.split("\t")
                cells[3] = f"{cells[3]} (copy {copy})"
                line = "\t".join(cells)
            out.append(line)
        return out

    grown = []
    for section in sections:
        header = next(n for n, line in enumerate(section) if line.startswith("Focus\t"))
        grown += section[: header + 1]
        for copy in range(1, scale + 1):
            grown += varied(section[header + 1 :], copy)
    one = folder / "one-document.txt"
    one.write_text("\n".join(grown), encoding="utf-8")
    many = []
    for copy in range(1, scale + 1):
        path = folder / f"document-{copy:03d}.txt"
        path.write_text(
            "\n".join(line for s in sections for line in varied(s, copy)), encoding="utf-8"
        )
        many.append(path)
    return {"one document": [one], f"{scale} documents": many}


if __name__ == "__main__":
    main()
