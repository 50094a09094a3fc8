"""Validation reports for auditors: each stage's results as JSON, and one HTML page.

The page is built from the same JSON, so what a person reads in a browser is
what a machine reads from the files.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.publish.write import write_json

if TYPE_CHECKING:
    from pipeline.stages import RunInfo

_SHOWN_VALUES = 20


def write_reports(folder: Path, stage_results: list[dict], run: RunInfo) -> Path:
    """``STAGE.json`` for every stage and ``index.html``; returns the page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for result in stage_results:
        document = {"run": run.to_dict(), **result}
        write_json(document, folder / f"{result['stage']}.json")
    page = folder / "index.html"
    page.write_text(report_to_html(stage_results, run), encoding="utf-8")
    return page


def report_to_html(stage_results: list[dict], run: RunInfo) -> str:
    passed = all(result["success"] for result in stage_results)
    verdict = "passed every blocking check" if passed else "STOPPED by a blocking check"
    sources = "".join(
        f"<li><code>{escape(s.path)}</code> sha256 <code>{escape(s.sha256)}</code></li>"
        for s in run.sources
    )
    settings = "".join(
        f"<li>{escape(str(k))}: <code>{escape(json.dumps(v))}</code></li>"
        for k, v in run.settings.items()
    )
    sections = "".join(_stage_html(result) for result in stage_results)
    overrides = [o for result in stage_results for o in result.get("overrides", [])]
    if overrides:
        sections = _overrides_html(overrides) + sections
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Validation report {escape(run.id)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2em; }}
th, td {{ border: 1px solid #bbb; padding: 4px 6px; vertical-align: top; text-align: left; }}
tr.fail td.result {{ background: #f8d0d0; font-weight: bold; }}
tr.warn td.result {{ background: #fbeac0; font-weight: bold; }}
tr.pass td.result {{ background: #d4efd4; }}
code {{ font-size: 90%; }}
</style></head><body>
<h1>Validation report: run {escape(run.id)}</h1>
<p><strong>This run {verdict}.</strong></p>
<ul>
<li>time (UTC): {escape(run.time)}</li>
<li>software: {escape(run.software)}</li>
<li>input: <ul>{sources}</ul></li>
<li>settings: <ul>{settings}</ul></li>
</ul>
{sections}
</body></html>
"""


def _overrides_html(overrides: list[dict]) -> str:
    rows = "".join(
        f'<tr class="{"pass" if o["applied"] else "warn"}"><td>{escape(o["kind"])}</td>'
        f"<td><code>{escape(o['target'])}</code></td><td><code>{escape(json.dumps(o['value']))}</code></td>"
        f"<td>{escape(o['by'])}</td><td>{escape(o['why'])}</td>"
        f'<td class="result">{"applied" if o["applied"] else "NOT APPLIED: " + escape(o["note"])}</td></tr>'
        for o in overrides
    )
    return f"""<h2>Overrides: decisions applied by hand</h2>
<table><tr><th>kind</th><th>target</th><th>value</th><th>by</th><th>why</th><th>result</th></tr>
{rows}</table>
"""


def _stage_html(result: dict) -> str:
    rows = "".join(_outcome_html(outcome) for outcome in result["results"])
    not_met = [o for o in result["results"] if not o["success"]]
    parameters = escape(json.dumps(_short(result.get("parameters", {}))))
    summary = "".join(
        f"<li>{'blocking' if o['blocking'] else 'warning'}: <code>{escape(o['expectation'])}"
        f"({escape(str(o['kwargs'].get('column', '')))})</code> on {escape(o['table'])}</li>"
        for o in not_met
    )
    return f"""<h2>Stage {escape(result["stage"])}: {"passed" if result["success"] else "FAILED"}</h2>
<p>Suite <code>{escape(result["suite"])}</code>, {len(result["results"])} expectations,
{len(not_met)} not met. Parameters: <code>{parameters}</code></p>
{f"<p>Not met:</p><ul>{summary}</ul>" if summary else ""}
<table><tr><th>table</th><th>expectation</th><th>severity</th><th>why</th>
<th>result</th><th>observed</th><th>failing values (with where they came from)</th></tr>
{rows}</table>
"""


def _outcome_html(outcome: dict) -> str:
    if outcome["success"]:
        css, verdict = "pass", "pass"
    elif outcome["blocking"]:
        css, verdict = "fail", "FAIL"
    else:
        css, verdict = "warn", "warning"
    arguments = ", ".join(f"{k}={json.dumps(v)}" for k, v in _short(outcome["kwargs"]).items())
    values = "".join(
        "<li><code>{}</code>{}</li>".format(
            escape(f["value"][:200]),
            escape(" at " + ", ".join(filter(None, [f.get("action_id"), f.get("source_locator")])))
            if f.get("source_locator") or f.get("action_id")
            else "",
        )
        for f in outcome["failing_values"][:_SHOWN_VALUES]
    )
    more = outcome["unexpected_count"] - min(len(outcome["failing_values"]), _SHOWN_VALUES)
    if more > 0:
        values += f"<li>... and {more} more</li>"
    observed = outcome["error"] or (
        "" if outcome["observed"] is None else json.dumps(outcome["observed"])
    )
    if outcome["unexpected_count"]:
        observed = f"{observed} {outcome['unexpected_count']} row(s) not as expected".strip()
    return f"""<tr class="{css}"><td>{escape(outcome["table"])}</td>
<td><code>{escape(outcome["expectation"])}({escape(arguments)})</code></td>
<td>{"blocking" if outcome["blocking"] else "warning"}</td><td>{escape(outcome["why"])}</td>
<td class="result">{verdict}</td><td>{escape(observed)}</td><td><ul>{values}</ul></td></tr>
"""


def _short(values: dict) -> dict:
    """Long lists (registry ids, action ids) shown by their size, not in full."""
    return {
        k: (f"<{len(v)} values>" if isinstance(v, list) and len(v) > 12 else v)
        for k, v in values.items()
    }
