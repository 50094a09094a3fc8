"""The Partnership/Organisation cell, in the shapes the Knowsley plan writes it."""

import pandas as pd
import pytest

from pipeline.normalise.organisations import read_organisation_cell
from tests.conftest import SHIPPED_PLAN


def read(cell, config):
    return read_organisation_cell(
        cell, config.registry, config.cell_words, config.similarity_threshold
    )


@pytest.mark.parametrize(
    ("cell", "mode", "org_ids"),
    [
        ("KMBC", "single", ["kmbc"]),
        ("KMBC - C&N", "single", ["kmbc-cn"]),
        ("KMBC - all", "single", ["kmbc"]),
        ("KMBC - Children/ Resources", "single", ["kmbc-childrens", "kmbc-resources"]),
        (
            "Partnership - Community Safety Partnership",
            "partnership",
            ["community-safety-partnership"],
        ),
        (
            "Partnership - KMBC - C&N, Children's with One Knowsley, Merseyside Youth Association",
            "partnership",
            ["kmbc-cn", "kmbc-childrens", "one-knowsley", "merseyside-youth-association"],
        ),
        ("Merseyside Police & KMBC", "single", ["merseyside-police", "kmbc"]),
        ("LCRCA led Joint Venture", "partnership", ["lcrca"]),
        ("Partnership - KMBC/ all", "partnership", ["kmbc"]),
        (
            "Partnership - Merseyside Police, local domestic abuse services, Community Safety "
            "Partnership, ASC, CCG, Champs, Open University.",
            "partnership",
            [
                "merseyside-police",
                "community-safety-partnership",
                "kmbc-hasc",
                "knowsley-ccg",
                "champs",
                "open-university",
            ],
        ),
        ("Partnership- One Knowsley", "partnership", ["one-knowsley"]),
        ("Partnership - One Knowsley Knowsley Council", "partnership", ["one-knowsley", "kmbc"]),
        ("Partnership - KMBC-Children's plus others", "partnership", ["kmbc-childrens"]),
        (
            "Knowsley Better Together Net Zero Group (KMBC and Partners)",
            "partnership",  # names a partnership body
            ["knowsley-net-zero-group", "kmbc"],
        ),
        (
            "Partnership - Best Start for Life Group (new) - KMBC, Wirral Community Health NHS "
            "Trust, maternity service partners",
            "partnership",
            ["best-start-for-life-group", "kmbc", "wirral-community-health"],
        ),
        ("Partnership - RED/ CA", "partnership", ["kmbc-red", "lcrca"]),
        ("Partnership - KMBC/ KMBC", "partnership", ["kmbc"]),  # no repeats
        # how a partner joins in: the council leads, the other is a partner, never
        # part of a longer name (the council had been lost, the partner made the lead)
        ("KMBC in partnership with Knowsley Chamber", "partnership", ["kmbc", "knowsley-chamber"]),
        ("KMBC with support from Merseyside Police", "single", ["kmbc", "merseyside-police"]),
        ("KMBC supported by Merseyside Police", "single", ["kmbc", "merseyside-police"]),
        ("KMBC in conjunction with Merseyside Police", "single", ["kmbc", "merseyside-police"]),
        ("KMBC (lead), Merseyside Police (partner)", "single", ["kmbc", "merseyside-police"]),
        ("KMBC, partner TBC", "single", ["kmbc"]),  # a partner not yet named
        ("KMBC / N/A", "single", ["kmbc"]),  # N/A is one word, not the names N and A
        # a directorate in brackets after its council is the directorate, as after a dash
        ("KMBC (C&N)", "single", ["kmbc-cn"]),
        ("Knowsley Council (Public Health)", "single", ["kmbc-public-health"]),
        ("KMBC: Children's Services", "single", ["kmbc-childrens"]),
        # a directorate with its council in brackets after it is that directorate
        ("Public Health (KMBC)", "single", ["kmbc-public-health"]),
        ("RED (KMBC), Merseyside Police", "single", ["kmbc-red", "merseyside-police"]),
        # "NHS" opens the CCG's own name, not the unnamed local NHS beside it
        ("NHS Knowsley CCG", "single", ["knowsley-ccg"]),
    ],
)
def test_cell_language(config, cell, mode, org_ids):
    reading = read(cell, config)
    assert (reading.delivery_mode, reading.org_ids) == (mode, org_ids)
    assert reading.doubts == ()


def test_spellings_are_kept_as_written_and_how_they_matched(config):
    reading = read("Partnership - kmbc / Knowsley  Chamber", config)
    assert [(m.org_id, m.spelling, m.match) for m in reading.mentions] == [
        ("kmbc", "kmbc", "normalised"),
        ("knowsley-chamber", "Knowsley  Chamber", "normalised"),
    ]


def test_a_directorate_in_brackets_keeps_its_bracket_in_the_spelling(config):
    reading = read("KMBC (C&N), Merseyside Police", config)
    assert [(m.org_id, m.spelling) for m in reading.mentions] == [
        ("kmbc-cn", "KMBC (C&N)"),
        ("merseyside-police", "Merseyside Police"),
    ]
    assert reading.doubts == ()


def test_short_acronyms_match_only_in_capitals(config):
    assert read("Partnership - red / ca", config).org_ids == []


def test_typo_resolves_by_similarity_and_is_reported(config):
    reading = read("Merpel", config)
    assert reading.org_ids == ["merseyside-police"]
    (doubt,) = reading.doubts
    assert (doubt.value, doubt.reason) == ("Merpel", "organisation_similarity")
    assert "Merpol" in doubt.detail and "83" in doubt.detail


def test_unknown_name_is_left_out_and_reported_with_its_three_nearest(config):
    reading = read("Partnership - Knowsley Housing Trust / KMBC", config)
    assert reading.org_ids == ["kmbc"]
    (doubt,) = reading.doubts
    assert (doubt.value, doubt.reason) == ("Knowsley Housing Trust", "organisation_unresolved")
    assert doubt.detail.startswith("nearest: ") and doubt.detail.count("(") == 3


@pytest.mark.parametrize(
    ("cell", "inside"),
    [
        ("NHS England", "'NHS' (local-nhs)"),  # a national body, not the local NHS
        ("LCR Growth Hub", "'LCR' (lcrca)"),
        ("Mersey Care NHS Foundation Trust", "'NHS' (local-nhs)"),
        ("Knowsley Safeguarding Children", "'Children' (kmbc-childrens)"),
    ],
)
def test_a_registry_name_running_into_unknown_words_is_part_of_a_longer_name(config, cell, inside):
    reading = read(cell, config)
    assert reading.org_ids == []
    unresolved = reading.doubts[0]
    assert (unresolved.value, unresolved.reason) == (cell, "organisation_unresolved")
    assert f"{inside} runs into other words" in unresolved.detail


def test_a_separator_keeps_a_name_apart_from_the_unknown_words_beside_it(config):
    reading = read("Merseyside Police / Merseytravel", config)
    assert reading.org_ids == ["merseyside-police"]
    assert [(d.value, d.reason) for d in reading.doubts] == [
        ("Merseytravel", "organisation_unresolved")
    ]


@pytest.mark.parametrize(
    ("cell", "nearest"),
    [
        ("Merseyside Fire", "merseyside-police ('Merseyside Police', 81)"),
        ("Knowsley CVS", "kmbc ('Knowsley MBC', 83)"),
    ],
)
def test_a_shared_word_is_not_a_misspelling(config, cell, nearest):
    """Above the threshold as a whole, but "fire" is no misspelling of "police"."""
    reading = read(cell, config)
    assert reading.org_ids == []
    assert reading.doubts[0].reason == "organisation_unresolved"
    assert nearest in reading.doubts[0].detail


def test_a_run_like_a_longer_name_is_read_by_similarity_and_reported(config):
    reading = read("KMBC (lead), Livv Housing", config)
    assert reading.org_ids == ["kmbc", "livv"]
    (doubt,) = reading.doubts
    assert (doubt.value, doubt.reason) == ("Livv Housing", "organisation_similarity")
    assert "LIVV Housing Group" in doubt.detail


def test_threshold_decides_between_similarity_and_unresolved(config):
    strict = read_organisation_cell("Merpel", config.registry, config.cell_words, 90)
    assert strict.org_ids == []
    assert strict.doubts[0].reason == "organisation_unresolved"


@pytest.mark.parametrize("cell", ["", "   ", None])
def test_empty_cell_names_no_organisation_and_is_reported(config, cell):
    reading = read(cell, config)
    assert (reading.delivery_mode, reading.org_ids) == (None, [])
    assert [d.reason for d in reading.doubts] == ["no_organisation"]


@pytest.mark.parametrize("cell", ["N/A", "TBC", "To be confirmed"])
def test_a_cell_that_names_no_one_yet_is_one_review_entry_not_fragments(config, cell):
    reading = read(cell, config)
    assert reading.org_ids == []
    assert [(d.value, d.reason) for d in reading.doubts] == [(cell, "no_organisation")]


def test_every_organisation_cell_of_the_shipped_plan_resolves_without_doubt(config):
    lines = SHIPPED_PLAN.read_text(encoding="utf-8").split("\n")
    cells = {
        line.split("\t")[5].strip()
        for line in lines
        if line.split("\t")[0] in {"Internal", "External", "Partnership"}
    }
    for cell in cells - {""}:
        reading = read(cell, config)
        assert reading.org_ids, cell
        assert reading.doubts == (), cell


def test_resolve_organisations_fills_the_columns_and_keeps_every_row(config):
    from pipeline.normalise.organisations import resolve_organisations

    actions = pd.DataFrame({"organisation_raw": ["KMBC - RED", "", "Livv"]})
    filled, readings = resolve_organisations(
        actions, config.registry, config.cell_words, config.similarity_threshold
    )
    assert filled.lead_org_id.tolist() == ["kmbc-red", None, "livv"]
    assert filled.org_ids.tolist() == [["kmbc-red"], [], ["livv"]]
    assert filled.delivery_mode.tolist() == ["single", None, "single"]
    assert len(readings) == 3
    assert actions.columns.tolist() == ["organisation_raw"]  # the argument is not mutated
