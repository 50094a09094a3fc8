"""RAG ratings: the monitoring column's cell read against reference/rag_ratings.yaml."""

from __future__ import annotations

import pandas as pd
import regex

from pipeline.normalise.actions import identity_key
from pipeline.review import Doubt
from pipeline.schema import assign_objects, is_rag_shape

_SHAPE_COLOUR = regex.compile(r"(?P<shape>.+) #(?P<colour>[0-9A-F]{6})")


class RatingsError(ValueError):
    """rag_ratings.yaml cannot be used as written."""


def rating_index(ratings: dict[str, list[str]]) -> dict[str, str]:
    """Spelling key -> rating; RatingsError names a spelling that means two ratings."""
    index: dict[str, str] = {}
    for rating, spellings in ratings.items():
        if not isinstance(spellings, list) or not spellings:
            raise RatingsError(f"rating {rating}: needs a list of spellings")
        for spelling in spellings:
            owner = index.setdefault(_key(str(spelling)), rating)
            if owner != rating:
                raise RatingsError(f"spelling {spelling!r}: means both {owner} and {rating}")
    return index


def _key(text: str) -> str:
    """How a spelling is looked up: case, spacing and punctuation ignored; a spelling of
    symbols alone ("\U0001f7e2", a green circle) as written."""
    return identity_key(text) or text.strip()


# Where a cell may say its rating twice: "On track (Green)", "Blue - complete"
_PARTS = regex.compile(r"\s*(?:[()/,;:]|\s\p{Pd}\s)\s*")


def _rating(raw: str, index: dict[str, str]) -> str | None:
    """The cell's rating: its spelling's, or the one every part of it names."""
    rating = index.get(_key(raw))
    if rating is None:
        parts = {index.get(_key(part)) for part in _PARTS.split(raw) if part.strip()}
        rating = parts.pop() if len(parts) == 1 else None
    return rating


def read_rag_ratings(
    actions: pd.DataFrame, index: dict[str, str]
) -> tuple[pd.DataFrame, list[Doubt | None]]:
    """``rag_status`` from ``rag_status_raw``; a cell that is no listed spelling stays
    unrated, with a doubt naming it (one per action, None where there is none)."""
    ratings, doubts = [], []
    for raw in actions["rag_status_raw"]:
        rating = _rating(raw, index) if raw else None
        shaped = _SHAPE_COLOUR.fullmatch(raw or "")
        if rating is None and shaped and is_rag_shape(shaped["shape"]):
            # "● #00B050": rated as a cell of that fill is (rag_ratings.yaml lists colours once)
            rating = index.get(_key(f"fill #{shaped['colour']}"))
        ratings.append(rating)
        doubts.append(
            Doubt(
                "rag_status_raw",
                raw,
                "rag_not_understood",
                "no rating in reference/rag_ratings.yaml is spelt so: published without rag_status",
            )
            if raw and rating is None
            else None
        )
    return assign_objects(actions, rag_status=ratings), doubts
