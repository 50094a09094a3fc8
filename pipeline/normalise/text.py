"""Cell text into plain text: markup out, entities decoded, list items on their own lines.

Cells arrive as the document held them: a text export carries HTML
(``<ul><li>• item</li></ul>``, ``<p>``, ``&amp;``), a PDF or Word cell carries
real line breaks between items, and any of them may run bullets inline
("commitment to • Zero waste; • Eliminating ..."). A line break in a cell is
taken as a deliberate break between items; wrapped lines are the reader's
business and arrive already joined.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import regex

from pipeline.extract.layout import AS_READ, BULLET_GLYPHS

# Glyphs Word and PDF exports use for bullets. "o" is Word's second-level
# bullet (Courier "o"), a bullet only when it opens an item and a space follows.
_INLINE_GLYPHS = BULLET_GLYPHS + "\u25a0"
_INLINE_BULLET = regex.compile(rf"\s*[{_INLINE_GLYPHS}]\s*")
# Dashes, asterisks and "o" count only when a space follows ("-5%" keeps its sign).
_LEADING_BULLET = regex.compile(
    rf"^(?:[{BULLET_GLYPHS}\u00b7\u25a0\u25a1\u27a2\u27a4]|[*\p{{Pd}}o](?=\s))\s*"
)
_TAG = regex.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "td",
        "th",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
_HIDDEN_TAGS = frozenset({"script", "style"})


def collapse_whitespace(text: str) -> str:
    """The text as a reader reads it (layout.AS_READ), each run of whitespace one space."""
    return " ".join(text.translate(AS_READ).split())  # faster than a regular expression


def has_markup(text: str) -> bool:
    return "<" in text and bool(_TAG.search(text))  # the substring test: most cells have none


def cell_to_text(cell: str | None) -> str | None:
    """One-line plain text: tags removed, entities decoded, whitespace collapsed."""
    if cell is None:
        return None
    if has_markup(cell):
        return " ".join(html_to_items(cell))
    return collapse_whitespace(html.unescape(cell))


def cell_to_items(cell: str | None) -> list[str]:
    """The cell's paragraphs and list items, bullets stripped, in order."""
    if not cell:
        return []
    lines = html_to_items(cell) if has_markup(cell) else html.unescape(cell).split("\n")
    items = []
    for line in lines:
        parts = (
            _INLINE_BULLET.split(line) if any(g in line for g in _INLINE_GLYPHS) else [line]
        )  # the substring tests first: a regular expression per line was most of the time
        for part in parts:
            item = collapse_whitespace(part)
            if item and (not item[0].isalnum() or item[0] == "o"):  # a bullet is neither
                item = collapse_whitespace(_LEADING_BULLET.sub("", item))
            if item:
                items.append(item)
    return items


def summary_to_text(cell: str | None) -> str | None:
    """The contract's summary: each item (and any text before a list) on its own line."""
    if cell is None:
        return None
    return "\n".join(cell_to_items(cell))


def html_to_items(fragment: str) -> list[str]:
    """Text of each block (paragraph, list item) of an HTML fragment.

    Nested lists come out flat, parent item first; script and style content is
    dropped, never shown as text.
    """
    collector = _BlockCollector()
    collector.feed(fragment)
    collector.close()
    return collector.items


class _BlockCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []
        self._text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = collapse_whitespace("".join(self._text))
        self._text = []
        if text:
            self.items.append(text)
