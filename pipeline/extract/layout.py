"""Recognisers for the parts of a plan every format shares.

Priority headings, header rows and separator rows look the same whether they
come from a text export, a PDF page or a Word document, so every reader asks
these functions rather than carrying its own patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz import fuzz, process

from pipeline.schema import CELL_FIELDS

# Glyphs Word and PDF exports use for bullets (U+F0B7 and U+F0A7 are Word's
# Symbol-font bullets as a PDF carries them).
BULLET_GLYPHS = "\u2022\u25cf\u25aa\u25e6\u2023\u2043\u2219\uf0b7\uf0a7"

# "**Priority 1: Where strong & safe communities", "## Priority 2 - ...", "Priority 3. ...",
# "Strategic Priority 4: ...", "Priority Five: ...": a heading word of columns.yaml's
# priority labels, a number, a separator. The separator after the number keeps prose
# such as "Priority 1 actions are ..." out.
_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_NUMBER = rf"\d{{1,3}}|{'|'.join(_NUMBER_WORDS)}"
_BOLD_CLOSE = regex.compile(r"\s*(?:\*\*|__)\s*$")
# Markdown table rules: "-----", ":---:", "--".
_RULE_CELL = regex.compile(r"^\s*:?-{2,}:?\s*$")
_LABEL_JUNK = regex.compile(r"[^\p{L}\p{N}]+")


@dataclass(frozen=True)
class HeadingStart:
    number: int
    title: str
    closed: bool  # False while a bold heading's closing marks are still to come


def heading_pattern(words: list[str]) -> regex.Pattern:
    """The priority heading a plan writes with one of ``words`` ("Priority", "Theme")."""
    spelt = sorted(
        ("\\s+".join(map(regex.escape, w.split())) for w in words), key=len, reverse=True
    )
    return regex.compile(
        rf"^\s*(?:\#{{1,6}}\s*)?(?P<bold>\*\*|__)?\s*(?:{'|'.join(spelt)})\s+"
        rf"(?P<number>{_NUMBER})\s*[:.\p{{Pd}}]\s*(?P<title>.*)$",
        regex.IGNORECASE,
    )


# A table of contents' entry: a heading's words, a leader (a tab, dots) and a page number.
_CONTENTS_ENTRY = regex.compile(r"(?:\t|\.{3,}|…)[\s.…]*\d{1,4}\s*$")


# Text as a reader reads it. Characters that show nothing go: a soft hyphen (a word
# processor's optional break, "Prior\u00adity"), zero-width spaces and joiners, a word
# joiner, a byte order mark mid-text. Ligatures are their letters ("\ufb01" is "fi").
# Text copied from a PDF or the web carries both; kept, they broke every comparison
# ("Knows\u00adley Council" is no registry name, "\ufb01rst half of 2026/27" read as the
# whole year) while a reader sees the plain words.
AS_READ = str.maketrans(
    {
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff"),
        **{"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"},
        **{"\ufb05": "st", "\ufb06": "st"},
    }
)


def as_read(text: str) -> str:
    """The text as a reader reads it: nothing that shows nothing, ligatures as letters."""
    return text.translate(AS_READ)


def is_contents_entry(line: str) -> bool:
    """A line of a table of contents ("Priority 1: Safe ........ 3", or Word's tab to
    the page number): it names a heading, it is none."""
    return bool(_CONTENTS_ENTRY.search(line))


def match_priority_heading(line: str, heading: regex.Pattern) -> HeadingStart | None:
    """Read the first line of a priority heading, or None if the line is not one (a
    table of contents' entry is not)."""
    line = as_read(line)
    found = heading.match(line)
    if not found or is_contents_entry(line):
        return None
    title = found["title"]
    closed = not found["bold"] or bool(_BOLD_CLOSE.search(title))
    number = found["number"]
    number = int(number) if number.isdigit() else _NUMBER_WORDS.index(number.casefold()) + 1
    return HeadingStart(number, _BOLD_CLOSE.sub("", title).strip(), closed)


# A cell of a Priority column: "Priority 2: title", "2. title", "2 - title" or "2"; the
# column's label says what it numbers, so any word before the number ("Theme 2") is its.
_PRIORITY_CELL = regex.compile(
    r"^\s*(?:\p{L}+(?:\s+\p{L}+){0,2}\s+)?(?P<number>\d{1,3})"
    r"(?:\s*[:.\p{Pd}]\s*(?P<title>.*))?\s*$",
    regex.IGNORECASE | regex.DOTALL,
)
# A column that says which priority a row is under instead of a heading above the
# table; its label is in columns.yaml like a field's, but it is not published.
PRIORITY_COLUMN = "priority"


def read_priority_cell(cell: str) -> HeadingStart | None:
    """The priority a Priority column's cell names, with its title when the cell has one."""
    found = _PRIORITY_CELL.match(" ".join(cell.split()))
    if not found:
        return None
    return HeadingStart(int(found["number"]), (found["title"] or "").strip(), True)


def match_heading_row(
    cells: list[str] | tuple[str, ...], heading: regex.Pattern
) -> HeadingStart | None:
    """A table row that is a priority heading: one cell, often merged across the
    table's width, holding "Priority N: title" and nothing else in the row."""
    filled = [cell for cell in cells if cell.strip()]
    if len(filled) != 1:
        return None
    return match_priority_heading(" ".join(filled[0].split()), heading)


def continue_heading(line: str) -> tuple[str, bool]:
    """The title text on a heading's wrapped line, and whether the heading ends there."""
    closed = bool(_BOLD_CLOSE.search(line))
    return _BOLD_CLOSE.sub("", line).strip(), closed


def is_rule_row(cells: list[str]) -> bool:
    """A markdown separator row: every cell dashes or empty, at least one dashed."""
    non_empty = [cell for cell in cells if cell.strip()]
    return bool(non_empty) and all(_RULE_CELL.match(cell) for cell in non_empty)


@lru_cache(maxsize=4096)  # every row is tried as a header; its short cells repeat
def _label_key(label: str) -> str:
    return _LABEL_JUNK.sub("", label).casefold()


# A quarter or year naming a column ("Q3 Progress Update", "Update 2023/24") is
# not part of what the column is.
_PERIOD_IN_LABEL = regex.compile(
    r"^(?:q[1-4]|quarter[1-4])?(?:20\d\d(?:\d\d)?)?|(?:q[1-4]|quarter[1-4])?(?:20\d\d(?:\d\d)?)?$"
)
_CLOSE_LABEL_SCORE = 88  # rapidfuzz ratio of label keys from which a misspelt label is read
_SHORTEST_CLOSE_LABEL = 5  # characters of the key; shorter labels must be exact


class HeaderLabels:
    """The header vocabulary of reference/columns.yaml: label key -> field."""

    def __init__(
        self, fields: dict[str, str], examples: dict[str, str], heading_words: list[str]
    ) -> None:
        self.fields = fields
        self.examples = examples  # field -> its first listed label, for messages
        # a priority heading's word: the priority column's labels ("Priority", "Theme")
        self.heading_words = heading_words
        self.heading = heading_pattern(heading_words)
        # a cell much longer than any listed label (spacing, punctuation and a
        # quarter or year allowed for) is data: most cells are, so this is quick
        self.longest = 2 * max((len(key) for key in fields), default=0) + 12
        # every row is tried as a header, and a plan's short cells repeat
        self.exact = lru_cache(maxsize=8192)(self._exact)

    def read(self, label: str) -> tuple[str | None, bool]:
        """The field a header cell names, and whether it was read from a close spelling."""
        field = self.exact(label)
        if field:
            return field, False
        close = self.close(label)
        return close, close is not None

    def _exact(self, label: str) -> str | None:
        """The field a label names as listed, ignoring case, spacing, punctuation and a
        quarter or year in it ("Q3 Progress Update")."""
        if len(label) > self.longest:
            return None
        key = _label_key(label)
        return self.fields.get(key) or self.fields.get(_PERIOD_IN_LABEL.sub("", key))

    def close(self, label: str) -> str | None:
        """The field of the one listed label within a typo of ``label`` ("Timscale")."""
        key = _label_key(label) if len(label) <= self.longest else ""
        if len(key) < _SHORTEST_CLOSE_LABEL:
            return None
        found = process.extractOne(
            key, self.fields.keys(), scorer=fuzz.ratio, score_cutoff=_CLOSE_LABEL_SCORE
        )
        return self.fields[found[0]] if found else None


def label_index(column_labels: dict[str, list[str]]) -> HeaderLabels:
    """The checked vocabulary; ValueError names a field or label that cannot be used."""
    known = (*CELL_FIELDS, PRIORITY_COLUMN)
    unknown = set(column_labels) - set(known)
    if unknown:
        raise ValueError(
            f"field {sorted(unknown)[0]}: not a field the pipeline knows ({', '.join(known)})"
        )
    index: dict[str, str] = {}
    for field, labels in column_labels.items():
        for label in labels:
            owner = index.setdefault(_label_key(label), field)
            if owner != field:
                raise ValueError(f"label {label!r}: names both {owner} and {field}")
    examples = {field: labels[0] for field, labels in column_labels.items()}
    return HeaderLabels(index, examples, column_labels.get(PRIORITY_COLUMN) or ["Priority"])


@dataclass(frozen=True)
class Header:
    """A table's header row: the field each column fills, and its labels as written.

    A column whose field is None is kept as it is, under ``other_label``, in
    the rows' other_columns; ``close`` lists the columns read from a label
    close to a known one, which the review list reports, and ``repeated`` the
    columns whose label names a field an earlier column fills (position, field).
    """

    fields: tuple[str | None, ...]
    labels: tuple[str, ...]
    close: tuple[int, ...] = ()
    repeated: tuple[tuple[int, str], ...] = ()

    def other_label(self, position: int) -> str:
        """The name an unknown column is kept under: its label, else its position."""
        label = " ".join(self.labels[position].split()) if position < len(self.labels) else ""
        same = [n for n, other in enumerate(self.labels) if other.split() == label.split()]
        if not label or len(same) > 1:
            return f"{label} (column {position + 1})".lstrip()
        return label


# A header names the headline and two more known columns; two of them at least
# spelt as listed, so a data row of short words is never taken for a header.
_HEADER_FIELDS_AT_LEAST, _EXACT_LABELS_AT_LEAST = 3, 2


def header_fields(cells: list[str], labels: HeaderLabels) -> Header | None:
    """The header a row is, or None if the row is no header.

    Only the first column of a field fills it; a second one, like a column
    whose label is not in the vocabulary, is kept in other_columns.
    """
    exact = [labels.exact(cell) for cell in cells]
    if sum(1 for field in exact if field) < _EXACT_LABELS_AT_LEAST:
        return None  # most rows, and every data row: no need to look for misspellings
    fields: list[str | None] = []
    close: list[int] = []
    repeated: list[tuple[int, str]] = []
    for position, cell in enumerate(cells):
        field = exact[position] or labels.close(cell)
        if field in fields:
            repeated.append((position, field))
            field = None
        elif field and not exact[position]:
            close.append(position)
        fields.append(field)
    known = [field for field in fields if field]
    if (
        "headline_action" in known
        and len(known) >= _HEADER_FIELDS_AT_LEAST
        and len(known) - len(close) >= _EXACT_LABELS_AT_LEAST
    ):
        return Header(tuple(fields), tuple(cells), tuple(close), tuple(repeated))
    return None


def join_subheader(
    header: Header, cells: list[str] | tuple[str, ...], labels: HeaderLabels
) -> Header | None:
    """The header completed by the row below it, when that row names the parts of a
    grouped column: "Lead" merged over "Organisation" and "Officer" reads as "Lead
    Organisation" and "Lead Officer", "Timescale" over "Original" and "Revised" as
    "Original Timescale" and "Revised Timescale". None unless every filled cell of the
    row is such a label (alone, after its group's or before it), so a data row never
    is one."""
    filled = [n for n, cell in enumerate(cells) if cell.strip()]
    if not filled or len(cells) > len(header.labels):
        return None
    joined, group = list(header.labels), ""
    for n, label in enumerate(header.labels):
        group = label.strip() or group  # a merged cell's label stands over its empty ones
        if n not in filled:
            continue
        part = " ".join(cells[n].split())
        read = [f"{group} {part}", f"{part} {group}", part]
        label = next((label for label in read if labels.read(label)[0]), None)
        if label is None:
            return None
        joined[n] = label
    found = header_fields(joined, labels)
    return found if found and found.fields != header.fields else None


# Cells every action fills with one short word, so they never wrap: a row that
# leaves them empty is the wrapped tail of the row before, unless it stands as
# a row of its own.
ALWAYS_FILLED = ("focus", "delivery")
# Cells a wrapped tail rarely fills together: the headline and two of these
# make a row, even with Focus and Delivery empty.
_ROW_CELLS = ("organisation_raw", "lead_officer_raw", "timescale_raw")


def _filled(cells, header: Header, field: str) -> bool:
    positions = [n for n, name in enumerate(header.fields) if name == field]
    return bool(positions) and positions[0] < len(cells) and bool(cells[positions[0]].strip())


def looks_like_continuation(
    cells: list[str] | tuple[str, ...], header: Header | None, after_page_break: bool = False
) -> bool:
    """Whether a table row continues the one before, judged by its columns' meaning.

    The same rule for every format: the Focus and Delivery cells (wherever the
    header puts them; for a table with neither, the first cell) are empty, and
    either the row follows a page break (a row split at the page foot goes on
    in whichever cells it spilled from) or it does not stand as a row of its
    own (stands_alone).
    """
    fields = header.fields if header else ()
    positions = [n for n, field in enumerate(fields) if field in ALWAYS_FILLED]
    if not positions:
        return not (cells[0].strip() if cells else "")
    leading_empty = all(not (cells[n].strip() if n < len(cells) else "") for n in positions)
    return leading_empty and (after_page_break or not stands_alone(cells, header))


def stands_alone(cells: list[str] | tuple[str, ...], header: Header) -> bool:
    """A row that fills its headline and two or more of organisation, officer and
    timescale: an action of its own whatever its Focus and Delivery hold."""
    return _filled(cells, header, "headline_action") and (
        sum(_filled(cells, header, field) for field in _ROW_CELLS) >= 2
    )
