"""Free-text timescales into status, dates, confidence, the rule that read them, and milestones.

Implements docs/timescales.md (R1-R12, and the addendum A1-A17),
both summarised in the README's assumptions. The house readings, and why:

- a financial year (``2022/23``, ``FY 22/23``, ``2022-2023``) runs 1 April to
  31 March, as UK public bodies budget; a span (``2022-25``) runs from the first
  April to the last March; its quarters are Q1 April-June ... Q4 January-March,
  its halves H1 April-September and H2 October-March;
- a bare year is the calendar year; with "by" it is a deadline at 31 December;
  a half of it is January-June or July-December; a quarter of it is ambiguous
  (councils count quarters by financial year) and flagged;
- a month and year, and an exact day (day first, UK order), are deadlines;
- seasons are meteorological (Spring Mar-May, Summer Jun-Aug, Autumn Sep-Nov,
  Winter Dec-Feb of the next year), the Met Office's convention;
- a range (``Oct 2026 - Jan 2027``, ``Apr-Jun 2027``) is one period from the
  first day of its first end to the last day of its second;
- a revised timescale keeps only its current date: the replaced one is history;
- two-digit years are 20xx: plans speak of this century.

The principle: confidence ``high`` only when every word of the cell is
explained, by a date, by a word of reference/timescale_words.yaml's explained
lists, or as an ordinary word naming a part. A quarter, half, month, season or
number that no date uses, a misspelt month, or a word of a flagged list
(hedges, vague parts, relative horizons, periods no rule dates, statuses
outside the vocabulary)
makes the reading ``low`` (a fallback guess) or ``none``, and the note names
those words for the review list. Rules first: they are exact and fast.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache

import pandas as pd
import regex

from pipeline.review import Doubt
from pipeline.schema import MILESTONES, READ_FROM_REVISED, assign_objects

HIGH, LOW, NONE = "high", "low", "none"
SCHEDULED, ONGOING, COMPLETE, UNKNOWN = "scheduled", "ongoing", "complete", "unknown"
DUE, STARTS, PERIOD = "due", "starts", "period"  # milestone kinds, with ONGOING

# Lists of timescale_words.yaml whose words are explained; the others flag a reading.
EXPLAINED_LISTS = (
    "deadline",
    "start",
    "ongoing",
    "continuing_to",
    "complete",
    "status_ongoing",
    "recurring",
    "revision_current",
    "revision_previous",
    "revision_planned",
    "label_nouns",
    "connective",
)
FLAGGED_LISTS = (
    "doubt",
    "vague",
    "relative",
    "undated_periods",
    "status_flagged",
    "beside_a_date",  # flagged only next to a date
)
CELL_LISTS = EXPLAINED_LISTS + FLAGGED_LISTS
WORD_LISTS = (*CELL_LISTS, "summary_complete", "no_revision")

_MONTH_NAMES = (
    (),
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may",),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES) for name in names}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}  # first month; three months each
_FULL_NAMES = tuple(names[-1] for names in _MONTH_NAMES[1:]) + tuple(_SEASONS)

# The date grammar, one named pattern per kind of date. Inner groups are named
# for reading a match back; the finder joins them with the names stripped.
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_SEASON = r"(?:spring|summer|autumn|winter)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
_Y4 = r"(?:19|20)\d{2}"
_YEAR = rf"(?:['’]?\s*(?:{_Y4}|\d{{2}}))"
_FY_LABEL = r"(?:fy\s*|financial\s+year\s+|fiscal\s+year\s+)"
_FY_BODY = (
    rf"(?:(?P<fy_first>{_Y4})\s*[/\\\p{{Pd}}]\s*(?P<fy_last>{_Y4}|\d{{2}})\b(?![/\p{{Pd}}]\d)"
    r"|(?P<fy_short_first>\d{2})/(?P<fy_short_last>\d{2})\b(?!/\d))"
)
_FY = (
    rf"(?:(?P<fy_label>{_FY_LABEL})?{_FY_BODY}(?P<fy_suffix>\s+(?:financial|fiscal)\s+year)?"
    # "FY 27-28": two short years joined by a dash are a financial year only so labelled
    rf"|(?P<fy_label>{_FY_LABEL})(?P<fy_short_first>\d{{2}})\s*\p{{Pd}}\s*"
    rf"(?P<fy_short_last>\d{{2}})\b(?![/\p{{Pd}}]\d))"
)
_QUARTER = r"(?:q|qtr\.?|quarter)\s*(?P<quarter>[1-4])\b"
# "2 June - 30 Sept 2027": after a spaced dash, a number with a month after it is the
# next date's day, not this month's year
_NOT_A_DAY_AFTER = rf"(?!\s+\p{{Pd}}\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b)"
_HALF = r"(?:h(?P<half>[12])\b|(?P<half_word>first|second|1st|2nd)\s+half(?:\s+of)?(?:\s+the)?)"

_UNIT_PATTERNS = {
    # "Quarter 4 - 2026/27", "2026/27: Q2"; a dash after the year would be a range's
    "fy_quarter": (
        rf"\b{_QUARTER}\s*(?:[\p{{Pd}}:]\s*)?(?:of\s+|in\s+)?(?:the\s+)?{_FY}"
        rf"|\b{_FY}\s*[,:]?\s*{_QUARTER}"
    ),
    "fy_half": rf"\b{_HALF}\s*(?:of\s+)?(?:the\s+)?{_FY}|\b{_FY}\s*,?\s*{_HALF}",
    "calendar_quarter_named": (
        rf"\b{_QUARTER}\s+(?:of\s+)?(?P<year>{_Y4})\s*\(\s*(?P<month_a>{_MONTH})\.?\s*"
        rf"(?:\p{{Pd}}|to)\s*(?P<month_b>{_MONTH})\.?\s*\)"
        rf"|\bcalendar\s+(?:year\s+)?{_QUARTER}\s+(?:of\s+)?(?P<year>{_Y4})\b"
        rf"|\b{_QUARTER}\s+(?:of\s+)?(?:calendar\s+year\s+)(?P<year>{_Y4})\b"
    ),
    "calendar_quarter": rf"\b{_QUARTER}\s*(?:of\s+)?{_YEAR}\b",
    "calendar_half": rf"\b{_HALF}\s*(?:of\s+)?(?P<year>{_Y4})\b(?!\s*[/\p{{Pd}}]\s*\d)",
    "fy_one_year": rf"\bfy\s*['’]?(?:{_Y4}|\d{{2}})\b(?!\s*[/\\\p{{Pd}}]\s*\d)",
    "winter_two_years": (
        rf"\bwinter\s+(?:of\s+)?(?P<year>{_Y4}|\d{{2}})\s*[/\p{{Pd}}]\s*(?:{_Y4}|\d{{2}})\b"
    ),
    "iso_date": r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b",
    "numeric_date": (
        r"\b(?P<day>\d{1,2})[/.\p{Pd}](?P<month>\d{1,2})[/.\p{Pd}](?P<year>(?:19|20)\d{2}|\d{2})\b"
        r"(?![/.\p{Pd}]\d)"
    ),
    "day_month_year": (
        rf"\b{_WEEKDAY}?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\p{{Pd}}/]*"
        rf"(?P<month_name>{_MONTH})\b{_NOT_A_DAY_AFTER}\.?,?[\s\p{{Pd}}/]*"
        rf"(?P<year>['’]?\s*(?:{_Y4}|\d{{2}}))\b"
        r"(?![/\p{Pd}]\d)"
    ),
    "month_day_year": (
        rf"\b{_WEEKDAY}?(?P<month_name>{_MONTH})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
        rf"(?P<year>{_Y4})\b"
    ),
    "day_month": (
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_name>{_MONTH})\b"
        rf"|\b(?P<month_name>{_MONTH})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)\b"
    ),
    "month_numeric": rf"\b(?P<month>\d{{1,2}})/(?P<year>{_Y4})\b",
    "month": (
        # "Mar28": a month's name runs into its year as often as a space is missed
        rf"\b(?P<month_name>{_MONTH})(?:\b|(?=\d)){_NOT_A_DAY_AFTER}\.?[\s\p{{Pd}}/.'’]*"
        rf"(?P<year>{_Y4}|\d{{2}})\b"
        r"(?![/\p{Pd}]\d)"
    ),
    "joined_seasons": (
        rf"\b(?P<season_a>{_SEASON})\s*(?:/|&|and|\p{{Pd}}|to)\s*(?P<season_b>{_SEASON})\s+"
        rf"(?:of\s+)?(?P<year>{_YEAR})\b(?![/\p{{Pd}}]\d)"
    ),
    "season": rf"\b(?P<season_name>{_SEASON})\s+(?:of\s+)?(?P<year>{_YEAR})\b(?![/\p{{Pd}}]\d)",
    "financial_year": rf"\b{_FY}",
    "year": rf"\b(?:calendar\s+year\s+)?(?P<year>{_Y4})\b",
    # Without a year: they take one from the other end of a range, else are flagged.
    "bare_quarter": rf"\b{_QUARTER}",
    "bare_half": rf"\b{_HALF}",
    "bare_month": rf"\b(?P<month_name>{_MONTH})\b\.?",
    "bare_season": rf"\b(?P<season_name>{_SEASON})\b",
}
_FLAGS = regex.IGNORECASE  # VERSION0: twice as fast here as VERSION1
_INNER_NAME = regex.compile(r"\(\?P<\w+>")
_UNIT_READERS = {name: regex.compile(pattern, _FLAGS) for name, pattern in _UNIT_PATTERNS.items()}
_UNITS = regex.compile(
    "|".join(
        f"(?P<{name}>{_INNER_NAME.sub('(?:', pattern)})" for name, pattern in _UNIT_PATTERNS.items()
    ),
    _FLAGS,
)
_BARE = ("bare_quarter", "bare_half", "bare_month", "bare_season")
_JOINED = ("range", "joined_seasons")  # two dates read as one period
# A range joins two dates: "Oct 2026 - Jan 2027", "2026/27 to 2028/29",
# "from Apr to Jun 2027", "between Q2 and Q3 2026/27" (A5).
_RANGE_JOIN = regex.compile(r"\s*(?:\p{Pd}|to|until|till|through(?:\s+to)?|and)\s*", _FLAGS)
_RANGE_OPEN = regex.compile(r"(?:\b(?:from|between)\s+)$", _FLAGS)
# An arrow after a date: "Dec-26 → Mar-27", the first replaced by the second (A9).
_ARROW_AFTER = regex.compile(r"^\s*(?:→|->|=>|⇒)\s*")
# "X and yearly thereafter" is R8's "X then ongoing" (A13).
_SEGMENT_BREAK = regex.compile(
    r"\s*(?:;|,\s(?!\d)|\.\s+(?=\p{Lu})|\bthen\b|(?:\band\b|&)(?=(?:\s+\w+)?\s+thereafter\b))\s*",
    _FLAGS,
)
# "Ongoing - refresh due Sep 27": the ongoing activity and a dated sub-stage (A16).
_ONGOING_DASH = regex.compile(r"(?<=\b(?:ongoing|on-going)\b)\s*[\p{Pd}:]\s+", _FLAGS)
_BRACKET = regex.compile(r"\(([^()]*)\)")
# The capitalised words just before " - " name the next part: "... bus Tidal - Phase 4".
_LABEL_MARKER = regex.compile(r"\p{Lu}[\p{L}\p{N}/&'’]*(?:\s+\p{Lu}[\p{L}\p{N}/&'’]*)*\s*\p{Pd}\s")
_BEFORE_A_NUMBER = regex.compile(r"[\s\p{Pd}/.'’]*\d")
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*")
_ENDS_COMPLETE = regex.compile(r"\b(?:complete|completed)\.?$", regex.IGNORECASE)
_EDGE_JUNK = regex.compile(r"^[\s\p{Pd}:,.;()]+|[\s\p{Pd}:,.;()]+$")
_NOTE_MARK = regex.compile(r"[*†‡]+")
# Symbols and signs (a tick, a bullet shape, "~", "+", "<", ">", a currency, a private-use
# code); A9's arrow has gone with the date it replaced by the time this is looked for.
_SYMBOL = regex.compile(r"[\p{So}\p{Sm}\p{Sc}\p{Co}]")
_TICKS = frozenset("✓✔☑")
_QUERY = regex.compile(r"\?+")
_DANGLING_DASH = regex.compile(r"\s\p{Pd}\s*$")
_EMPTY_BRACKETS = regex.compile(r"\(\s*[\p{Pd},.;:]*\s*\)")
# What closes the words after a date: its bracket, or the end of its part.
_CLOSED = regex.compile(r"[),;]")
_CLOSING_BRACKET = regex.compile(r"\s*\)")
# A date alone in brackets after another, or "from" it (A9 or R7? flagged).
_BRACKETED_AFTER = regex.compile(r"\s*\(\s*(?:from\s+)?\s*\)", _FLAGS)


class TimescaleWordsError(ValueError):
    """timescale_words.yaml cannot be used as written."""


@dataclass(frozen=True)
class TimescaleWords:
    """The lists of reference/timescale_words.yaml, compiled once."""

    lists: dict[str, list[str]]

    def __post_init__(self) -> None:
        missing = [name for name in WORD_LISTS if not self.lists.get(name)]
        if missing:
            raise TimescaleWordsError(f"needs the lists {', '.join(missing)}")
        unknown = sorted(set(self.lists) - set(WORD_LISTS))
        if unknown:
            raise TimescaleWordsError(f"unknown list {unknown[0]!r}")
        owner: dict[tuple[str, ...], str] = {}
        for name in CELL_LISTS:
            for phrase in self.lists[name]:
                key = _phrase_key(str(phrase))
                if key in owner:
                    raise TimescaleWordsError(
                        f"{phrase!r} is in both {owner[key]} and {name}: a word has one meaning"
                    )
                owner[key] = name

    @cached_property
    def _owner(self) -> dict[tuple[str, ...], str]:
        return {_phrase_key(str(p)): name for name in CELL_LISTS for p in self.lists[name]}

    @cached_property
    def _longest(self) -> int:
        return max(map(len, self._owner))

    @cached_property
    def _found(self) -> dict[str, tuple[_Phrase, ...]]:
        return {}  # phrases by text: a cell's parts are asked about more than once

    @cached_property
    def label_nouns(self) -> frozenset[str]:
        return frozenset(w.casefold() for w in self.lists["label_nouns"])

    @cached_property
    def no_revision(self) -> frozenset[tuple[str, ...]]:
        return frozenset(_phrase_key(str(p)) for p in self.lists["no_revision"])

    @cached_property
    def summary_complete(self) -> regex.Pattern:
        words = sorted(self.lists["summary_complete"], key=len, reverse=True)
        return regex.compile(r"\b(?:" + "|".join(map(regex.escape, words)) + r")\b", _FLAGS)

    def phrases(self, text: str) -> tuple[_Phrase, ...]:
        """Each listed phrase in text, left to right, the longest where they overlap."""
        found = self._found.get(text)
        if found is None:
            if len(self._found) > 50_000:  # bounded: arbitrary text must not grow it forever
                self._found.clear()
            found = self._found[text] = tuple(self._match_phrases(text))
        return found

    def _match_phrases(self, text: str):
        tokens = list(_TOKEN.finditer(text))
        keys = [token.group().casefold() for token in tokens]
        position = 0
        while position < len(tokens):
            for length in range(min(self._longest, len(tokens) - position), 0, -1):
                name = self._owner.get(tuple(keys[position : position + length]))
                if name:
                    start, end = tokens[position].start(), tokens[position + length - 1].end()
                    yield _Phrase(name, start, end, text[start:end])
                    position += length
                    break
            else:
                position += 1

    def has(self, kind: str, text: str) -> bool:
        return any(found.kind == kind for found in self.phrases(text))

    def ends_with(self, kind: str, text: str) -> bool:
        """Whether text ends with a phrase of the list (what comes just before a date)."""
        found = self.phrases(text)
        return bool(found) and found[-1].kind == kind and not text[found[-1].end :].strip()

    def strip(self, kinds: tuple[str, ...], text: str) -> str:
        """Text with every phrase of the given lists blanked out."""
        for found in reversed(self.phrases(text)):
            if found.kind in kinds:
                text = f"{text[: found.start]} {text[found.end :]}"
        return text


@dataclass(frozen=True)
class _Phrase:
    kind: str  # the list of timescale_words.yaml it belongs to
    start: int
    end: int
    text: str


# Words as phrases are compared: "on-going" is ("on", "going"), "Jul'27" is ("jul", "27").
_TOKEN = regex.compile(r"[\p{L}\p{N}]+")


def _phrase_key(text: str) -> tuple[str, ...]:
    return tuple(token.casefold() for token in _TOKEN.findall(text))


@dataclass(frozen=True)
class Milestone:
    label: str
    start: dt.date | None
    end: dt.date | None
    kind: str
    rule: str = ""
    source_text: str = ""  # the words of the cell the part was read from


@dataclass(frozen=True)
class TimescaleReading:
    status: str
    start: dt.date | None
    end: dt.date | None
    confidence: str
    milestones: tuple[Milestone, ...] = ()
    note: str = ""  # how a low or none reading came about, for the review list
    rule: str = ""  # which rule read it, for auditors (timescale_rule)


@dataclass(frozen=True)
class _Unit:
    """One date of the cell: where it is, the days it covers, and the rule that reads it."""

    start: int
    end: int
    first: dt.date | None  # None: flagged (ambiguous, impossible) or without a year
    last: dt.date | None
    rule: str
    day_like: bool  # a month or a day: a deadline unless a start word says otherwise
    kind: str  # the grammar's name for it
    text: str


@dataclass
class _Part:
    text: str
    unit: _Unit | None = None
    before: str = ""  # the part's words before its date
    after: str = ""
    extra: list[str] = field(default_factory=list)  # undated words that went with it


def parse_timescale(text: str | None, words: TimescaleWords) -> TimescaleReading:
    """Read one Timescale cell. Never raises; what it cannot read it says so."""
    if text is None or not text.strip():
        return TimescaleReading(
            UNKNOWN, None, None, NONE, note="no timescale given", rule="R11 empty"
        )
    text = " ".join(text.split())
    return _read(text, words)


def _read(text: str, words: TimescaleWords) -> TimescaleReading:
    """The rules' reading, else a flagged one: a fallback guess (low) or nothing (none)."""
    reading, unexplained, flagged_status = _read_by_rules(text, words)
    if reading and not unexplained:
        return reading
    not_understood = ", ".join(repr(u) for u in unexplained)
    if flagged_status:
        return TimescaleReading(
            UNKNOWN,
            None,
            None,
            NONE,
            note=f"not understood: {not_understood} (a status that is not scheduled, ongoing "
            "or complete)",
            rule="A10 status outside the vocabulary",
        )
    fallback = _read_with_dateparser(text)
    if fallback:
        return TimescaleReading(
            fallback.status,
            fallback.start,
            fallback.end,
            LOW,
            note=f"not understood: {not_understood}; {fallback.note}",
            rule="R12 fallback (dateparser)",
        )
    if reading:
        return TimescaleReading(
            reading.status,
            reading.start,
            reading.end,
            LOW,
            reading.milestones,
            note=f"not understood: {not_understood}; read leaving them out",
            rule=f"R12 fallback (rules without the words not understood: {reading.rule})",
        )
    return TimescaleReading(
        UNKNOWN,
        None,
        None,
        NONE,
        note=f"not understood: {not_understood}",
        rule="R12 not understood",
    )


def summary_reports_complete(summary: str | None, words: TimescaleWords) -> bool:
    """Whether a Summary says the work is done (used only when the Timescale is empty)."""
    if not summary:
        return False
    if words.summary_complete.search(summary):
        return True
    return any(_ENDS_COMPLETE.search(line.strip()) for line in summary.split("\n"))


def _read_by_rules(
    text: str, words: TimescaleWords
) -> tuple[TimescaleReading | None, list[str], bool]:
    """The reading by the rules, the words they could not explain, and whether a status
    outside the vocabulary was among them."""
    units, leftovers = _find_units(text, words)
    cleaned, revised = _drop_replaced_dates(text, units, leftovers, words)
    if revised:
        units, leftovers = _find_units(cleaned, words)
    cleaned, restated = _drop_restated_dates(cleaned, units)
    if restated:
        units, leftovers = _find_units(cleaned, words)
    unexplained = [
        cleaned[u.start : u.end] for u in leftovers if not _recurs(cleaned[: u.start], u, words)
    ]
    flagged_status = False
    dates = units + leftovers
    for found in words.phrases(cleaned):
        if found.kind not in FLAGGED_LISTS or any(u.start <= found.start < u.end for u in dates):
            continue  # "Quarter 3 of 2026/27": the date's own words
        if found.kind == "beside_a_date" and not _beside_a_date(cleaned, found, dates, words):
            continue
        unexplained.append(found.text)
        flagged_status |= found.kind == "status_flagged"
    unexplained += _stray_words(cleaned, units + leftovers, words)
    unexplained += _NOTE_MARK.findall(cleaned)  # "March 2025*": the note it points to is elsewhere
    # "~2026", "2025+", ">2026", "✓ Mar-23": no rule says; a tick beside "Complete" says it again
    ticked = words.has("complete", cleaned)
    unexplained += [s for s in _SYMBOL.findall(cleaned) if not (ticked and s in _TICKS)]
    unexplained += _QUERY.findall(cleaned)  # "2028?": the writer was not sure
    if units and _DANGLING_DASH.search(cleaned):  # "April 2025 -": from then to when?
        unexplained.append("a range with no end")
    if any(cleaned[a.end : b.start].strip() == "/" for a, b in itertools.pairwise(units)):
        unexplained.append("a slash between two dates")  # "Dec 2026/Jan 2027": one, or both?
    unexplained += _replaced_and_no_current(cleaned, units, words)
    if any(
        _BRACKETED_AFTER.fullmatch(_between(cleaned, a, b)) for a, b in itertools.pairwise(units)
    ):
        # "Jun 2026 (Mar 2026)", "Jun 2026 (from Mar 2026)": the date it replaced, or a start?
        unexplained.append("a date in brackets after another")
    unexplained = sorted(set(unexplained), key=cleaned.find)

    parts = _split_parts(cleaned, units, words)
    if len(parts) == 2 and parts[1].unit and _only_complete(parts[0], words):
        # "Complete (Sept 2023)": the date in brackets is when the work was done (A10)
        unit = parts[1].unit
        parts = [_Part(cleaned.strip(), unit, cleaned[: unit.start], cleaned[unit.end :])]
    unexplained += [
        f"a start and a deadline for one date ({p.text})"
        for p in parts
        if p.unit and _start_then_deadline(p.before, words)
    ]
    unexplained += [
        f"ongoing, and a date with no word saying from or until ({d})"
        for d in _ongoing_then_a_date(cleaned, parts, words)
    ]
    unexplained += [
        f"a date and a recurrence: once, or each time from then? ({p.text})"
        for p in parts
        if p.unit and _only(words, "recurring", words.strip(("connective",), p.after))
    ]
    unexplained += [
        f"a deadline word for the first date: the second's too? ({b.text})"
        for a, b in itertools.pairwise(parts)
        if _deadline_not_shared(a, b, words)
    ]
    complete = _reports_done(cleaned, words)
    under_way = _parts_under_way(cleaned, words) if complete else []
    unexplained += [f"done and still under way ({'; '.join(under_way)})"] if under_way else []
    labelled = len(parts) > 1  # labels name milestones; one part makes none
    readings = [r for r in (_read_part(p, words, labelled) for p in parts) if r]
    dated = [r for r in readings if r.start or r.end]
    if not readings:
        for said, status, rule in (
            (complete, COMPLETE, "R9 status word"),
            (words.has("status_ongoing", cleaned), ONGOING, "A10 status under way"),
            (words.has("recurring", cleaned), ONGOING, "A13 recurring"),
        ):
            if said:
                return TimescaleReading(status, None, None, HIGH, rule=rule), unexplained, False
        return None, unexplained or [text], flagged_status

    starts = [r.start for r in readings if r.start]
    ends = [r.end for r in readings if r.end]
    late = [r.start for r in readings if r.kind == STARTS and ends and r.start > max(ends)]
    if late and min(starts) <= max(ends):  # (every start after the end: not read, below)
        # "Procurement Q1 2026/27; contract start Q3 2026/27": work goes on past the end
        unexplained.append(f"a start ({min(late)}) after the end ({max(ends)})")
    open_ended = any(r.kind == ONGOING for r in readings) or (starts and not ends)
    if complete:
        # A10: done, on a date if one is given; a cell where one part is done and
        # another still due is not complete.
        undone = [p.text for p in parts if p.unit and not words.has("complete", p.text)]
        unexplained += [f"done and still due ({'; '.join(undone)})"] if undone else []
        status, start, end = COMPLETE, None, max(ends) if ends else None
    elif open_ended:
        status, start, end = ONGOING, min(starts) if starts else None, None
    else:
        status, start, end = SCHEDULED, min(starts) if starts else None, max(ends)
    if start and end and start > end:
        return None, [*unexplained, f"a start ({start}) after the end ({end})"], flagged_status
    milestones = tuple(dated) if len(parts) > 1 else ()
    rule = _cell_rule(parts, readings, complete)
    if revised:
        rule = f"A9 revision, current date by {rule}"
    return (
        TimescaleReading(status, start, end, HIGH, milestones, rule=rule),
        unexplained,
        (flagged_status),
    )


def _beside_a_date(text: str, found: _Phrase, dates: list[_Unit], words: TimescaleWords) -> bool:
    """Whether only joining words and punctuation stand between the phrase and a date."""
    for unit in dates:
        gap = (
            text[found.end : unit.start]
            if found.end <= unit.start
            else text[unit.end : found.start]
        )
        if not _WORD.search(words.strip(("connective",), gap)):
            return True
    return False


def _start_then_deadline(before: str, words: TimescaleWords) -> bool:
    """ "Start by Mar 28", "From the end of 2027": a deadline phrase between a start word
    and its date, so no rule gives the day the work starts. ("Due to start Mar 28" has
    the start word next to its date.)"""
    kinds = [kind for kind in _said(before, words) if kind in ("start", "deadline")]
    return "start" in kinds and kinds[-1] == "deadline"


# The lists whose words say what a date is to the work: when it starts, ends or goes on.
_SAID = ("start", "deadline", "continuing_to", "ongoing")


def _said(text: str, words: TimescaleWords) -> list[str]:
    """The _SAID lists text's phrases belong to, left to right."""
    return [found.kind for found in words.phrases(text) if found.kind in _SAID]


def _ongoing_then_a_date(text: str, parts: list[_Part], words: TimescaleWords) -> list[str]:
    """ "Ongoing 2030", "Ongoing - Mar 2030": until then, from then, or during? R7 reads a
    start only where a word says so ("From 2030", "2030 onwards"), A16 an end where one
    says so ("Ongoing until 2030"); "Ongoing - refresh due Sep 27" says what its date is.
    "Ongoing programme to 2030" may end then or hold a review then (A16): flagged too."""
    dash = _ONGOING_DASH.search(text)
    found = []
    for part in parts:
        if not part.unit:
            continue
        kinds = _said(part.before, words)
        after_dash = dash and part.unit.start == dash.end()
        if ("ongoing" in kinds and kinds[-1] in ("ongoing", "deadline")) or (
            after_dash and not _EDGE_JUNK.sub("", part.after).strip()
        ):
            found.append(part.text)
    return found


def _deadline_not_shared(first: _Part, second: _Part, words: TimescaleWords) -> bool:
    """ "By 2030 (interim) and 2040 (final)": does "by" bound the second date too? A
    year, financial year, quarter or season after a deadline's date with no word of its
    own but "and" would read as the whole period, its start the action's (R10). Months
    and days are deadlines either way ("By Mar 2026 and Sep 2026"); a part with words
    of its own ("Phase 2 2027/28") is its own."""
    if not second.unit or second.unit.day_like:
        return False
    own = words.strip(("connective",), _BRACKET.sub(" ", second.before))
    # "By the end of the plan (2030)": a dateless part's deadline words are for the next
    ahead = _said(first.before if first.unit else first.text, words)
    return not _WORD.search(own) and bool(ahead) and ahead[-1] == "deadline"


def _reports_done(text: str, words: TimescaleWords) -> bool:
    """Whether a status word says the work is done: not one a deadline or continuing
    phrase stands just before ("Ongoing until complete": until it is done)."""
    found = words.phrases(text)
    return any(
        phrase.kind == "complete"
        and not (
            n
            and found[n - 1].kind in ("deadline", "continuing_to")
            and not text[found[n - 1].end : phrase.start].strip()
        )
        for n, phrase in enumerate(found)
    )


def _parts_under_way(text: str, words: TimescaleWords) -> list[str]:
    """The words saying work goes on in a cell that names its parts ("Stage 1 complete,
    Stage 2 ongoing"): one part done and another under way is not complete (A10). With
    no part named ("Complete - ongoing monitoring") they are the done work's upkeep."""
    keys = [token.group().casefold() for token in _TOKEN.finditer(text)]
    if not any(
        noun in words.label_nouns and _PART_NUMBER.fullmatch(number)
        for noun, number in itertools.pairwise(keys)
    ):
        return []
    return [f.text for f in words.phrases(text) if f.kind in ("ongoing", "status_ongoing")]


_PART_NUMBER = regex.compile(r"\d{1,2}|[a-z]|[ivx]{1,4}")  # Stage 2, Phase B, Phase II


def _only_complete(part: _Part, words: TimescaleWords) -> bool:
    """A dateless part that is only a status word saying the work is done."""
    return not (part.unit or part.extra) and _only(words, "complete", part.text)


def _recurs(before: str, unit: _Unit, words: TimescaleWords) -> bool:
    """A yearless month or season after "each" or "every": recurring, explained (A13)."""
    return unit.kind in ("bare_month", "bare_season") and words.ends_with("recurring", before)


def _cell_rule(parts: list[_Part], readings: list[Milestone], complete: bool) -> str:
    if complete:  # with the rule that read its date, as a deadline names it (A11)
        dated = f" ({readings[0].rule})" if len(parts) == 1 else ""
        return f"A10 complete on a date{dated}"
    if len(parts) == 1:
        return readings[0].rule
    if len(readings) == 2 and readings[1].kind == ONGOING and not readings[1].start:
        return "R8 then ongoing"
    return "R10 several parts"


def _drop_replaced_dates(
    text: str, units: list[_Unit], leftovers: list[_Unit], words: TimescaleWords
) -> tuple[str, bool]:
    """The cell without the dates a revision replaced (A9), and whether there were any.

    A date is replaced when a revision_previous word stands just before it ("revised
    from Aug-26", "(planned Sep-27)", "previously Mar-24"; "moved from Mar to Jun 2026"
    takes its "to" with it), or just after it in its own brackets or part ("Mar 2026
    (original), Jun 2026"); when only revision_current words stand between it and the
    next date ("Mar 2026 (revised to Jun 2026)", "Dec 2026 - now Mar 2027"); or when an
    arrow follows it ("Dec-26 → Mar-27"). Only when another date remains.
    """
    dates = sorted(units + leftovers, key=lambda unit: unit.start)
    cuts: list[tuple[int, int]] = []
    for unit, following in itertools.zip_longest(dates, dates[1:]):
        gap = text[unit.end : following.start if following else len(text)]
        marker = _replaced_marker(text, unit, words)
        if marker:
            joined = following and _RANGE_JOIN.fullmatch(gap) and _names_the_old(marker)
            cuts.append((marker.start, following.start if joined else unit.end))
        elif arrow := _ARROW_AFTER.match(gap):
            cuts.append((unit.start, unit.end + arrow.end()))
        elif said := _marked_after(gap, following is None, words):
            cuts.append((unit.start, unit.end + said))
        elif following and _only_revision_between(gap, words):
            cuts.append((unit.start, unit.end))
    kept = [u for u in units if not any(start <= u.start < end for start, end in cuts)]
    if not cuts or not kept:
        return text, False
    for start, end in reversed(cuts):
        text = f"{text[:start]} {text[end:]}"
    text = _EMPTY_BRACKETS.sub(" ", text)
    return " ".join(_EDGE_JUNK.sub("", text).split()), True


# The lists whose words say a date was replaced; a planned date is one only beside another.
_REPLACED = ("revision_previous", "revision_planned")


def _replaced_marker(
    text: str, unit: _Unit, words: TimescaleWords, kinds: tuple[str, ...] = _REPLACED
) -> _Phrase | None:
    """The phrase just before a date that says it was replaced ("was", "revised from")."""
    before = text[: unit.start]
    markers = [m for m in words.phrases(before) if m.kind in kinds]
    if markers and not before[markers[-1].end :].strip(" :."):
        return markers[-1]
    return None


def _replaced_and_no_current(text: str, units: list[_Unit], words: TimescaleWords) -> list[str]:
    """Dates the cell names as replaced when it names no other ("Was Mar 2026",
    "Revised from Dec 2026"): the current date is not given, so none is read."""
    kinds = ("revision_previous",)
    flagged = []
    for unit, following in itertools.zip_longest(units, units[1:]):
        gap = text[unit.end : following.start if following else len(text)]
        marker = _replaced_marker(text, unit, words, kinds)
        if marker and _names_the_old(marker) and unit.kind in _JOINED:
            flagged.append(f"{marker.text} {unit.text}: the old date and the new read as one")
        elif marker or _marked_after(gap, following is None, words, kinds):
            flagged.append(f"{unit.text}: a date it replaced, and no current one")
    return flagged


def _drop_restated_dates(text: str, units: list[_Unit]) -> tuple[str, bool]:
    """The cell without a bracket that names the same days as the date before it ("Q4
    2026/27 (Jan-Mar 2027)"), and whether there was one: it says the date again, so it is
    read once. A bracket naming other days is still flagged as a date after another."""
    cuts = []
    for first, second in itertools.pairwise(units):
        same = first.first is not None and (first.first, first.last) == (second.first, second.last)
        if same and regex.fullmatch(r"\s*\(\s*\)?\s*", _between(text, first, second)):
            closing = _CLOSING_BRACKET.match(text, second.end)
            cuts.append((first.end, closing.end() if closing else second.end))
    for start, end in reversed(cuts):
        text = f"{text[:start]}{text[end:]}"
    return text, bool(cuts)


def _between(text: str, first: _Unit, second: _Unit) -> str:
    """The text from one date to the end of the bracket the next one stands in."""
    closing = _CLOSING_BRACKET.match(text, second.end)
    return f"{text[first.end : second.start]}{closing.group() if closing else ''}"


def _old_date_follows(text: str, unit: _Unit, words: TimescaleWords) -> bool:
    """Whether the date is the old one of a revision ("Moved from Mar to Jun 2026"), not a
    range's start."""
    marker = _replaced_marker(text, unit, words)
    return marker is not None and _names_the_old(marker)


def _names_the_old(marker: _Phrase) -> bool:
    """Whether the date after the phrase is the old one, and a date joined to it by "to"
    or a dash the new one, not a range ("moved from", "slipped from")."""
    return marker.text.casefold().endswith("from")


def _marked_after(
    gap: str, last: bool, words: TimescaleWords, kinds: tuple[str, ...] = _REPLACED
) -> int:
    """Where the words after a date that say it was the old one end in ``gap`` ("Mar 2026
    (original), ...", "(Dec 2026 original target)"), else 0: only such words, closed by a
    bracket or a separator or the cell's end (else they stand before the next date)."""
    markers = [m for m in words.phrases(gap) if m.kind in kinds]
    if not markers or _WORD.search(words.strip(kinds, gap)):
        return 0
    closed = last or _CLOSED.search(gap[markers[-1].end :])
    return markers[-1].end if closed else 0


def _only_revision_between(gap: str, words: TimescaleWords) -> bool:
    """Whether revision_current words, and nothing else, stand between two dates ("Mar
    2026 revised to Jun 2026")."""
    return words.has("revision_current", gap) and not _WORD.search(
        words.strip(("revision_current",), gap)
    )


def _find_units(text: str, words: TimescaleWords) -> tuple[list[_Unit], list[_Unit]]:
    """The dates of the text, ranges joined (A5), and the date-like words no date uses."""
    found: list[_Unit] = []
    position = 0
    while match := _UNITS.search(text, position):
        unit = _read_unit(match)
        day = _LEADING_DAY.match(unit.text) if unit.kind in _DAY_NAMED else None
        if day and _word_before(text, unit.start) in words.label_nouns:
            # "Phase 2 Oct 2024": the number is the phase's, not a day; read on after it
            position = unit.start + day.end()
            continue
        found.append(unit)
        position = unit.end
    joined: list[_Unit] = []
    position = 0
    while position < len(found):
        unit = found[position]
        following = found[position + 1] if position + 1 < len(found) else None
        if (
            following
            and not _old_date_follows(text, unit, words)
            and (span := _join_range(text, unit, following))
        ):
            joined.append(span)
            position += 2
        else:
            joined.append(unit)
            position += 1
    usable = [u for u in joined if u.first and u.last]
    return usable, [u for u in joined if not (u.first and u.last)]


def _join_range(text: str, first: _Unit, second: _Unit) -> _Unit | None:
    if not (second.first and second.last) or not _RANGE_JOIN.fullmatch(
        text[first.end : second.start]
    ):
        return None
    between = text[first.end : second.start]
    opening = _RANGE_OPEN.search(text[: first.start])
    if regex.fullmatch(r"\s*and\s*", between, _FLAGS) and not (
        opening and opening.group().casefold().startswith("between")
    ):
        return None
    start = first.first or _borrow_year(first, second)
    if start is None:
        return None
    rule = "A8 joined seasons" if first.kind == "bare_season" else "A5 range"
    begin = opening.start() if opening else first.start
    last = second.last
    if start > last:  # runs backwards: a typo, flagged
        start, last, rule = None, None, "A5 a range that runs backwards"
    return _Unit(begin, second.end, start, last, rule, False, "range", text[begin : second.end])


def _borrow_year(first: _Unit, second: _Unit) -> dt.date | None:
    """The first day of a yearless range start, in the year its end gives ("Apr-Jun 2027")."""
    match = _UNIT_READERS[first.kind].fullmatch(first.text)
    if first.kind == "bare_month" and second.kind in ("month", *_DAY_KINDS):
        month = _MONTHS[match["month_name"].casefold()]
        year = second.last.year - (month > second.last.month)
        return dt.date(year, month, 1)
    if first.kind == "day_month" and second.kind in ("month", *_DAY_KINDS):
        # "2 June - 30 Sept 2027": the day in the year that makes the range run forwards
        month, day = _MONTHS[match["month_name"].casefold()], int(match["day"])
        year = second.last.year - ((month, day) > (second.last.month, second.last.day))
        try:
            return dt.date(year, month, day)
        except ValueError:  # "31 June - ...": a typo, flagged
            return None
    if first.kind == "bare_season" and second.kind == "season":
        month = _SEASONS[match["season_name"].casefold()]
        return dt.date(second.first.year - (month > second.first.month), month, 1)
    if first.kind == "bare_quarter" and second.kind == "fy_quarter":
        fy_start = _financial_year_of(second.first)
        return _fy_quarter(fy_start, int(match["quarter"]))[0]
    if first.kind == "bare_half" and second.kind == "fy_half":
        fy_start = _financial_year_of(second.first)
        return _fy_half(fy_start, _half_number(match))[0]
    return None


_DAY_KINDS = ("iso_date", "numeric_date", "day_month_year", "month_day_year")
_DAY_NAMED = ("day_month_year", "day_month")  # a day number first, then a month's name
_LEADING_DAY = regex.compile(r"\d{1,2}")
_LAST_WORD = regex.compile(r"(\p{L}+)\s*$")


def _word_before(text: str, position: int) -> str:
    found = _LAST_WORD.search(text, 0, position)
    return found[1].casefold() if found else ""


def _read_unit(match: regex.Match) -> _Unit:
    kind = match.lastgroup
    text = match.group()
    reader = _UNIT_READERS[kind].fullmatch(text)
    period, rule, day_like = _unit_period(kind, reader)
    first, last = period if period else (None, None)
    return _Unit(match.start(), match.end(), first, last, rule, day_like, kind, text)


def _unit_period(kind: str, m: regex.Match) -> tuple[tuple[dt.date, dt.date] | None, str, bool]:
    """Days a date covers, its rule, and whether it is a month or day; None when flagged."""
    if kind == "fy_quarter":
        fy = _financial_year(m)
        return (fy and _fy_quarter(fy[0], int(m["quarter"])), "A1 financial-year quarter", False)
    if kind == "fy_half":
        fy = _financial_year(m)
        return (fy and _fy_half(fy[0], _half_number(m)), "A6 half of a financial year", False)
    if kind == "calendar_quarter_named":
        year, quarter = int(m["year"]), int(m["quarter"])
        first_month = 3 * quarter - 2
        named = (
            (_MONTHS[m["month_a"].casefold()], _MONTHS[m["month_b"].casefold()])
            if m["month_a"]
            else (first_month, first_month + 2)
        )
        if named == (first_month + 3, first_month + 5) and quarter < 4:
            # the months of the financial year's quarter ("Q3 2026 (Oct-Dec)"), in the
            # year written; a Q4 of January to March could be this year's or the next
            period = dt.date(year, named[0], 1), _month_end(year, named[1])
            return period, "A3 quarter with its months named", False
        if named != (first_month, first_month + 2):
            return None, "A3 quarter whose months disagree", False
        period = dt.date(year, first_month, 1), _month_end(year, first_month + 2)
        return period, "A3 calendar quarter", False
    if kind == "calendar_half":
        year, half = int(m["year"]), _half_number(m)
        return (
            (dt.date(year, 1 + 6 * (half - 1), 1), _month_end(year, 6 * half)),
            "A6 half of a calendar year",
            False,
        )
    if kind == "winter_two_years":
        year = first = _full_year(m["year"])
        last = _full_year(regex.split(r"[/\p{Pd}]", m.group())[-1].strip())
        if last != first + 1:
            return None, "A8 winter whose years are not consecutive", False
        return (dt.date(year, 12, 1), _month_end(year + 1, 2)), "A8 winter across two years", False
    if kind in _DAY_KINDS:
        year = _full_year(m["year"])
        month = int(m["month"]) if kind in ("iso_date", "numeric_date") else None
        month = month or _MONTHS[m["month_name"].casefold()]
        try:
            day = dt.date(year, month, int(m["day"]))
        except ValueError:
            return None, "A4 a date that does not exist", True
        return (day, day), "A4 exact date", True
    if kind == "month_numeric":
        year, month = int(m["year"]), int(m["month"])
        if not 1 <= month <= 12:
            return None, "A4 a month that does not exist", True
        return (dt.date(year, month, 1), _month_end(year, month)), "R4 month", True
    if kind == "month":
        year, month = _full_year(m["year"]), _MONTHS[m["month_name"].casefold()]
        return (dt.date(year, month, 1), _month_end(year, month)), "R4 month", True
    if kind == "joined_seasons":
        year = _full_year(m["year"])
        first, last = (_season(m[g], year) for g in ("season_a", "season_b"))
        if first[0] > last[0]:
            return None, "A8 seasons in the wrong order", False
        return (first[0], last[1]), "A8 joined seasons", False
    if kind == "season":
        return _season(m["season_name"], _full_year(m["year"])), "R5 season", False
    if kind == "financial_year":
        fy = _financial_year(m)
        if fy is None:
            return None, "R1 a financial year that runs backwards", False
        labelled = bool(m["fy_label"] or m["fy_suffix"])
        span = fy[1].year - fy[0].year > 1
        rule = "R2 span of financial years" if span else "R1 financial year"
        return fy, "A2 labelled financial year" if labelled and not span else rule, False
    if kind == "year":
        year = int(m["year"])
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)), "R3 calendar year", False
    # calendar_quarter (A3), fy_one_year (A2), day_month (A4) and the bare kinds: flagged
    return None, kind, kind == "day_month"


def _financial_year(m: regex.Match) -> tuple[dt.date, dt.date] | None:
    if m["fy_first"]:
        first = int(m["fy_first"])
        last = _full_year(m["fy_last"], first)
        return (dt.date(first, 4, 1), dt.date(last, 3, 31)) if last > first else None
    first, last = (2000 + int(m[g]) for g in ("fy_short_first", "fy_short_last"))
    return (dt.date(first, 4, 1), dt.date(last, 3, 31)) if last == first + 1 else None


def _financial_year_of(day: dt.date) -> dt.date:
    """1 April of the financial year a day falls in."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _fy_quarter(fy_start: dt.date, quarter: int) -> tuple[dt.date, dt.date]:
    """Q1 April-June ... Q4 January-March of the next year."""
    month = 4 + 3 * (quarter - 1)
    year = fy_start.year + (month > 12)
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1), _month_end(year, month + 2)


def _fy_half(fy_start: dt.date, half: int) -> tuple[dt.date, dt.date]:
    """H1 April-September, H2 October-March of the next year."""
    if half == 1:
        return dt.date(fy_start.year, 4, 1), dt.date(fy_start.year, 9, 30)
    return dt.date(fy_start.year, 10, 1), dt.date(fy_start.year + 1, 3, 31)


def _half_number(m: regex.Match) -> int:
    if m["half"]:
        return int(m["half"])
    return 1 if m["half_word"].casefold() in ("first", "1st") else 2


def _season(name: str, year: int) -> tuple[dt.date, dt.date]:
    month = _SEASONS[name.casefold()]
    end_year, end_month = (year + 1, 2) if month == 12 else (year, month + 2)
    return dt.date(year, month, 1), _month_end(end_year, end_month)


def _stray_words(text: str, units: list[_Unit], words: TimescaleWords) -> list[str]:
    """Numbers no date or label uses, and misspelt months before a number."""
    covered = text
    for unit in sorted(units, key=lambda u: u.start, reverse=True):
        covered = f"{covered[: unit.start]}{' ' * (unit.end - unit.start)}{covered[unit.end :]}"
    tokens = list(_WORD.finditer(covered))
    stray = []
    for position, token in enumerate(tokens):
        word = token.group()
        previous = tokens[position - 1].group().casefold() if position else ""
        if any(c.isdigit() for c in word):
            if not (previous in words.label_nouns and len(word) <= 2):
                stray.append(word)
        elif _BEFORE_A_NUMBER.match(text, token.end()) and _looks_like_a_month(word):
            stray.append(word)
    return stray


@cache
def _looks_like_a_month(word: str) -> bool:
    """A misspelt or shortened month or season ("Janaury", "Febuary", "Sumer", "Aut"),
    never read as one (A17)."""
    from rapidfuzz import fuzz, process

    folded = word.casefold()
    if folded in _MONTHS or folded in _SEASONS:
        return False
    if len(folded) < 4:
        return len(folded) == 3 and any(season.startswith(folded) for season in _SEASONS)
    return process.extractOne(folded, _FULL_NAMES, scorer=fuzz.ratio, score_cutoff=75) is not None


def _split_parts(text: str, units: list[_Unit], words: TimescaleWords) -> list[_Part]:
    """The cell cut into parts, each one date with its words (R10)."""
    if len(units) == 1 and units[0].start == 0 and units[0].end == len(text):
        return [_Part(text, units[0])]  # most cells are one date ("2022/23", "Mar-23")
    inside = [(u.start, u.end) for u in units]

    def free(position: int) -> bool:
        return not any(a < position < b for a, b in inside)

    breaks = [(m.start(), m.end()) for m in _SEGMENT_BREAK.finditer(text) if free(m.start())]
    breaks += [(m.start(), m.end()) for m in _ONGOING_DASH.finditer(text) if free(m.start())]
    for bracket in _BRACKET.finditer(text):
        holds_date = any(bracket.start() < u.start and u.end < bracket.end() for u in units)
        if holds_date and free(bracket.start()):
            breaks += [(bracket.start(), bracket.start() + 1), (bracket.end() - 1, bracket.end())]
    breaks.sort()
    segments, cursor = [], 0
    for start, end in breaks:
        if start >= cursor:
            segments.append((cursor, start))
            cursor = end
    segments.append((cursor, len(text)))

    parts: list[_Part] = []
    for seg_start, seg_end in segments:
        segment = text[seg_start:seg_end]
        if not segment.strip():
            continue
        dates = [u for u in units if seg_start <= u.start and u.end <= seg_end]
        if not dates:
            if parts and not (words.has("ongoing", segment) or words.has("recurring", segment)):
                parts[-1].extra.append(segment.strip())
            else:
                parts.append(_Part(segment.strip()))
            continue
        bounds = [seg_start]
        for previous, following in itertools.pairwise(dates):
            between = text[previous.end : following.start]
            markers = list(_LABEL_MARKER.finditer(between))
            bounds.append(previous.end + (markers[-1].start() if markers else 0))
        bounds.append(seg_end)
        for unit, start, end in zip(dates, bounds, bounds[1:], strict=False):
            parts.append(
                _Part(text[start:end].strip(), unit, text[start : unit.start], text[unit.end : end])
            )
    return parts


def _read_part(part: _Part, words: TimescaleWords, labelled: bool) -> Milestone | None:
    label = _label(part, words) if labelled else ""
    source = part.text
    if part.unit is None:  # "X then ongoing", and "X then annually" alike (R8, A13)
        if words.has("ongoing", part.text):
            return Milestone(label, None, None, ONGOING, "R9 ongoing", source)
        if words.has("recurring", part.text):
            return Milestone(label, None, None, ONGOING, "A13 recurring", source)
        return None
    unit = part.unit
    before = words.strip(("revision_current",), part.before)
    if words.has("continuing_to", before):  # "Ongoing until (review in) 2026": its end
        return Milestone(label, None, unit.last, DUE, f"A16 continuing to ({unit.rule})", source)
    if words.has("ongoing", part.text):
        if words.has("deadline", before):  # "By Mar 2026 and ongoing": R8, X a deadline
            return Milestone(label, None, None, ONGOING, "R8 then ongoing", source)
        return Milestone(label, unit.first, None, ONGOING, f"R7 open start ({unit.rule})", source)
    starts = words.has("start", before) or _only(words, "start", part.after)  # "Apr 25 (start)"
    if starts and unit.kind != "range":
        return Milestone(label, unit.first, None, STARTS, f"R7 open start ({unit.rule})", source)
    if unit.day_like:
        return Milestone(label, None, unit.last, DUE, unit.rule, source)
    if words.has("deadline", before) or _only(words, "deadline", part.after):
        rule = {"R3 calendar year": "R6 deadline at a year's end", "R5 season": "R5 season"}.get(
            unit.rule, f"A11 deadline ({unit.rule})"
        )
        return Milestone(label, None, unit.last, DUE, rule, source)
    return Milestone(label, unit.first, unit.last, PERIOD, unit.rule, source)


def _only(words: TimescaleWords, kind: str, text: str) -> bool:
    """Whether text is a phrase of the list and nothing else but punctuation."""
    return words.has(kind, text) and not _EDGE_JUNK.sub("", words.strip((kind,), text)).strip()


def _label(part: _Part, words: TimescaleWords) -> str:
    text = " ".join([part.before, part.after, *part.extra]) if part.unit else part.text
    text = _BRACKET.sub(r" \1 ", text)
    text = words.strip(("deadline", "start", "ongoing", "continuing_to", "revision_current"), text)
    text = " ".join(text.split())
    connective_edges = _connective_edges(tuple(words.lists["connective"]))
    while True:
        trimmed = connective_edges.sub("", _EDGE_JUNK.sub("", text))
        if trimmed == text:
            return text
        text = trimmed


@cache
def _connective_edges(connectives: tuple[str, ...]) -> regex.Pattern:
    """A connective word or sign at either end of a label ("Phase 1 by" -> "Phase 1"),
    or all of it ("Mar 2026 and Sep 2026": the second part's label is no "and")."""
    body = "|".join([*map(regex.escape, connectives), "&", r"\+", "/"])
    return regex.compile(rf"^(?:{body})(?:\s+|$)|\s+(?:{body})$", regex.IGNORECASE)


def _full_year(digits: str, first: int | None = None) -> int:
    digits = digits.strip("'’ ")
    if len(digits) == 4:
        return int(digits)
    century = (first // 100) * 100 if first else 2000
    return century + int(digits)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "last",
    "REQUIRE_PARTS": ["month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],
    "RETURN_TIME_AS_PERIOD": True,
}


@cache
def _dateparser():
    from dateparser.date import DateDataParser  # slow to import; only the fallback needs it

    return DateDataParser(languages=["en"], settings=_DATEPARSER_SETTINGS)


# dateparser, set up as above, gives a date only when the text names a month and a year:
# a month word (an English month's name or abbreviation) or a second number. A cell
# with neither ("Ongoing 22") is not handed to it: its answer is known, and such a
# cell made dateparser build every time zone's pattern first (0.4 s of a run).
_MONTH_WORD = regex.compile(r"(?i)(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_NUMBER = regex.compile(r"\d+")


def may_name_month_and_year(text: str) -> bool:
    numbers = _NUMBER.findall(text)
    return bool(_MONTH_WORD.search(text)) or len(numbers) > 1 or any(len(n) > 4 for n in numbers)


@lru_cache(maxsize=4096)  # slow, and a pure function of the text
def _read_with_dateparser(text: str) -> TimescaleReading | None:
    """dateparser's reading of the whole cell as one deadline, or None."""
    if not may_name_month_and_year(text):
        return None
    try:
        data = _dateparser().get_date_data(text)
    except (ValueError, OverflowError):  # out-of-range numbers in arbitrary text
        return None
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    end = _month_end(day.year, day.month) if data.period == "month" else day
    if data.period == "year":
        end = dt.date(day.year, 12, 31)
    return TimescaleReading(SCHEDULED, None, end, LOW, note=f"dateparser read it as due {end}")


REVISED = "revised_timescale_raw"


def timescale_cells(actions: pd.DataFrame, words: TimescaleWords) -> list[tuple[str, str | None]]:
    """The field and text each action's timescale is read from: the Revised Timescale cell
    of a monitoring version where it gives a revision (A9 keeps only the current date), or
    where its table has no Timescale column; else the Timescale cell."""
    cells = []
    for timescale, revised in zip(actions["timescale_raw"], actions[REVISED], strict=True):
        key = _phrase_key(revised or "")
        revision = key and key not in words.no_revision
        in_its_place = timescale is None and revised is not None
        cells.append(
            (REVISED, revised) if revision or in_its_place else ("timescale_raw", timescale)
        )
    return cells


def read_timescales(
    actions: pd.DataFrame, cells: list[tuple[str, str | None]], words: TimescaleWords
) -> tuple[pd.DataFrame, list[TimescaleReading]]:
    """Fill ``status``, dates, ``confidence`` and ``timescale_rule`` from each action's
    cell (timescale_cells); a reading of the revised cell says so in its rule, and the
    end of the Timescale cell it replaced is kept in ``end_date_before_revision``.

    An empty cell whose Summary reports the work done reads as complete, low.
    """
    revised = [field_name == REVISED for field_name, _ in cells]
    replaced = {t for t, r in zip(actions["timescale_raw"], revised, strict=True) if r}
    distinct = {t: parse_timescale(t, words) for t in {t for _, t in cells} | replaced}
    readings = []
    for (field_name, timescale), summary in zip(cells, actions["summary"], strict=True):
        reading = distinct[timescale]
        if field_name == REVISED:
            reading = replace(reading, rule=f"{reading.rule}{READ_FROM_REVISED}")
        elif (
            reading.status == UNKNOWN
            and not (timescale or "").strip()
            and summary_reports_complete(summary, words)
        ):
            reading = TimescaleReading(
                COMPLETE,
                None,
                None,
                LOW,
                note="no timescale; the summary reports it complete",
                rule="summary reports complete",
            )
        readings.append(reading)
    # the original target the slip is measured against, where every word of it is explained
    before = [
        distinct[original].end if r and distinct[original].confidence == HIGH else None
        for original, r in zip(actions["timescale_raw"], revised, strict=True)
    ]
    actions = assign_objects(actions, end_date_before_revision=before)
    return with_timescales(actions, readings), readings


def with_timescales(actions: pd.DataFrame, readings: list[TimescaleReading]) -> pd.DataFrame:
    """The actions with status, dates, confidence and rule taken from ``readings``."""
    return assign_objects(
        actions,
        status=[r.status for r in readings],
        start_date=[r.start for r in readings],
        end_date=[r.end for r in readings],
        confidence=[r.confidence for r in readings],
        timescale_rule=[r.rule for r in readings],
    )


def timescale_doubt(
    field_name: str, timescale: str | None, reading: TimescaleReading
) -> Doubt | None:
    """The review row a reading of the cell ``field_name`` needs: every low or none
    reading, and a missing timescale."""
    if reading.confidence == HIGH:
        return None
    if timescale is None and reading.confidence == NONE:
        return None  # the table has no Timescale column: listed once for it (missing_column)
    if not (timescale or "").strip():
        reason = "missing_timescale" if reading.confidence == NONE else "timescale_low_confidence"
        return Doubt(field_name, "", reason, reading.note)
    reason = "timescale_low_confidence" if reading.confidence == LOW else "timescale_not_understood"
    return Doubt(field_name, timescale, reason, reading.note)


def milestones_table(actions: pd.DataFrame, readings: list[TimescaleReading]) -> pd.DataFrame:
    """MILESTONES: each action's dated parts, numbered in the order the cell gives them."""
    return MILESTONES.frame(
        [
            {
                "action_id": action.action_id,
                "seq": seq,
                "label": milestone.label,
                "start_date": milestone.start,
                "end_date": milestone.end,
                "kind": milestone.kind,
                "rule": milestone.rule,
                "source_text": milestone.source_text,
                "source_file": action.source_file,
                "source_locator": action.source_locator,
            }
            for action, reading in zip(actions.itertuples(index=False), readings, strict=True)
            for seq, milestone in enumerate(reading.milestones, 1)
        ]
    )
