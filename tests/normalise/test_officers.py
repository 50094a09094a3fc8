"""The Lead Officer cell: names without ranks, organisations from the brackets."""

import pytest

from pipeline.normalise.officers import read_officer_cell


def read(cell, config):
    return read_officer_cell(
        cell, config.registry, config.cell_words, config.officer_words, config.similarity_threshold
    )


@pytest.mark.parametrize(
    ("cell", "names", "titles", "org_ids"),
    [
        (
            "Caroline Holmes/ Andy Lawman (KMBC)",
            ["Caroline Holmes", "Andy Lawman"],
            ["", ""],
            ["kmbc"],
        ),
        (
            "Inspector Dave Grant & Chief Inspector Paul Jones (Merpol)",
            ["Dave Grant", "Paul Jones"],
            ["Inspector", "Chief Inspector"],
            ["merseyside-police"],
        ),
        (
            "Mike Berry, Office of the Police and Crime Commissioner (Merpol)",
            ["Mike Berry"],
            [""],
            ["merseyside-police", "merseyside-opcc"],
        ),
        ("D/Supt Siobhan Gainer (Merpol)", ["Siobhan Gainer"], ["D/Supt"], ["merseyside-police"]),
        ("C/Supt Andy Ryan (Merpol)", ["Andy Ryan"], ["C/Supt"], ["merseyside-police"]),
        ("DCI Paul Grounds (Merpol)", ["Paul Grounds"], ["DCI"], ["merseyside-police"]),
        (
            "Simon Pierce/Mark Doyle (StH&KCC)",
            ["Simon Pierce", "Mark Doyle"],
            ["", ""],
            ["knowsley-community-college"],
        ),
        (
            "Andrew Donaldson / Caroline Holmes (KMBC)",
            ["Andrew Donaldson", "Caroline Holmes"],
            ["", ""],
            ["kmbc"],
        ),
        (
            "Inspector Mark Berry and Inspector Dave Morgan (Merpol)",
            ["Mark Berry", "Dave Morgan"],
            ["Inspector", "Inspector"],
            ["merseyside-police"],
        ),
        (
            "Lesley-Martin Wright (Knowsley Chamber)",
            ["Lesley-Martin Wright"],
            [""],
            ["knowsley-chamber"],
        ),
        ("Alison Lee (ICS)", ["Alison Lee"], [""], ["nhs-cheshire-merseyside"]),
        ("Jenny Rollinson", ["Jenny Rollinson"], [""], []),
        # a title written with a full stop is still a title, not part of the name
        ("Prof. Tom Brown", ["Tom Brown"], ["Prof."], []),
        ("Dr. A Jones (KMBC)", ["A Jones"], ["Dr."], ["kmbc"]),
        ("Revd Ann Lee", ["Ann Lee"], ["Revd"], []),
        # honours after a name are no part of it; "(interim)" qualifies the officer
        ("Jane Smith MBE", ["Jane Smith"], ["MBE"], []),
        ("Dr Jane Smith, MBE (KMBC)", ["Jane Smith"], ["Dr MBE"], ["kmbc"]),
        ("DCI Tom Brown QPM (Merpol)", ["Tom Brown"], ["DCI QPM"], ["merseyside-police"]),
        ("Jane Smith (interim)", ["Jane Smith"], [""], []),
        # a spaced dash separates a name from its organisation or qualifier, as a
        # bracket does; a hyphen inside a name does not
        ("Jane Smith - KMBC", ["Jane Smith"], [""], ["kmbc"]),
        ("Jane Smith – Merseyside Police", ["Jane Smith"], [""], ["merseyside-police"]),
        ("Jane Smith - interim", ["Jane Smith"], [""], []),
        ("Mary Smith-Jones (KMBC)", ["Mary Smith-Jones"], [""], ["kmbc"]),
        # lower-case particles of a name (name_particles) are part of it
        ("Jo van der Berg (KMBC)", ["Jo van der Berg"], [""], ["kmbc"]),
        ("Ana de la Cruz", ["Ana de la Cruz"], [""], []),
        # a chief officer's rank is a title, as an inspector's is
        ("Chief Constable Serena Kennedy", ["Serena Kennedy"], ["Chief Constable"], []),
        # ranks as reports shorten them, fire and rescue ranks, a mayor
        ("Det Supt Jo Smith", ["Jo Smith"], ["Det Supt"], []),
        ("Sgt Jo Smith (Merpol)", ["Jo Smith"], ["Sgt"], ["merseyside-police"]),
        (
            "Station Manager Jo Smith (MFRS)",
            ["Jo Smith"],
            ["Station Manager"],
            ["merseyside-fire-rescue"],
        ),
        ("Mayor Jo Smith", ["Jo Smith"], ["Mayor"], []),
        ("", [], [], []),
        (None, [], [], []),
    ],
)
def test_officer_cell(config, cell, names, titles, org_ids):
    reading = read(cell, config)
    assert list(reading.names) == names
    assert list(reading.titles) == titles
    assert [m.org_id for m in reading.organisations] == org_ids
    assert reading.doubts == ()


def test_typo_in_the_bracket_resolves_by_similarity_and_is_reported(config):
    reading = read("D/Supt Siobhan Gainer (Merpel)", config)
    assert [m.org_id for m in reading.organisations] == ["merseyside-police"]
    assert [(d.field, d.value, d.reason) for d in reading.doubts] == [
        ("lead_officer_raw", "Merpel", "organisation_similarity")
    ]


def test_text_that_is_not_a_name_is_reported_not_published(config):
    reading = read("to be confirmed (KMBC)", config)
    assert reading.names == ()
    assert [d.reason for d in reading.doubts] == ["officer_not_understood"]


@pytest.mark.parametrize(
    ("cell", "left_out"),
    [
        ("Chief Executive", "Chief Executive"),
        ("Executive Director Place (KMBC)", "Executive Director Place"),
        ("Assistant Director Communities", "Assistant Director Communities"),
        ("Strategic Lead", "Strategic Lead"),
        ("Programme Manager", "Programme Manager"),
        ("All Directors", "All Directors"),
        ("Jane Smith / Service Director", "Service Director"),
        ("Chief Inspector (Merpol)", "Chief Inspector"),  # a rank with no name after it
        ("Chief Exec", "Chief Exec"),
        ("AD Communities", "AD Communities"),  # an assistant director's post
        ("CEO (KMBC)", "CEO"),
        # a body the registry does not know, beside a person: not a second person
        ("Dr Jane Smith, Knowsley Place", "Knowsley Place"),
        ("Jane Smith, Youth Offending Team", "Youth Offending Team"),
        ("Tom Brown / Kirkby Regeneration Group", "Kirkby Regeneration Group"),
    ],
)
def test_a_job_role_is_reported_not_published_as_a_persons_name(config, cell, left_out):
    """Lead Officer cells often name a post, not a person: its capitalised words look
    like a name, and a post published in lead_officers would be a wrong value."""
    reading = read(cell, config)
    assert left_out not in reading.names
    assert (left_out, "officer_not_understood") in [(d.value, d.reason) for d in reading.doubts]
