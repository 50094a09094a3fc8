"""Delivery tracking across quarters: the rules one by one, then three hand-made quarters
(tests/fixtures/tracking/README.md says what a person expects of them) published in
turn, and a rollback."""

import datetime as dt
import shutil
from xml.etree import ElementTree

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pipeline.cli import main
from pipeline.publish.progress import (
    delivery_status,
    period_end,
    progress_over_time,
    progress_table,
    whole_months,
)
from pipeline.publish.progress_report import CHART_PIXELS, progress_summary
from pipeline.schema import ACTION_HISTORY
from tests.conftest import PROJECT

QUARTERS = PROJECT / "tests" / "fixtures" / "tracking"
Q1, Q2, Q3 = "2023/24 Q1", "2023/24 Q2", "2023/24 Q3"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2024-03-31", "2024-06-30", 3),  # month end to month end: whole months
        ("2024-03-31", "2024-05-31", 2),
        ("2024-01-31", "2024-02-29", 1),
        ("2024-03-15", "2024-06-14", 2),  # a day short of three months
        ("2024-03-15", "2024-06-15", 3),
        ("2024-06-30", "2024-03-31", -3),  # brought forward
        ("2024-03-31", "2024-03-31", 0),
    ],
)
def test_whole_months(start, end, months):
    assert whole_months(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == months


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
)
def test_whole_months_runs_backwards_as_forwards_and_never_overcounts(a, b):
    months = whole_months(a, b)
    assert whole_months(b, a) == -months
    assert abs(months) <= abs((b.year - a.year) * 12 + b.month - a.month)


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2023/24 Q1", "2023-06-30"),
        ("2023/24 Q2", "2023-09-30"),
        ("2023/24 Q3", "2023-12-31"),
        ("2023/24 Q4", "2024-03-31"),
        ("2023/24", "2024-03-31"),
        ("not given", "2024-05-06"),  # the day its release was made
    ],
)
def test_a_period_ends_on_its_last_day(period, end):
    assert period_end(period, dt.date(2024, 5, 6)) == dt.date.fromisoformat(end)


@pytest.mark.parametrize(
    ("status", "end", "slip_months", "slip_days", "expected"),
    [
        ("complete", "2020-01-31", None, None, "complete"),  # complete before overdue
        ("ongoing", None, None, None, "no target"),
        ("scheduled", "2023-12-30", 0, 0, "overdue"),  # a day before the period ends
        ("scheduled", "2023-12-31", 0, 0, "on track"),  # due on its last day
        ("scheduled", "2024-06-30", 3, 91, "delayed (3 months or more)"),
        ("scheduled", "2024-05-31", 2, 61, "delayed (under 3 months)"),
        ("scheduled", "2024-01-31", -1, -29, "on track"),  # brought forward
    ],
)
def test_delivery_status_rules_in_their_order(status, end, slip_months, slip_days, expected):
    end = dt.date.fromisoformat(end) if end else None
    assert delivery_status(status, end, dt.date(2023, 12, 31), slip_months, slip_days) == expected


def test_a_revised_timescale_column_gives_the_original_target_and_moves_once():
    """Q1's monitoring version revises March to June in its Revised Timescale column; Q2
    gives the same revision again (no new move); Q3 revises it to September."""
    march, june, september = dt.date(2024, 3, 31), dt.date(2024, 6, 30), dt.date(2024, 9, 30)
    history = ACTION_HISTORY.frame(
        [
            {
                "action_id": "P1-a",
                "period": period,
                "period_order": order,
                "period_end": period_end(period, dt.date(2024, 5, 6)),
                "status": "scheduled",
                "end_date": end,
                "end_date_before_revision": march,
            }
            for order, (period, end) in enumerate([(Q1, june), (Q2, june), (Q3, september)], 1)
        ]
    )
    tracked = progress_over_time(history)
    assert tracked.original_end_date.tolist() == [march] * 3
    assert tracked.original_period.tolist() == [Q1] * 3
    assert tracked.slip_months.tolist() == [3, 3, 6]
    assert tracked.times_moved.tolist() == [1, 1, 2]
    assert tracked.moved_later.tolist() == [True, False, True]


def test_a_blue_rating_is_complete_whatever_the_timescale_still_says():
    """A monitoring version rates an action blue (done) while its Timescale still reads
    "Mar-23", a date now past: complete, not overdue; amber with the same date is overdue."""
    history = ACTION_HISTORY.frame(
        [
            {
                "action_id": action_id,
                "period": Q3,
                "period_order": 1,
                "period_end": dt.date(2023, 12, 31),
                "status": "scheduled",
                "end_date": dt.date(2023, 3, 31),
                "rag_status": rating,
            }
            for action_id, rating in (("P1-a", "blue"), ("P1-b", "amber"))
        ]
    )
    tracked = progress_over_time(history)
    assert tracked.delivery_status.tolist() == ["complete", "overdue"]
    assert tracked.completed_period.tolist() == [Q3, None]
    assert tracked.status.tolist() == ["scheduled", "scheduled"]  # the timescale's, as read
    # a doubtful timescale leaves the amber one's status a guess, not the blue one's
    doubtful = tracked.assign(confidence="low", headline_action="", lead_org_id=None)
    summary = progress_summary(doubtful, progress_table(doubtful, Q3), Q3)
    assert summary["unsure"] == 1


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    """The three quarters published in turn; each live release copied as it stood."""
    root = tmp_path_factory.mktemp("tracking")
    out, kept = root / "processed", {}
    for quarter in ("q1", "q2", "q3"):
        plan = QUARTERS / f"plan-2023-24-{quarter}.txt"
        assert main(["run", str(plan), "--out", str(out)]) == 0
        kept[quarter] = shutil.copytree(out, root / f"as-of-{quarter}")
    return out, kept


def _table(folder, name):
    return pq.read_table(folder / f"{name}.parquet").to_pandas()


def _by_headline(progress, headline):
    (row,) = progress[progress.headline_action.str.casefold().str.startswith(headline)].itertuples()
    return row


@pytest.mark.slow
def test_history_has_one_row_per_action_per_period_and_follows_ids(quarters):
    out, _ = quarters
    history = _table(out, "action_history")
    assert not history.duplicated(["action_id", "period"]).any()
    periods = history.groupby("headline_action", sort=False)["period"].agg(list)
    assert periods["Pub Watch"] == [Q1, Q2]  # removed in Q3
    assert periods["Social Impact Programmes"] == [Q1, Q3]  # gone in Q2, back in Q3
    target = history[history.headline_action.str.casefold().str.startswith("operation target")]
    assert target.action_id.nunique() == 1 and target.period.tolist() == [Q1, Q2, Q3]
    assert history.period_order.max() == 3
    rags = history.set_index(["headline_action", "period"])["rag_status"]
    assert (rags[("Volunteers - green space", Q2)], rags[("Volunteers - green space", Q3)]) == (
        "amber",
        "red",
    )
    assert pd.isna(rags[("Volunteers - green space", Q1)])  # Q1 had no RAG column


@pytest.mark.slow
def test_progress_against_the_original_target(quarters):
    out, _ = quarters
    progress = _table(out, "action_progress")
    assert len(progress) == 6  # Pub Watch was removed
    volunteers = _by_headline(progress, "volunteers")
    assert (volunteers.original_end_date, volunteers.current_end_date) == (
        dt.date(2024, 3, 31),
        dt.date(2024, 9, 30),
    )
    assert (volunteers.slip_days, volunteers.slip_months, volunteers.times_moved) == (183, 6, 2)
    assert (volunteers.original_period, volunteers.delivery_status) == (
        Q1,
        "delayed (3 months or more)",
    )
    transfers = _by_headline(progress, "community asset")
    assert (transfers.delivery_status, transfers.completed_period) == ("complete", Q2)
    assert pd.isna(transfers.slip_days)
    target = _by_headline(progress, "operation target")
    assert (target.headline_action, target.delivery_status, target.times_moved) == (
        "Operation target.",
        "on track",
        0,
    )
    social = _by_headline(progress, "social impact")
    assert (social.first_period, social.last_period, social.delivery_status) == (
        Q1,
        Q3,
        "on track",
    )
    assert _by_headline(progress, "dementia").delivery_status == "overdue"
    assert _by_headline(progress, "healthy weight").delivery_status == "no target"
    assert set(progress.as_of) == {dt.date(2023, 12, 31)}


@pytest.mark.slow
def test_each_quarter_judged_at_its_own_end(quarters):
    _, kept = quarters
    q2 = _table(kept["q2"], "action_progress").set_index("headline_action")
    assert q2.loc["Volunteers - green space", "delivery_status"] == "delayed (under 3 months)"
    assert q2.loc["Dementia Strategy", "delivery_status"] == "on track"  # due 30 Sep, Q2's end


@pytest.mark.slow
def test_the_change_report_calls_out_status_changes(quarters):
    out, _ = quarters
    changes = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    status = changes[changes.field == "delivery_status"]
    assert sorted(zip(status.headline_action, status.old, status.new, strict=True)) == [
        ("Dementia Strategy", "on track", "overdue"),
        ("Volunteers - green space", "delayed (under 3 months)", "delayed (3 months or more)"),
    ]
    report = (out / "changes.md").read_text(encoding="utf-8")
    section = report.split("### Delivery status changed (2)")[1].split("###")[0]
    assert "Dementia Strategy" in section and "on track -> overdue" in section


@pytest.mark.slow
def test_the_progress_report_and_its_chart(quarters):
    out, _ = quarters
    report = (out / "progress.md").read_text(encoding="utf-8")
    assert report.startswith("# Delivery progress: 2023/24 Q3")
    assert "| Priority 1 | 1 | 2 | 0 | 1 | 0 | 0 | 4 |" in report
    assert "| Priority 2 | 0 | 0 | 0 | 0 | 1 | 1 | 2 |" in report
    slipped = report.split("## Slipped this period (1)")[1].split("##")[0]
    assert "Volunteers - green space: 2024-05-31 to 2024-09-30" in slipped
    assert "## Completed this period (0)" in report  # completed in Q2
    # the chart's bars, read from the SVG, are the counts a person reads off the quarters
    bars = {
        (b.get("data-panel"), b.get("data-category"), b.get("data-series")): int(
            b.get("data-count")
        )
        for b in ElementTree.parse(out / "progress.svg").iter(f"{SVG}rect")
        if b.get("data-count")
    }
    priority_1_q3 = {k[2]: v for k, v in bars.items() if k[:2] == ("Priority 1", Q3)}
    assert priority_1_q3 == {"complete": 1, "on track": 2, "delayed (3 months or more)": 1}
    assert sum(v for k, v in bars.items() if k[1] == Q3) == 6  # every live action, once
    assert {k[1] for k in bars} == {Q1, Q2, Q3}
    with Image.open(out / "progress.png") as png:  # the PNG draws the same shapes
        assert png.format == "PNG" and png.size == CHART_PIXELS
        for rect in ElementTree.parse(out / "progress.svg").iter(f"{SVG}rect"):
            if rect.get("data-count"):
                x = float(rect.get("x")) + float(rect.get("width")) / 2
                y = float(rect.get("y")) + float(rect.get("height")) / 2
                assert "#{:02x}{:02x}{:02x}".format(*png.getpixel((int(x), int(y)))) == rect.get(
                    "fill"
                )
    page = (out / "validation" / "index.html").read_text(encoding="utf-8")
    assert "1 complete, 2 on track, 1 delayed (3 months or more), 1 overdue, 1 no target" in page
    # the report's summary gives progress.md's content: the same tables and lists
    progress = page.split('<section id="progress">')[1].split("</section>")[0]
    assert "Delivery progress: 2023/24 Q3" in progress and 'src="../progress.png"' in progress
    assert "<h3>Slipped this period (1)</h3>" in progress and "Volunteers - green space" in progress
    cells = '<td>Priority 1</td><td class="number">1</td><td class="number">2</td>'
    assert cells in progress


@pytest.mark.slow
def test_a_rollback_removes_its_period_from_the_history(quarters, tmp_path):
    out, _ = quarters
    copy = shutil.copytree(out, tmp_path / "processed")
    shutil.copytree(out.parent / "processed.releases", tmp_path / "processed.releases")
    assert main(["rollback", "--out", str(copy)]) == 0
    history = _table(copy, "action_history")
    assert sorted(set(history.period)) == [Q1, Q2]
    # the next run of Q3 rebuilds its period from the releases the live one rests on
    assert main(["run", str(QUARTERS / "plan-2023-24-q3.txt"), "--out", str(copy)]) == 0
    rebuilt = _table(copy, "action_history")
    assert sorted(set(rebuilt.period)) == [Q1, Q2, Q3]
    assert len(rebuilt) == len(_table(out, "action_history"))


def test_a_status_resting_on_an_unsure_timescale_says_so(shipped):
    # the shipped plan: 13 empty Timescale cells, Priority 4's 24 actions with no Timescale
    # column and 2 low-confidence readings; their statuses are the pipeline's guesses
    release = shipped / "processed"
    progress = _table(release, "action_progress")
    assert (progress.confidence != "high").sum() == 39
    assert set(progress[progress.priority_number == 4].confidence) == {"none"}
    report = (release / "progress.md").read_text(encoding="utf-8")
    assert "39 of these statuses rest on a timescale read with low or no confidence" in report
