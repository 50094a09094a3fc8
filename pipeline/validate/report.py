"""Validation reports for auditors: each stage's results as JSON, and one HTML page.

The page is built from the same JSON, so what a person reads in a browser is
what a machine reads from the files. It reads top down: the verdict and what
the run produced, then each stage with its failures first, then every file
the run was told by, pinned by sha256, and the code by its commit.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.publish.write import write_json
from pipeline.schema import DELIVERY_STATUSES

if TYPE_CHECKING:
    from pipeline.stages import RunInfo

STAGES = ("extract", "normalise", "publish")
_SHOWN_VALUES = 10  # failing values shown open; the rest behind "all N values"
# what a release holds that the summary links to, relative to validation/index.html
_RELEASE_FILES = {
    "review.csv": "the review list",
    "changes.md": "the change report",
    "datapackage.json": "the data package: every table and column described",
    "delivery-plan.xlsx": "the workbook, for spreadsheet users",
    "progress.md": "the delivery progress report",
}
_STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 80em; line-height: 1.35; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #eef2f6; }
table.summary th { width: 14em; }
table.outcomes { width: 100%; }
.verdict { font-size: 120%; padding: 0.6em 1em; border-radius: 4px; }
.verdict.passed { background: #d4efd4; }
.verdict.stopped { background: #f8d0d0; }
tr.fail td.result { background: #f8d0d0; font-weight: bold; }
tr.warn td.result { background: #fbeac0; font-weight: bold; }
tr.pass td.result { background: #d4efd4; }
td.number, th.number { text-align: right; }
td.values { min-width: 24em; }
table.priorities td, table.priorities th { padding: 1px 10px; }
code { font-size: 90%; white-space: pre-wrap; word-break: break-word; }
details summary { cursor: pointer; color: #2a5d8f; }
"""


def write_reports(
    folder: Path, stage_results: list[dict], run: RunInfo, live: str = "not known"
) -> Path:
    """``STAGE.json`` for every stage and ``index.html``; returns the page's path.

    ``live`` says which release is live once the run is over, in words.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for result in stage_results:
        document = {"run": run.to_dict(), **result}
        write_json(document, folder / f"{result['stage']}.json")
    written = [name for name in _RELEASE_FILES if (folder.parent / name).exists()]
    page = folder / "index.html"
    page.write_text(report_to_html(stage_results, run, live, written), encoding="utf-8")
    return page


def report_to_html(
    stage_results: list[dict], run: RunInfo, live: str, written: list[str] = ()
) -> str:
    """The page: summary, overrides, one section per stage, then what the run was told."""
    overrides = [o for result in stage_results for o in result.get("overrides", [])]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Validation report {escape(run.id)}</title>
<style>{_STYLE}</style></head><body>
<h1>Validation report: run {escape(run.id)}</h1>
{_summary_html(stage_results, run, live, written)}
{_progress_html(stage_results[-1].get("facts", {}).get("progress"), written)}
{_overrides_html(overrides) if overrides else ""}
{"".join(_stage_html(result) for result in stage_results)}
{_pinned_html(run)}
</body></html>
"""


def _summary_html(stage_results: list[dict], run: RunInfo, live: str, written: list[str]) -> str:
    passed = all(result["success"] for result in stage_results) and len(stage_results) == len(
        STAGES
    )
    by_stage = {result["stage"]: result for result in stage_results}
    stopped_at = next((r["stage"] for r in stage_results if not r["success"]), None)
    if passed:
        verdict = "This run passed every blocking check and published its release."
    else:
        verdict = (
            f"This run was STOPPED by a blocking check at {stopped_at}: nothing was published."
        )
    stages = ", ".join(
        f'<a href="#stage-{s}">{s}</a> {_stage_verdict(by_stage[s])}'
        if s in by_stage
        else f"{s} not run"
        for s in STAGES
    )
    last = stage_results[-1] if stage_results else {}
    facts = last.get("facts", {})
    rows = [
        ("result", "passed" if passed else f"stopped at {stopped_at}"),
        ("live release", escape(live)),
        ("plan period", escape(run.period or "not given")),
        (
            "input",
            "<br>".join(
                f"<code>{escape(s.path)}</code> sha256 <code>{escape(s.sha256)}</code>"
                for s in run.sources
            ),
        ),
        ("stages", stages),
    ]
    if facts.get("per_priority"):
        rows.append(
            (
                f"{escape(facts['counted'])} per priority ({escape(last['stage'])})",
                _per_priority_html(facts["per_priority"]),
            )
        )
    notes = by_stage.get("extract", {}).get("facts", {}).get("table_notes")
    if notes:
        rows.append(("document shape", "<br>".join(escape(note) for note in notes)))
    if "review_open" in facts:
        review = f"{facts['review_open']} open"
        if facts.get("review_acknowledged"):
            review += f", {facts['review_acknowledged']} acknowledged by a decision"
        rows.append(("review entries", review + _link("review.csv", written)))
    if "changes" in facts:
        rows.append(("changes", _changes_text(facts) + _link("changes.md", written)))
    if "delivery" in facts:
        counts = facts["delivery"]
        said = ", ".join(f"{counts[s]} {s}" for s in DELIVERY_STATUSES if counts.get(s))
        rows.append(("delivery progress", escape(said) + _link("progress.md", written)))
    for name in ("datapackage.json", "delivery-plan.xlsx"):
        if name in written:
            rows.append((name, _RELEASE_FILES[name] + _link(name, written)))
    if not written:
        rows.append(("files", f"none written: the run stopped at {escape(str(stopped_at))}"))
    rows += [
        ("code", f"<code>{escape(run.code or 'not a git checkout')}</code>"),
        ("software", escape(run.software)),
        ("time (UTC)", escape(run.time)),
    ]
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    css = "passed" if passed else "stopped"
    return f"""<section id="summary">
<p class="verdict {css}"><strong>{escape(verdict)}</strong></p>
<table class="summary">{body}</table>
</section>"""


def _progress_html(summary: dict | None, written: list[str]) -> str:
    """progress.md's content: the same summary (pipeline/publish/progress_report.py)."""
    if not summary:
        return ""
    chart = (
        '<p><img src="../progress.png" alt="Delivery status counts per period, by priority" '
        'width="900"></p>'
        if "progress.md" in written
        else ""
    )
    lists = "".join(
        f"<h3>{title} ({len(actions)})</h3>"
        + (
            "<ul>"
            + "".join(
                f"<li><code>{escape(a['action_id'])}</code> {escape(a['headline'])}: "
                f"{escape(a['said'])}</li>"
                for a in actions
            )
            + "</ul>"
            if actions
            else "<p>None.</p>"
        )
        for title, actions in (
            ("Slipped this period", summary["slipped"]),
            ("Completed this period", summary["completed"]),
        )
    )
    return f"""<section id="progress"><h2>Delivery progress: {escape(summary["period"])}</h2>
<p>{summary["actions"]} actions, judged at the end of the period ({escape(str(summary["as_of"]))})
against the first target end date any period gave them; {summary["unsure"]} of the statuses
rest on a timescale read with low or no confidence, each in the review list.</p>
{_counts_html(summary["by_priority"], "priority")}
{_counts_html(summary["by_lead_organisation"], "lead organisation")}
{lists}
{chart}
{_counts_html(summary["per_period"], "period")}
</section>"""


def _counts_html(counts: dict[str, dict[str, int]], first: str) -> str:
    columns = [*DELIVERY_STATUSES, "all"]
    head = "".join(f"<th>{escape(c)}</th>" for c in [first, *columns])
    rows = "".join(
        f"<tr><td>{escape(label)}</td>"
        + "".join(f'<td class="number">{row[c]}</td>' for c in columns)
        + "</tr>"
        for label, row in counts.items()
    )
    return f'<table class="counts"><tr>{head}</tr>{rows}</table>'


def _stage_verdict(result: dict) -> str:
    failed = sum(1 for o in result["results"] if not o["success"] and o["blocking"])
    warned = sum(1 for o in result["results"] if not o["success"] and not o["blocking"])
    verdict = "passed" if result["success"] else f"FAILED ({failed} blocking)"
    return verdict + (f", {warned} warning(s)" if warned else "")


def _per_priority_html(counts: dict[str, int]) -> str:
    cells = "".join(
        f'<tr><td>{escape(label)}</td><td class="number">{n}</td></tr>'
        for label, n in counts.items()
    )
    total = sum(counts.values())
    return f'<table class="priorities">{cells}<tr><th>all</th><th class="number">{total}</th></tr></table>'


def _changes_text(facts: dict) -> str:
    against = facts.get("changes_against")
    if not against:
        return "none: no release of another period to compare with"
    counts = facts["changes"]
    said = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no change"
    return f"actions against {escape(against)}: {escape(said)}"


def _link(name: str, written: list[str]) -> str:
    return f' (<a href="../{name}">{name}</a>)' if name in written else ""


def _overrides_html(overrides: list[dict]) -> str:
    rows = "".join(
        f'<tr class="{"pass" if o["applied"] else "warn"}"><td>{escape(o["kind"])}</td>'
        f"<td><code>{escape(o['target'])}</code></td><td><code>{escape(_plain(o['value']))}</code></td>"
        f"<td>{escape(o['by'])}</td><td>{escape(o['why'])}</td>"
        f'<td class="result">{"applied" if o["applied"] else "NOT APPLIED: " + escape(o["note"])}</td></tr>'
        for o in overrides
    )
    return f"""<section id="overrides"><h2>Overrides: decisions applied by hand</h2>
<table><tr><th>kind</th><th>target</th><th>value</th><th>by</th><th>why</th><th>result</th></tr>
{rows}</table></section>
"""


def _stage_html(result: dict) -> str:
    # blocking failures first, then warnings, each in suite order; what passed is folded
    not_met = sorted(
        (o for o in result["results"] if not o["success"]), key=lambda o: not o["blocking"]
    )
    met = [o for o in result["results"] if o["success"]]
    stage = escape(result["stage"])
    return f"""<section id="stage-{stage}">
<h2>Stage {stage}: {"passed" if result["success"] else "FAILED"}</h2>
<p>Suite <code>{escape(result["suite"])}</code>: {len(result["results"])} expectations,
{len(not_met)} not met.</p>
{_parameters_html(result.get("parameters", {}), result.get("basis", {}))}
{_outcomes_html(not_met) if not_met else ""}
<details class="met"><summary>{len(met)} expectations met</summary>
{_outcomes_html(met)}</details>
</section>
"""


def _outcomes_html(outcomes: list[dict]) -> str:
    return f"""<table class="outcomes"><tr><th>result</th><th>table</th><th>expectation</th>
<th>severity</th><th>why</th><th>observed</th><th>failing values (with where they came from)</th>
</tr>{"".join(_outcome_html(outcome) for outcome in outcomes)}</table>"""


def _parameters_html(parameters: dict, basis: dict) -> str:
    if not parameters:
        return "<p>No run-time parameters.</p>"
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code></td><td>{_value_html(value)}</td>"
        f"<td>{escape(basis.get(name, ''))}</td></tr>"
        for name, value in parameters.items()
    )
    return (
        '<table class="parameters"><tr><th>parameter</th><th>value</th><th>where it comes '
        f"from</th></tr>{rows}</table>"
    )


def _value_html(value) -> str:
    """A value as written, not as JSON escapes it; a long list behind its size."""
    if isinstance(value, list) and len(value) > 12:
        items = escape(", ".join(_plain(v) for v in value))
        return f"<details><summary>{len(value)} values</summary><code>{items}</code></details>"
    return f"<code>{escape(_plain(value))}</code>"


def _plain(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _outcome_html(outcome: dict) -> str:
    if outcome["success"]:
        css, verdict = "pass", "pass"
    elif outcome["blocking"]:
        css, verdict = "fail", "FAIL"
    else:
        css, verdict = "warn", "warning"
    arguments = "<br>".join(f"{escape(k)} = {_value_html(v)}" for k, v in outcome["kwargs"].items())
    failures = outcome["failing_values"]
    shown = "".join(_failure_html(f) for f in failures[:_SHOWN_VALUES])
    values = f"<ul>{shown}</ul>" if shown else ""
    if len(failures) > _SHOWN_VALUES:
        rest = "".join(_failure_html(f) for f in failures[_SHOWN_VALUES:])
        values += (
            f"<details><summary>the other {len(failures) - _SHOWN_VALUES} values</summary>"
            f"<ul>{rest}</ul></details>"
        )
    observed = outcome["error"] or (
        "" if outcome["observed"] is None else _plain(outcome["observed"])
    )
    if outcome["unexpected_count"]:
        observed = f"{observed} {outcome['unexpected_count']} row(s) not as expected".strip()
    return f"""<tr class="{css}"><td class="result">{verdict}</td><td>{escape(outcome["table"])}</td>
<td><code>{escape(outcome["expectation"])}</code><br>{arguments}</td>
<td>{"blocking" if outcome["blocking"] else "warning"}</td><td>{escape(outcome["why"])}</td>
<td>{escape(observed)}</td><td class="values">{values}</td></tr>
"""


def _failure_html(failure: dict) -> str:
    where = ", ".join(filter(None, [failure.get("action_id"), failure.get("source_locator")]))
    value = failure["value"] or "(empty)"
    return f"<li><code>{escape(value)}</code>{escape(' at ' + where) if where else ''}</li>"


def _pinned_html(run: RunInfo) -> str:
    """Every file the run was told by, with its sha256, and the thresholds it was given."""
    settings = dict(run.settings)
    files = [
        *(("reference", f) for f in settings.pop("reference_files", [])),
        *([("decisions", settings.pop("decisions"))] if "decisions" in settings else []),
        *(("suite", f) for f in settings.pop("suites", [])),
    ]
    file_rows = "".join(
        f"<tr><td>{kind}</td><td><code>{escape(str(f.get('path')))}</code></td>"
        f"<td><code>{escape(str(f.get('sha256')))}</code></td></tr>"
        for kind, f in files
    )
    setting_rows = "".join(
        f"<tr><td><code>{escape(str(k))}</code></td><td>{_value_html(v)}</td></tr>"
        for k, v in settings.items()
    )
    return f"""<section id="pinned"><h2>What the run was told</h2>
<p>Code: <code>{escape(run.code or "not a git checkout")}</code>; {escape(run.software)}.</p>
<table><tr><th>setting</th><th>value</th></tr>{setting_rows}</table>
<table><tr><th>file</th><th>path</th><th>sha256</th></tr>{file_rows}</table>
</section>"""
