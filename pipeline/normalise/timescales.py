"""Free-text timescales into status, dates, confidence and milestones.

Implements ../shared/spec/timescales.md. The house readings, and why:

- a financial year (``2022/23``, ``2022-23``, ``22/23``) runs 1 April to 31 March,
  as UK public bodies budget; a span (``2022-25``) runs from the first April to
  the last March;
- a bare year is the calendar year; with "by" it is a deadline at 31 December;
- a month and year is a deadline: no start, the month's last day as end;
- seasons are meteorological (Spring Mar-May, Summer Jun-Aug, Autumn Sep-Nov,
  Winter Dec-Feb of the next year), the Met Office's convention;
- two-digit years are 20xx: plans speak of this century.

A cell is cut into parts (at ";", ", ", ". ", "then", a bracket holding a date,
and between dates), each part one date with its words; the words say whether
the part is a deadline, a start, open-ended or a period (word lists in
reference/timescale_words.yaml). Rules first: they are exact and fast. Only a
cell they cannot read in full goes to the fallback (dateparser, then a reading
that ignores what it could not place), marked low confidence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

import pandas as pd
import regex

from pipeline.review import Doubt
from pipeline.schema import MILESTONES, assign_objects

HIGH, LOW, NONE = "high", "low", "none"
SCHEDULED, ONGOING, COMPLETE, UNKNOWN = "scheduled", "ongoing", "complete", "unknown"
DUE, STARTS, PERIOD = "due", "starts", "period"  # milestone kinds, with ONGOING

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
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
        ]
    )
    for name in names
}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}  # first month; three months each
_YEAR = r"(?:19|20)\d{2}"
_DATE = regex.compile(
    rf"""
    (?P<fy>\b(?P<fy_first>{_YEAR})\s*[/\p{{Pd}}]\s*(?P<fy_last>{_YEAR}|\d{{2}})\b(?!\s*[/\p{{Pd}}]\s*\d))
    |(?P<short_fy>\b(?P<sfy_first>\d{{2}})/(?P<sfy_last>\d{{2}})\b)
    |(?P<month>\b(?P<month_name>{"|".join(sorted(_MONTHS, key=len, reverse=True))})\.?
        [\s\p{{Pd}}/]*(?P<month_year>{_YEAR}|\d{{2}})\b(?![/\p{{Pd}}]\d))
    |(?P<season>\b(?P<season_name>spring|summer|autumn|winter)\s+(?:of\s+)?(?P<season_year>{_YEAR}|\d{{2}})\b)
    |(?P<year>\b{_YEAR}\b)
    """,
    regex.IGNORECASE | regex.VERBOSE,
)
_SEGMENT_BREAK = regex.compile(r"\s*(?:;|,\s|\.\s+(?=\p{Lu})|\bthen\b)\s*", regex.IGNORECASE)
_BRACKET = regex.compile(r"\(([^()]*)\)")
# The capitalised words just before " - " name the next part: "... bus Tidal - Phase 4".
_LABEL_MARKER = regex.compile(r"\p{Lu}[\p{L}\p{N}/&'’]*(?:\s+\p{Lu}[\p{L}\p{N}/&'’]*)*\s*\p{Pd}\s")
_YEARLIKE_NUMBER = regex.compile(r"(?<![\p{L}\p{N}])\d{2,}(?![\p{L}\p{N}])")
_ENDS_COMPLETE = regex.compile(r"\b(?:complete|completed)\.?$", regex.IGNORECASE)
_EDGE_JUNK = regex.compile(r"^[\s\p{Pd}:,.;()]+|[\s\p{Pd}:,.;()]+$")


@dataclass(frozen=True)
class TimescaleWords:
    """The lists of reference/timescale_words.yaml, compiled once."""

    lists: dict[str, list[str]]

    @cached_property
    def patterns(self) -> dict[str, regex.Pattern]:
        return {
            name: regex.compile(
                r"\b(?:"
                + "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
                + r")\b",
                regex.IGNORECASE,
            )
            for name, words in self.lists.items()
        }

    @cached_property
    def connective_edges(self) -> regex.Pattern:
        """A connective word at either end of a label ("Phase 1 by" -> "Phase 1")."""
        words = self.patterns["connective"].pattern
        return regex.compile(rf"^(?:{words})\s+|\s+(?:{words})$", regex.IGNORECASE)

    def has(self, kind: str, text: str) -> bool:
        return bool(self.patterns[kind].search(text))


@dataclass(frozen=True)
class Milestone:
    label: str
    start: dt.date | None
    end: dt.date | None
    kind: str


@dataclass(frozen=True)
class TimescaleReading:
    status: str
    start: dt.date | None
    end: dt.date | None
    confidence: str
    milestones: tuple[Milestone, ...] = ()
    note: str = ""  # how a low or none reading came about, for the review list


@dataclass
class _Part:
    text: str
    date: regex.Match | None = None
    before: str = ""  # the part's words before its date
    after: str = ""
    extra: list[str] = field(default_factory=list)  # undated words that went with it


def parse_timescale(text: str | None, words: TimescaleWords) -> TimescaleReading:
    """Read one Timescale cell. Never raises; what it cannot read it says so."""
    if text is None or not text.strip():
        return TimescaleReading(UNKNOWN, None, None, NONE, note="no timescale given")
    text = " ".join(text.split())
    reading, unexplained = _read_by_rules(text, words)
    if reading and not unexplained:
        return reading
    fallback = _read_with_dateparser(text)
    if fallback:
        return fallback
    if reading:
        return TimescaleReading(
            reading.status,
            reading.start,
            reading.end,
            LOW,
            reading.milestones,
            note=f"read leaving out {', '.join(repr(u) for u in unexplained)}",
        )
    return TimescaleReading(UNKNOWN, None, None, NONE, note="not understood")


def summary_reports_complete(summary: str | None, words: TimescaleWords) -> bool:
    """Whether a Summary says the work is done (used only when the Timescale is empty)."""
    if not summary:
        return False
    if words.has("summary_complete", summary):
        return True
    return any(_ENDS_COMPLETE.search(line.strip()) for line in summary.split("\n"))


def _read_by_rules(text: str, words: TimescaleWords) -> tuple[TimescaleReading | None, list[str]]:
    """The reading by the house rules, and what in the text they could not place."""
    unexplained = [m.group() for m in words.patterns["doubt"].finditer(text)]
    whole = _DATE.fullmatch(text)  # most cells are one date ("2022/23", "Mar-23")
    parts = [_Part(text, whole)] if whole else _split_parts(text, words)
    for part in parts:
        remainder = part.text.replace(part.date.group(), " ") if part.date else part.text
        unexplained += _YEARLIKE_NUMBER.findall(remainder)
    if words.has("complete", text) and not any(p.date for p in parts):
        return TimescaleReading(COMPLETE, None, None, HIGH), unexplained
    labelled = len(parts) > 1  # labels name milestones; one part makes none
    readings = [_read_part(part, words, labelled) for part in parts]
    readings = [r for r in readings if r]
    if not readings:
        return None, unexplained or [text]
    starts = [r.start for r in readings if r.start]
    ends = [r.end for r in readings if r.end]
    open_ended = any(r.kind == ONGOING for r in readings) or (starts and not ends)
    if words.has("complete", text):
        status = COMPLETE
    elif open_ended:
        status = ONGOING
    else:
        status = SCHEDULED if ends else UNKNOWN
    start = min(starts) if starts else None
    end = None if status == ONGOING or not ends else max(ends)
    if start and end and start > end:
        return None, [*unexplained, f"a start ({start}) after the end ({end})"]
    milestones = ()
    if len(parts) > 1:
        milestones = tuple(r for r in readings if r.start or r.end)
    return TimescaleReading(status, start, end, HIGH, milestones), unexplained


def _split_parts(text: str, words: TimescaleWords) -> list[_Part]:
    segments: list[str] = []
    for piece in _SEGMENT_BREAK.split(text):
        # A bracket holding a date is a part of its own; one without is a label.
        cursor = 0
        for bracket in _BRACKET.finditer(piece):
            if _DATE.search(bracket.group(1)):
                segments += [piece[cursor : bracket.start()], bracket.group(1)]
                cursor = bracket.end()
        segments.append(piece[cursor:])
    parts: list[_Part] = []
    for segment in filter(None, (s.strip() for s in segments)):
        dates = list(_DATE.finditer(segment))
        if not dates:
            if parts and not words.has("ongoing", segment):
                parts[-1].extra.append(segment)
            else:
                parts.append(_Part(segment))
            continue
        bounds = [0]
        for previous, following in itertools.pairwise(dates):
            between = segment[previous.end() : following.start()]
            markers = list(_LABEL_MARKER.finditer(between))
            bounds.append(previous.end() + (markers[-1].start() if markers else 0))
        bounds.append(len(segment))
        for date, start, end in zip(dates, bounds, bounds[1:], strict=False):
            parts.append(
                _Part(
                    segment[start:end],
                    date,
                    segment[start : date.start()],
                    segment[date.end() : end],
                )
            )
    return parts


def _read_part(part: _Part, words: TimescaleWords, labelled: bool) -> Milestone | None:
    label = _label(part, words) if labelled else ""
    if part.date is None:
        if words.has("ongoing", part.text):
            return Milestone(label, None, None, ONGOING)
        return None
    period = _date_to_period(part.date)
    if period is None:
        return None
    first, last = period
    if words.has("ongoing", part.text):
        return Milestone(label, first, None, ONGOING)
    if words.has("start", part.before):
        return Milestone(label, first, None, STARTS)
    if part.date.group("month") or words.has("deadline", part.before):
        return Milestone(label, None, last, DUE)
    return Milestone(label, first, last, PERIOD)


def _label(part: _Part, words: TimescaleWords) -> str:
    text = " ".join([part.before, part.after, *part.extra]) if part.date else part.text
    text = _BRACKET.sub(r" \1 ", text)
    for kind in ("deadline", "start", "ongoing"):
        text = words.patterns[kind].sub(" ", text)
    text = " ".join(text.split())
    while True:
        trimmed = words.connective_edges.sub("", _EDGE_JUNK.sub("", text))
        if trimmed == text:
            return text
        text = trimmed


def _date_to_period(date: regex.Match) -> tuple[dt.date, dt.date] | None:
    """First and last day a date expression covers, or None when it is not a real date."""
    if date.group("fy"):
        first = int(date.group("fy_first"))
        last = _full_year(date.group("fy_last"), first)
        return (dt.date(first, 4, 1), dt.date(last, 3, 31)) if last > first else None
    if date.group("short_fy"):
        first, last = (2000 + int(date.group(g)) for g in ("sfy_first", "sfy_last"))
        return (dt.date(first, 4, 1), dt.date(last, 3, 31)) if last == first + 1 else None
    if date.group("month"):
        month = _MONTHS[date.group("month_name").casefold()]
        year = _full_year(date.group("month_year"))
        return dt.date(year, month, 1), _month_end(year, month)
    if date.group("season"):
        year = _full_year(date.group("season_year"))
        month = _SEASONS[date.group("season_name").casefold()]
        end_year, end_month = (year + 1, 2) if month == 12 else (year, month + 2)
        return dt.date(year, month, 1), _month_end(end_year, end_month)
    year = int(date.group("year"))
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _full_year(digits: str, first: int | None = None) -> int:
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


@lru_cache(maxsize=4096)  # slow, and a pure function of the text
def _read_with_dateparser(text: str) -> TimescaleReading | None:
    """dateparser's reading of the whole cell as one deadline, or None."""
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


def read_timescales(
    actions: pd.DataFrame, words: TimescaleWords
) -> tuple[pd.DataFrame, list[TimescaleReading]]:
    """Fill ``status``, ``start_date``, ``end_date`` and ``confidence`` from ``timescale_raw``.

    An empty cell whose Summary reports the work done reads as complete, low.
    """
    distinct = {text: parse_timescale(text, words) for text in set(actions["timescale_raw"])}
    readings = []
    for timescale, summary in zip(actions["timescale_raw"], actions["summary"], strict=True):
        reading = distinct[timescale]
        if (
            reading.status == UNKNOWN
            and not (timescale or "").strip()
            and summary_reports_complete(summary, words)
        ):
            reading = TimescaleReading(
                COMPLETE, None, None, LOW, note="no timescale; the summary reports it complete"
            )
        readings.append(reading)
    return with_timescales(actions, readings), readings


def with_timescales(actions: pd.DataFrame, readings: list[TimescaleReading]) -> pd.DataFrame:
    """The actions with status, dates and confidence taken from ``readings``."""
    return assign_objects(
        actions,
        status=[r.status for r in readings],
        start_date=[r.start for r in readings],
        end_date=[r.end for r in readings],
        confidence=[r.confidence for r in readings],
    )


def timescale_doubt(timescale: str | None, reading: TimescaleReading) -> Doubt | None:
    """The review row a reading needs: every low or none reading, and a missing timescale."""
    if reading.confidence == HIGH:
        return None
    if timescale is None:
        return Doubt("timescale_raw", "", "missing_timescale", "the table has no Timescale column")
    if not timescale.strip():
        reason = "missing_timescale" if reading.confidence == NONE else "timescale_low_confidence"
        return Doubt("timescale_raw", "", reason, reading.note)
    reason = "timescale_low_confidence" if reading.confidence == LOW else "timescale_not_understood"
    return Doubt("timescale_raw", timescale, reason, reading.note)


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
                "source_file": action.source_file,
                "source_locator": action.source_locator,
            }
            for action, reading in zip(actions.itertuples(index=False), readings, strict=True)
            for seq, milestone in enumerate(reading.milestones, 1)
        ]
    )
