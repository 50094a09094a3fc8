"""Every table's columns, types and meanings, in one place.

Writers, readers, the quality gates and the published data dictionary all take
their column lists from here, so a column is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# The published tables' contract version (shared/spec/outputs.md): bump the
# major number when a published column is renamed or removed, the minor number
# when one is added. It is recorded in processed/datapackage.json.
SCHEMA_VERSION = "1.2.0"

# Column types, named as in Frictionless Table Schema. "list" is a list of
# strings: an Arrow list in Parquet, ";"-joined in CSV.
STRING, INTEGER, DATE, LIST, BOOLEAN = "string", "integer", "date", "list", "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    key: tuple[str, ...] = ()  # columns that identify a row, for the data dictionary

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def types(self) -> dict[str, str]:
        return {column.name: column.type for column in self.columns}

    def frame(self, records) -> pd.DataFrame:
        """Records (dicts or a dict of columns) as this table's frame.

        Text, dates and lists stay Python objects so a missing value is None,
        not pandas' NaN; whole integer columns become int64.
        """
        frame = pd.DataFrame(records, columns=self.names, dtype=object)
        frame = frame.where(frame.notna(), None)
        for name, kind in self.types().items():
            if kind == INTEGER and len(frame) and frame[name].notna().all():
                frame[name] = frame[name].astype("int64")
        return frame


# The cells a plan table can hold, in the document's usual order. A header row
# is mapped onto these by reference/columns.yaml.
CELL_FIELDS: tuple[str, ...] = (
    "focus",
    "delivery",
    "key_objective",
    "headline_action",
    "summary",
    "organisation_raw",
    "lead_officer_raw",
    "timescale_raw",
)

_CELL_DESCRIPTIONS = {
    "focus": "Focus cell: Internal, External or Partnership",
    "delivery": "Delivery cell: Strategic or Operational",
    "key_objective": "Key Objective cell",
    "headline_action": "Headline Action cell, wrapped lines joined",
    "summary": "Summary cell",
    "organisation_raw": "Partnership/Organisation cell as written, whitespace collapsed",
    "lead_officer_raw": "Lead Officer cell as written, whitespace collapsed",
    "timescale_raw": "Timescale cell, whitespace collapsed; empty when the table has no such column",
}

_SOURCE = (
    Column("source_file", STRING, "name of the document the row was read from"),
    Column(
        "source_locator",
        STRING,
        "where in the document: 'line 12-14' (text), 'page 3 row 2' (PDF), 'table 2 row 7' (Word)",
    ),
)

ROWS = Table(
    "rows",
    "Every table row of the document as extracted, cells untouched but for wrapped "
    "continuations joined. A cell is null when its table has no such column.",
    (
        *_SOURCE,
        Column("row_order", INTEGER, "position of the row in reading order, from 1"),
        Column("table_number", INTEGER, "which table of the document, from 1"),
        Column("priority_number", INTEGER, "priority the row sits under, as numbered"),
        Column("priority_title", STRING, "that priority's heading text"),
        *(Column(name, STRING, _CELL_DESCRIPTIONS[name]) for name in CELL_FIELDS),
        Column(
            "duplicate_of",
            STRING,
            "locator of an earlier row in the same priority with the same cells; "
            "such a row is collapsed into that one",
        ),
    ),
)

ACTIONS = Table(
    "actions",
    "One row per action in the plan.",
    (
        Column(
            "action_id",
            STRING,
            "stable identifier from priority, headline and lead organisation; "
            "kept across refreshes when other cells change",
        ),
        Column("priority_number", INTEGER, "1, 2, ... as numbered in the document"),
        Column("priority_title", STRING, "the priority's heading text"),
        Column("focus", STRING, "Internal, External or Partnership"),
        Column("delivery", STRING, "Strategic or Operational"),
        Column("key_objective", STRING, "Key Objective text"),
        Column("headline_action", STRING, "Headline Action text, wrapped lines joined"),
        Column(
            "summary",
            STRING,
            "plain text: markup and bullet glyphs removed, entities decoded, "
            "each list item (and any text before the list) on its own line",
        ),
        Column("organisation_raw", STRING, _CELL_DESCRIPTIONS["organisation_raw"]),
        Column(
            "delivery_mode",
            STRING,
            "'partnership' when the organisation cell says Partnership or names a "
            "partnership body, else 'single'",
        ),
        Column("lead_org_id", STRING, "canonical id of the leading organisation"),
        Column("org_ids", LIST, "every organisation involved, lead first"),
        Column("lead_officer_raw", STRING, _CELL_DESCRIPTIONS["lead_officer_raw"]),
        Column("lead_officers", LIST, "officers' names, titles and ranks removed"),
        Column(
            "lead_officer_titles",
            LIST,
            "each officer's rank or title as written ('Supt', 'Chief Inspector'), '' where none",
        ),
        Column("lead_officer_org_ids", LIST, "canonical ids of the officers' organisations"),
        Column("timescale_raw", STRING, _CELL_DESCRIPTIONS["timescale_raw"]),
        Column("status", STRING, "scheduled, ongoing, complete or unknown"),
        Column("start_date", DATE, "inclusive start; empty when the text states none"),
        Column("end_date", DATE, "inclusive end; empty when the text states none"),
        Column(
            "confidence",
            STRING,
            "high (every word of the cell explained by a rule), low (a fallback guess) or "
            "none (not understood): how the timescale was read",
        ),
        Column(
            "timescale_rule",
            STRING,
            "the rule that read the timescale, e.g. 'R1 financial year', 'A1 financial-year "
            "quarter', 'R10 several parts', 'R12 fallback (dateparser)', 'decision'",
        ),
        Column(
            "decided",
            LIST,
            "the columns a decision in decisions.yaml set for this action (an accepted "
            "spelling, its organisations or its timescale), empty when none did",
        ),
        *_SOURCE,
        Column(
            "duplicate_locators",
            LIST,
            "locators of rows that repeated this one verbatim and were collapsed into it",
        ),
    ),
    key=("action_id",),
)

MILESTONES = Table(
    "milestones",
    "One row per dated part of a multi-part timescale (timescales.md R8, R10).",
    (
        Column("action_id", STRING, "the action whose timescale this part belongs to"),
        Column("seq", INTEGER, "order of the part in the timescale, from 1"),
        Column("label", STRING, "the words the timescale gives for the part, else empty"),
        Column("start_date", DATE, "inclusive start; empty when the part states none"),
        Column("end_date", DATE, "inclusive end; empty when the part states none"),
        Column("kind", STRING, "due, starts, period or ongoing"),
        Column("rule", STRING, "the rule that read this part, e.g. 'R4 month', 'A5 range'"),
        Column("source_text", STRING, "the words of the Timescale cell this part was read from"),
        *_SOURCE,
    ),
    key=("action_id", "seq"),
)

ORGANISATIONS = Table(
    "organisations",
    "The registry as used: every organisation an action names, and their parents.",
    (
        Column("org_id", STRING, "canonical id"),
        Column("name", STRING, "full name"),
        Column("short_name", STRING, "the name plans usually use"),
        Column("type", STRING, "council, council directorate, police, NHS body, ..."),
        Column("parent_org_id", STRING, "the organisation this one is part of, if any"),
        Column("aliases", LIST, "every spelling in the plan that resolved to it"),
        Column("action_count", INTEGER, "actions naming it directly, in any role"),
    ),
    key=("org_id",),
)

ACTION_ORGANISATIONS = Table(
    "action_organisations",
    "One row per action and organisation it names, by role.",
    (
        Column("action_id", STRING, "the action"),
        Column("org_id", STRING, "the organisation"),
        Column("role", STRING, "lead, partner or officer_org"),
        Column("spelling", STRING, "the organisation as the cell wrote it"),
        Column("match", STRING, "exact, normalised or similarity: how the spelling was resolved"),
        *_SOURCE,
    ),
    key=("action_id", "org_id", "role"),
)

CHANGES = Table(
    "changes",
    "What changed since the previous release, one row per change (processed/changes.csv).",
    (
        Column("action_id", STRING, "the action (for a reworded one, its new id)"),
        Column("change", STRING, "added, removed, reworded or changed"),
        Column("field", STRING, "the column that changed; action_id for a reworded action's id"),
        Column("old", STRING, "the value in the previous release, as its CSV writes it"),
        Column("new", STRING, "the value in this release, as its CSV writes it"),
    ),
)

REVIEW = Table(
    "review",
    "Every value the pipeline was unsure of, and every row it could not place.",
    (
        Column("action_id", STRING, "the action concerned; empty for a row that was not placed"),
        *_SOURCE,
        Column("field", STRING, "the column the doubtful value belongs to"),
        Column("value", STRING, "the doubtful value as written"),
        Column("reason", STRING, "a short code saying why it is listed"),
        Column("detail", STRING, "what the pipeline did with it, in words"),
    ),
)


def assign_objects(frame: pd.DataFrame, **columns) -> pd.DataFrame:
    """``frame.assign`` keeping the new columns' values as Python objects.

    pandas 3 would infer a string dtype that turns None into NaN.
    """
    return frame.assign(
        **{
            name: pd.Series(list(values), index=frame.index, dtype=object)
            for name, values in columns.items()
        }
    )
