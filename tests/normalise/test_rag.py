"""RAG cells read against reference/rag_ratings.yaml: a listed spelling, or a doubt naming the cell."""

import pandas as pd
import pytest

from pipeline.normalise.rag import RatingsError, rating_index, read_rag_ratings
from pipeline.reference import load_rag_ratings

INDEX = rating_index(load_rag_ratings())


def read(*cells):
    actions = pd.DataFrame({"rag_status_raw": pd.Series(cells, dtype=object)})
    rated, doubts = read_rag_ratings(actions, INDEX)
    return rated.rag_status.tolist(), doubts


@pytest.mark.parametrize(
    ("cell", "rating"),
    [
        ("Green", "green"),
        ("G", "green"),
        (" AMBER ", "amber"),
        ("red.", "red"),
        ("Blue", "blue"),
        # BRAG in words, as a RAG column often gives it: blue is complete
        ("Complete", "blue"),
        ("Completed", "blue"),
        ("On Track", "green"),
        ("Off track", "red"),
        # a coloured circle or square typed as an emoji, as chat and spreadsheet tools do
        ("\U0001f7e2", "green"),
        ("\U0001f7e0", "amber"),
        ("\U0001f534", "red"),
        ("\U0001f7e6", "blue"),
        # the rating said twice, in words and in its colour
        ("On track (Green)", "green"),
        ("Blue - complete", "blue"),
    ],
)
def test_a_listed_spelling_is_its_rating(cell, rating):
    assert read(cell) == ([rating], [None])


def test_a_cell_spelt_otherwise_is_unrated_and_listed_with_its_words():
    (rating,), (doubt,) = read("Amber/Green")
    assert rating is None
    assert (doubt.field, doubt.value, doubt.reason) == (
        "rag_status_raw",
        "Amber/Green",
        "rag_not_understood",
    )


@pytest.mark.parametrize("cell", ["Amber/Red", "Green (Q2: Amber)", "\U0001f7e1", "\u2705"])
def test_two_ratings_a_yellow_circle_or_a_tick_are_listed_not_read(cell):
    (rating,), (doubt,) = read(cell)
    assert rating is None and doubt.reason == "rag_not_understood"


def test_no_column_or_an_empty_cell_is_no_rating_and_no_doubt():
    assert read(None, "") == ([None, None], [None, None])


def test_a_spelling_under_two_ratings_is_refused():
    with pytest.raises(RatingsError, match="spelling 'A': means both amber and blue"):
        rating_index({"amber": ["A"], "blue": ["A"]})


@pytest.mark.parametrize(
    ("cell", "rating"),
    [
        ("fill #00B050", "green"),  # a cell shaded green, no text
        ("● #00B050", "green"),  # a green dot: rated as that fill is
        ("■ #FFC000", "amber"),
        ("● ● #FF0000", "red"),
    ],
)
def test_a_rating_by_colour_alone_is_read_from_the_listed_fills(cell, rating):
    assert read(cell) == ([rating], [None])


@pytest.mark.parametrize("cell", ["●", "● #FFFF00", "fill #FFFF00", "x #00B050"])
def test_a_shape_with_no_colour_or_an_unlisted_one_is_not_understood(cell):
    (rating,), (doubt,) = read(cell)
    assert rating is None and doubt.reason == "rag_not_understood"
