"""`python -m pipeline decide`: a decision checked, previewed and appended, through the CLI.

Each test works on a copy of pipeline/reference/, checked against the shipped
plan's release where it needs action ids.
"""

import shutil

import pandas as pd
import pytest
import yaml

from pipeline.cli import main
from pipeline.reference import REFERENCE_DIR, load_decisions


@pytest.fixture
def reference(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def decide(reference, *args, release=None):
    where = ["--reference", str(reference), "--release", str(release or reference / "none")]
    return main(["decide", *args, "--by", "A. Analyst", *where])


def test_an_alias_is_appended_below_the_comments_with_who_when_and_why(reference, capsys):
    before = (reference / "decisions.yaml").read_text()
    code = decide(reference, "alias", "Merpel", "merseyside-police", "--why", "typo: for Merpol")
    assert code == 0
    out = capsys.readouterr().out
    assert "'Merpel' will be read as merseyside-police (Merseyside Police)" in out
    assert "saved as entry 1 of" in out
    text = (reference / "decisions.yaml").read_text()
    assert text.startswith(before.rstrip("\n"))  # the examples and comments are kept
    (entry,) = load_decisions(reference / "decisions.yaml")
    assert entry["why"] == "typo: for Merpol"  # a colon in why is quoted, not a YAML error
    assert entry["by"] == "A. Analyst" and len(entry["date"]) == 10


def test_a_second_decision_follows_the_first(reference, capsys):
    decide(reference, "alias", "Merpel", "merseyside-police", "--why", "typo")
    decide(reference, "alias", "K.M.B.C", "kmbc", "--why", "abbreviation")
    assert "saved as entry 2 of" in capsys.readouterr().out
    assert [e["spelling"] for e in load_decisions(reference / "decisions.yaml")] == [
        "Merpel",
        "K.M.B.C",
    ]


def test_a_file_ending_in_an_empty_list_takes_entries_after_it(reference):
    # the file as shipped before: comments, then "[]"; entries appended below it would not load
    (reference / "decisions.yaml").write_text("# decisions\n[]\n")
    assert decide(reference, "alias", "Merpel", "merseyside-police", "--why", "typo") == 0
    assert len(load_decisions(reference / "decisions.yaml")) == 1


def test_an_unknown_organisation_is_refused_with_the_nearest_ones(reference, capsys):
    before = (reference / "decisions.yaml").read_text()
    code = decide(reference, "alias", "Merpel", "merseyside-polce", "--why", "typo")
    assert code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert (
        "no organisation 'merseyside-polce' in the registry; did you mean merseyside-police" in line
    )
    assert (reference / "decisions.yaml").read_text() == before


def test_a_dry_run_previews_and_saves_nothing(reference, capsys):
    before = (reference / "decisions.yaml").read_text()
    code = decide(reference, "alias", "Merpel", "merseyside-police", "--why", "typo", "--dry-run")
    assert code == 0
    assert "dry run: nothing saved" in capsys.readouterr().out
    assert (reference / "decisions.yaml").read_text() == before


def test_a_timescale_is_previewed_as_it_will_be_read(reference, shipped, capsys):
    release = shipped / "processed"
    args = ("timescale", "P1-85e86ec49bfa", "May 2022 to March 2023", "--why", "season")
    assert decide(reference, *args, "--dry-run", release=release) == 0
    assert (
        "P1-85e86ec49bfa (Operation Rain): 'May 2022 to March 2023' will be read as scheduled, "
        "2022-05-01 to 2023-03-31 (high, A5 range)"
    ) in capsys.readouterr().out


def test_a_timescale_not_fully_explained_is_saved_with_a_warning(reference, shipped, capsys):
    release = shipped / "processed"
    args = ("timescale", "P1-85e86ec49bfa", "May 2022 probably", "--why", "owner unsure")
    assert decide(reference, *args, release=release) == 0
    assert "warning: not every word is explained by a rule" in capsys.readouterr().err


def test_an_unknown_action_id_is_refused_with_the_nearest_ids_and_headlines(
    reference, shipped, capsys
):
    release = shipped / "processed"
    code = decide(reference, "organisation", "P1-85e86ec4", "kmbc", "--why", "x", release=release)
    assert code == 2
    err = capsys.readouterr().err
    assert (
        "no action 'P1-85e86ec4' in the live release; did you mean P1-85e86ec49bfa (Operation Rain)"
        in err
    )


def test_the_next_run_applies_every_decision_saved(reference, shipped, tmp_path, capsys):
    release = shipped / "processed"
    decide(reference, "alias", "Merpel", "merseyside-police", "--why", "typo", release=release)
    decide(reference, "organisation", "P3-fc33a94d456e", "kmbc", "--why", "x", release=release)
    out = tmp_path / "processed"
    assert main(["run", "--out", str(out), "--reference", str(reference)]) == 0
    assert "2 of 2 decision(s) applied" in capsys.readouterr().out
    decided = yaml.safe_load((reference / "decisions.yaml").read_text())
    assert [entry["kind"] for entry in decided] == ["alias", "organisation"]


def test_a_gap_acknowledged_once_takes_a_whole_priority_off_the_count(
    reference, shipped, tmp_path, capsys
):
    release = shipped / "processed"
    args = ("acknowledge", "Priority 4", "missing_column", "--why", "no Timescale column")
    assert decide(reference, *args, release=release) == 0
    assert "1 missing_column entry of Priority 4 will leave the review count" in (
        capsys.readouterr().out
    )
    out = tmp_path / "processed"
    assert main(["run", "--out", str(out), "--reference", str(reference)]) == 0
    assert "19 value(s) sent to review (1 more acknowledged)" in capsys.readouterr().out
    review = pd.read_csv(out / "review.csv", dtype=str, keep_default_na=False)
    settled = review.acknowledged != ""
    assert settled.sum() == 1 and set(review[settled].priority_number) == {"4"}
    assert not settled[: (~settled).sum()].any()  # the open entries come first
    assert set(review[settled].acknowledged) == {"A. Analyst: no Timescale column"}


def test_accepting_an_entry_names_the_reasons_there_are_when_it_is_misspelt(
    reference, shipped, capsys
):
    release = shipped / "processed"
    args = ("accept", "P1-85e86ec49bfa", "timescale_low_confidenc", "--why", "x")
    assert decide(reference, *args, release=release) == 2
    assert (
        "no 'timescale_low_confidenc' entry for action P1-85e86ec49bfa in the review list "
        "(timescale_low_confidence)"
    ) in capsys.readouterr().err
