"""The validation report as an auditor opens it, read with an HTML parser: the summary
first, each stage with its failures first, and every file the run was told by pinned."""

import hashlib
import subprocess
from html.parser import HTMLParser

import pytest

from pipeline.cli import main
from pipeline.publish.release import releases_dir
from tests.conftest import CONFIG, PROJECT, SHIPPED_PLAN
from tests.publish.test_release import broken_copy, with_timescales_not_understood


class Page(HTMLParser):
    """The parts of the page the tests look at: the summary table's rows (label -> text,
    and label -> links), each section's text, and the verdict."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.summary: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.sections: dict[str, str] = {}
        self.verdict = ""
        self._section, self._row, self._depth, self._in_verdict = None, [], 0, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._section = attrs["id"]
            self.sections[self._section] = ""
        elif tag == "p" and "verdict" in (attrs.get("class") or ""):
            self.verdict, self._in_verdict = attrs["class"].split()[1] + ": ", True
        elif tag == "table" and (self._depth or attrs.get("class") == "summary"):
            self._depth += 1  # the summary table, or a table inside one of its cells
        elif self._depth == 1 and tag == "tr":
            self._row = []
        elif self._depth == 1 and tag in ("th", "td"):
            self._row.append("")
        elif self._depth and tag == "a":
            self.links.setdefault(self._row[0].strip(), []).append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        elif tag == "p":
            self._in_verdict = False
        elif tag == "table" and self._depth:
            self._depth -= 1
        elif self._depth == 1 and tag == "tr" and len(self._row) == 2:
            self.summary[self._row[0].strip()] = " ".join(self._row[1].split())

    def handle_data(self, data):
        if self._section:
            self.sections[self._section] += data
        if self._in_verdict:
            self.verdict += data
        if self._depth and self._row:
            self._row[-1] += data + " "


def test_a_passing_run_summarises_what_it_published_first(shipped):
    page_file = shipped / "processed" / "validation" / "index.html"
    page = Page(page_file.read_text(encoding="utf-8"))
    assert page.verdict.startswith("passed: This run passed every blocking check")
    summary = page.summary
    assert summary["result"] == "passed"
    assert (
        summary["live release"].startswith("this run's release, 2")
        and "processed/" in (summary["live release"])
    )
    assert summary["plan period"] == "2022/23"
    digest = hashlib.sha256(SHIPPED_PLAN.read_bytes()).hexdigest()
    assert summary["input"] == f"knowsley-2030-delivery-plan.txt sha256 {digest}"
    assert summary["stages"] == "extract passed, normalise passed, publish passed"
    per_priority = summary["actions per priority (publish)"].split()
    assert per_priority[:4] == ["Priority", "1", "48", "Priority"] and per_priority[-2:] == [
        "all",
        "238",
    ]
    assert summary["review entries"].startswith("20 open")
    assert summary["document shape"] == (
        "knowsley-2030-delivery-plan.txt: table 4 (Priority 4): no Timescale column, so none "
        "of its actions has a timescale; listed once here rather than for each action"
    )
    assert summary["changes"].startswith("none: no release of another period")
    # each link opens a file of the release, beside the validation folder
    for label, name in [
        ("review entries", "review.csv"),
        ("changes", "changes.md"),
        ("datapackage.json", "datapackage.json"),
        ("delivery-plan.xlsx", "delivery-plan.xlsx"),
    ]:
        assert page.links[label] == [f"../{name}"]
        assert (page_file.parent / ".." / name).resolve().is_file()
    head = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "HEAD"], capture_output=True)
    assert summary["code"].startswith(head.stdout.decode().strip())


def test_every_stage_has_its_section_and_every_file_the_run_read_is_pinned(shipped):
    page = Page((shipped / "processed" / "validation" / "index.html").read_text())
    assert list(page.sections) == [
        "summary",
        "progress",
        "stage-extract",
        "stage-normalise",
        "stage-publish",
        "pinned",
    ]
    recorded = CONFIG.recorded()
    files = [*recorded["reference_files"], recorded["decisions"], *recorded["suites"]]
    assert len(files) == 9  # five reference files, the decisions, three suites
    for record in files:
        assert record["path"] in page.sections["pinned"]
        assert record["sha256"] in page.sections["pinned"]
    # parameters with where they come from, and regular expressions as written
    assert "1 to the highest priority the document has (6)" in page.sections["stage-extract"]
    assert "0: no release has been published" in page.sections["stage-publish"]
    assert "^\\s*:?-{2,}:?\\s*$" in page.sections["stage-extract"]


@pytest.mark.slow
def test_a_stopped_run_says_where_it_stopped_what_is_live_and_every_failing_value(
    published, tmp_path, capsys
):
    live_id = (published / "datapackage.json").read_text().split('"id": "')[1].split('"')[0]
    plan = broken_copy(tmp_path, with_timescales_not_understood)
    assert main(["run", str(plan), "--out", str(published)]) == 3
    capsys.readouterr()
    (failed,) = (releases_dir(published) / "failed").iterdir()
    html = (failed / "validation" / "index.html").read_text(encoding="utf-8")
    page = Page(html)
    assert page.verdict.startswith("stopped: This run was STOPPED by a blocking check at normalise")
    summary = page.summary
    assert summary["result"] == "stopped at normalise"
    assert summary["live release"].startswith(f"still release {live_id} (2022/23, made ")
    assert summary["stages"] == "extract passed, normalise FAILED (1 blocking), publish not run"
    assert summary["files"] == "none written: the run stopped at normalise"
    assert "Priority 4 24" in summary["actions per priority (normalise)"]
    # every failing value is on the page, the first ten open and the rest folded
    section = page.sections["stage-normalise"]
    assert "120 row(s) not as expected" in section
    assert html.count("<li><code>none</code>") + html.count("<li><code>low</code>") == 120
    assert "the other 110 values" in section
    assert section.index("FAIL") < section.index("expectations met")
    assert "1 - max_doubtful_timescale_share (0.25) in the params file" in section


@pytest.mark.slow
def test_a_run_stopped_by_the_row_count_gives_the_baseline_and_links_the_staged_files(
    published, tmp_path, capsys
):
    def only_priorities_1_to_4(lines):
        cut = next(n for n, line in enumerate(lines) if line.startswith("**Priority 5"))
        return lines[:cut]

    live_id = (published / "datapackage.json").read_text().split('"id": "')[1].split('"')[0]
    assert (
        main(["run", str(broken_copy(tmp_path, only_priorities_1_to_4)), "--out", str(published)])
        == 3
    )
    capsys.readouterr()
    (failed,) = (releases_dir(published) / "failed").iterdir()
    page = Page((failed / "validation" / "index.html").read_text(encoding="utf-8"))
    assert page.summary["result"] == "stopped at publish"
    section = page.sections["stage-publish"]
    assert f"min_share_of_last_release (0.8) of the 238 actions of release {live_id}" in section
    assert page.links["review entries"] == ["../review.csv"]
    assert (failed / "review.csv").is_file()  # the staged release, kept to look at
