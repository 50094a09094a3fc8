"""Every table's columns, types and meanings, in one place.

Writers, readers, the quality gates and the published data dictionary all take
their column lists from here, so a column is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# The published tables' contract version (docs/outputs.md): bump the
# major number when a published column is renamed, removed or retyped, the minor number
# when one is added. It is recorded in processed/datapackage.json.
SCHEMA_VERSION = "2.2.0"

# Shapes a monitoring report rates by colour alone in its RAG column ("●" in green):
# rag_status_raw then holds the shape and its colour, "● #00B050".
RAG_SHAPES = frozenset("●⬤•■▪◼◆▲★⚫")


def is_rag_shape(text: str) -> bool:
    """Whether a cell's text is only such shapes (one or more, spaces between)."""
    return bool(text.strip()) and not set(text) - RAG_SHAPES - {" "}


# Column types, named as in Frictionless Table Schema. "list" is a list of
# strings: an Arrow list in Parquet, ";"-joined in CSV. "object" maps a
# column's header to its cell: an Arrow map in Parquet, a JSON object in CSV.
STRING, INTEGER, DATE, LIST, BOOLEAN, OBJECT = (
    "string",
    "integer",
    "date",
    "list",
    "boolean",
    "object",
)
# How a published text cell is cleaned (pipeline/normalise/text.py): one line,
# or one item per line for cells that hold lists and paragraphs.
LINE, PARAGRAPHS = "line", "paragraphs"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    compared: bool = False  # compared field by field in the change report
    text: str | None = None  # LINE or PARAGRAPHS: published as plain text, checked as such


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values are another table's key (``table`` "" for the table itself)."""

    column: str
    table: str
    table_column: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    key: tuple[str, ...] = ()  # columns that identify a row, for the data dictionary
    references: tuple[ForeignKey, ...] = ()  # id columns that name rows of other tables

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

    def missing_as_null(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with one kind of missing: None for empty text, an empty list or an
        empty object, so Parquet holds null wherever the CSV has an empty cell."""
        blanked = {}
        for name, kind in self.types().items():
            values = frame[name].tolist()
            if kind == STRING:
                blanked[name] = [None if v == "" else v for v in values]
            elif kind in (LIST, OBJECT):
                blanked[name] = [v if v is not None and len(v) else None for v in values]
        return assign_objects(frame, **blanked)


@dataclass(frozen=True)
class DocumentField:
    """A cell a plan table can hold, found by its header label (reference/columns.yaml).

    Adding a field to the published contract is one declaration here plus its
    labels: the rows and actions tables, the text cleaning, the change report
    and the per-column gate checks all take their lists from DOCUMENT_FIELDS.
    """

    name: str
    description: str  # the cell as extracted, in the rows table
    published: tuple[Column, ...]  # the cleaned cell in actions, then what is derived from it
    required: bool = False  # every plan table has this column: a table without it stops extract
    # a plan table normally has this column: a table without it is listed for review
    # once (missing_column), and its actions are not listed one by one for the gap
    expected: bool = False
    # the expected field whose place this one takes in a table without it (a monitoring
    # version's Revised Timescale with no Timescale column beside it)
    stands_in_for: str | None = None
    # every value the cell may hold, where the contract lists them: one spelt in another
    # case ("INTERNAL", as a table style in capitals prints it) is read as listed
    values: tuple[str, ...] = ()


def _one_of(values: tuple[str, ...]) -> str:
    return f"{', '.join(values[:-1])} or {values[-1]}"


FOCUS_VALUES = ("Internal", "External", "Partnership")
DELIVERY_VALUES = ("Strategic", "Operational")


def _cell(name: str, description: str, text: str = LINE, compared: bool = True) -> Column:
    return Column(name, STRING, description, compared=compared, text=text)


DOCUMENT_FIELDS: tuple[DocumentField, ...] = (
    DocumentField(
        "focus",
        f"Focus cell: {_one_of(FOCUS_VALUES)}",
        (_cell("focus", _one_of(FOCUS_VALUES)),),
        required=True,
        values=FOCUS_VALUES,
    ),
    DocumentField(
        "delivery",
        f"Delivery cell: {_one_of(DELIVERY_VALUES)}",
        (_cell("delivery", _one_of(DELIVERY_VALUES)),),
        required=True,
        values=DELIVERY_VALUES,
    ),
    DocumentField(
        "key_objective",
        "Key Objective cell",
        (_cell("key_objective", "Key Objective text"),),
        required=True,
    ),
    DocumentField(
        "headline_action",
        "Headline Action cell, wrapped lines joined",
        (_cell("headline_action", "Headline Action text, wrapped lines joined"),),
        required=True,
    ),
    DocumentField(
        "summary",
        "Summary cell",
        (
            _cell(
                "summary",
                "plain text: markup and bullet glyphs removed, entities decoded, "
                "each list item (and any text before the list) on its own line",
                text=PARAGRAPHS,
            ),
        ),
        required=True,
    ),
    DocumentField(
        "organisation_raw",
        "Partnership/Organisation cell as written, whitespace collapsed",
        (
            _cell(
                "organisation_raw",
                "Partnership/Organisation cell as written, whitespace collapsed",
                compared=False,
            ),
            Column(
                "delivery_mode",
                STRING,
                "'partnership' when the organisation cell says Partnership or names a "
                "partnership body, else 'single'",
                compared=True,
            ),
            Column(
                "lead_org_id", STRING, "canonical id of the leading organisation", compared=True
            ),
            Column("org_ids", LIST, "every organisation involved, lead first", compared=True),
        ),
        required=True,
    ),
    DocumentField(
        "lead_officer_raw",
        "Lead Officer cell as written, whitespace collapsed",
        (
            _cell(
                "lead_officer_raw",
                "Lead Officer cell as written, whitespace collapsed",
                compared=False,
            ),
            Column(
                "lead_officers", LIST, "officers' names, titles and ranks removed", compared=True
            ),
            Column(
                "lead_officer_titles",
                OBJECT,
                "each titled officer's rank or title as written, by name "
                '({"Jane Smith": "Supt"}); empty when no officer has one',
            ),
            Column(
                "lead_officer_org_ids",
                LIST,
                "canonical ids of the officers' organisations",
                compared=True,
            ),
        ),
        required=True,
    ),
    DocumentField(
        "timescale_raw",
        "Timescale cell, whitespace collapsed; empty when the cell is empty or the table "
        "has no such column (then listed once for review as missing_column)",
        (
            _cell(
                "timescale_raw",
                "Timescale cell, whitespace collapsed; empty when the cell is empty or the table "
                "has no such column (then listed once for review as missing_column)",
                compared=False,
            ),
            Column("status", STRING, "scheduled, ongoing, complete or unknown", compared=True),
            Column(
                "start_date",
                DATE,
                "inclusive start; empty when the text states none",
                compared=True,
            ),
            Column(
                "end_date", DATE, "inclusive end; empty when the text states none", compared=True
            ),
            Column(
                "confidence",
                STRING,
                "high (every word of the cell explained by a rule), low (a fallback guess) or "
                "none (not understood): how the timescale was read",
            ),
            Column(
                "timescale_rule",
                STRING,
                "the rule that read the timescale, e.g. 'R1 financial year', 'A1 "
                "financial-year quarter', 'R10 several parts', 'R12 fallback (dateparser)', "
                "'decision'",
            ),
        ),
        expected=True,
    ),
    DocumentField(
        "action_ref",
        "Ref cell: the plan's own number for the action ('1.01'), where it gives one",
        (
            _cell(
                "action_ref",
                "the plan's own reference for the action ('1.01'), as written; empty when "
                "the plan numbers none",
            ),
        ),
    ),
    DocumentField(
        "rag_status_raw",
        "RAG rating cell as written, in a monitoring version of a plan",
        (
            _cell(
                "rag_status_raw",
                "RAG rating cell as written; a cell rated by colour alone as its shading "
                "('fill #00B050') or as its coloured shape and that colour ('● #00B050')",
                compared=False,
            ),
            Column(
                "rag_status",
                STRING,
                "the RAG rating read from rag_status_raw by reference/rag_ratings.yaml: "
                "green, amber, red or blue (complete); empty when the plan gives none "
                "or the cell is not understood (then listed for review)",
                compared=True,
            ),
        ),
    ),
    DocumentField(
        "progress_update",
        "Progress update cell of a monitoring version ('Q3 Progress Update', 'Commentary')",
        (
            _cell(
                "progress_update",
                "the latest progress update, as plain text like summary; empty when the "
                "plan gives none",
                text=PARAGRAPHS,
            ),
        ),
    ),
    DocumentField(
        "revised_timescale_raw",
        "Revised Timescale cell of a monitoring version: the date the timescale moved to",
        (
            _cell(
                "revised_timescale_raw",
                "the Revised Timescale cell as written, whitespace collapsed; empty when the "
                "plan gives none. When it gives a date, status, start_date, end_date, "
                "confidence, timescale_rule and the milestones are read from it, not from "
                "timescale_raw (A9: a revision keeps only the current date), and in a "
                "table with no Timescale column it is the timescale",
                compared=False,
            ),
            Column(
                "end_date_before_revision",
                DATE,
                "the end date timescale_raw gives (read with confidence high) where the "
                "Revised Timescale cell replaced it: the original target delivery tracking "
                "measures the slip against; empty otherwise",
            ),
        ),
        stands_in_for="timescale_raw",
    ),
)

# How timescale_rule ends when the timescale was read from revised_timescale_raw (A9).
READ_FROM_REVISED = " (the Revised Timescale column, A9)"


def timescale_read_from(actions: pd.DataFrame) -> list[str | None]:
    """The words each action's timescale was read from: its Revised Timescale cell where
    that gave the revision, else its Timescale cell (for the change report's readers)."""
    return [
        revised if (rule or "").endswith(READ_FROM_REVISED) else timescale
        for timescale, revised, rule in zip(
            actions["timescale_raw"],
            actions["revised_timescale_raw"],
            actions["timescale_rule"],
            strict=True,
        )
    ]


# The cells a plan table can hold, in declaration order.
CELL_FIELDS: tuple[str, ...] = tuple(field.name for field in DOCUMENT_FIELDS)
REQUIRED_FIELDS: tuple[str, ...] = tuple(field.name for field in DOCUMENT_FIELDS if field.required)
EXPECTED_FIELDS: tuple[str, ...] = tuple(field.name for field in DOCUMENT_FIELDS if field.expected)
# expected field -> the fields that take its place in a table without it
STAND_INS: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in DOCUMENT_FIELDS if f.stands_in_for == name)
    for name in EXPECTED_FIELDS
}

_OTHER_COLUMNS = Column(
    "other_columns",
    OBJECT,
    "every column of the row's table that is no known field: its header label -> the "
    "cell; empty when there is none (each such header is listed once for review)",
    compared=True,
)

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
        *(Column(field.name, STRING, field.description) for field in DOCUMENT_FIELDS),
        Column(_OTHER_COLUMNS.name, OBJECT, "header label -> cell, for every unknown column"),
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
        Column("priority_number", INTEGER, "1, 2, ... as numbered in the document", compared=True),
        Column("priority_title", STRING, "the priority's heading text", text=LINE),
        *(column for field in DOCUMENT_FIELDS for column in field.published),
        _OTHER_COLUMNS,
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
    references=(ForeignKey("lead_org_id", "organisations", "org_id"),),
)

# The actions columns compared in the change report, and those published as plain text.
COMPARED_COLUMNS: tuple[str, ...] = tuple(c.name for c in ACTIONS.columns if c.compared)
TEXT_COLUMNS: dict[str, str] = {c.name: c.text for c in ACTIONS.columns if c.text}

# Named column lists a suite file may use in place of a column ({"$COLUMNS": name}),
# so a per-column check covers every field that has the property.
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {
    "document_cells": CELL_FIELDS,
    "required_cells": REQUIRED_FIELDS,
    "line_text": tuple(name for name, kind in TEXT_COLUMNS.items() if kind == LINE),
    "paragraph_text": tuple(name for name, kind in TEXT_COLUMNS.items() if kind == PARAGRAPHS),
}

MILESTONES = Table(
    "milestones",
    "One row per dated part of a multi-part timescale (docs/timescales.md R8, R10).",
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
    references=(ForeignKey("action_id", "actions", "action_id"),),
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
    references=(ForeignKey("parent_org_id", "", "org_id"),),
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
    references=(
        ForeignKey("action_id", "actions", "action_id"),
        ForeignKey("org_id", "organisations", "org_id"),
    ),
)

CHANGES = Table(
    "changes",
    "What changed since the previous release, one row per change (processed/changes.csv).",
    (
        Column("action_id", STRING, "the action (for a reworded one, its new id)"),
        Column(
            "headline_action",
            STRING,
            "the action's headline: in the newer release, or the older for a removed action",
        ),
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
        Column("priority_number", INTEGER, "the priority the entry is under, where known"),
        Column("headline_action", STRING, "the action's headline, where there is an action"),
        *_SOURCE,
        Column("field", STRING, "the column the doubtful value belongs to"),
        Column("value", STRING, "the doubtful value as written"),
        Column("reason", STRING, "a short code saying why it is listed"),
        Column("detail", STRING, "what the pipeline did with it, in words"),
        Column(
            "decide",
            STRING,
            "the `python -m pipeline decide` command that would settle it (fill in the "
            "capitalised parts), where a decision can",
        ),
        Column(
            "acknowledged",
            STRING,
            "who accepted or acknowledged the entry and why (decisions.yaml); such entries "
            "come after the open ones and leave the count",
        ),
        Column(
            "new_since_last_period",
            BOOLEAN,
            "true when the last release of the previous period did not list the entry "
            "(same action, field, reason and value); empty when there is no such release",
        ),
    ),
    references=(ForeignKey("action_id", "actions", "action_id"),),
)


# How an action stands against the target first given for it, in the terms councils
# report delivery plans in (the rules: pipeline/publish/progress.py and the README).
DELIVERY_STATUSES = (
    "complete",
    "on track",
    "delayed (under 3 months)",
    "delayed (3 months or more)",
    "overdue",
    "no target",
)
# The RAG rating that says an action is done (BRAG's blue, reference/rag_ratings.yaml):
# complete whatever the timescale still says.
RATED_COMPLETE = "blue"
_ACTION_COLUMN = {column.name: column for column in ACTIONS.columns}
_PERIOD = Column(
    "period",
    STRING,
    "the plan period a release covered ('2022/23 Q3'), 'not given' when a run named none",
)

ACTION_HISTORY = Table(
    "action_history",
    "One row per action per plan period, as the last release of that period published it, "
    "following the live release back through the releases it replaced (a rolled-back "
    "release is not among them).",
    (
        _ACTION_COLUMN["action_id"],
        _PERIOD,
        Column("period_order", INTEGER, "the periods in order, from 1 (the earliest)"),
        Column(
            "period_end",
            DATE,
            "the period's last day ('2022/23 Q3': 2022-12-31; '2022/23': 2023-03-31); for a "
            "period the label does not date, the day its release was made",
        ),
        Column("release_id", STRING, "the release the row was read from"),
        *(
            _ACTION_COLUMN[name]
            for name in (
                "priority_number",
                "headline_action",
                "lead_org_id",
                "timescale_raw",
                "status",
                "start_date",
                "end_date",
                "end_date_before_revision",
                "confidence",
                "rag_status",
                "progress_update",
            )
        ),
    ),
    key=("action_id", "period"),
)

ACTION_PROGRESS = Table(
    "action_progress",
    "One row per live action: its target end date against the first one given for it, "
    "and its delivery status at the end of the live release's period.",
    (
        _ACTION_COLUMN["action_id"],
        *(
            _ACTION_COLUMN[name]
            for name in ("priority_number", "headline_action", "lead_org_id", "status")
        ),
        # how sure the reading of the current timescale was: a status resting on a low or
        # no-confidence reading is the pipeline's guess (its timescale is in review.csv)
        _ACTION_COLUMN["confidence"],
        _ACTION_COLUMN["rag_status"],
        Column("original_end_date", DATE, "the first target end date any period gave the action"),
        Column("original_period", STRING, "the period that first gave it"),
        Column("current_end_date", DATE, "the target end date of the live release's period"),
        Column(
            "slip_days",
            INTEGER,
            "current_end_date less original_end_date, in days (negative: brought forward)",
        ),
        Column(
            "slip_months",
            INTEGER,
            "the same in whole calendar months (31 March to 30 June is 3: month ends count as "
            "whole months)",
        ),
        Column(
            "times_moved",
            INTEGER,
            "how many times the target end date changed from one period to the next",
        ),
        Column("first_period", STRING, "the first period the action was in"),
        Column("last_period", STRING, "the last period it was in: the live release's"),
        Column("completed_period", STRING, "the first period that reported it complete"),
        Column(
            "as_of",
            DATE,
            "the day the status is judged at: the end of the live release's period",
        ),
        Column("delivery_status", STRING, "one of: " + ", ".join(DELIVERY_STATUSES)),
    ),
    key=("action_id",),
    references=(ForeignKey("action_id", "actions", "action_id"),),
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
