"""The registry file: its rules, and the matching that rests on it."""

import pytest

from pipeline.normalise.registry import Registry, fold_name
from pipeline.reference import load_registry_records, load_vocabulary

TYPES = load_vocabulary()["organisation_types"]


def entry(org_id, *aliases, parent=None, type="council"):
    return {
        "id": org_id,
        "name": org_id.title(),
        "type": type,
        "parent": parent,
        "aliases": list(aliases),
    }


def test_shipped_registry_loads_and_every_type_and_parent_is_known():
    registry = Registry(load_registry_records(), TYPES)
    assert len(registry.organisations) >= 30
    assert registry.organisations["kmbc-cn"].parent == "kmbc"


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([entry("a"), entry("a")], "id 'a' appears twice"),
        ([entry("a", parent="b")], "unknown parent 'b'"),
        ([entry("a", type="church")], "unknown type 'church'"),
        ([entry("a", "Same Name"), entry("b", "same  name")], "names both a and b"),
    ],
)
def test_registry_mistakes_are_caught_on_load(records, message):
    with pytest.raises(ValueError, match=message):
        Registry(records, TYPES)


def test_names_fold_case_punctuation_ampersand_saint_and_possessive():
    assert fold_name("St Helens & Knowsley") == fold_name("saint helens and knowsley")
    assert fold_name("Children's") == fold_name("Childrens")
    assert fold_name("KMBC-C&N") == fold_name("kmbc c and n")


def test_longest_alias_wins_where_two_could_start():
    registry = Registry(
        [entry("csp", "Community Safety Partnership"), entry("cs", "Community Safety")], TYPES
    )
    assert [m.org_id for m in registry.find_names("the Community Safety Partnership")] == ["csp"]


def test_longest_alias_wins_where_two_overlap_from_different_words():
    registry = Registry(
        [entry("police", "Merseyside Police"), entry("opcc", "Police and Crime Commissioner")],
        TYPES,
    )
    found = registry.find_names("Merseyside Police and Crime Commissioner")
    assert [(m.org_id, m.spelling) for m in found] == [("opcc", "Police and Crime Commissioner")]
    both = registry.find_names("Merseyside Police, Police and Crime Commissioner")
    assert [m.org_id for m in both] == ["police", "opcc"]


def test_nearest_ranks_by_similarity():
    registry = Registry(load_registry_records(), TYPES)
    best = registry.nearest("Merpel")[0]
    assert (best.org_id, best.alias) == ("merseyside-police", "Merpol")
