"""Extracted rows into actions: repeats collapsed, text cleaned, stable ids."""

from __future__ import annotations

import hashlib

import pandas as pd
import regex

from pipeline.normalise.text import cell_to_text, summary_to_text
from pipeline.review import review_entries
from pipeline.schema import ACTIONS, CELL_FIELDS, LINE, PARAGRAPHS, TEXT_COLUMNS, assign_objects

_CLEANERS = {LINE: cell_to_text, PARAGRAPHS: summary_to_text}


def rows_to_actions(rows: pd.DataFrame) -> pd.DataFrame:
    """One action per row that is not a verbatim repeat.

    Needs the ROWS columns. Returns the ACTIONS columns in document order, with
    text cleaned (summary as one item per line) and each collapsed repeat's
    locator kept in ``duplicate_locators``. Columns the other normalisers fill
    are present and empty.
    """
    repeats = rows[rows["duplicate_of"].notna()]
    repeat_locators = (  # a dict: a pandas lookup per action cost more than the grouping
        repeats.groupby("duplicate_of", sort=False)["source_locator"].agg(list).to_dict()
    )
    kept = rows[rows["duplicate_of"].isna()].reset_index(drop=True)

    columns = {name: kept[name] for name in ("priority_number", "priority_title", "source_file")}
    columns.update(
        {name: _cleaned(kept[name], _CLEANERS[TEXT_COLUMNS[name]]) for name in CELL_FIELDS}
    )
    columns["other_columns"] = kept["other_columns"].map(_clean_other_columns)
    columns["source_locator"] = kept["source_locator"]
    columns["duplicate_locators"] = [
        list(repeat_locators.get(locator, [])) for locator in kept["source_locator"]
    ]
    return ACTIONS.frame(columns)


def _cleaned(cells: pd.Series, clean) -> list[str | None]:
    """``clean`` once per distinct cell: a plan repeats its organisations, officers,
    timescales and categories row after row."""
    values = cells.tolist()
    done = {cell: clean(cell) for cell in set(values)}
    return [done[cell] for cell in values]


def _clean_other_columns(cells: dict | None) -> dict | None:
    """Unknown columns' cells as plain text, paragraphs kept apart: nothing is known of them."""
    return {label: summary_to_text(text) for label, text in cells.items()} if cells else None


_KEY_JUNK = regex.compile(r"[^\p{L}\p{N}]+")


def identity_key(text: str | None) -> str:
    """Text reduced to what identifies it: case, punctuation and '&'/'and' ignored."""
    text = (text or "").casefold().replace("&", " and ")
    return _KEY_JUNK.sub(" ", text).strip()


def assign_action_ids(actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every action an id that survives next quarter's refresh.

    The id rests on what an action is, not on what it says this quarter: its
    priority, its headline and its lead organisation (the canonical id when
    resolved, else the cell's wording). Summary, timescale and officer can
    change and the id stays. Two actions that still share all three (or whose
    hashes meet) are told apart by document order, and listed for review
    since their ids would not survive reordering.

    Returns the actions with ``action_id`` filled, and the review entries.
    """
    organisation = actions["lead_org_id"].where(
        actions["lead_org_id"].notna(), actions["organisation_raw"].map(identity_key)
    )
    bases = [
        f"P{priority}-"
        + hashlib.sha256(f"{priority}|{identity_key(headline)}|{org}".encode()).hexdigest()[:12]
        for priority, headline, org in zip(
            actions["priority_number"], actions["headline_action"], organisation, strict=True
        )
    ]
    seen: dict[str, int] = {}
    ids, review = [], []
    for base in bases:
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    for position, base in enumerate(bases):
        if seen[base] > 1:
            action = actions.iloc[position]
            review.append(
                {
                    "action_id": ids[position],
                    "source_file": action["source_file"],
                    "source_locator": action["source_locator"],
                    "field": "action_id",
                    "value": action["headline_action"],
                    "reason": "ambiguous_identity",
                    "detail": "another action of this priority has the same headline and "
                    "organisation; told apart by document order",
                }
            )
    return assign_objects(actions, action_id=ids), review_entries(review)
