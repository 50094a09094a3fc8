"""Recognisers for the parts of a plan every format shares.

Priority headings, header rows and separator rows look the same whether they
come from a text export, a PDF page or a Word document, so every reader asks
these functions rather than carrying its own patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.schema import CELL_FIELDS

# Glyphs Word and PDF exports use for bullets (U+F0B7 and U+F0A7 are Word's
# Symbol-font bullets as a PDF carries them).
BULLET_GLYPHS = "\u2022\u25cf\u25aa\u25e6\u2023\u2043\u2219\uf0b7\uf0a7"

# "**Priority 1: Where strong & safe communities", "## Priority 2 - ...", "Priority 3. ..."
# The separator after the number keeps prose such as "Priority 1 actions are ..." out.
_HEADING = regex.compile(
    r"^\s*(?:\#{1,6}\s*)?(?P<bold>\*\*|__)?\s*Priority\s+(?P<number>\d{1,3})\s*[:.\p{Pd}]\s*(?P<title>.*)$",
    regex.IGNORECASE,
)
_BOLD_CLOSE = regex.compile(r"\s*(?:\*\*|__)\s*$")
# Markdown table rules: "-----", ":---:", "--".
_RULE_CELL = regex.compile(r"^\s*:?-{2,}:?\s*$")
_LABEL_JUNK = regex.compile(r"[^\p{L}\p{N}]+")
_LONGEST_LABEL = 100  # characters; a longer cell is data, never a header label


@dataclass(frozen=True)
class HeadingStart:
    number: int
    title: str
    closed: bool  # False while a bold heading's closing marks are still to come


def match_priority_heading(line: str) -> HeadingStart | None:
    """Read the first line of a priority heading, or None if the line is not one."""
    found = _HEADING.match(line)
    if not found:
        return None
    title = found["title"]
    closed = not found["bold"] or bool(_BOLD_CLOSE.search(title))
    return HeadingStart(int(found["number"]), _BOLD_CLOSE.sub("", title).strip(), closed)


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


def label_index(column_labels: dict[str, list[str]]) -> dict[str, str]:
    """Label key -> field, for header_fields."""
    unknown = set(column_labels) - set(CELL_FIELDS)
    if unknown:
        raise ValueError(
            f"field {sorted(unknown)[0]}: not a field the pipeline knows ({', '.join(CELL_FIELDS)})"
        )
    index: dict[str, str] = {}
    for field, labels in column_labels.items():
        for label in labels:
            owner = index.setdefault(_label_key(label), field)
            if owner != field:
                raise ValueError(f"label {label!r}: names both {owner} and {field}")
    return index


def header_fields(cells: list[str], labels: dict[str, str]) -> tuple[str | None, ...] | None:
    """The field each cell of a header row fills, or None if the row is no header.

    A header names the headline and at least two other known columns; a label
    not in the vocabulary gives None for that position, and only the first
    column of a field is read.
    """
    fields: list[str | None] = []
    for cell in cells:
        field = labels.get(_label_key(cell)) if len(cell) <= _LONGEST_LABEL else None
        fields.append(field if field not in fields else None)
    known = [field for field in fields if field]
    if "headline_action" in known and len(known) >= 3:
        return tuple(fields)
    return None


# Cells every action fills with one short word, so they never wrap: a row that
# leaves them empty is the wrapped tail of the row before.
_ALWAYS_FILLED = ("focus", "delivery")


def looks_like_continuation(cells: list[str] | tuple[str, ...], fields) -> bool:
    """Whether a table row continues the one before, judged by its columns' meaning.

    The Focus and Delivery cells (wherever the header puts them) are empty; for
    a table with neither column, the first cell is.
    """
    positions = [n for n, field in enumerate(fields or ()) if field in _ALWAYS_FILLED]
    if not positions:
        return not (cells[0].strip() if cells else "")
    return all(not (cells[n].strip() if n < len(cells) else "") for n in positions)
